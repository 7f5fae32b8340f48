// The request-cost attacks of issue 8, against the notes API as `npm start` serves it, each now held by a limit.
// Before: fragments spreading the next twice took 17.8 s for 890 bytes (doubling per level); 10,000 aliased getNote
// took 40 s and held up every other user; 400 aliases of listNotes(limit: 100) returned 440 MB and took the RSS from
// 0.8 to 2.7 GB. What AppSync does, and where that is documented, is in test/local/server/request-limits.test.ts.
//
// The notes API's definition sets a resolver count limit of 1,000 (issue 8), which the stack deploys and the local
// server applies.
import { beforeAll, describe, expect, it } from 'vitest';
import { apiDefinition } from '../../../infra/api-definition';
import { useLocalTarget } from '../helpers/fixture';
import { postJson } from '../helpers/http';

const RESOLVER_COUNT_LIMIT = apiDefinition.resolverCountLimit!;
/** The local server's ceiling on what resolvers return in one request (local/server/request-limits.ts). */
const RESPONSE_BYTES_LIMIT = 10 * 1024 * 1024;
const MISSING_NOTE = '01J0000000000000000000000X';

interface Body {
  data: Record<string, unknown> | null;
  errors?: Array<{ errorType: string | null; message: string; path: Array<string | number> | null }>;
}

describe('request cost limits on the notes API', () => {
  const target = useLocalTarget();

  const ask = async (query: string, as: 'alice' | 'bob' = 'alice') => {
    const response = await postJson(target().graphqlUrl, { query }, { authorization: target()[as].idToken });
    return { status: response.status, size: response.text.length, body: response.json as Body };
  };
  const errorTypes = (body: Body) => {
    const counts: Record<string, number> = {};
    for (const error of body.errors ?? []) counts[String(error.errorType)] = (counts[String(error.errorType)] ?? 0) + 1;
    return counts;
  };

  it('answers fragments that each spread the next twice, 40 levels deep, at once', async () => {
    // Expanding every spread would visit 2^40 selections; the document is under 3 KB.
    let query = '{ listNotes(limit: 1) { ...F0 } }\n';
    for (let i = 0; i < 40; i += 1) {
      query += `fragment F${i} on NoteConnection { nextToken ${i < 39 ? `...F${i + 1} ...F${i + 1}` : ''} }\n`;
    }
    expect(query.length).toBeLessThan(3000);
    const { status, body } = await ask(query, 'bob');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { listNotes: { nextToken: null } } });
  });

  it('runs 1,000 of 10,000 aliased getNote, refuses the rest, and keeps answering another user meanwhile', async () => {
    const { api } = target();
    const fields = Array.from({ length: 10_000 }, (_, i) => `a${i}: getNote(noteId: "${MISSING_NOTE}") { noteId }`);
    const before = api.counters.dynamodb;
    let attackDone = false;
    const attack = ask(`{ ${fields.join(' ')} }`).then((result) => {
      attackDone = true;
      return result;
    });
    // Bob's request goes in once the attack is being served, and is answered before it ends.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const other = await ask(`{ getNote(noteId: "${MISSING_NOTE}") { noteId } }`, 'bob');
    expect(other.body).toEqual({ data: { getNote: null } });
    expect(attackDone).toBe(false);

    const { status, body } = await attack;
    expect(status).toBe(200);
    // On a busy machine some of the 1,000 may still be waiting for the store at the 30-second limit: those answer
    // AppSync's timeout, and no others.
    const { ResolverExecutionLimitReached, ...others } = errorTypes(body);
    expect(ResolverExecutionLimitReached).toBe(10_000 - RESOLVER_COUNT_LIMIT);
    expect(Object.keys(others).filter((type) => type !== 'DynamoDB:ExecutionTimeoutException')).toEqual([]);
    expect(Object.values(body.data ?? {}).every((value) => value === null)).toBe(true);
    // Bob's one call and at most the attack's 1,000: the refused resolvers reached no data source.
    expect(api.counters.dynamodb - before).toBeLessThanOrEqual(RESOLVER_COUNT_LIMIT + 1);
  }, 180_000);

  describe('with 100 notes of 10,000 characters', () => {
    beforeAll(async () => {
      const { alice } = target();
      const content = 'x'.repeat(10_000);
      for (let n = 0; n < 100; n += 1) await alice.client.createNote({ input: { content } });
    }, 120_000);

    it('stops 400 aliases of listNotes(limit: 100) at the response ceiling instead of returning 440 MB', async () => {
      const { api } = target();
      const fields = Array.from({ length: 400 }, (_, i) => `l${i}: listNotes(limit: 100) { items { noteId content } }`);
      const before = api.counters.dynamodb;
      const { status, size, body } = await ask(`{ ${fields.join(' ')} }`);
      expect(status).toBe(200);
      const queries = api.counters.dynamodb - before;
      // Each page is about 1 MB: about ten fit under the ceiling, and a few more were already running.
      expect(queries).toBeGreaterThanOrEqual(10);
      expect(queries).toBeLessThan(40);
      // Every field that did not answer says why, as on AppSync, which answers once every field is done: those
      // refused before they ran, and those whose page arrived after the ceiling was reached.
      const refused = errorTypes(body).ResponseSizeLimitReached;
      expect(Object.keys(errorTypes(body))).toEqual(['ResponseSizeLimitReached']);
      expect(refused).toBeGreaterThanOrEqual(400 - queries);
      expect(refused).toBeLessThan(400);
      // listNotes is non-nullable, so its error takes the whole data with it, as on AppSync.
      expect(body.data).toBeNull();
      expect(size).toBeLessThan(RESPONSE_BYTES_LIMIT);
    }, 180_000);

    it('refuses a response that aliases repeat into more than twice the ceiling', async () => {
      const aliases = Array.from({ length: 100 }, (_, i) => `c${i}: content`).join(' ');
      const { status, size, body } = await ask(`{ listNotes(limit: 100) { items { ${aliases} } } }`);
      expect(status).toBe(200);
      expect(body).toEqual({
        data: null,
        errors: [
          {
            path: null,
            data: null,
            errorType: 'ResponseSizeLimitReached',
            errorInfo: null,
            locations: null,
            message: `Response size limit of ${RESPONSE_BYTES_LIMIT} bytes reached`,
          },
        ],
      });
      expect(size).toBeLessThan(1000);
    }, 60_000);
  });
});
