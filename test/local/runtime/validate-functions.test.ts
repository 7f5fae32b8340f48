// The rules of @aws-appsync/eslint-plugin's `recommended` config that need scopes or types: function passing,
// returning and re-assigning, recursion, the read-only context, and methods AWS lists as not implemented.
import { describe, expect, it } from 'vitest';
import { validateCode } from '../../../local/runtime/validate';
import { lintError, resolverWith } from '../../helpers/validate-code';

const NO_PASSING = 'Functions can not be passed as an argument';
const NO_RETURN = 'returning a function is not allowed';
const NO_REASSIGN = 're-assigning function is not allowed';

describe('validateCode: no-function-passing', () => {
  it('rejects passing an arrow function to a function declared in the code', () => {
    const code = `function apply(f) {\n  return 1;\n}\n${resolverWith('  return { v: apply((x) => x) };')}`;
    expect(validateCode(code)).toEqual([lintError(code, 'apply((x) => x)', NO_PASSING)]);
  });

  it('rejects passing a declared function by name to a function stored in a const', () => {
    const code = `const curry = (f) => 1;\nfunction sum(a, b) {\n  return a + b;\n}\n${resolverWith('  return { v: curry(sum) };')}`;
    expect(validateCode(code)).toEqual([lintError(code, 'curry(sum)', NO_PASSING)]);
  });

  it('accepts arrow callbacks to the array methods the plugin allows', () => {
    const code = resolverWith(
      '  const list = [3, 1, 2];\n  list.forEach((x) => console.log(x));\n  return { a: list.map((x) => x * 2), b: list.filter((x) => x > 1), c: list.find((x) => x), d: list.findIndex((x) => x), e: list.findLast((x) => x), f: list.findLastIndex((x) => x), g: list.reduce((s, x) => s + x, 0), h: list.reduceRight((s, x) => s + x, 0), i: list.every((x) => x), j: list.some((x) => x), k: list.flatMap((x) => [x]) };',
    );
    expect(validateCode(code)).toEqual([]);
  });

  it('accepts a named function passed to map (the plugin’s own valid case)', () => {
    const code = resolverWith('  const print = (n) => console.log(n);\n  [1, 2, 3].map(print);\n  return {};');
    expect(validateCode(code)).toEqual([]);
  });

  it('rejects a comparator passed to sort on a known array (sort takes no arguments)', () => {
    const code = resolverWith('  return Object.keys(ctx.args).sort((a, b) => (a < b ? 1 : -1));');
    expect(validateCode(code)).toEqual([
      lintError(code, 'Object.keys(ctx.args).sort((a, b) => (a < b ? 1 : -1))', NO_PASSING),
    ]);
  });

  it('leaves calls on values of unknown type alone, as the plugin leaves `any` alone', () => {
    const code = resolverWith(
      '  ctx.result.items.sort((a, b) => a.rank - b.rank);\n  return ctx.args.helper.apply((x) => x);',
    );
    expect(validateCode(code)).toEqual([]);
  });

  it('rejects a callback to a method of a string', () => {
    const code = resolverWith("  return 'a-b'.replace('-', () => '_');");
    expect(validateCode(code)).toEqual([lintError(code, "'a-b'.replace('-', () => '_')", NO_PASSING)]);
  });

  it('rejects a replacer function passed to JSON.stringify', () => {
    const code = resolverWith('  return JSON.stringify(ctx.args, (key, value) => value);');
    expect(validateCode(code)).toEqual([
      lintError(code, 'JSON.stringify(ctx.args, (key, value) => value)', NO_PASSING),
    ]);
  });

  it('accepts passing plain values and objects to declared functions', () => {
    const code = `function wrap(value) {\n  return { value };\n}\n${resolverWith('  return wrap({ id: ctx.args.id, list: [1] });')}`;
    expect(validateCode(code)).toEqual([]);
  });
});

