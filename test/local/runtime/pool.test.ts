// The evaluation pool: handlers on worker threads, and what happens when one runs away. Short limits keep the
// runaway cases quick; the policy is the same at the server's defaults (1 s, 250 ms grace, 128 MB).
//
// Error shapes: a handler stopped by the time limit fails as the realm's own time limit reports it (kind 'timeout',
// "Execution timed out", AppSync's wording for a timed-out execution as quoted in aws-mobile-appsync-sdk-android#280
// and aws-appsync-community#43); one that exhausts memory fails as the realm reports its own allocation caps, a
// RangeError (kind 'runtime', which the pipeline turns into a field error like any runtime error).
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { EvaluationPool, MEMORY_LIMIT_MESSAGE } from '../../../local/runtime/pool/evaluation-pool';
import { AppSyncJsRuntime, type LoadedCode } from '../../../local/runtime/runtime';
import { runResolver } from '../../../local/runtime/pipeline';

const pool = new EvaluationPool({ size: 2, timeoutMs: 150, graceMs: 50, memoryMb: 32 });
afterAll(() => pool.close());

function load(target: EvaluationPool | AppSyncJsRuntime, code: string, validate = true): LoadedCode {
  const loaded = target.load(code, { validate });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.codeErrors));
  return loaded.code;
}

const echo = `
import { util } from '@aws-appsync/utils';
export function request(ctx) {
  ctx.stash.seen = true;
  console.log('asked for', ctx.args.id);
  return { id: ctx.args.id, who: ctx.identity.sub, type: util.authType() };
}
export function response(ctx) { return ctx.result; }
`;

// util.matches compiles the pattern natively: the realm's ticks cannot interrupt its backtracking.
const backtracking = `
import { util } from '@aws-appsync/utils';
export function request(ctx) { return util.matches('(a+)+b', '${'a'.repeat(40)}'); }
export function response(ctx) { return ctx.result; }
`;

const growing = `
export function request(ctx) {
  const chunks = [];
  for (const a of Array.from({ length: 100000 })) {
    for (const b of Array.from({ length: 1000 })) chunks.push({ n: chunks.length, text: 'chunk ' + chunks.length });
  }
  return chunks.length;
}
export function response(ctx) { return ctx.result; }
`;

// A getter that never returns: it runs when the result is serialised, after the handler itself has returned.
const slowGetter = `
export function request(ctx) {
  const list = Array.from({ length: 3000 });
  return {
    get total() {
      let n = 0;
      for (const a of list) for (const b of list) for (const c of list) n += 1;
      return n;
    },
  };
}
export function response(ctx) { return ctx.result; }
`;

