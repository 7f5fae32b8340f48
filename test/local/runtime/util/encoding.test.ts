import { describe, expect, it } from 'vitest';
import { encodingUtils } from '../../../../local/runtime/realm/utils/encoding';

const { urlEncode, urlDecode, base64Encode, base64Decode, escapeJavaScript } = encodingUtils;

// Expected values are what Java's URLEncoder/URLDecoder (UTF-8) and java.util.Base64 produce (checked on JDK 17):
// AppSync documents urlEncode as application/x-www-form-urlencoded and its util is Java-backed.
describe('util.urlEncode', () => {
  it.each([
    ['hello world', 'hello+world'],
    ['a+b=c&d', 'a%2Bb%3Dc%26d'],
    ["~!*()'-._", '%7E%21*%28%29%27-._'],
    ['café', 'caf%C3%A9'],
    ['日本語', '%E6%97%A5%E6%9C%AC%E8%AA%9E'],
    ['😀 smile', '%F0%9F%98%80+smile'],
    ['line\nbreak\ttab', 'line%0Abreak%09tab'],
    ['/path?q=1#frag', '%2Fpath%3Fq%3D1%23frag'],
    ['', ''],
  ])('encodes %j as %j', (input, expected) => {
    expect(urlEncode(input)).toBe(expected);
  });

  it('encodes a lone surrogate as an encoded question mark, as Java does', () => {
    expect(urlEncode('\ud800x')).toBe('%3Fx');
  });

  it('rejects a value that is not a string', () => {
    expect(() => urlEncode(42 as unknown as string)).toThrow('util.urlEncode: value must be a string, got number');
  });
});

describe('util.urlDecode', () => {
  it.each([
    ['hello+world', 'hello world'],
    ['caf%C3%A9', 'café'],
    ['%F0%9F%98%80', '😀'],
    ['%e6%97%a5', '日'],
    ['a%2Bb', 'a+b'],
    ['plain', 'plain'],
  ])('decodes %j as %j', (input, expected) => {
    expect(urlDecode(input)).toBe(expected);
  });

  it('round-trips text with emoji and accents', () => {
    const text = 'Ünïcödé & 😀/🚀 = 100%';
    expect(urlDecode(urlEncode(text))).toBe(text);
  });

  it('replaces malformed UTF-8 with U+FFFD', () => {
    expect(urlDecode('%C3')).toBe('\ufffd');
    expect(urlDecode('%C3%28')).toBe('\ufffd(');
  });

  it('rejects an incomplete trailing escape', () => {
    expect(() => urlDecode('%4')).toThrow('URLDecoder: Incomplete trailing escape (%) pattern');
    expect(() => urlDecode('abc%')).toThrow('URLDecoder: Incomplete trailing escape (%) pattern');
  });

  it('rejects an escape that is not hexadecimal', () => {
    expect(() => urlDecode('%zz')).toThrow(
      'URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: "zz"',
    );
    expect(() => urlDecode('100%+sure')).toThrow('Error at index 1 in: "+s"');
  });

  it('reads escape digits as Java does, sign included', () => {
    expect(urlDecode('%+41')).toBe('\u00041');
    expect(() => urlDecode('%-1')).toThrow('URLDecoder: Illegal hex characters in escape (%) pattern - negative value');
  });
});

describe('util.base64Encode', () => {
  it.each([
    ['hello world', 'aGVsbG8gd29ybGQ='],
    ['café', 'Y2Fmw6k='],
    ['日本語', '5pel5pys6Kqe'],
    ['😀 smile', '8J+YgCBzbWlsZQ=='],
    ['/path?q=1#frag', 'L3BhdGg/cT0xI2ZyYWc='],
    ['', ''],
  ])('encodes the UTF-8 bytes of %j as %j', (input, expected) => {
    expect(base64Encode(input)).toBe(expected);
  });

  it('rejects null', () => {
    expect(() => base64Encode(null as unknown as string)).toThrow(
      'util.base64Encode: value must be a string, got null',
    );
  });
});

describe('util.base64Decode', () => {
  it.each([
    ['aGVsbG8=', 'hello'],
    ['aGVsbG8', 'hello'],
    ['aGVsbA==', 'hell'],
    ['aGVsbA', 'hell'],
    ['8J+YgA==', '😀'],
    ['w6k=', 'é'],
    ['', ''],
  ])('decodes %j as %j', (input, expected) => {
    expect(base64Decode(input)).toBe(expected);
  });

  it('decodes bytes that are not UTF-8 to U+FFFD', () => {
    expect(base64Decode('/w==')).toBe('\ufffd');
  });

  it.each([
    ['aGVsbA=', 'Input byte array has wrong 4-byte ending unit'],
    ['ab=c', 'Input byte array has wrong 4-byte ending unit'],
    ['a', 'Input byte[] should at least have 2 bytes for base64 bytes'],
    ['aGVs bG8=', 'Illegal base64 character 20'],
    ['-_8=', 'Illegal base64 character 2d'],
    ['aGVsbG8=x', 'Input byte array has incorrect ending byte at 8'],
    ['aGVsb', 'Last unit does not have enough valid bits'],
  ])('rejects %j as Java does: %s', (input, message) => {
    expect(() => base64Decode(input)).toThrow(message);
  });
});

// Expected values from commons-lang3 3.12 StringEscapeUtils.escapeEcmaScript, the Java escaper behind escapeJavaScript.
describe('util.escapeJavaScript', () => {
  it('escapes quotes, backslashes and slashes', () => {
    expect(escapeJavaScript(`He said "it's" a\\b </script>`)).toBe(`He said \\"it\\'s\\" a\\\\b <\\/script>`);
  });

  it('escapes control characters by name or as \\u escapes', () => {
    expect(escapeJavaScript('a\nb\tc\rd\be\ff\u0001')).toBe('a\\nb\\tc\\rd\\be\\ff\\u0001');
  });

  it('escapes non-ASCII characters as upper-case \\u escapes, one per UTF-16 unit', () => {
    expect(escapeJavaScript('café 😀')).toBe('caf\\u00E9 \\uD83D\\uDE00');
  });

  it('leaves printable ASCII (and DEL) alone', () => {
    expect(escapeJavaScript('plain text 123 <>&\u007f')).toBe('plain text 123 <>&\u007f');
  });
});
