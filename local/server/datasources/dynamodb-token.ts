// Pagination tokens as AppSync hands them out: opaque, so the table's keys never leak to callers, and bound to the
// request that produced them, so a token cannot be forged or replayed against another table, index, partition or
// resolver. The shape mirrors AppSync's (base64 of `{"version":...,"token":...}`); the inner token is AES-256-GCM
// over the LastEvaluatedKey with the request's scope as associated data.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { AttributeMap } from './dynamodb-values';
import { isPlainObject, toAttributeMap, typedJsonMap } from './dynamodb-values';

const TOKEN_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A DynamoDB key holds at most a table's two key attributes plus an index's two. */
const MAX_KEY_ATTRIBUTES = 4;

export class InvalidTokenError extends Error {}

export interface TokenContents {
  lastEvaluatedKey: AttributeMap;
  /** Sync: when the first page was read, repeated on every later page. */
  startedAt?: number;
}

/** Turns any secret (or none: a random one for this process) into the 32-byte AES key. */
export function tokenKey(secret?: string | Uint8Array): Buffer {
  return createHash('sha256')
    .update(secret ?? randomBytes(32))
    .digest();
}

function scopeDigest(scope: string): Buffer {
  return createHash('sha256').update(scope).digest();
}

export function encodeToken(contents: TokenContents, scope: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(scopeDigest(scope));
  const plain = JSON.stringify({ k: typedJsonMap(contents.lastEvaluatedKey), s: contents.startedAt });
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const inner = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
  return Buffer.from(JSON.stringify({ version: TOKEN_VERSION, token: inner })).toString('base64');
}

export function decodeToken(token: string, scope: string, key: Buffer): TokenContents {
  const outer = parseJson(Buffer.from(token, 'base64').toString('utf8'));
  if (!isPlainObject(outer) || outer.version !== TOKEN_VERSION || typeof outer.token !== 'string') {
    throw new InvalidTokenError('not a token of this server');
  }
  const sealed = Buffer.from(outer.token, 'base64');
  if (sealed.length <= IV_BYTES + TAG_BYTES) throw new InvalidTokenError('token too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(scopeDigest(scope));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  let plain: string;
  try {
    plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // Tampered, issued under another key, or issued for another table, index, partition or resolver.
    throw new InvalidTokenError('token does not authenticate for this request');
  }
  const contents = parseJson(plain);
  if (!isPlainObject(contents) || !isPlainObject(contents.k)) throw new InvalidTokenError('malformed contents');
  let lastEvaluatedKey: AttributeMap;
  try {
    lastEvaluatedKey = toAttributeMap(contents.k, '$[nextToken]');
  } catch {
    throw new InvalidTokenError('malformed key');
  }
  const attributes = Object.values(lastEvaluatedKey);
  const scalarKeys = attributes.every(
    (value) => value.S !== undefined || value.N !== undefined || value.B !== undefined,
  );
  if (attributes.length === 0 || attributes.length > MAX_KEY_ATTRIBUTES || !scalarKeys) {
    throw new InvalidTokenError('key does not fit a key schema');
  }
  const startedAt = contents.s;
  if (startedAt !== undefined && typeof startedAt !== 'number') throw new InvalidTokenError('malformed start time');
  return { lastEvaluatedKey, startedAt };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidTokenError('not JSON');
  }
}
