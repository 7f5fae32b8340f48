// ULIDs for tests: a given millisecond time in the first 10 characters (Crockford base32), random after. Clients
// generate them as createNote clientTokens; tests need ones from the past and the future.
import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function ulidAt(epochMs: number): string {
  let time = '';
  let rest = epochMs;
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  const random = [...randomBytes(16)].map((byte) => CROCKFORD[byte % 32]).join('');
  return time + random;
}

export const HOUR_MS = 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;

/** The millisecond time in a ULID's first 10 characters. */
export function ulidTime(ulid: string): number {
  let time = 0;
  for (const char of ulid.slice(0, 10)) time = time * 32 + CROCKFORD.indexOf(char.toUpperCase());
  return time;
}
