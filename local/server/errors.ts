// Errors in AppSync's shapes. A field's error (a resolver's, an authorization or a limit) is
// `{ path, data, errorType, errorInfo, locations, message }`; the errors graphql-java raises itself (validation,
// variable coercion, a null in a non-null field, a value a scalar cannot send) are `{ path, locations, message }`
// in graphql-java 9's words. Request-level failures are `{ errors: [{ errorType, message }] }` with an HTTP status.
import { GraphQLError, Lexer, Source, TokenKind, type ASTNode, type GraphQLSchema, type SourceLocation } from 'graphql';
import { getNamedType, isListType, isNonNullType, isObjectType, isInterfaceType } from 'graphql';
import type { ResolverErrorRecord } from '../runtime/realm/evaluation';
import { ScalarSerializationError } from './appsync-schema';
import { javaType } from './variable-values';

export interface AppSyncError {
  path: ReadonlyArray<string | number> | null;
  /** The next three only on a field's error. */
  data?: unknown;
  errorType?: string | null;
  errorInfo?: unknown;
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
  return { path: error.path ?? null, locations: locationsOf(error.locations), message: error.message };
}

/** A path as graphql-java writes it in messages: `/listIndustries/items[0]/_version`. */
function pathText(path: ReadonlyArray<string | number>): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `/${key}`)).join('');
}

// graphql-js's own scalars refuse a resolver's value as `Int cannot represent non-integer value: 1.5`.
const BUILT_IN_REFUSAL = /^(Int|Float|String|Boolean|ID) cannot represent [^:]*: (.*)$/s;
const NULL_IN_NON_NULL = /^Cannot return null for non-nullable field (\w+)\.(\w+)\.$/;

/**
 * An error graphql-js raised while executing (not a field's own), in graphql-java's words: a null in a non-null
 * field, a value a scalar cannot send (both with the field's path, no locations), or as it is.
 */
export function executionError(error: GraphQLError, schema: GraphQLSchema): AppSyncError {
  const path = error.path ?? null;
  if (path) {
    const original = error.originalError;
    if (original instanceof ScalarSerializationError) {
      return { path, locations: null, message: `Can't serialize value (${pathText(path)}) : ${original.message}` };
    }
    const refused = BUILT_IN_REFUSAL.exec(error.message);
    if (refused) {
      const detail = `Expected type '${refused[1]}' but was '${javaType(inspectedValue(refused[2]))}'.`;
      return { path, locations: null, message: `Can't serialize value (${pathText(path)}) : ${detail}` };
    }
    const nulled = NULL_IN_NON_NULL.exec(error.message);
    if (nulled) {
      const parent = schema.getType(nulled[1]);
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[nulled[2]] : undefined;
      const type = field && isNonNullType(field.type) ? field.type.ofType : field?.type;
      const typeName = type && !isListType(type) ? getNamedType(type).name : String(type);
      return {
        path,
        locations: null,
        message: `Cannot return null for non-nullable type: '${typeName}' within parent '${nulled[1]}' (${pathText(path)})`,
      };
    }
  }
  return fromGraphQLError(error);
}

/** Reads back the value graphql-js's inspect() wrote: enough to tell its JSON type. */
function inspectedValue(text: string): unknown {
  if (text.startsWith('"')) return '';
  if (text === 'true' || text === 'false') return true;
  if (text.startsWith('[')) return [];
  if (text.startsWith('{')) return {};
  const number = Number(text);
  return Number.isNaN(number) ? {} : number;
}

/**
 * A document that does not parse, as graphql-java reports one: `Invalid Syntax : offending token '}' at line 1
 * column 9`, located at that token.
 */
export function syntaxError(error: GraphQLError): AppSyncError {
  const location = error.locations?.[0];
  const source = error.source;
  if (!location || !source) return fromGraphQLError(error);
  const position = error.positions?.[0] ?? 0;
  let token = '<EOF>';
  try {
    const lexer = new Lexer(new Source(source.body));
    for (let next = lexer.advance(); next.kind !== TokenKind.EOF; next = lexer.advance()) {
      if (next.end > position) {
        token = source.body.slice(next.start, next.end);
        break;
      }
    }
  } catch {
    // The text at the position is not a token at all (an unterminated string, a stray character).
    token = source.body.slice(position, position + 1) || '<EOF>';
  }
  return {
    path: null,
    locations: locationsOf([location]),
    message: `Invalid Syntax : offending token '${token}' at line ${location.line} column ${location.column}`,
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
