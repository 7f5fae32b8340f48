// The RDS Data API names its parameters `:name` inside the SQL text; PostgreSQL numbers them `$1`, `$2`, ... This
// rewrites one into the other, leaving alone what only looks like a parameter: string literals ('...', E'...'),
// quoted identifiers ("..."), dollar-quoted bodies ($tag$...$tag$), comments, and the `::` cast operator.

export interface NumberedStatement {
  text: string;
  /** The parameter names in `$n` order. */
  names: string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/** The index just past a quoted section starting at `start` (quote doubled inside, as SQL escapes it). */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let at = start + 1;
  while (at < sql.length) {
    const char = sql[at];
    if (backslashEscapes && char === '\\') {
      at += 2;
      continue;
    }
    if (char === quote) {
      if (sql[at + 1] === quote) {
        at += 2;
        continue;
      }
      return at + 1;
    }
    at += 1;
  }
  return sql.length;
}

/**
 * Rewrites `:name` parameters as `$n` (one number per distinct name), each followed by `cast(name)` when that gives
 * one (a type hint's cast).
 */
export function numberParameters(sql: string, cast: (name: string) => string = () => ''): NumberedStatement {
  const names: string[] = [];
  let text = '';
  let at = 0;
  while (at < sql.length) {
    const char = sql[at];
    let end = at + 1;
    if (char === "'") {
      const escapes = at > 0 && /[eE]/.test(sql[at - 1]) && (at < 2 || !NAME_PART.test(sql[at - 2]));
      end = skipQuoted(sql, at, "'", escapes);
    } else if (char === '"') {
      end = skipQuoted(sql, at, '"', false);
    } else if (char === '-' && sql[at + 1] === '-') {
      const newline = sql.indexOf('\n', at);
      end = newline === -1 ? sql.length : newline;
    } else if (char === '/' && sql[at + 1] === '*') {
      const close = sql.indexOf('*/', at + 2);
      end = close === -1 ? sql.length : close + 2;
    } else if (char === '$' && !(at > 0 && NAME_PART.test(sql[at - 1]))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(at));
      if (tag) {
        const close = sql.indexOf(tag[0], at + tag[0].length);
        end = close === -1 ? sql.length : close + tag[0].length;
      }
    } else if (char === ':' && sql[at + 1] === ':') {
      end = at + 2;
    } else if (char === ':' && NAME_START.test(sql[at + 1] ?? '') && sql[at - 1] !== ':') {
      end = at + 1;
      while (end < sql.length && NAME_PART.test(sql[end])) end += 1;
      const name = sql.slice(at + 1, end);
      let index = names.indexOf(name);
      if (index === -1) index = names.push(name) - 1;
      text += `$${index + 1}${cast(name)}`;
      at = end;
      continue;
    }
    text += sql.slice(at, end);
    at = end;
  }
  return { text, names };
}