describe('EvaluationPool', () => {
  it('evaluates handlers on its workers exactly as the runtime does in this thread', async () => {
    const context = { arguments: { id: 'n1' }, identity: { sub: 'user-1' }, stash: { before: 1 } };
    const pooled = await pool.evaluate(load(pool, echo), 'request', context, { authType: 'User Pool Authorization' });
    const runtime = new AppSyncJsRuntime();
    const local = runtime.evaluate(load(runtime, echo), 'request', context, { authType: 'User Pool Authorization' });
    expect(pooled).toEqual(local);
    expect(pooled.result).toEqual({ id: 'n1', who: 'user-1', type: 'User Pool Authorization' });
    expect(pooled.stash).toEqual({ before: 1, seen: true });
    expect(pooled.logs).toEqual(['asked for n1']);
  });

  it('runs a pipeline resolver with the data-source calls left to the host', async () => {
    const code = load(pool, echo);
    const run = await runResolver(
      pool,
      { kind: 'UNIT', code, dataSource: 'ds' },
      { arguments: { id: 'n2' }, identity: { sub: 'user-2' } },
      async ({ request }) => ({ result: { ...(request as object), fromStore: true } }),
    );
    expect(run.error).toBeUndefined();
    expect(run.data).toEqual({ id: 'n2', who: 'user-2', type: 'API Key Authorization', fromStore: true });
  });

  it('reports bad code at load time, before any worker sees it', () => {
    const loaded = pool.load('export function request(ctx) { return ctx.args.a ?? ; }');
    expect(loaded.ok).toBe(false);
  });

  it('stops a regex that backtracks, fails only that evaluation and replaces the worker', async () => {
    const before = pool.replaced.timeout;
    const code = load(pool, echo);
    const [stuck, fine] = await Promise.all([
      pool.evaluate(load(pool, backtracking), 'request', {}),
      pool.evaluate(code, 'request', { arguments: { id: 'ok' }, identity: { sub: 'u' } }),
    ]);
    expect(stuck.error).toEqual({ kind: 'timeout', message: 'Execution timed out.' });
    expect(fine.result).toMatchObject({ id: 'ok' });
    expect(pool.replaced.timeout).toBe(before + 1);
    // The replacement serves.
    expect((await pool.evaluate(code, 'request', { arguments: { id: 'after' }, identity: {} })).result).toMatchObject({
      id: 'after',
    });
  });

  it('holds the time limit while the result is serialised (getters, toJSON)', async () => {
    const evaluation = await pool.evaluate(load(pool, slowGetter), 'request', {});
    expect(evaluation.error).toEqual({ kind: 'timeout', message: 'Execution timed out.' });
  });

  it('fails a handler that exhausts its worker’s memory, and keeps serving', async () => {
    // A time limit long enough for the heap to run out first.
    const roomy = new EvaluationPool({ size: 2, timeoutMs: 20_000, memoryMb: 16 });
    try {
      const evaluation = await roomy.evaluate(load(roomy, growing), 'request', {});
      expect(evaluation.error).toEqual({ kind: 'runtime', message: MEMORY_LIMIT_MESSAGE });
      expect(roomy.replaced.memory).toBe(1);
      const code = load(roomy, echo);
      expect((await roomy.evaluate(code, 'request', { arguments: { id: 'x' }, identity: {} })).error).toBeUndefined();
    } finally {
      await roomy.close();
    }
  });

  it('is not starved by a stream of runaway evaluations: each kills only its own worker, others are served in turn', async () => {
    // Limits with room for a busy machine: a good evaluation takes a millisecond, a bad one never ends.
    const pool = new EvaluationPool({ size: 2, timeoutMs: 400, graceMs: 200 });
    onTestFinished(() => pool.close());
    const bad = load(pool, backtracking);
    const good = load(pool, echo);
    const before = pool.replaced.timeout;
    const order: string[] = [];
    const attacks = Array.from({ length: 6 }, (_, i) =>
      Promise.resolve(pool.evaluate(bad, 'request', {}, { fairnessKey: 'attacker' })).then((evaluation) => {
        order.push(`attack ${i}`);
        return evaluation;
      }),
    );
    const legit = Array.from({ length: 3 }, (_, i) =>
      Promise.resolve(
        pool.evaluate(good, 'request', { arguments: { id: `g${i}` }, identity: {} }, { fairnessKey: 'user' }),
      ).then((evaluation) => {
        order.push(`user ${i}`);
        return evaluation;
      }),
    );
    const [attacked, served] = [await Promise.all(attacks), await Promise.all(legit)];
    expect(attacked.every((evaluation) => evaluation.error?.kind === 'timeout')).toBe(true);
    expect(served.map((evaluation) => evaluation.result)).toEqual([
      expect.objectContaining({ id: 'g0' }),
      expect.objectContaining({ id: 'g1' }),
      expect.objectContaining({ id: 'g2' }),
    ]);
    expect(pool.replaced.timeout).toBe(before + 6);
    // The attacker holds one worker at most (all but one), so the user's evaluations run on the other one while the
    // first attack runs to its time limit: all three are done before the second attack ends. Without that share the
    // first two attacks would hold both workers and end, together, before any user evaluation.
    const lastUser = Math.max(...[0, 1, 2].map((i) => order.indexOf(`user ${i}`)));
    expect(order.slice(lastUser + 1).filter((entry) => entry.startsWith('attack')).length).toBeGreaterThanOrEqual(5);
    // Each stopped worker counted against the attacker until its replacement was ready, and no longer: the attacker's
    // next evaluation runs.
    const after = await pool.evaluate(
      good,
      'request',
      { arguments: { id: 'again' }, identity: {} },
      { fairnessKey: 'attacker' },
    );
    expect(after.result).toEqual(expect.objectContaining({ id: 'again' }));
  });
});