describe('validateCode: no-function-return', () => {
  it('rejects returning an arrow function', () => {
    const code = 'function make() {\n  return () => 1;\n}\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([lintError(code, 'return () => 1;', NO_RETURN)]);
  });

  it('rejects returning a function expression', () => {
    const code = 'function make() {\n  return function () {};\n}\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([lintError(code, 'return function () {};', NO_RETURN)]);
  });

  it('rejects returning a local function by name', () => {
    const code =
      'function make() {\n  const inner = function () {};\n  return inner;\n}\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([lintError(code, 'return inner;', NO_RETURN)]);
  });

  it('rejects an arrow whose body is a function, at the outer arrow', () => {
    const code = 'const make = () => () => 1;\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([lintError(code, '() => () => 1', NO_RETURN)]);
  });

  it('accepts returning the result of calling a function', () => {
    const code = 'function make() {\n  return 10;\n}\nexport function request(ctx) {\n  return make();\n}\n';
    expect(validateCode(code)).toEqual([]);
  });
});

describe('validateCode: no-function-reassign', () => {
  it('rejects initialising a variable with a function’s name', () => {
    const code = 'const a = () => {};\nconst b = a;\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([lintError(code, 'b = a', NO_REASSIGN)]);
  });

  it('rejects assigning a function’s name to a variable', () => {
    const code = 'function a() {}\nlet b;\nb = a;\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([lintError(code, 'b = a', NO_REASSIGN)]);
  });

  it('accepts exporting a function under another name', () => {
    const code =
      'function handle(ctx) {\n  return ctx.result;\n}\nexport function request(ctx) {\n  return {};\n}\nexport { handle as response };\n';
    expect(validateCode(code)).toEqual([]);
  });
});

