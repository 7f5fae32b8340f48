// util.error / util.appendError / util.unauthorized.
// `data` and `errorInfo` are kept as given (a JSON copy taken at the call): AppSync puts `data` in the error entry
// filtered by the selection set and `errorInfo` unfiltered, which is the server's job, not the realm's.
import { currentEvaluation, ResolverError, UnauthorizedError, type ResolverErrorRecord } from '../evaluation';
import { jsonCopy } from './internal/args';

function messageText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message !== null && typeof message === 'object') {
    try {
      return JSON.stringify(message);
    } catch {
      return String(message); // a cyclic object: its JSON cannot be written, and the error must still be raised
    }
  }
  return String(message);
}

function errorRecord(
  fn: string,
  message: unknown,
  errorType: unknown,
  data: unknown,
  errorInfo: unknown,
): ResolverErrorRecord {
  const record: ResolverErrorRecord = { message: messageText(message) };
  if (errorType !== undefined && errorType !== null) record.errorType = messageText(errorType);
  const dataCopy = jsonCopy(fn, data);
  if (dataCopy !== undefined) record.data = dataCopy;
  const errorInfoCopy = jsonCopy(fn, errorInfo);
  if (errorInfoCopy !== undefined) record.errorInfo = errorInfoCopy;
  return record;
}

function error(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): never {
  throw new ResolverError(errorRecord('util.error', message, errorType, data, errorInfo));
}

function appendError(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): void {
  currentEvaluation().outErrors.push(errorRecord('util.appendError', message, errorType, data, errorInfo));
}

function unauthorized(): never {
  throw new UnauthorizedError();
}

export const errorUtils = { error, appendError, unauthorized };
