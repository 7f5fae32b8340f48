import { describe, expect, it } from 'vitest';
import { MAX_CODE_LENGTH, validateCode } from '../../../local/runtime/validate';
import { lintError, locationOf, resolverWith } from '../../helpers/validate-code';

const UNKNOWN_LOCATION = { line: 0, column: 0, span: -1 };

describe('validateCode: code length', () => {
  // AppSync API reference (FunctionConfiguration, Resolver): `code` has length 1 to 32768.
  it('sets the limit at 32,768 characters', () => {
    expect(MAX_CODE_LENGTH).toBe(32768);
  });

  it('accepts code of exactly 32,768 characters', () => {
    const base = resolverWith('  return {};');
    const code = `${base}//${'x'.repeat(MAX_CODE_LENGTH - base.length - 2)}`;
    expect(code.length).toBe(32768);
    expect(validateCode(code)).toEqual([]);
  });

  it('rejects code of 32,769 characters as a whole, with the unknown location', () => {
    const base = resolverWith('  return {};');
    const code = `${base}//${'x'.repeat(MAX_CODE_LENGTH - base.length - 1)}`;
    expect(validateCode(code)).toEqual([
      {
        errorType: 'VALIDATION_ERROR',
        value: "Value at 'code' failed to satisfy constraint: Member must have length less than or equal to 32768",
        location: UNKNOWN_LOCATION,
      },
    ]);
  });

  it('reports only the length of over-long code, not what is wrong inside it', () => {
    const code = `while (true) {}\n${' '.repeat(MAX_CODE_LENGTH)}`;
    expect(validateCode(code).map((error) => error.errorType)).toEqual(['VALIDATION_ERROR']);
  });

  it('rejects empty code', () => {
    expect(validateCode('')).toEqual([
      {
        errorType: 'VALIDATION_ERROR',
        value: "Value at 'code' failed to satisfy constraint: Member must have length greater than or equal to 1",
        location: UNKNOWN_LOCATION,
      },
    ]);
  });

  it('accepts code that is only whitespace and comments (missing handlers are the loader’s to report)', () => {
    expect(validateCode('\n  // nothing here yet\n')).toEqual([]);
  });
});

describe('validateCode: syntax errors', () => {
  it('reports an unterminated string as a PARSER_ERROR at its 1-based line and column', () => {
    const code = "export function request(ctx) {\n  return 'oops;\n}\n";
    expect(validateCode(code)).toEqual([
      {
        errorType: 'PARSER_ERROR',
        value: 'Parsing error: Unterminated string constant',
        location: { line: 2, column: 10, span: 6 },
      },
    ]);
  });

  it('reports an unexpected token with the token as its span', () => {
    const code = 'export function request(ctx) {\n  return ctx.args.;\n}\n';
    const [error] = validateCode(code);
    expect(error).toEqual({
      errorType: 'PARSER_ERROR',
      value: 'Parsing error: Unexpected token',
      location: { line: 2, column: 19, span: 1 },
    });
  });

  it('parses as a module: `with` is a syntax error in strict code', () => {
    const [error] = validateCode('export function request(ctx) {\n  with (ctx) { return args; }\n}\n');
    expect(error.errorType).toBe('PARSER_ERROR');
    expect(error.location.line).toBe(2);
  });

  it('reports a syntax error alone, not the unsupported features around it', () => {
    const code = 'export function request(ctx) {\n  while (true) {}\n  return ;;)\n}\n';
    expect(validateCode(code).map((error) => error.errorType)).toEqual(['PARSER_ERROR']);
  });

  it('counts lines across \\r\\n line endings', () => {
    const code = 'export function request(ctx) {\r\n  let i = 0;\r\n  i++;\r\n  return {};\r\n}\r\n';
    expect(validateCode(code)).toEqual([
      { errorType: 'LINT_ERROR', value: 'The operator ++ is not supported', location: { line: 3, column: 3, span: 3 } },
    ]);
  });
});

