// createNote's `clientToken`: a ULID (https://github.com/ulid/spec), 48 bits of milliseconds then 80 random bits, in
// Crockford's base32, 26 characters. It becomes the note's id, so the server can tell a retry from a new note.

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

/** A new ULID for `createNote({ input: { clientToken } })`; generate one per note, reuse it for that note's retries. */
export function newClientToken(now: number = Date.now()): string {
  if (!Number.isInteger(now) || now < 0 || now > 2 ** 48 - 1) {
    throw new RangeError(`A ULID's time must be whole milliseconds from 0 to 2^48 - 1, not ${now}`);
  }
  let time = '';
  for (let rest = now, i = 0; i < TIME_CHARS; i++, rest = Math.floor(rest / 32)) {
    time = CROCKFORD[rest % 32] + time;
  }
  // 16 random bytes, 5 bits taken from each: the modulo of a byte by 32 is uniform (256 is a multiple of 32).
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(RANDOM_CHARS));
  let random = '';
  for (const byte of bytes) random += CROCKFORD[byte % 32];
  return time + random;
}

/** The millisecond timestamp a ULID carries. */
export function clientTokenTime(token: string): number {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(token)) throw new TypeError(`Not a ULID: ${token}`);
  let time = 0;
  for (const char of token.slice(0, TIME_CHARS)) time = time * 32 + CROCKFORD.indexOf(char);
  return time;
}
