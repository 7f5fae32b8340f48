// Pagination tokens in isolation: what they look like, what they carry, and what they refuse.
import { describe, expect, it } from 'vitest';
import {
  InvalidTokenError,
  decodeToken,
  encodeToken,
  tokenKey,
} from '../../../local/server/datasources/dynamodb-token';

const key = tokenKey('test secret');
const lastEvaluatedKey = { pk: { S: 'owner-1' }, sk: { N: '42' } };

describe('pagination tokens', () => {
  it('carry the last evaluated key and the sync start time back to the same request', () => {
    const token = encodeToken({ lastEvaluatedKey, startedAt: 1_550_000_000_000 }, 'scope', key);

    expect(decodeToken(token, 'scope', key)).toEqual({ lastEvaluatedKey, startedAt: 1_550_000_000_000 });
  });

  it("look like AppSync's: base64 of a JSON object with version and token", () => {
    const token = encodeToken({ lastEvaluatedKey }, 'scope', key);

    expect(token.startsWith('eyJ2ZXJzaW9uIjox')).toBe(true);
    expect(Buffer.from(token, 'base64').toString()).not.toContain('owner-1');
  });

  it('differ each time for the same key, so they reveal nothing by comparison', () => {
    expect(encodeToken({ lastEvaluatedKey }, 'scope', key)).not.toBe(encodeToken({ lastEvaluatedKey }, 'scope', key));
  });

  it('are refused under another scope or another secret', () => {
    const token = encodeToken({ lastEvaluatedKey }, 'scope', key);

    expect(() => decodeToken(token, 'other scope', key)).toThrow(InvalidTokenError);
    expect(() => decodeToken(token, 'scope', tokenKey('other secret'))).toThrow(InvalidTokenError);
  });

  it('are refused when the key inside cannot be a DynamoDB key', () => {
    const nonScalar = encodeToken({ lastEvaluatedKey: { pk: { M: {} } } }, 'scope', key);
    const tooMany = encodeToken(
      { lastEvaluatedKey: Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((name) => [name, { S: name }])) },
      'scope',
      key,
    );
    const empty = encodeToken({ lastEvaluatedKey: {} }, 'scope', key);

    for (const token of [nonScalar, tooMany, empty]) {
      expect(() => decodeToken(token, 'scope', key)).toThrow('key does not fit a key schema');
    }
  });

  it('are refused when they are not tokens at all', () => {
    for (const token of ['', 'abc', Buffer.from('{"version":2,"token":"x"}').toString('base64'), '%%%']) {
      expect(() => decodeToken(token, 'scope', key)).toThrow(InvalidTokenError);
    }
  });
});