describe('validateCode: never throws', () => {
  it('reports binary junk as a syntax error', () => {
    let seed = 7;
    const bytes = Array.from({ length: 4096 }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % 256;
    });
    const errors = validateCode(Buffer.from(bytes).toString('latin1'));
    expect(errors).toHaveLength(1);
    expect(errors[0].errorType).toBe('PARSER_ERROR');
  });

  it('reports NUL and lone surrogate characters as a syntax error', () => {
    const errors = validateCode('export function request(ctx) {\u0000\ud800 }');
    expect(errors.map((error) => error.errorType)).toEqual(['PARSER_ERROR']);
  });

  it('answers every randomly damaged resolver with a list, never an exception or an internal error', () => {
    const base = resolverWith(
      '  const { id, ...rest } = ctx.args;\n  for (const [k, v] of Object.entries(rest)) { if (v) console.log(`${k}`); }\n  return { id: id ?? util.autoId(), n: [1, 2].map((x) => x * 2) };',
    );
    let seed = 11;
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % limit;
    };
    const noise = '{}()[]`\'"/*+-=.,;!?~<>#@\\\n';
    for (let round = 0; round < 250; round += 1) {
      let code = base;
      for (let edit = 0; edit < 1 + random(4); edit += 1) {
        const at = random(code.length);
        code =
          random(2) === 0
            ? code.slice(0, at) + code.slice(at + 1 + random(8))
            : code.slice(0, at) + noise[random(noise.length)] + code.slice(at);
      }
      const errors = validateCode(code);
      expect(Array.isArray(errors)).toBe(true);
      expect(errors.filter((error) => error.errorType === 'INTERNAL_ERROR')).toEqual([]);
    }
  });

  it('answers absurdly deep nesting with a list', () => {
    for (const [open, close] of [
      ['(', ')'],
      ['[', ']'],
      ['{ a: ', ' }'],
      ['f(', ')'],
    ]) {
      const depth = Math.floor((MAX_CODE_LENGTH - 40) / (open.length + close.length));
      const code = `export const deep = ${open.repeat(depth)}1${close.repeat(depth)};`;
      const errors = validateCode(code);
      expect(Array.isArray(errors)).toBe(true);
      expect(errors.filter((error) => error.errorType === 'INTERNAL_ERROR')).toEqual([]);
    }
  });

  it('rejects a value that is not a string instead of throwing', () => {
    const errors = validateCode(undefined as unknown as string);
    expect(errors).toEqual([
      {
        errorType: 'VALIDATION_ERROR',
        value: "Value at 'code' failed to satisfy constraint: Member must be a string",
        location: UNKNOWN_LOCATION,
      },
    ]);
  });
});

// "Supported runtime features" guide, Statements: catch, continue, do-while, finally, for(;;), throw, try, while
// and labeled statements are not supported; the eslint plugin's no-for, no-continue, no-labels, no-try, no-while.
describe('validateCode: unsupported statements', () => {
  const cases: [string, string, string][] = [
    ['while', 'while (ctx.args.more) {\n    break;\n  }', 'While statements are not supported.'],
    ['do...while', 'do {\n    break;\n  } while (ctx.args.more);', 'do...while statements are not supported.'],
    ['for(;;)', 'for (let i = 0; i < 3; i += 1) {\n    console.log(i);\n  }', 'For statements are not supported.'],
    [
      'try/catch',
      'try {\n    util.error("x");\n  } catch (e) {\n    console.log(e);\n  }',
      'Try statements are not supported.',
    ],
    [
      'try/finally',
      'try {\n    util.error("x");\n  } finally {\n    console.log("done");\n  }',
      'Try statements are not supported.',
    ],
    ['throw', 'throw ctx.args;', 'Throw statements are not supported. Use util.error() to raise an error.'],
    [
      'labeled statement',
      'outer: for (const a of ctx.args.list) {\n    break outer;\n  }',
      'Labeled statements are not supported.',
    ],
  ];
  it.each(cases)('rejects %s at the statement', (_name, statement, message) => {
    const code = resolverWith(`  ${statement}\n  return {};`);
    expect(validateCode(code)).toEqual([lintError(code, statement, message)]);
  });

  it('rejects continue at the continue statement', () => {
    const code = resolverWith('  for (const item of ctx.args.items) {\n    if (!item) continue;\n  }\n  return {};');
    expect(validateCode(code)).toEqual([lintError(code, 'continue;', 'Continue statements are not supported')]);
  });

  it('rejects `for await` like await', () => {
    const code = 'for await (const x of []) {\n  console.log(x);\n}\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([
      lintError(code, 'for await (const x of []) {\n  console.log(x);\n}', 'The `await` keyword is not supported'),
    ]);
  });
});

