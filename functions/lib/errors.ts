// Errors the attachment functions raise on purpose, and how they reach AppSync. A thrown Lambda error arrives as
// `Lambda:Unhandled` whatever its name, so an expected failure is returned as a value instead:
// `{ errorMessage, errorType }`, which the resolvers raise with `util.error(errorMessage, errorType)`. Only the
// unexpected (S3 down, a bug) is thrown.
export type AttachmentErrorType = 'ValidationError' | 'Unauthorized' | 'NotFound';

export interface HandledFailure {
  errorMessage: string;
  errorType: AttachmentErrorType;
}

export class AttachmentError extends Error {
  readonly errorType: AttachmentErrorType;

  constructor(errorType: AttachmentErrorType, message: string) {
    super(message);
    this.name = errorType;
    this.errorType = errorType;
  }

  toFailure(): HandledFailure {
    return { errorMessage: this.message, errorType: this.errorType };
  }
}

export function validationError(message: string): AttachmentError {
  return new AttachmentError('ValidationError', message);
}

/** Runs `work`, returning an expected failure as a value and letting anything else throw. */
export async function orHandledFailure<T>(work: () => Promise<T>): Promise<T | HandledFailure> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AttachmentError) {
      return error.toFailure();
    }
    throw error;
  }
}
