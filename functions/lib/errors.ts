// Errors the attachment functions raise on purpose. The `name` becomes the Lambda `errorType`; AppSync reports a thrown
// Lambda error as `Lambda:Unhandled` with our message, so the message alone must say what went wrong.
export type AttachmentErrorType = 'ValidationError' | 'Unauthorized' | 'NotFound';

export class AttachmentError extends Error {
  readonly errorType: AttachmentErrorType;

  constructor(errorType: AttachmentErrorType, message: string) {
    super(message);
    this.name = errorType;
    this.errorType = errorType;
  }
}

export function validationError(message: string): AttachmentError {
  return new AttachmentError('ValidationError', message);
}
