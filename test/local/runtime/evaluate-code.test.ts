import { describe, expect, it } from 'vitest';
import { evaluateCode } from '../../../local/runtime/evaluate-code';
import { APPSYNC_JS, IMPORTS, evaluate, resultOf } from '../../helpers/evaluate';

const echo = `${IMPORTS}
export function request(ctx) {
  console.log('args are', ctx.args);
  ctx.stash.seen = true;
  return { id: ctx.arguments.id, sub: ctx.identity.sub };
}
export function response(ctx) {
  return ctx.result;
}
`;

describe('evaluateCode', () => {
  it('returns the result as JSON text, with logs, stash and outErrors', () => {
    const output = evaluate(echo, { arguments: { id: 'n1' }, identity: { sub: 'u1' } });
    expect(output).toEqual({
      evaluationResult: '{"id":"n1","sub":"u1"}',
      logs: ['args are {"id":"n1"}'],
      stash: '{"seen":true}',
      outErrors: '[]',
    });
  });

  it('accepts the context as JSON text, as the API takes it', () => {
    const output = evaluate(echo, '{"arguments":{"id":"n2"},"identity":{"sub":"u2"}}');
    expect(resultOf(output)).toEqual({ id: 'n2', sub: 'u2' });
  });

  it('evaluates the response handler with ctx.result', () => {
    const output = evaluate(echo, { result: { items: [1, 2] } }, 'response');
    expect(resultOf(output)).toEqual({ items: [1, 2] });
  });

  it('reports util.error with its message and no result', () => {
    const code = `${IMPORTS}export function request(ctx) { util.error('Note not found', 'NotFound'); }\nexport function response(ctx) {}`;
    const output = evaluate(code);
    expect(output.evaluationResult).toBeUndefined();
    expect(output.error).toEqual({ message: 'Note not found' });
  });

  it('keeps util.appendError in outErrors and still returns the result', () => {
    const code = `${IMPORTS}export function request(ctx) { util.appendError('careful', 'Warning'); return 1; }\nexport function response(ctx) {}`;
    const output = evaluate(code);
    expect(resultOf(output)).toBe(1);
    expect(JSON.parse(output.outErrors!)).toEqual([{ message: 'careful', errorType: 'Warning' }]);
  });

  it('returns the value given to runtime.earlyReturn', () => {
    const code = `${IMPORTS}export function request(ctx) { runtime.earlyReturn({ cached: true }); return 1; }\nexport function response(ctx) {}`;
    expect(resultOf(evaluate(code))).toEqual({ cached: true });
  });

  it('returns null when the handler returns nothing', () => {
    const code = `export function request(ctx) {}\nexport function response(ctx) {}`;
    expect(evaluate(code).evaluationResult).toBe('null');
  });

  it('rejects a runtime other than APPSYNC_JS 1.0.0', () => {
    const output = evaluateCode({ runtime: { name: 'APPSYNC_JS', runtimeVersion: '2.0.0' }, code: echo, context: {} });
    expect(output.error?.message).toMatch(/Unsupported runtime/);
    expect(output.evaluationResult).toBeUndefined();
  });

  it('rejects a function other than request or response', () => {
    const output = evaluateCode({ runtime: APPSYNC_JS, code: echo, context: {}, function: 'handler' });
    expect(output.error?.message).toMatch(/'request' or 'response'/);
  });

  it('reports a context that is not JSON', () => {
    const output = evaluate(echo, '{"arguments": ');
    expect(output.error?.message).toMatch(/context is not a JSON object/);
  });

  it('reports a context that is JSON but not an object', () => {
    expect(evaluate(echo, '[1, 2]').error?.message).toMatch(/context is not a JSON object/);
  });

  it('reports syntax errors as code errors with a location', () => {
    const output = evaluate('export function request(ctx) {\n  return {;\n}\n');
    expect(output.error?.codeErrors?.[0]).toMatchObject({ location: { line: 2 } });
    expect(output.evaluationResult).toBeUndefined();
  });

  it('reports a missing handler export', () => {
    const output = evaluate('export function response(ctx) { return 1; }');
    expect(output.error?.message).toMatch(/does not export a function named 'request'/);
  });

  it('supports handlers exported under another local name', () => {
    expect(
      resultOf(evaluate('function handle(ctx) { return 7; }\nexport { handle as request, handle as response };')),
    ).toBe(7);
  });

  it('reports an import of a module AppSync does not provide as a code error', () => {
    const output = evaluate(
      "import fs from 'fs';\nexport function request(ctx) { return 1; }\nexport function response(ctx) {}",
    );
    expect(output.error?.codeErrors?.length).toBeGreaterThan(0);
    expect(output.error?.codeErrors?.[0].location.line).toBe(1);
  });

  it('reports code over 32,768 characters', () => {
    const padding = `// ${'x'.repeat(32_800)}\n`;
    const output = evaluate(`${padding}export function request(ctx) { return 1; }\nexport function response(ctx) {}`);
    expect(output.error?.codeErrors?.length).toBeGreaterThan(0);
  });
});
