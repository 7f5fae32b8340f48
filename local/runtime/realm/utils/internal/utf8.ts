// UTF-8 by hand: the realm has no TextEncoder/TextDecoder. Both directions follow Java's String/UTF-8 conversions,
// since AppSync's util is Java-backed: a lone surrogate encodes as '?', malformed input decodes to U+FFFD.

const REPLACEMENT = 0xfffd;
const QUESTION_MARK = 0x3f;

export function encodeUtf8(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i += 1;
      } else {
        code = QUESTION_MARK;
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      code = QUESTION_MARK;
    }
    pushCodePoint(bytes, code);
  }
  return bytes;
}

function pushCodePoint(bytes: number[], code: number): void {
  if (code < 0x80) {
    bytes.push(code);
  } else if (code < 0x800) {
    bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
  } else if (code < 0x10000) {
    bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  } else {
    bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
}

export function utf8Length(text: string): number {
  return encodeUtf8(text).length;
}

/** Decodes UTF-8, replacing each maximal malformed subsequence with U+FFFD (the WHATWG and modern JDK rule). */
export function decodeUtf8(bytes: ArrayLike<number>): string {
  const codes: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i];
    if (first < 0x80) {
      codes.push(first);
      i += 1;
      continue;
    }
    const [length, min, lowerBound, upperBound] = leadInfo(first);
    if (length === 0) {
      codes.push(REPLACEMENT);
      i += 1;
      continue;
    }
    let code = first & (0xff >> (length + 1));
    let consumed = 1;
    let valid = true;
    while (consumed < length) {
      const next = i + consumed < bytes.length ? bytes[i + consumed] : -1;
      const low = consumed === 1 ? lowerBound : 0x80;
      const high = consumed === 1 ? upperBound : 0xbf;
      if (next < low || next > high) {
        valid = false;
        break;
      }
      code = (code << 6) | (next & 0x3f);
      consumed += 1;
    }
    codes.push(valid && code >= min ? code : REPLACEMENT);
    i += consumed;
  }
  return fromCodePoints(codes);
}

/** [sequence length, smallest code point, allowed range of the second byte] for a lead byte; length 0 if invalid. */
function leadInfo(first: number): [number, number, number, number] {
  if (first >= 0xc2 && first <= 0xdf) return [2, 0x80, 0x80, 0xbf];
  if (first === 0xe0) return [3, 0x800, 0xa0, 0xbf];
  if (first === 0xed) return [3, 0x800, 0x80, 0x9f]; // excludes encoded surrogates
  if (first >= 0xe1 && first <= 0xef) return [3, 0x800, 0x80, 0xbf];
  if (first === 0xf0) return [4, 0x10000, 0x90, 0xbf];
  if (first >= 0xf1 && first <= 0xf3) return [4, 0x10000, 0x80, 0xbf];
  if (first === 0xf4) return [4, 0x10000, 0x80, 0x8f];
  return [0, 0, 0, 0];
}

function fromCodePoints(codes: number[]): string {
  let out = '';
  const CHUNK = 4096;
  for (let i = 0; i < codes.length; i += CHUNK) out += String.fromCodePoint(...codes.slice(i, i + CHUNK));
  return out;
}
