// A request's query text made into a document the engine can run: parsed, validated, and its validation errors worded
// as AppSync's. Pure: the engine runs it on the main thread for short documents and the document worker for long ones.
import { parse, type ASTNode, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { syntaxError, type AppSyncError } from '../errors';
import { validateAsAppSync } from '../validation-errors';

export interface ParsedDocument {
  document: DocumentNode;
  validationErrors: AppSyncError[];
}

export type Preparation = ParsedDocument | { syntaxError: AppSyncError };

export function prepareDocument(schema: GraphQLSchema, query: string): Preparation {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (thrown) {
    return { syntaxError: syntaxError(thrown as GraphQLError) };
  }
  return { document, validationErrors: validateAsAppSync(schema, document) };
}

/**
 * Makes a document prepared elsewhere cheap to send to this thread: each node's location keeps its offsets and one
 * shared source (all that error locations read), and drops the lexer's token chain, which would double what is copied.
 */
export function detachLocations(document: DocumentNode, query: string): DocumentNode {
  const source = { body: query, name: 'GraphQL request', locationOffset: { line: 1, column: 1 } };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as { loc?: { start: number; end: number } } & Record<string, unknown>;
    for (const key of Object.keys(node)) if (key !== 'loc') visit(node[key]);
    if (node.loc) node.loc = { start: node.loc.start, end: node.loc.end, source } as unknown as ASTNode['loc'];
  };
  visit(document);
  return document;
}

export interface DocumentWorkerSetup {
  schemaText: string;
}

export type ToDocumentWorker = { id: number; query: string };
export type FromDocumentWorker = { id: number; preparation: Preparation };
