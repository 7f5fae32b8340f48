// Java regular expressions (java.util.regex.Pattern) as JavaScript RegExps, for util.matches.
// Common Java syntax is rewritten to its JavaScript equivalent; what has none (possessive quantifiers, atomic
// groups, class intersections, inline flags other than leading ones) is rejected instead of silently changing
// meaning.

const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

// Java's \s, \h and \v, which differ from JavaScript's.
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
const JAVA_HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const JAVA_VERTICAL_SPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';

const JS_SYNTAX_CHARS = '^$\\.*+?()[]{}|/';
const FLAG_LETTERS: Record<string, string> = { i: 'i', m: 'm', s: 's', u: '', d: '' };

export class JavaRegexError extends Error {}

function hexEscape(char: string): string {
  const code = char.codePointAt(0) as number;
  return `\\u{${code.toString(16)}}`;
}

/** `char` as a literal in a unicode-mode RegExp, which only allows escaping syntax characters (and '-' in a class). */
function literal(char: string, inClass: boolean): string {
  if (JS_SYNTAX_CHARS.includes(char) || (inClass && char === '-')) return '\\' + char;
  return char;
}

/** Reads `{...}` at `start` (just after the letter), returning its content and the index after it. */
function braced(source: string, start: number, what: string): [string, number] {
  const end = source.indexOf('}', start);
  if (source[start] !== '{' || end < 0) throw new JavaRegexError(`malformed ${what}`);
  return [source.slice(start + 1, end), end + 1];
}

function propertyClass(name: string, negated: boolean, inClass: boolean): string {
  const posix = POSIX_CLASSES[name] ?? POSIX_CLASSES[name.replace(/^Is/, '')];
  if (posix !== undefined) {
    if (inClass && negated) throw new JavaRegexError(`\\P{${name}} inside a character class is not supported`);
    if (inClass) return posix;
    return negated ? `[^${posix}]` : `[${posix}]`;
  }
  const jsName = /^Is[A-Z][a-z]/.test(name) && name.length > 4 ? `Script=${name.slice(2)}` : name.replace(/^Is/, '');
  return `\\${negated ? 'P' : 'p'}{${jsName}}`;
}

function spaceClass(chars: string, negated: boolean, inClass: boolean, letter: string): string {
  if (!inClass) return negated ? `[^${chars}]` : `[${chars}]`;
  if (negated) throw new JavaRegexError(`\\${letter} inside a character class is not supported`);
  return chars;
}

/** Translates the escape at `source[i] === '\\'`; returns the JavaScript text and the index after the escape. */
function translateEscape(source: string, i: number, inClass: boolean): [string, number] {
  const letter = source[i + 1];
  if (letter === undefined) throw new JavaRegexError('trailing backslash');
  switch (letter) {
    case 'Q': {
      const end = source.indexOf('\\E', i + 2);
      const quoted = source.slice(i + 2, end < 0 ? source.length : end);
      return [
        Array.from(quoted)
          .map((char) => literal(char, inClass))
          .join(''),
        end < 0 ? source.length : end + 2,
      ];
    }
    case 'E':
      return ['', i + 2];
    case 'e':
      return ['\\x1B', i + 2];
    case 'a':
      return ['\\x07', i + 2];
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 't':
    case 'n':
    case 'r':
    case 'f':
      return ['\\' + letter, i + 2];
    case 'b':
    case 'B':
      if (inClass) throw new JavaRegexError(`\\${letter} inside a character class is not supported`);
      return ['\\' + letter, i + 2];
    case 's':
      return [spaceClass(JAVA_SPACE, false, inClass, letter), i + 2];
    case 'S':
      // In a class, JavaScript's \S stands in for Java's: they differ only on non-ASCII spaces.
      return [inClass ? '\\S' : spaceClass(JAVA_SPACE, true, inClass, letter), i + 2];
    case 'h':
    case 'H':
      return [spaceClass(JAVA_HORIZONTAL_SPACE, letter === 'H', inClass, letter), i + 2];
    case 'v':
    case 'V':
      return [spaceClass(JAVA_VERTICAL_SPACE, letter === 'V', inClass, letter), i + 2];
    case 'R':
      if (inClass) throw new JavaRegexError('\\R inside a character class is not supported');
      return [`(?:\\r\\n|[${JAVA_VERTICAL_SPACE}])`, i + 2];
    case 'A':
    case 'G': // the end of the previous match, which for a whole-string match is the start of input
      return ['(?<![\\s\\S])', i + 2];
    case 'z':
      return ['(?![\\s\\S])', i + 2];
    case 'Z':
      return ['(?=(?:\\r\\n|[\\n\\r\\x85\\u2028\\u2029])?(?![\\s\\S]))', i + 2];
    case 'p':
    case 'P': {
      if (source[i + 2] !== '{') return [propertyClass(source[i + 2] ?? '', letter === 'P', inClass), i + 3];
      const [name, next] = braced(source, i + 2, 'property class');
      return [propertyClass(name, letter === 'P', inClass), next];
    }
    case 'x': {
      if (source[i + 2] === '{') {
        const [hex, next] = braced(source, i + 2, 'hexadecimal escape');
        return [`\\u{${hex}}`, next];
      }
      return ['\\x' + source.slice(i + 2, i + 4), i + 4];
    }
    case 'u':
      return ['\\u' + source.slice(i + 2, i + 6), i + 6];
    case 'c':
      return ['\\c' + (source[i + 2] ?? ''), i + 3];
    case '0': {
      const octal = /^[0-7]{1,3}/.exec(source.slice(i + 2))?.[0] ?? '';
      if (!octal || parseInt(octal, 8) > 0xff) throw new JavaRegexError('illegal octal escape');
      return [hexEscape(String.fromCharCode(parseInt(octal, 8))), i + 2 + octal.length];
    }
    case 'k':
      return ['\\k', i + 2];
    default:
      if (/[1-9]/.test(letter)) return ['\\' + letter, i + 2];
      if (/[a-zA-Z]/.test(letter)) throw new JavaRegexError(`\\${letter} is not supported`);
      return [literal(letter, inClass), i + 2];
  }
}

