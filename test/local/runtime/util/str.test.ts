import { describe, expect, it } from 'vitest';
import { str } from '../../../../local/runtime/realm/utils/str';

describe('util.str.normalize', () => {
  const composed = 'é'; // U+00E9
  const decomposed = 'e\u0301';

  it.each([
    ['nfc', decomposed, composed],
    ['nfd', composed, decomposed],
    ['nfkc', 'ﬁ①', 'fi1'],
    ['nfkd', 'ﬁé', 'fie\u0301'],
  ])('normalizes with %s', (form, input, expected) => {
    expect(str.normalize(input, form as 'nfc')).toBe(expected);
  });

  it('accepts the form in upper case', () => {
    expect(str.normalize(decomposed, 'NFC' as 'nfc')).toBe(composed);
  });

  it('rejects an unknown form', () => {
    expect(() => str.normalize('a', 'nfx' as 'nfc')).toThrow(
      "util.str.normalize: normalizationType must be one of nfc, nfd, nfkc, nfkd, got 'nfx'",
    );
  });
});

// The VTL-reference $util.str helpers.
describe('util.str.toUpper, toLower and toReplace', () => {
  it('change case', () => {
    expect(str.toUpper('HeLlo wörld')).toBe('HELLO WÖRLD');
    expect(str.toLower('HeLlo WÖRLD')).toBe('hello wörld');
  });

  it('replaces every occurrence, literally', () => {
    expect(str.toReplace('a.b.c', '.', '-')).toBe('a-b-c');
    expect(str.toReplace('a+b', '+', '$&')).toBe('a$&b');
  });

  it('puts the replacement around every character for an empty search, as Java does', () => {
    expect(str.toReplace('ab', '', '-')).toBe('-a-b-');
    expect(str.toReplace('', '', '-')).toBe('-');
  });

  it('rejects a value that is not a string', () => {
    expect(() => str.toUpper(null as unknown as string)).toThrow('util.str.toUpper: value must be a string, got null');
  });
});