// Guide, Operators: ++, -- and ~ are not supported, nor `in`; plugin: no-disallowed-unary-operators,
// no-disallowed-binary-operators (instanceof), no-in-operator.
describe('validateCode: unsupported operators', () => {
  const cases: [string, string, string][] = [
    ['postfix ++', 'count++', 'The operator ++ is not supported'],
    ['prefix ++', '++count', 'The operator ++ is not supported'],
    ['postfix --', 'count--', 'The operator -- is not supported'],
    ['prefix --', '--count', 'The operator -- is not supported'],
    ['~', '~count', 'The operator ~ is not supported'],
    ['in', "'id' in ctx.args", 'in operator is not supported. Use Object.hasOwn().'],
    ['instanceof', 'ctx.args instanceof Object', 'The operator instanceof is not supported'],
  ];
  it.each(cases)('rejects %s at the expression', (_name, expression, message) => {
    const code = resolverWith(`  let count = 0;\n  const value = ${expression};\n  return { count, value };`);
    expect(validateCode(code)).toEqual([lintError(code, expression, message)]);
  });

  it('accepts the other bitwise operators, exponent, void, typeof, delete and the comma operator', () => {
    const code = resolverWith(
      '  const flags = (1 | 2) & 3 ^ 4 << 1 >> 1 >>> 0;\n  const copy = { ...ctx.args };\n  delete copy.id;\n  return { flags, p: 2 ** 8, t: typeof copy, v: void 0, c: (0, flags) };',
    );
    expect(validateCode(code)).toEqual([]);
  });

  it('accepts compound assignment (`+=`, `??=`)', () => {
    const code = resolverWith(
      '  let total = 0;\n  total += 2;\n  let name;\n  name ??= "anonymous";\n  return { total, name };',
    );
    expect(validateCode(code)).toEqual([]);
  });
});

describe('validateCode: unsupported function and class syntax', () => {
  it('rejects an async function declaration at the function', () => {
    const code = 'export async function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([
      lintError(code, 'async function request(ctx) {\n  return {};\n}', 'Async functions are not supported.'),
    ]);
  });

  it('rejects an async arrow function', () => {
    const code = resolverWith('  const load = async () => 1;\n  return { load };');
    expect(validateCode(code)).toEqual([lintError(code, 'async () => 1', 'Async functions are not supported.')]);
  });

  it('rejects an async object method', () => {
    const code = resolverWith('  const api = { async get() { return 1; } };\n  return api;');
    expect(validateCode(code)).toEqual([lintError(code, '() { return 1; }', 'Async functions are not supported.')]);
  });

  it('rejects await at the await expression (top-level await too)', () => {
    const code = 'const ready = await 1;\nexport function request(ctx) {\n  return { ready };\n}\n';
    expect(validateCode(code)).toEqual([lintError(code, 'await 1', 'The `await` keyword is not supported')]);
  });

  it('rejects a generator function and its yield', () => {
    const code = 'function* ids() {\n  yield 1;\n}\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([
      lintError(code, 'function* ids() {\n  yield 1;\n}', 'Generator functions are not supported.'),
      lintError(code, 'yield 1', 'Yield statements are not supported'),
    ]);
  });

  it('rejects a generator method', () => {
    const code = resolverWith('  const source = { *ids() {} };\n  return source;');
    expect(validateCode(code)).toEqual([lintError(code, '() {}', 'Generator functions are not supported.')]);
  });

  it('rejects a class declaration', () => {
    const code = 'class Note {}\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([lintError(code, 'class Note {}', 'Class declarations are not supported.')]);
  });

  it('rejects a class expression', () => {
    const code = resolverWith('  const Note = class {};\n  return { Note };');
    expect(validateCode(code)).toEqual([lintError(code, 'class {}', 'Class declarations are not supported.')]);
  });

  it('rejects `this`', () => {
    const code = resolverWith('  const helper = { name: "n", get() { return this.name; } };\n  return helper;');
    expect(validateCode(code)).toEqual([lintError(code, 'this', 'This expressions are not supported.')]);
  });

  it('rejects a regex literal (no-regex)', () => {
    const code = resolverWith("  return { id: ctx.args.id.replace(/-/g, '_') };");
    expect(validateCode(code)).toEqual([lintError(code, '/-/g', 'Regex literals are not supported.')]);
  });

  it('rejects `using` declarations', () => {
    const code = resolverWith('  using handle = ctx.args;\n  return {};');
    expect(validateCode(code)).toEqual([
      lintError(code, 'using handle = ctx.args;', "'using' declarations are not supported."),
    ]);
  });
});

