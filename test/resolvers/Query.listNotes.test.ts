import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import { NOTE_ID, OTHER_NOTE_ID, OTHER_SUB, OWNER_SUB, cognitoIdentity, noteItem } from '../helpers/resolver-context';
import { runField } from '../helpers/run-resolver';

// A token shaped like the ones AppSync's DynamoDB data source returns (base64 text).
const TOKEN = 'eyJ2ZXJzaW9uIjoyLCJ0b2tlbiI6IkFRSUNBSGg5OUIvN3BjWU41eVlTOG1xTW=';

describe('Query.listNotes', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Query.listNotes.ts', { strict: true });
  });

  const request = (args: Record<string, unknown>, sub = OWNER_SUB) =>
    resolver.request({ arguments: args, identity: cognitoIdentity(sub) });

  it('queries only the caller partition, newest first, 20 at a time by default', () => {
    const out = request({});
    expect(out.error).toBeUndefined();
    expect(out.result).toMatchObject({
      operation: 'Query',
      query: {
        expression: '(#userId = :userId_eq)',
        expressionNames: { '#userId': 'userId' },
        expressionValues: { ':userId_eq': { S: OWNER_SUB } },
      },
      limit: 20,
      scanIndexForward: false,
    });
    expect((out.result as Record<string, unknown>).nextToken ?? null).toBeNull();
  });

  it('takes the partition from the identity sub', () => {
    const out = request({}, OTHER_SUB);
    expect(out.result).toMatchObject({ query: { expressionValues: { ':userId_eq': { S: OTHER_SUB } } } });
  });

  it('never scans', () => {
    expect((request({}).result as { operation: string }).operation).not.toBe('Scan');
  });

  it.each([1, 37, 100])('passes a limit of %i through', (limit) => {
    expect(request({ limit }).result).toMatchObject({ limit });
  });

  it('uses the default page size when limit is null', () => {
    expect(request({ limit: null }).result).toMatchObject({ limit: 20 });
  });

  it.each([0, -1, 101, 1000])('rejects a limit of %i', (limit) => {
    const out = request({ limit });
    expect(out.error).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('limit') });
    expect(out.result).toBeUndefined();
  });

  it('passes the next token through untouched', () => {
    expect(request({ nextToken: TOKEN }).result).toMatchObject({ nextToken: TOKEN });
  });

  it.each([
    ['empty', ''],
    ['longer than any token the data source issues', 'A'.repeat(8193)],
    ['made of characters no token contains', 'not a token!'],
    ['a JSON object', '{"userId":"someone-else"}'],
  ])('rejects a next token that is %s', (_, nextToken) => {
    const out = request({ nextToken });
    expect(out.error).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('nextToken') });
  });

  it('returns the page as a connection, notes without their owner, with the next token', () => {
    const out = resolver.response({
      arguments: {},
      result: {
        items: [noteItem({ noteId: OTHER_NOTE_ID }), noteItem()],
        nextToken: TOKEN,
        scannedCount: 2,
      },
    });
    expect(out.result).toEqual({
      items: [
        expect.objectContaining({ noteId: OTHER_NOTE_ID, attachment: null }),
        expect.objectContaining({ noteId: NOTE_ID }),
      ],
      nextToken: TOKEN,
    });
    expect(JSON.stringify(out.result)).not.toContain('userId');
  });

  it('returns a null next token on the last page', () => {
    const out = resolver.response({ arguments: {}, result: { items: [], nextToken: null } });
    expect(out.result).toEqual({ items: [], nextToken: null });
  });

  it('raises a rejected token as the data source reported it', () => {
    const out = resolver.response({
      arguments: { nextToken: TOKEN },
      result: null,
      error: { message: 'Invalid pagination token given.', type: 'DynamoDB:DynamoDbException' },
    });
    expect(out.error).toMatchObject({ message: 'Invalid pagination token given.', type: 'DynamoDB:DynamoDbException' });
  });

  it('makes exactly one DynamoDB request', async () => {
    const run = await runField('Query', 'listNotes', { arguments: { limit: 2 }, identity: cognitoIdentity() }, () => ({
      result: { items: [noteItem()], nextToken: null },
    }));
    expect(run.calls).toHaveLength(1);
    expect(run.data).toEqual({ items: [expect.objectContaining({ noteId: NOTE_ID })], nextToken: null });
  });
});
