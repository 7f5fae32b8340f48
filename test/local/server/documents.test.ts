// Long documents are prepared on the document worker (local/server/documents): the answer must be exactly what the
// main thread's preparation gives, locations included, so that where a document is prepared never shows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppSyncSchema } from '../../../local/server/appsync-schema';
import {
  DocumentWorker,
  prepareDocument,
  type ParsedDocument,
  type Preparation,
} from '../../../local/server/documents';
import { detachLocations } from '../../../local/server/documents/prepare';
import { GraphQLEngine, type Caller } from '../../../local/server/engine';

const schemaText = `
type Query { hello(at: AWSDateTime): String  broken: String!  item: Item }
type Item { id: ID! }
type Subscription { changed: String }
`;
const schema = buildAppSyncSchema(schemaText);
const worker = new DocumentWorker(schemaText);

function parsed(preparation: Preparation): ParsedDocument {
  if ('syntaxError' in preparation) throw new Error(preparation.syntaxError.message);
  return preparation;
}

/** `body` repeated under aliases until the document is longer than the engine caches (20,000 characters). */
function long(body: (i: number) => string, count = 2_000, operation = 'query'): string {
  return `${operation} Long {\n${Array.from({ length: count }, (_, i) => `  a${i}: ${body(i)}`).join('\n')}\n}`;
}

describe('the document worker', () => {
  it('answers a valid document with the same tree and locations as the main thread', async () => {
    const text = long((i) => `hello(at: "2020-01-0${(i % 9) + 1}T00:00:00Z")`);
    const here = parsed(prepareDocument(schema, text));
    const there = parsed(await worker.prepare(text));
    expect(there.validationErrors).toEqual([]);
    expect(there).toEqual({ ...here, document: detachLocations(here.document, text) });
  });

  it('answers validation errors worded and located as on the main thread', async () => {
    const text = long((i) => (i % 500 === 7 ? 'nope' : i % 700 === 3 ? 'hello(at: "yesterday")' : 'hello'));
    const here = parsed(prepareDocument(schema, text));
    const there = parsed(await worker.prepare(text));
    expect(here.validationErrors.length).toBeGreaterThanOrEqual(4);
    expect(there.validationErrors).toEqual(here.validationErrors);
  });

  it('answers a syntax error as the main thread does', async () => {
    const text = `${long(() => 'hello')} }`;
    expect(await worker.prepare(text)).toEqual(prepareDocument(schema, text));
  });
  it('answers a document nested thousands deep with an error, and goes on serving', async () => {
    const deep = `{ item { ${'id { '.repeat(3_000)}x${' }'.repeat(3_000)} } }`;
    const answer = await worker.prepare(deep);
    expect(answer).toEqual({ syntaxError: expect.objectContaining({ path: null, message: expect.any(String) }) });
    const text = long(() => 'hello');
    expect(await worker.prepare(text)).toEqual(expect.objectContaining({ validationErrors: [] }));
  });
});

describe('the engine, given long documents', () => {
  let dir: string;
  let engine: GraphQLEngine;
  const caller: Caller = { mode: 'API_KEY', identity: null, groups: [], label: 'api-key' };
  const run = (query: string) => engine.execute({ query }, caller, { headers: {}, domainName: null });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'documents-'));
    await writeFile(path.join(dir, 'schema.graphql'), schemaText);
    engine = await GraphQLEngine.create({
      definition: {
        name: 'long',
        schema: 'schema.graphql',
        auth: { default: 'API_KEY' },
        dataSources: {},
        resolvers: [],
      },
      rootDir: dir,
      dataSources: {},
    });
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('answers a long document exactly as the same fields in a short one, execution errors located', async () => {
    // The same two fields at the end of a long and a short document: the answers differ only in line numbers.
    const tail = (i: number) => `  x${i}: hello\n  y${i}: broken`;
    const padding = Array.from({ length: 1_500 }, (_, i) => `  p${i}: hello`).join('\n');
    const longText = `{\n${padding}\n${tail(0)}\n}`;
    const shortText = `{\n${tail(0)}\n}`;
    expect(longText.length).toBeGreaterThan(20_000);
    const [longAnswer, shortAnswer] = [await run(longText), await run(shortText)];
    const shift = 1_500;
    const shortErrors = shortAnswer.body.errors!.map((error) => ({
      ...error,
      locations: error.locations?.map((location) => ({ ...location, line: location.line + shift })) ?? null,
    }));
    expect(longAnswer.body.errors).toEqual(shortErrors);
    expect(longAnswer.body.errors!.length).toBeGreaterThan(0);
    expect(longAnswer.body.data).toBeNull();
  });

  it('knows a long subscription document for one', async () => {
    expect(await engine.isSubscription({ query: long(() => 'changed', 1_000, 'subscription') })).toBe(true);
    expect(await engine.isSubscription({ query: long(() => 'hello', 1_000) })).toBe(false);
  });
});
