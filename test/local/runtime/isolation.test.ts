// The sandbox holds even for code that AppSync's deploy-time rules would reject, so these tests load code with
// validation off: they check the realm, not the validator.
import { describe, expect, it } from 'vitest';
import { AppSyncJsRuntime, type Evaluation } from '../../../local/runtime/runtime';

const runtime = new AppSyncJsRuntime({ timeoutMs: 200 });

function run(body: string, context: Record<string, unknown> = {}): Evaluation {
  const loaded = runtime.load(`export function request(ctx) {\n${body}\n}\nexport function response(ctx) {}`, {
    validate: false,
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.codeErrors));
  return runtime.evaluate(loaded.code, 'request', context);
}

describe('sandbox isolation', () => {
  it('offers nothing of Node', () => {
    const { result } = run(
      'return [typeof require, typeof process, typeof Buffer, typeof fetch, typeof setTimeout, typeof setImmediate, typeof queueMicrotask, typeof module, typeof WebAssembly];',
    );
    expect(result).toEqual(Array(9).fill('undefined'));
  });

  it('refuses to generate code from strings', () => {
    expect(run('return (() => 1).constructor("return 1")();').error?.message).toMatch(/EvalError: Code generation/);
  });

  it('hides globals AppSync does not offer', () => {
    expect(run('return [typeof Proxy, typeof Reflect, typeof eval];').result).toEqual([
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  it('reaches no host object through the global object', () => {
    const evaluation = run('return globalThis.constructor.constructor("return process")();');
    expect(evaluation.result).toBeUndefined();
    expect(evaluation.error?.kind).toBe('runtime');
  });

  it('cannot change built-in prototypes', () => {
    expect(run('Object.prototype.polluted = 1; return 1;').error?.message).toMatch(/not extensible/);
    expect(run('Array.prototype.map = null; return 1;').error?.message).toMatch(/read only/);
  });

  it('cannot leave anything on globalThis', () => {
    expect(run('globalThis.leak = 1; return 1;').error?.message).toMatch(/not extensible/);
  });

  it('starts every evaluation with fresh module state', () => {
    const loaded = runtime.load(
      'let count = 0;\nexport function request(ctx) { count += 1; return count; }\nexport function response(ctx) {}',
    );
    if (!loaded.ok) throw new Error('load failed');
    expect(runtime.evaluate(loaded.code, 'request', {}).result).toBe(1);
    expect(runtime.evaluate(loaded.code, 'request', {}).result).toBe(1);
  });

  it('does not share the stash between evaluations', () => {
    run('ctx.stash.secret = "mine"; return 1;');
    expect(run('return ctx.stash.secret ?? null;').result).toBeNull();
  });

  it('keeps the identity read-only', () => {
    expect(run('ctx.identity.sub = "someone-else"; return 1;', { identity: { sub: 'me' } }).error?.message).toMatch(
      /read only/,
    );
  });

  it('does not let the stash be replaced', () => {
    expect(run('ctx.stash = {}; return 1;').error?.message).toMatch(/read only/);
  });

  it('stops a runaway loop after the time limit', () => {
    const started = Date.now();
    const evaluation = run(
      'const a = Array.from({ length: 5000 }, (_, i) => i); let n = 0; for (const x of a) for (const y of a) for (const z of a) n += 1; return n;',
    );
    expect(evaluation.error).toEqual({ kind: 'timeout', message: 'Execution timed out.' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('holds the time limit while the result is serialised: a toJSON that never returns', () => {
    const evaluation = run('return { toJSON() { let n = 0; while (true) n += 1; } };');
    expect(evaluation.error).toEqual({ kind: 'timeout', message: 'Execution timed out.' });
  });

  it('stops a while loop that never ends', () => {
    expect(run('let n = 0; while (true) { n += 1; }').error?.kind).toBe('timeout');
  });

  it('reports deep recursion as an error instead of crashing', () => {
    const evaluation = run('const f = (n) => n <= 0 ? 0 : 1 + f(n - 1); return f(1e7);');
    expect(evaluation.error?.kind).toMatch(/runtime|timeout/);
  });

  it('caps huge array allocations', () => {
    expect(run('return new Array(2e8).fill(0).length;').error?.message).toMatch(/Array length exceeds/);
  });

  it('caps huge strings', () => {
    expect(run('return "x".repeat(1e9).length;').error?.message).toMatch(/String length exceeds/);
  });

  it('refuses an output over the size limit', () => {
    expect(run('return "x".repeat(6e6);').error?.message).toMatch(/over the limit/);
  });

  it('refuses a circular output', () => {
    expect(run('const o = {}; o.self = o; return o;').error?.message).toMatch(/cannot be serialised/);
  });

  it('reports a thrown non-Error value', () => {
    expect(run('throw { reason: 42 };').error?.message).toBe('Uncaught {"reason":42}');
  });

  it('keeps working after a failed evaluation', () => {
    run('while (true) {}');
    expect(run('return 2 + 2;').result).toBe(4);
  });
});
