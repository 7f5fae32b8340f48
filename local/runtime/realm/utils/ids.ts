// util.autoId / autoUlid / autoKsuid. All randomness comes from the host's crypto source.
import { host } from '../host';

function randomBytes(count: number): number[] {
  const hex = host.randomHex(count);
  const bytes: number[] = [];
  for (let i = 0; i < count; i += 1) bytes.push(parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  return bytes;
}

function toHex(bytes: number[]): string {
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A random (version 4) UUID in lowercase, as java.util.UUID prints it. */
function autoId(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_TIME_DIGITS = 10;
const ULID_RANDOM_DIGITS = 16;

// Last ULID handed out, so that ids made within one millisecond still sort in the order they were made.
let lastUlidTime = -1;
let lastUlidRandom: number[] = [];

function randomUlidDigits(): number[] {
  // 80 random bits, as sixteen 5-bit digits.
  const bytes = randomBytes(10);
  const digits: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      digits.push((buffer >> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  return digits;
}

/** The same random part plus one; false when it was already the largest value. */
function incrementDigits(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    if (digits[i] < 31) {
      digits[i] += 1;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

function autoUlid(): string {
  let time = Date.now();
  let random: number[];
  if (time <= lastUlidTime) {
    time = lastUlidTime;
    random = lastUlidRandom.slice();
    if (!incrementDigits(random)) {
      time += 1;
      random = randomUlidDigits();
    }
  } else {
    random = randomUlidDigits();
  }
  lastUlidTime = time;
  lastUlidRandom = random;
  let timePart = '';
  for (let i = 0, rest = time; i < ULID_TIME_DIGITS; i += 1, rest = Math.floor(rest / 32)) {
    timePart = CROCKFORD[rest % 32] + timePart;
  }
  return (
    timePart +
    random
      .map((digit) => CROCKFORD[digit])
      .join('')
      .slice(0, ULID_RANDOM_DIGITS)
  );
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH_SECONDS = 1_400_000_000;
const KSUID_LENGTH = 27;

/** 32-bit seconds since the KSUID epoch, then 128 random bits, as 27 base62 characters. */
function autoKsuid(): string {
  const seconds = Math.floor(Date.now() / 1000) - KSUID_EPOCH_SECONDS;
  const timeBytes = [(seconds >>> 24) & 0xff, (seconds >>> 16) & 0xff, (seconds >>> 8) & 0xff, seconds & 0xff];
  let value = BigInt('0x' + toHex([...timeBytes, ...randomBytes(16)]));
  let out = '';
  while (value > 0n) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(KSUID_LENGTH, '0');
}

export const idUtils = { autoId, autoUlid, autoKsuid };
