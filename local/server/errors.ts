// Errors in AppSync's shapes: GraphQL errors as `{ path, data, errorType, errorInfo, locations, message }`, and
// request-level failures as `{ errors: [{ errorType, message }] }` with an HTTP status.
import { GraphQLError, type SourceLocation } from 'graphql';
import type { ResolverErrorRecord } from '../runtime/realm/evaluation';

export interface AppSyncError {
  path: ReadonlyArray<string | number> | null;
  data: unknown;
  errorType: string | null;
  errorInfo: unknown;
  locations: Array<{ line: number; column: number; sourceName: null }> | null;
  message: string;
}

/** A resolver's error (util.error, a runtime failure), carried through graphql-js to the response. */
export class FieldError extends Error {
  constructor(readonly record: ResolverErrorRecord) {
    super(record.message);
  }
}

export function locationsOf(locations: readonly SourceLocation[] | undefined): AppSyncError['locations'] {
  return locations ? locations.map(({ line, column }) => ({ line, column, sourceName: null })) : null;
}

export function fromRecord(
  record: ResolverErrorRecord,
  path: ReadonlyArray<string | number> | null,
  locations: readonly SourceLocation[] | undefined,
): AppSyncError {
  return {
    path,
    data: record.data ?? null,
    errorType: record.errorType ?? null,
    errorInfo: record.errorInfo ?? null,
    locations: locationsOf(locations),
    message: record.message,
  };
}

export function fromGraphQLError(error: GraphQLError): AppSyncError {
  const original = error.originalError;
  if (original instanceof FieldError) return fromRecord(original.record, error.path ?? null, error.locations);
  return {
    path: error.path ?? null,
    data: null,
    errorType: null,
    errorInfo: null,
    locations: locationsOf(error.locations),
    message: error.message,
  };
}

/** A failure answered before any GraphQL runs (bad body, missing credentials), with AppSync's status and type. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }

  body(): { errors: Array<{ errorType: string; message: string }> } {
    return { errors: [{ errorType: this.errorType, message: this.message }] };
  }
}
