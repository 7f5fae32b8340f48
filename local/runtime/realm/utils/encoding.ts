// util.urlEncode / urlDecode / base64Encode / base64Decode / escapeJavaScript.
// AppSync's util is Java-backed, so each follows its Java counterpart: URLEncoder/URLDecoder
// (application/x-www-form-urlencoded over UTF-8), java.util.Base64's basic codec, and commons-lang's
// escapeEcmaScript.
import { requireString } from './internal/args';
import { decodeUtf8, encodeUtf8 } from './internal/utf8';

const HEX = '0123456789ABCDEF';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function isFormSafe(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2e || // .
    code === 0x2d || // -
    code === 0x2a || // *
    code === 0x5f // _
  );
}

function urlEncode(value: string): string {
  requireString('util.urlEncode', 'value', value);
  let out = '';
  for (const byte of encodeUtf8(value)) {
    if (byte === 0x20) out += '+';
    else if (isFormSafe(byte)) out += String.fromCharCode(byte);
    else out += '%' + HEX[byte >> 4] + HEX[byte & 0x0f];
  }
  return out;
}

function hexValue(char: string): number {
  const code = char.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** The byte of a %XX escape, read as Java's URLDecoder reads it: Integer.parseInt(XX, 16), sign and all. */
function escapedByte(digits: string): number {
  const signed = digits[0] === '+' || digits[0] === '-';
  const firstDigit = signed ? 1 : 0;
  let value = 0;
  for (let index = firstDigit; index < digits.length; index += 1) {
    const digit = hexValue(digits[index]);
    if (digit < 0) {
      throw new Error(
        `URLDecoder: Illegal hex characters in escape (%) pattern - Error at index ${index} in: "${digits}"`,
      );
    }
    value = value * 16 + digit;
  }
  if (digits[0] === '-' && value !== 0) {
    throw new Error('URLDecoder: Illegal hex characters in escape (%) pattern - negative value');
  }
  return value;
}

function urlDecode(value: string): string {
  requireString('util.urlDecode', 'value', value);
  let out = '';
  let i = 0;
  while (i < value.length) {
    const char = value[i];
    if (char === '+') {
      out += ' ';
      i += 1;
    } else if (char === '%') {
      // A run of escapes is one UTF-8 byte sequence.
      const bytes: number[] = [];
      while (i < value.length && value[i] === '%') {
        if (i + 2 >= value.length) throw new Error('URLDecoder: Incomplete trailing escape (%) pattern');
        bytes.push(escapedByte(value.slice(i + 1, i + 3)));
        i += 3;
      }
      out += decodeUtf8(bytes);
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

function base64Encode(value: string): string {
  requireString('util.base64Encode', 'value', value);
  const bytes = encodeUtf8(value);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(chunk >> 18) & 63] + BASE64[(chunk >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64[chunk & 63] : '=';
  }
  return out;
}

/** Java's basic Base64 decoder: the standard alphabet only, padding optional, nothing after the padding. */
function base64Decode(value: string): string {
  requireString('util.base64Decode', 'value', value);
  if (value.length === 1) throw new Error('Input byte[] should at least have 2 bytes for base64 bytes');
  const bytes: number[] = [];
  let buffer = 0;
  let pending = 0; // sextets in the current 4-character unit
  let i = 0;
  while (i < value.length) {
    const char = value[i];
    i += 1;
    if (char === '=') {
      const danglingPair = pending === 2 && (i === value.length || value[i++] !== '=');
      if (pending === 0 || danglingPair) throw new Error('Input byte array has wrong 4-byte ending unit');
      break;
    }
    const digit = BASE64.indexOf(char);
    if (digit < 0) throw new Error(`Illegal base64 character ${value.charCodeAt(i - 1).toString(16)}`);
    buffer = (buffer << 6) | digit;
    pending += 1;
    if (pending === 4) {
      bytes.push((buffer >> 16) & 0xff, (buffer >> 8) & 0xff, buffer & 0xff);
      buffer = 0;
      pending = 0;
    }
  }
  if (pending === 1) throw new Error('Last unit does not have enough valid bits');
  if (pending === 2) bytes.push((buffer >> 4) & 0xff);
  if (pending === 3) bytes.push((buffer >> 10) & 0xff, (buffer >> 2) & 0xff);
  if (i < value.length) throw new Error(`Input byte array has incorrect ending byte at ${i}`);
  return decodeUtf8(bytes);
}

const JS_ESCAPES: Record<string, string> = {
  "'": "\\'",
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\n': '\\n',
  '\t': '\\t',
  '\f': '\\f',
  '\r': '\\r',
};

function escapeJavaScript(value: string): string {
  requireString('util.escapeJavaScript', 'value', value);
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i];
    const code = value.charCodeAt(i);
    if (JS_ESCAPES[char] !== undefined) out += JS_ESCAPES[char];
    else if (code < 0x20 || code > 0x7f) out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    else out += char;
  }
  return out;
}

export const encodingUtils = { urlEncode, urlDecode, base64Encode, base64Decode, escapeJavaScript };