/** Translates a character class starting at `source[i] === '['`; returns the JavaScript text and the next index. */
function translateClass(source: string, start: number): [string, number] {
  let out = '[';
  let i = start + 1;
  if (source[i] === '^') {
    out += '^';
    i += 1;
  }
  // Java takes a ']' right after the opening bracket as a literal.
  if (source[i] === ']') {
    out += '\\]';
    i += 1;
  }
  while (i < source.length && source[i] !== ']') {
    const char = source[i];
    if (char === '\\') {
      const [text, next] = translateEscape(source, i, true);
      out += text;
      i = next;
    } else if (char === '[') {
      throw new JavaRegexError('nested character classes are not supported');
    } else if (char === '&' && source[i + 1] === '&') {
      throw new JavaRegexError('character class intersections are not supported');
    } else {
      out += char;
      i += 1;
    }
  }
  if (i >= source.length) throw new JavaRegexError('unclosed character class');
  return [out + ']', i + 1];
}

/** Leading inline flags such as `(?i)` or `(?is)` become RegExp flags. */
function leadingFlags(source: string): [string, string] {
  const match = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (!match) return ['', source];
  let flags = '';
  for (const letter of match[1]) {
    const flag = FLAG_LETTERS[letter];
    if (flag === undefined) throw new JavaRegexError(`inline flag '${letter}' is not supported`);
    if (!flags.includes(flag)) flags += flag;
  }
  return [flags, source.slice(match[0].length)];
}

/** A RegExp that matches exactly the strings Java's Pattern.matches(source, string) accepts. */
export function javaRegexForWholeMatch(source: string): RegExp {
  const [flags, body] = leadingFlags(source);
  let out = '';
  let i = 0;
  while (i < body.length) {
    const char = body[i];
    if (char === '\\') {
      const [text, next] = translateEscape(body, i, false);
      out += text;
      i = next;
    } else if (char === '[') {
      const [text, next] = translateClass(body, i);
      out += text;
      i = next;
    } else if (char === '{' && /^\{\d+(,\d*)?\}/.test(body.slice(i))) {
      const end = body.indexOf('}', i);
      out += body.slice(i, end + 1);
      i = end + 1;
    } else if (char === ']' || char === '}' || char === '/') {
      out += '\\' + char;
      i += 1;
    } else {
      out += char;
      i += 1;
    }
  }
  try {
    return new RegExp(`(?<![\\s\\S])(?:${out})(?![\\s\\S])`, flags + 'u');
  } catch (error) {
    throw new JavaRegexError((error as Error).message);
  }
}
