// What a failed call rejects with. AppSync answers a failed field with entries in `errors` carrying `errorType`,
// `errorInfo` and `data`; the notes API's own error types get their own members here, so a `switch` on `errorType`
// (or `hasErrorType`) gives typed fields: `ConflictError` has `errorInfo.currentVersion` and the current note in
// `data`. Any other type (AppSync's `MalformedHttpRequestException`, `DynamoDB:*`, `Lambda:*`...) comes through
// verbatim as an `OtherNotesError`.
import type { NoteFieldsFragment } from './operations.generated.js';

interface NotesErrorBase {
  message: string;
  /** Where in the response the error happened, e.g. `['updateNote']`. */
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number; sourceName?: string | null }>;
}

/** Bad input, as the API or AppSync's own validation reports it; nothing was written. */
export interface ValidationError extends NotesErrorBase {
  errorType: 'ValidationError';
  errorInfo?: unknown;
  data?: unknown;
}

/** The note does not exist (or is not the caller's). */
export interface NotFoundError extends NotesErrorBase {
  errorType: 'NotFound';
  errorInfo?: unknown;
  data?: unknown;
}

/** updateNote's `expectedVersion` is stale: the note changed elsewhere. */
export interface ConflictError extends NotesErrorBase {
  errorType: 'ConflictError';
  errorInfo: { noteId: string; currentVersion: number; expectedVersion: number };
  /** The note as it is now (the fields the mutation selected). */
  data: NoteFieldsFragment | null;
}

/** Missing, expired or refused credentials (HTTP 401). */
export interface UnauthorizedError extends NotesErrorBase {
  errorType: 'UnauthorizedException';
  errorInfo?: unknown;
  data?: unknown;
}

/**
 * Any other `errorType`, as AppSync sent it; or none: AppSync's own validation, variable and non-null errors carry
 * only `message`, `locations` and `path`.
 */
export interface OtherNotesError extends NotesErrorBase {
  errorType?: string;
  errorInfo?: unknown;
  data?: unknown;
}

export type KnownNotesError = ValidationError | NotFoundError | ConflictError | UnauthorizedError;
export type KnownErrorType = KnownNotesError['errorType'];

/**
 * One entry of a response's `errors`. TypeScript cannot tell a literal member from a `string` one by comparison
 * alone, so narrow with `hasErrorType(error, 'ConflictError')`, or `switch` on `error.errorType` after checking
 * `isKnownError(error)`.
 */
export type NotesError = KnownNotesError | OtherNotesError;

const KNOWN_ERROR_TYPES: ReadonlySet<string> = new Set<KnownErrorType>([
  'ValidationError',
  'NotFound',
  'ConflictError',
  'UnauthorizedException',
]);

/** True when the entry is one of the notes API's own error types (a member of `KnownNotesError`). */
export function isKnownError(error: NotesError): error is KnownNotesError {
  return (
    error.errorType !== undefined &&
    KNOWN_ERROR_TYPES.has(error.errorType) &&
    (error.errorType !== 'ConflictError' || isConflictInfo(error))
  );
}

function isConflictInfo(error: NotesError): boolean {
  const info = error.errorInfo as { currentVersion?: unknown } | null | undefined;
  return typeof info === 'object' && info !== null && typeof info.currentVersion === 'number';
}

export interface NotesApiErrorInit {
  errors: readonly NotesError[];
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** The response's `data`: whatever did resolve beside the errors. */
  data?: unknown;
  cause?: unknown;
  message?: string;
}

/**
 * A call that did not succeed: GraphQL errors (with whatever data resolved beside them), a refused request (HTTP
 * 4xx/5xx with AppSync's `errors`), or no usable response at all (`errors` empty; `status` 0 when the request never
 * got an answer).
 */
export class NotesApiError extends Error {
  override readonly name = 'NotesApiError';
  /** AppSync's `errors`, in order. */
  readonly errors: readonly NotesError[];
  readonly status: number;
  /** The response's `data`: the fields that did resolve (null when none did). */
  readonly data: unknown;

  constructor(init: NotesApiErrorInit) {
    super(init.message ?? init.errors[0]?.message ?? `HTTP ${init.status}`, { cause: init.cause });
    this.errors = init.errors;
    this.status = init.status;
    this.data = init.data ?? null;
  }

  /** The first error, or undefined when the response carried none. */
  get error(): NotesError | undefined {
    return this.errors[0];
  }

  /**
   * The first error's type, e.g. `ValidationError`, `NotFound`, `ConflictError`, `UnauthorizedException`; undefined
   * when there is no error or AppSync sent none (a query or variables it refused, a null in a non-null field).
   */
  get errorType(): string | undefined {
    return this.errors[0]?.errorType;
  }

  /** True when no response arrived or it was not GraphQL (network down, timeout, a proxy's HTML page). */
  get isTransportFailure(): boolean {
    return this.errors.length === 0;
  }
}

/**
 * The first error of a failed call when it is of `errorType`, typed as that member; otherwise undefined.
 *
 * ```ts
 * const conflict = hasErrorType(error, 'ConflictError');
 * if (conflict) retryWith(conflict.errorInfo.currentVersion);
 * ```
 */
export function hasErrorType<T extends KnownErrorType>(
  error: unknown,
  errorType: T,
): Extract<KnownNotesError, { errorType: T }> | undefined {
  if (!(error instanceof NotesApiError)) return undefined;
  const first = error.error;
  if (!first || first.errorType !== errorType || !isKnownError(first)) return undefined;
  return first as Extract<KnownNotesError, { errorType: T }>;
}
