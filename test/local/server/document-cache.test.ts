// The engine keeps parsed and validated documents by query text, bounded in bytes (an estimate from the text's
// length), least recently used out first: a stream of distinct queries cannot grow the server's memory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLEngine, type Caller } from '../../../local/server/engine';

let dir: string;
let engine: GraphQLEngine;
const caller: Caller = { mode: 'API_KEY', identity: null, groups: [], label: 'api-key' };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'document-cache-'));
  await writeFile(path.join(dir, 'schema.graphql'), 'type Query { hello: String }\n');
  engine = await GraphQLEngine.create({
    definition: {
      name: 'cache',
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

/** A valid query of about `length` characters, different for each n (the padding is a comment). */
function query(n: number, length = 19_000): string {
  const head = `{ hello } # ${n} `;
  return head + 'x'.repeat(length - head.length);
}

const run = (text: string) => engine.execute({ query: text }, caller, { headers: {}, domainName: null });

describe('the document cache', () => {
  it('stays within its byte budget however many distinct queries arrive, oldest out first', async () => {
    for (let n = 0; n < 60; n += 1) expect((await run(query(n))).body).toEqual({ data: { hello: null } });
    const { entries, bytes } = engine.documentCacheSize();
    expect(bytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(entries).toBeGreaterThan(0);
    expect(entries).toBeLessThan(60);
  });

  it('keeps a document that is in use while newer ones push others out', async () => {
    const favourite = query(1000, 500);
    await run(favourite);
    for (let n = 2000; n < 2060; n += 1) {
      await run(query(n));
      await run(favourite);
    }
    // A hit changes nothing; had it been pushed out, parsing it again would add its bytes (and evict another).
    const before = engine.documentCacheSize();
    await run(favourite);
    expect(engine.documentCacheSize()).toEqual(before);
  });
});

describe('the document cache with invalid documents', () => {
  it("counts a cached document's validation errors in its bytes", async () => {
    const before = engine.documentCacheSize();
    // Two hundred undefined fields: one short text, two hundred errors to keep with it.
    const invalid = `{ ${Array.from({ length: 200 }, (_, n) => `f${n}`).join(' ')} }`;
    const { body } = await run(invalid);
    expect(body.errors?.length).toBeGreaterThan(1);
    const after = engine.documentCacheSize();
    expect(after.entries).toBe(before.entries + 1);
    expect(after.bytes - before.bytes).toBeGreaterThan(invalid.length * 48 + JSON.stringify(body.errors).length);
  });
});
