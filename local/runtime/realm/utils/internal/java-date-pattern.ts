// Compiles java.time.format.DateTimeFormatter patterns ('yyyy-MM-dd HH:mm:ssZ', "yyyy-MM-dd'T'HH:mm[XXX]") into
// tokens, rejecting what DateTimeFormatter.ofPattern rejects with its own messages.

export interface LiteralToken {
  kind: 'literal';
  text: string;
}

export interface FieldToken {
  kind: 'field';
  letter: string;
  count: number;
}

export interface OptionalToken {
  kind: 'optional';
  tokens: Token[];
}

export type Token = LiteralToken | FieldToken | OptionalToken;

export class PatternError extends Error {}

// Largest run of each letter DateTimeFormatter.ofPattern accepts.
const MAX_COUNT: Record<string, number> = {
  G: 5,
  u: 19,
  y: 19,
  Y: 19,
  Q: 5,
  q: 5,
  M: 5,
  L: 5,
  w: 2,
  W: 1,
  D: 3,
  d: 2,
  E: 5,
  e: 5,
  c: 5,
  a: 1,
  h: 2,
  K: 2,
  k: 2,
  H: 2,
  m: 2,
  s: 2,
  S: 9,
  A: 19,
  n: 19,
  N: 19,
  V: 2,
  z: 4,
  O: 4,
  X: 5,
  x: 5,
  Z: 5,
};

// Letters java.time knows but this runtime does not implement.
const UNSUPPORTED_LETTERS = 'FpvBg';

function checkField(letter: string, count: number): void {
  if (UNSUPPORTED_LETTERS.includes(letter)) {
    throw new PatternError(`Pattern letter '${letter}' is not supported by the local AppSync runtime`);
  }
  const max = MAX_COUNT[letter];
  if (max === undefined) throw new PatternError(`Unknown pattern letter: ${letter}`);
  if (letter === 'V' && count !== 2) throw new PatternError('Pattern letter count must be 2: V');
  if (letter === 'O' && count !== 1 && count !== 4) throw new PatternError('Pattern letter count must be 1 or 4: O');
  if (letter === 'c' && count === 2) throw new PatternError('Invalid pattern "cc"');
  if (count > max) throw new PatternError(`Too many pattern letters: ${letter}`);
}

function isLetter(char: string): boolean {
  return (char >= 'A' && char <= 'Z') || (char >= 'a' && char <= 'z');
}

const cache = new Map<string, Token[]>();
const CACHE_LIMIT = 200;

export function compilePattern(pattern: string): Token[] {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const stack: Token[][] = [[]];
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i];
    const tokens = stack[stack.length - 1];
    if (isLetter(char)) {
      let end = i;
      while (end < pattern.length && pattern[end] === char) end += 1;
      checkField(char, end - i);
      tokens.push({ kind: 'field', letter: char, count: end - i });
      i = end;
    } else if (char === "'") {
      const [text, next] = quoted(pattern, i);
      pushLiteral(tokens, text);
      i = next;
    } else if (char === '[') {
      const optional: OptionalToken = { kind: 'optional', tokens: [] };
      tokens.push(optional);
      stack.push(optional.tokens);
      i += 1;
    } else if (char === ']') {
      if (stack.length === 1) throw new PatternError('Pattern invalid as it contains ] without previous [');
      stack.pop();
      i += 1;
    } else if (char === '{' || char === '}' || char === '#') {
      throw new PatternError(`Pattern includes reserved character: '${char}'`);
    } else {
      pushLiteral(tokens, char);
      i += 1;
    }
  }
  // An optional section left open runs to the end of the pattern, as in Java.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, stack[0]);
  return stack[0];
}

/** The text of a quoted literal starting at `start`, with '' standing for one quote; and the index after it. */
function quoted(pattern: string, start: number): [string, number] {
  if (pattern[start + 1] === "'") return ["'", start + 2];
  let text = '';
  let i = start + 1;
  for (;;) {
    if (i >= pattern.length) throw new PatternError(`Pattern ends with an incomplete string literal: ${pattern}`);
    if (pattern[i] === "'") {
      if (pattern[i + 1] !== "'") return [text, i + 1];
      text += "'";
      i += 2;
    } else {
      text += pattern[i];
      i += 1;
    }
  }
}

function pushLiteral(tokens: Token[], text: string): void {
  const last = tokens[tokens.length - 1];
  if (last?.kind === 'literal') last.text += text;
  else tokens.push({ kind: 'literal', text });
}
