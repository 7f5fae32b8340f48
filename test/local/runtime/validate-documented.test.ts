// Members of the objects AppSync's "Supported runtime features" documents, but which its lists leave out
// (https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html): a warning by default, so other
// people's code still loads; a LINT_ERROR under `strict`, which our own resolver tests use.
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_MEMBERS } from '../../../local/runtime/features';
import { checkCode, validateCode } from '../../../local/runtime/validate';
import { locationOf, resolverWith } from '../../helpers/validate-code';

function warningsIn(body: string): string[] {
  return checkCode(resolverWith(body)).warnings.map((warning) => warning.value.split(' ')[0]);
}

describe('members the guide does not list', () => {
  it('warns about Number.isInteger without refusing the code', () => {
    const code = resolverWith('  return Number.isInteger(ctx.args.n);');
    const { errors, warnings } = checkCode(code);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      {
        errorType: 'LINT_WARNING',
        value:
          'Number.isInteger is not listed as a supported feature in AppSync\'s "Supported runtime features"; AWS ' +
          'does not promise it.',
        location: locationOf(code, 'Number.isInteger'),
      },
    ]);
    expect(validateCode(code)).toEqual([]);
  });

  it('refuses it as a LINT_ERROR under strict, at the same place', () => {
    const code = resolverWith('  return Number.isInteger(ctx.args.n);');
    expect(validateCode(code, { strict: true })).toEqual([
      {
        errorType: 'LINT_ERROR',
        value: expect.stringMatching(/^Number\.isInteger is not listed/),
        location: locationOf(code, 'Number.isInteger'),
      },
    ]);
    expect(checkCode(code, { strict: true }).warnings).toEqual([]);
  });

  it('finds instance methods of strings and arrays whose type is known', () => {
    expect(warningsIn("  const types = ['a', 'b'];\n  return types.includes(ctx.args.t);")).toEqual([
      'Array.prototype.includes',
    ]);
    expect(warningsIn("  return 'abc'.at(0) + `x${ctx.args.a}`.codePointAt(0);")).toEqual([
      'String.prototype.at',
      'String.prototype.codePointAt',
    ]);
  });

  it('finds a listed-nowhere method called on data of unknown type (anything read from ctx)', () => {
    expect(warningsIn('  return ctx.args.tags.includes(ctx.args.tag);')).toEqual(['includes()']);
    expect(warningsIn('  return ctx.args.n.toFixed(2);')).toEqual(['toFixed()']);
    expect(warningsIn('  return ctx.args.name.toString();')).toEqual(['toString()']);
  });

  it('finds static members and constants the lists leave out', () => {
    expect(warningsIn('  return [Math.abs(ctx.args.n), Number.MAX_SAFE_INTEGER, Array.isArray(ctx.args.l)];')).toEqual([
      'Math.abs',
      'Number.MAX_SAFE_INTEGER',
      'Array.isArray',
    ]);
  });

  it('leaves alone every member the guide lists', () => {
    const calls = Object.entries(DOCUMENTED_MEMBERS).flatMap(([owner, names]) =>
      names.map((name) => {
        if (owner === 'String.prototype') return `'abc'.${name}`;
        if (owner === 'Array.prototype') return `[1, 2].${name}`;
        return `${owner}.${name}`;
      }),
    );
    expect(calls.length).toBeGreaterThan(60);
    expect(warningsIn(`  return [${calls.join(', ')}];`)).toEqual([]);
  });

  it('leaves alone listed methods on data of unknown type', () => {
    expect(
      warningsIn("  return ctx.args.name.trim().toLowerCase().split(',').map((s) => s.slice(1)).join('');"),
    ).toEqual([]);
  });

  it('leaves alone AppSync utilities, imported modules and objects the code declares', () => {
    const code = [
      "import { util } from '@aws-appsync/utils';",
      "import * as ddb from '@aws-appsync/utils/dynamodb';",
      'const helpers = { includes: (list, item) => list.indexOf(item) >= 0 };',
      'export function request(ctx) {',
      '  const n = util.str.normalize(ctx.args.s, "nfc");',
      '  return [n, ddb.operations.remove(), helpers.includes(ctx.args.l, 1)];',
      '}',
      'export function response(ctx) {',
      '  return ctx.result;',
      '}',
    ].join('\n');
    expect(checkCode(code, { strict: true })).toEqual({ errors: [], warnings: [] });
  });

  it('keeps Date and parseInt, which AWS evidently provides without listing them', () => {
    expect(
      checkCode(resolverWith('  return [Date.now(), parseInt(ctx.args.n, 10), new Date().getTime()];'), {
        strict: true,
      }),
    ).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it('reports a member the eslint plugin already denies once, as the plugin does', () => {
    const code = resolverWith("  return 'a'.padStart(3);");
    expect(checkCode(code)).toEqual({
      errors: [expect.objectContaining({ value: 'Method String.padStart is not implemented' })],
      warnings: [],
    });
  });
});