// Guide, "Promises": async processes and promises are not supported; plugin: no-promise.
describe('validateCode: promises', () => {
  it('rejects `new Promise` at the new expression', () => {
    const code = resolverWith('  const p = new Promise((resolve) => resolve(1));\n  return { p };');
    const errors = validateCode(code);
    expect(errors).toContainEqual(lintError(code, 'new Promise((resolve) => resolve(1))', 'Promise is not supported'));
  });

  it('rejects any other use of the Promise global', () => {
    const code = resolverWith('  return { p: Promise.resolve(1) };');
    expect(validateCode(code)).toEqual([lintError(code, 'Promise', 'Promise is not supported')]);
  });

  it('rejects dynamic import()', () => {
    const code = resolverWith("  const m = import('@aws-appsync/utils');\n  return { m };");
    expect(validateCode(code)).toEqual([
      lintError(code, "import('@aws-appsync/utils')", 'Dynamic import() is not supported.'),
    ]);
  });
});

describe('validateCode: modules', () => {
  it('accepts every module AppSync provides', () => {
    const code = [
      "import { util } from '@aws-appsync/utils';",
      "import * as ddb from '@aws-appsync/utils/dynamodb';",
      "import { sql } from '@aws-appsync/utils/rds';",
      "import { invokeModel } from '@aws-appsync/utils/ai';",
      'export function request(ctx) {',
      '  return { util, ddb, sql, invokeModel };',
      '}',
    ].join('\n');
    expect(validateCode(code)).toEqual([]);
  });

  it('rejects a relative import at its module specifier, as the type check does', () => {
    const code = "import { helper } from './lib/helper';\nexport function request(ctx) {\n  return helper(ctx);\n}\n";
    expect(validateCode(code)).toEqual([
      {
        errorType: 'PARSE_ERROR',
        value: "Cannot find module './lib/helper' or its corresponding type declarations.",
        location: locationOf(code, "'./lib/helper'"),
      },
    ]);
  });

  it('rejects a package AppSync does not provide', () => {
    const code = "import { v4 } from 'uuid';\nexport function request(ctx) {\n  return { id: v4() };\n}\n";
    expect(validateCode(code)).toEqual([
      {
        errorType: 'PARSE_ERROR',
        value: "Cannot find module 'uuid' or its corresponding type declarations.",
        location: locationOf(code, "'uuid'"),
      },
    ]);
  });

  it('rejects re-exports from other modules', () => {
    const code = "export * from './a';\nexport { b } from './b';\nexport function request(ctx) {\n  return {};\n}\n";
    expect(validateCode(code).map((error) => error.value)).toEqual([
      "Cannot find module './a' or its corresponding type declarations.",
      "Cannot find module './b' or its corresponding type declarations.",
    ]);
  });

  it('accepts a re-export from an AppSync module', () => {
    const code = "export { util } from '@aws-appsync/utils';\nexport function request(ctx) {\n  return {};\n}\n";
    expect(validateCode(code)).toEqual([]);
  });
});

describe('validateCode: names', () => {
  it('rejects a name declared nowhere, as the type check does', () => {
    const code = resolverWith('  const { limit = 20 } = ctx.arguments;\n  return { limit, nextToken };');
    expect(validateCode(code)).toEqual([
      { errorType: 'PARSE_ERROR', value: "Cannot find name 'nextToken'.", location: locationOf(code, 'nextToken') },
    ]);
  });

  it('rejects host globals APPSYNC_JS does not have (require, process, setTimeout)', () => {
    const code = resolverWith("  require('x');\n  setTimeout(() => 1);\n  return process.env;");
    expect(validateCode(code).map((error) => error.value)).toEqual([
      "Cannot find name 'require'.",
      "Cannot find name 'setTimeout'.",
      "Cannot find name 'process'.",
    ]);
  });

  it('accepts util, runtime and extensions used without an import (guide, Globals)', () => {
    const code =
      'export function request(ctx) {\n  extensions.setSubscriptionFilter({});\n  runtime.earlyReturn(util.autoId());\n}\n';
    expect(validateCode(code)).toEqual([]);
  });

  it('accepts the documented globals and objects', () => {
    const code = resolverWith(
      '  console.log(NaN, Infinity, undefined);\n  return { m: Math.max(1, 2), j: JSON.stringify({}), n: Number.isNaN(1), s: String.raw`a`, a: Array.isArray([]), o: Object.keys({}), d: Date.now() };',
    );
    expect(validateCode(code)).toEqual([]);
  });

  it('leaves ECMAScript globals AppSync lacks (Map) to fail when the code runs, as AppSync’s deploy check does', () => {
    const code = resolverWith('  const seen = new Map();\n  return { seen };');
    expect(validateCode(code)).toEqual([]);
  });

  it('accepts `arguments` inside a function', () => {
    const code = resolverWith('  return { count: arguments.length };');
    expect(validateCode(code)).toEqual([]);
  });
});