describe('validateCode: no-recursion', () => {
  it('rejects a function calling itself, naming the cycle', () => {
    const code =
      'function factorial(n) {\n  if (n <= 1) return 1;\n  return n * factorial(n - 1);\n}\nexport function request(ctx) {\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([
      lintError(
        code,
        'factorial(n - 1)',
        'Recursive function calls not supported. Detected cycle in factorial <-factorial',
      ),
    ]);
  });

  it('rejects every call on a cycle through declarations, function expressions and arrows (the plugin’s own case)', () => {
    const code = [
      'function longCycleOne() {',
      '  longCycleTwo();',
      '}',
      'function longCycleTwo() {',
      '  longCycleThree();',
      '}',
      'var longCycleThree = function () {',
      '  longCycleFour();',
      '};',
      'const longCycleFour = () => {',
      '  longCycleOne();',
      '};',
      'export function request(ctx) {',
      '  return {};',
      '}',
    ].join('\n');
    const cycle = (text: string, path: string, occurrence = 0) =>
      lintError(code, text, `Recursive function calls not supported. Detected cycle in ${path}`, occurrence);
    // Each call is reported with the cycle seen from the function making it.
    expect(validateCode(code)).toEqual([
      cycle('longCycleTwo()', 'longCycleOne <-longCycleTwo <-longCycleThree <-longCycleFour <-longCycleOne'),
      cycle('longCycleThree()', 'longCycleTwo <-longCycleThree <-longCycleFour <-longCycleOne <-longCycleTwo'),
      cycle('longCycleFour()', 'longCycleThree <-longCycleFour <-longCycleOne <-longCycleTwo <-longCycleThree'),
      cycle('longCycleOne()', 'longCycleFour <-longCycleOne <-longCycleTwo <-longCycleThree <-longCycleFour', 1),
    ]);
  });

  it('rejects calling a recursive function from a handler too', () => {
    const code = 'function walk(n) {\n  return walk(n);\n}\nexport function request(ctx) {\n  return walk(1);\n}\n';
    expect(validateCode(code)).toEqual([
      lintError(code, 'walk(n)', 'Recursive function calls not supported. Detected cycle in walk <-walk', 1),
      lintError(code, 'walk(1)', 'Recursive function calls not supported. Detected cycle in walk <-walk'),
    ]);
  });

  it('accepts a chain of calls without a cycle', () => {
    const code =
      'function a() {\n  return b() + c();\n}\nfunction b() {\n  return c();\n}\nfunction c() {\n  return 1;\n}\nexport function request(ctx) {\n  return a() + b();\n}\n';
    expect(validateCode(code)).toEqual([]);
  });

  it('does not follow calls made inside a callback, as the plugin does not', () => {
    const code =
      'function flatten(node) {\n  return [node.id, ...node.children.flatMap((child) => flatten(child))];\n}\nexport function request(ctx) {\n  return flatten(ctx.args.tree);\n}\n';
    expect(validateCode(code)).toEqual([]);
  });

  it('tells apart functions of the same name in different scopes', () => {
    const code =
      'function format(x) {\n  return `${x}`;\n}\nexport function request(ctx) {\n  const format2 = (x) => format(x);\n  return format2(ctx.args.id);\n}\n';
    expect(validateCode(code)).toEqual([]);
  });

  it('explores a large acyclic call graph without hanging', () => {
    const layers = 100;
    const lines: string[] = [];
    for (let i = 0; i < layers; i += 1) {
      lines.push(
        `function l${i}() {\n  return l${i + 1}() + r${i + 1}();\n}\nfunction r${i}() {\n  return l${i + 1}() + r${i + 1}();\n}`,
      );
    }
    lines.push(`function l${layers}() {\n  return 1;\n}\nfunction r${layers}() {\n  return 2;\n}`);
    lines.push('export function request(ctx) {\n  return l0();\n}');
    const started = Date.now();
    expect(validateCode(lines.join('\n'))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('validateCode: no-disallowed-re-assignment', () => {
  it('rejects re-assigning ctx in request, at the identifier', () => {
    const code = resolverWith('  ctx = {};\n  return ctx;');
    expect(validateCode(code)).toEqual([
      lintError(code, 'ctx', 'ctx is readonly and re-assignment is not supported.', 1),
    ]);
  });

  it('rejects replacing a direct property of ctx', () => {
    const code = resolverWith('  ctx.stash = { seen: true };\n  return {};');
    expect(validateCode(code)).toEqual([
      lintError(code, 'ctx.stash', 'ctx is readonly. Adding/Updating stash is not supported.'),
    ]);
  });

  it('rejects deleting a direct property of ctx', () => {
    const code = resolverWith('  delete ctx.args;\n  return {};');
    expect(validateCode(code)).toEqual([
      lintError(code, 'ctx.args', 'ctx is readonly. Adding/Updating args is not supported.'),
    ]);
  });

  it('rejects a computed direct property with a literal name', () => {
    const code = resolverWith("  ctx['result'] = 1;\n  return {};");
    expect(validateCode(code)).toEqual([
      lintError(code, "ctx['result']", 'ctx is readonly. Adding/Updating result is not supported.'),
    ]);
  });

  it('rejects it in response too, whatever the parameter is called', () => {
    const code =
      'export function request(ctx) {\n  return {};\n}\nexport function response(context) {\n  context.result = null;\n  return {};\n}\n';
    expect(validateCode(code)).toEqual([
      lintError(code, 'context.result', 'context is readonly. Adding/Updating result is not supported.'),
    ]);
  });

  it('accepts writing below a direct property (ctx.stash.x)', () => {
    const code = resolverWith(
      '  ctx.stash.owner = ctx.identity.sub;\n  ctx.args.input.id = util.autoId();\n  return {};',
    );
    expect(validateCode(code)).toEqual([]);
  });

  it('accepts re-assigning a parameter of a helper that merely shares the name', () => {
    const code =
      'function normalise(ctx) {\n  ctx = ctx || {};\n  return ctx;\n}\nexport function request(ctx) {\n  const inner = (ctx) => {\n    ctx = 1;\n    return ctx;\n  };\n  return { a: normalise(ctx.args), b: inner(2) };\n}\n';
    expect(validateCode(code)).toEqual([]);
  });
});

describe('validateCode: no-disallowed-methods', () => {
  it('rejects String.padStart on a string literal, at the call', () => {
    const code = resolverWith("  return 'a'.padStart(3, '0');");
    expect(validateCode(code)).toEqual([
      lintError(code, "'a'.padStart(3, '0')", 'Method String.padStart is not implemented'),
    ]);
  });

  it('rejects String.repeat on a variable holding a template literal', () => {
    const code = resolverWith('  const label = `id-${ctx.args.id}`;\n  return label.repeat(2);');
    expect(validateCode(code)).toEqual([lintError(code, 'label.repeat(2)', 'Method String.repeat is not implemented')]);
  });

  it('rejects Array.entries on the result of Object.keys', () => {
    const code = resolverWith('  return Object.keys(ctx.args).entries();');
    expect(validateCode(code)).toEqual([
      lintError(code, 'Object.keys(ctx.args).entries()', 'Method Array.entries is not implemented'),
    ]);
  });

  it('rejects Array.toString on an array literal', () => {
    const code = resolverWith('  return [1, 2].toString();');
    expect(validateCode(code)).toEqual([
      lintError(code, '[1, 2].toString()', 'Method Array.toString is not implemented'),
    ]);
  });

  it('rejects a Date setter on new Date()', () => {
    const code = resolverWith('  const when = new Date();\n  when.setFullYear(2020);\n  return when.toISOString();');
    expect(validateCode(code)).toEqual([
      lintError(code, 'when.setFullYear(2020)', 'Method Date.setFullYear is not implemented'),
    ]);
  });

  it('rejects Date.toLocaleDateString', () => {
    const code = resolverWith('  return new Date(0).toLocaleDateString();');
    expect(validateCode(code)).toEqual([
      lintError(code, 'new Date(0).toLocaleDateString()', 'Method Date.toLocaleDateString is not implemented'),
    ]);
  });

  it('rejects Object.defineProperty and Object.freeze', () => {
    const code = resolverWith(
      "  const o = Object.freeze({});\n  Object.defineProperty(o, 'x', { value: 1 });\n  return o;",
    );
    expect(validateCode(code)).toEqual([
      lintError(code, 'Object.freeze({})', 'Method ObjectConstructor.freeze is not implemented'),
      lintError(
        code,
        "Object.defineProperty(o, 'x', { value: 1 })",
        'Method ObjectConstructor.defineProperty is not implemented',
      ),
    ]);
  });

  it('leaves methods of values of unknown type alone', () => {
    const code = resolverWith('  return ctx.args.name.padStart(5) + ctx.args.list.entries();');
    expect(validateCode(code)).toEqual([]);
  });

  it('accepts the supported String, Array, Object, Number and JSON methods', () => {
    const code = resolverWith(
      "  const s = 'Hello, World';\n  const list = s.split(', ');\n  return { a: s.toLowerCase().trim().slice(1).replaceAll('l', 'L'), b: s.startsWith('H') && s.endsWith('d') && s.includes('o'), c: s.charAt(0) + s.indexOf('o'), d: list.concat(['!']).join(' '), e: list.indexOf('World'), f: list.slice().reverse(), g: Object.entries({ a: 1 }), h: Object.values({}), i: Object.assign({}, { a: 1 }), j: Number.isFinite(1), k: (5).toString(), l: JSON.parse('{}'), m: new Date(0).toISOString() };",
    );
    expect(validateCode(code)).toEqual([]);
  });

  it('accepts String.raw, which the guide lists as supported', () => {
    const code = resolverWith('  return String.raw`a\\nb`;');
    expect(validateCode(code)).toEqual([]);
  });

  it('accepts names the plugin lists under ObjectConstructor but TypeScript declares on Object.prototype', () => {
    const code = resolverWith("  return Object.hasOwnProperty.call(ctx.args, 'id') || ctx.args.hasOwnProperty('x');");
    expect(validateCode(code)).toEqual([]);
  });
});

// Guide, "Function": apply, bind and call are not supported, nor function constructors.
describe('validateCode: Function', () => {
  it('rejects call, apply and bind on a declared function', () => {
    const code = `function greet(name) {\n  return name;\n}\n${resolverWith("  greet.call(null, 'a');\n  greet.apply(null, ['a']);\n  const bound = greet.bind(null);\n  return bound;")}`;
    expect(validateCode(code)).toEqual([
      lintError(code, "greet.call(null, 'a')", 'Function.prototype.call is not supported.'),
      lintError(code, "greet.apply(null, ['a'])", 'Function.prototype.apply is not supported.'),
      lintError(code, 'greet.bind(null)', 'Function.prototype.bind is not supported.'),
    ]);
  });

  it('rejects the Function constructor, called or with new', () => {
    const code = resolverWith(
      "  const f = Function('return 1');\n  const g = new Function('return 2');\n  return { f, g };",
    );
    expect(validateCode(code)).toEqual([
      lintError(code, "Function('return 1')", 'Function constructors are not supported.'),
      lintError(code, "new Function('return 2')", 'Function constructors are not supported.'),
    ]);
  });
});
