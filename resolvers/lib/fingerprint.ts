// A fingerprint of a createNote request, stored on the note so that a retry with the same clientToken can be told
// from a different request reusing the token, even after the note was edited. Content can be 100,000 characters, so
// the note keeps a hash, not a copy.
//
// APPSYNC_JS documents no way to read a character's code (`charCodeAt` and `codePointAt` are not on the supported
// features page), so the text goes through util.base64Encode (its UTF-8 bytes as base64) and each base64 symbol is
// numbered by a lookup table. Two polynomial hashes modulo primes just under 2^40 give about 80 bits: two different
// requests from one user for one token collide with a chance of about 1 in 10^24. Every step stays an exact integer
// below 2^53 (hash < 2^40, multiplier < 2^13), so only documented built-ins are needed: `for-of`, `*`, `+`, `%`.
import { util } from '@aws-appsync/utils';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
const LANES = [
  { modulus: 1099511627689, multiplier: 8191 },
  { modulus: 1099511627609, multiplier: 8179 },
];
/** Bumped if the recipe ever changes, so an old fingerprint never matches a new one by accident. */
const FINGERPRINT_VERSION = 'v1';

/** Each base64 symbol's number, from 1 (so that a leading `A` still changes the hash). */
function symbolValues(): Record<string, number> {
  const values: Record<string, number> = {};
  let next = 1;
  for (const symbol of BASE64_ALPHABET) {
    values[symbol] = next;
    next += 1;
  }
  return values;
}

/** The two lanes' hashes of `text`'s UTF-8 bytes. */
function hashText(text: string): number[] {
  const values = symbolValues();
  const [first, second] = LANES;
  let a = 0;
  let b = 0;
  for (const symbol of util.base64Encode(text)) {
    const value = values[symbol];
    a = (a * first.multiplier + value) % first.modulus;
    b = (b * second.multiplier + value) % second.modulus;
  }
  return [a, b];
}

/**
 * `v1:<content length>:<hash>:<attachment key or ->`. The attachment key is short and kept as it is; the content is
 * hashed, with its length alongside.
 */
export function createRequestFingerprint(content: string, attachmentKey: string | null): string {
  const [first, second] = hashText(content);
  return `${FINGERPRINT_VERSION}:${content.length}:${first}.${second}:${attachmentKey === null ? '-' : attachmentKey}`;
}