describe('validateCode: supported syntax', () => {
  const cases: [string, string][] = [
    ['for-of', '  const out = [];\n  for (const item of ctx.args.items) {\n    out.push(item);\n  }\n  return out;'],
    ['for-in', '  const keys = [];\n  for (const key in ctx.args) {\n    keys.push(key);\n  }\n  return keys;'],
    ['break in for-of', '  for (const item of ctx.args.items) {\n    if (item) break;\n  }\n  return {};'],
    ['switch', "  switch (ctx.args.kind) {\n    case 'a':\n      return 1;\n    default:\n      return 2;\n  }"],
    [
      'arrow callbacks to array methods',
      '  return ctx.args.items.filter((x) => x.ok).map((x) => x.id).reduce((a, b) => a + b, 0);',
    ],
    ['function-expression callbacks', '  return ctx.args.items.some(function (x) { return x.ok; });'],
    ['template literals with nesting', '  const who = ctx.args.name;\n  return `hello ${`dear ${who}`}\nsecond line`;'],
    [
      'destructuring with defaults and rest',
      '  const { a = 1, b: [first, ...others] = [], ...rest } = ctx.args;\n  return { a, first, others, rest };',
    ],
    [
      'spread in arrays, objects and calls',
      '  const list = [...ctx.args.items, 1];\n  return { ...ctx.args, list, max: Math.max(...list) };',
    ],
    ['optional chaining and nullish coalescing', '  return ctx.args?.input?.items?.[0]?.name ?? ctx.identity?.sub;'],
    ['default and rest parameters', '  const f = (x = 1, ...more) => x + more.length;\n  return f(2, 3, 4);'],
    [
      'nested functions and closures',
      '  function label(item) {\n    return `${prefix}${item}`;\n  }\n  const prefix = ctx.args.prefix;\n  return ctx.args.items.map((item) => label(item));',
    ],
    ['getters in object literals', '  const view = { get size() { return 1; } };\n  return view.size;'],
    ['const, let and var', '  var a = 1;\n  let b = 2;\n  const c = 3;\n  return a + b + c;'],
    ['reading and nesting into ctx.stash', '  ctx.stash.seen = true;\n  ctx.stash.list.push(1);\n  return ctx.stash;'],
    ['Object.hasOwn instead of `in`', "  return Object.hasOwn(ctx.args, 'id');"],
    [
      'util.error to raise an error',
      "  if (!ctx.args.id) {\n    util.error('id is required', 'ValidationError');\n  }\n  return {};",
    ],
  ];
  it.each(cases)('accepts %s', (_name, body) => {
    expect(validateCode(resolverWith(body))).toEqual([]);
  });
});

describe('validateCode: results', () => {
  it('reports every violation, sorted by position, not only the first', () => {
    const code = resolverWith(
      '  let n = 0;\n  while (n < 3) {\n    n++;\n  }\n  try {\n    n--;\n  } finally {\n    n = ~n;\n  }\n  return n;',
    );
    expect(validateCode(code).map((error) => [error.location.line, error.location.column, error.value])).toEqual([
      [4, 3, 'While statements are not supported.'],
      [5, 5, 'The operator ++ is not supported'],
      [7, 3, 'Try statements are not supported.'],
      [8, 5, 'The operator -- is not supported'],
      [10, 9, 'The operator ~ is not supported'],
    ]);
  });

  it('puts the shorter of two errors starting at the same place first', () => {
    const code = resolverWith('  ctx.count++;\n  return {};');
    expect(validateCode(code)).toEqual([
      lintError(code, 'ctx.count', 'ctx is readonly. Adding/Updating count is not supported.'),
      lintError(code, 'ctx.count++', 'The operator ++ is not supported'),
    ]);
  });

  it('gives the same answer every time', () => {
    const code = resolverWith('  let i = 0;\n  i++;\n  for (;;) {}\n  return nope;');
    expect(validateCode(code)).toEqual(validateCode(code));
  });
});