describe('EvaluationPool segments', () => {
  const step = (name: string) => `
export function request(ctx) { ctx.stash.steps = [...(ctx.stash.steps ?? []), '${name}']; return { payload: '${name}' }; }
export function response(ctx) { return [...(ctx.prev.result ?? []), ctx.result]; }`;
  const outer = `
export function request(ctx) { console.log('before'); return []; }
export function response(ctx) { return { result: ctx.result, steps: ctx.stash.steps, args: ctx.args }; }`;

  function pipelineOn(target: EvaluationPool | AppSyncJsRuntime) {
    return {
      kind: 'PIPELINE' as const,
      code: load(target, outer),
      functions: [
        { name: 'a', code: load(target, step('a')), dataSource: 'store' },
        { name: 'b', code: load(target, step('b')), dataSource: 'none', none: true },
        { name: 'c', code: load(target, step('c')), dataSource: 'store' },
      ],
    };
  }

  it('runs a pipeline on its workers exactly as the runtime does in this thread, one hand-over per segment', async () => {
    const context = { arguments: { id: 'n3' }, identity: { sub: 'user-3' } };
    const store = async ({ request }: { request: unknown }) => ({
      result: `${(request as { payload: string }).payload} stored`,
    });
    let segments = 0;
    const counted = {
      load: pool.load.bind(pool),
      evaluate: pool.evaluate.bind(pool),
      runSegment: (...args: Parameters<EvaluationPool['runSegment']>) => {
        segments += 1;
        return pool.runSegment(...args);
      },
    };
    const pooled = await runResolver(counted, pipelineOn(pool), context, store, { trace: true });
    const runtime = new AppSyncJsRuntime();
    const local = await runResolver(runtime, pipelineOn(runtime), context, store, { trace: true });
    expect(pooled).toEqual(local);
    expect(pooled.data).toEqual({ result: ['a stored', 'b', 'c stored'], steps: ['a', 'b', 'c'], args: { id: 'n3' } });
    expect(pooled.trace).toHaveLength(8);
    // Two calls to `store`: three segments, against eight hand-overs if each handler were one.
    expect(segments).toBe(3);
  });

  it('holds the time limit for each evaluation of a segment, not for the segment as a whole', async () => {
    // Each handler spins for 150 ms, well under a 600 ms limit (room for a busy machine); the segment's eight take
    // 1.2 s, over the 700 ms (limit and grace) after which the host stops a worker busy with one evaluation.
    const patient = new EvaluationPool({ size: 2, timeoutMs: 600, graceMs: 100 });
    onTestFinished(() => patient.close());
    const spin = `
import { util } from '@aws-appsync/utils';
function spin() {
  const end = util.time.nowEpochMilliSeconds() + 150;
  const tenThousand = Array.from({ length: 10000 });
  for (const i of tenThousand) for (const j of tenThousand) if (util.time.nowEpochMilliSeconds() >= end) return;
}
export function request(ctx) { spin(); return { payload: 1 }; }
export function response(ctx) { spin(); return (ctx.prev.result ?? 0) + ctx.result; }`;
    const code = load(patient, spin);
    const started = performance.now();
    const run = await runResolver(
      patient,
      {
        kind: 'PIPELINE',
        code,
        functions: ['a', 'b', 'c'].map((name) => ({ name, code, dataSource: 'none', none: true })),
      },
      {},
      async () => {
        throw new Error('NONE is answered in the segment');
      },
    );
    expect(run.error).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThan(1200);
    expect(patient.replaced.timeout).toBe(0);
  });

  it('stops a segment whose handler runs away, and fails only that run', async () => {
    const before = pool.replaced.timeout;
    const fine = load(pool, step('fine'));
    const [stuck, served] = await Promise.all([
      runResolver(
        pool,
        {
          kind: 'PIPELINE',
          code: load(pool, outer),
          functions: [
            { name: 'fine', code: fine, dataSource: 'none', none: true },
            { name: 'stuck', code: load(pool, backtracking), dataSource: 'none', none: true },
          ],
        },
        {},
        async () => ({ result: null }),
      ),
      runResolver(pool, { kind: 'UNIT', code: fine, dataSource: 'none', none: true }, {}, async () => ({})),
    ]);
    expect(stuck.data).toBeNull();
    expect(stuck.error).toEqual({ message: 'Execution timed out.', errorType: 'ExecutionTimeout' });
    expect(served.data).toEqual(['fine']);
    expect(pool.replaced.timeout).toBe(before + 1);
  });
});
