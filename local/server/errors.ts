// Errors in AppSync's shapes: GraphQL errors as `{ path, data, errorType, errorInfo, locations, message }`, and
// request-level failures as `{ errors: [{ errorType, message }] }` with an HTTP status.
import { GraphQLError, type ASTNode, type Source, type SourceLocation } from 'graphql';
import type { ResolverErrorRecord } from '../runtime/realm/evaluation';

export interface AppSyncError {
  path: ReadonlyArray<string | number> | null;
  data: unknown;
  errorType: string | null;
  errorInfo: unknown;
  locations: Array<{ line: number; column: number; sourceName: null }> | null;
  message: string;
}

/** A resolver's error (util.error, a runtime failure, a limit), with where its field is in the document. */
export class FieldError extends Error {
  constructor(
    readonly record: ResolverErrorRecord,
    readonly locations: readonly SourceLocation[] = [],
  ) {
    super(record.message);
    // Where the engine raised it says nothing useful, and formatting a stack (source maps included) for each of
    // thousands of failing fields costs seconds: graphql-js copies this one instead.
    Object.defineProperty(this, 'stack', {
      value: `FieldError: ${record.message}`,
      writable: true,
      configurable: true,
    });
  }
}

/**
 * A field's error as graphql-js carries it to the response. It is built with its path and without AST nodes, so
 * graphql-js takes it as it is: given nodes, graphql-js would compute each location by scanning the document from
 * its start, and thousands of failing fields in a large document would take minutes.
 */
export function fieldError(
  record: ResolverErrorRecord,
  path: ReadonlyArray<string | number>,
  nodes: readonly ASTNode[],
): GraphQLError {
  return new GraphQLError(record.message, { path, originalError: new FieldError(record, locationsOfNodes(nodes)) });
}

// Line starts of each document, computed once: a location is then a binary search.
const lineStarts = new WeakMap<Source, number[]>();

function lineStartsOf(source: Source): number[] {
  let starts = lineStarts.get(source);
  if (!starts) {
    starts = [0];
    const body = source.body;
    for (let i = 0; i < body.length; i += 1) {
      const c = body.charCodeAt(i);
      if (c === 10 || (c === 13 && body.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    lineStarts.set(source, starts);
  }
  return starts;
}

/** Where `position` is in `source`, as GraphQL counts lines and columns (both from 1). */
export function locationIn(source: Source, position: number): SourceLocation {
  const starts = lineStartsOf(source);
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= position) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: position - starts[low] + 1 };
}

export function locationsOfNodes(nodes: readonly ASTNode[]): SourceLocation[] {
  return nodes.flatMap((node) => (node.loc ? [locationIn(node.loc.source, node.loc.start)] : []));
}

export function locationsOf(locations: readonly SourceLocation[] | undefined): AppSyncError['locations'] {
  return locations && locations.length > 0
    ? locations.map(({ line, column }) => ({ line, column, sourceName: null }))
    : null;
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

export function isFieldError(error: GraphQLError): boolean {
  return error.originalError instanceof FieldError;
}

export function fromGraphQLError(error: GraphQLError): AppSyncError {
  const original = error.originalError;
  if (original instanceof FieldError) return fromRecord(original.record, error.path ?? null, original.locations);
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
