// The executor's semantics, with the data source as the caller's callback (here a small in-memory table that
// records each call), as a server would supply it.
import { describe, expect, it } from 'vitest';
import { AppSyncJsRuntime, type LoadedCode } from '../../../local/runtime/runtime';
import { runResolver, type DataSourceCall, type DataSourceOutcome } from '../../../local/runtime/pipeline';
import { IMPORTS } from '../../helpers/evaluate';

const runtime = new AppSyncJsRuntime();

function load(code: string): LoadedCode {
  const loaded = runtime.load(IMPORTS + code);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.codeErrors));
  return loaded.code;
}

/** A data source that echoes the request's payload and records every call. */
function recordingDataSource(
  respond: (call: DataSourceCall) => DataSourceOutcome = (c) => ({
    result: (c.request as { payload?: unknown }).payload ?? null,
  }),
) {
  const calls: DataSourceCall[] = [];
  return {
    calls,
    invoke: async (call: DataSourceCall) => {
      calls.push(call);
      return respond(call);
    },
  };
}

const passThrough = load(`
export function request(ctx) { return { payload: { args: ctx.args, stash: ctx.stash } }; }
export function response(ctx) { return ctx.result; }`);

describe('runResolver (unit)', () => {
  it('sends the request to the data source and returns the response', async () => {
    const source = recordingDataSource();
    const run = await runResolver(
      runtime,
      { kind: 'UNIT', code: passThrough, dataSource: 'none' },
      { arguments: { id: 'a' } },
      source.invoke,
    );
    expect(run.data).toEqual({ args: { id: 'a' }, stash: {} });
    expect(source.calls).toEqual([{ dataSource: 'none', request: { payload: { args: { id: 'a' }, stash: {} } } }]);
  });

  it('skips the data source and the response handler on earlyReturn', async () => {
    const code = load(`
export function request(ctx) { runtime.earlyReturn({ early: true }); }
export function response(ctx) { return 'response ran'; }`);
    const source = recordingDataSource();
    const run = await runResolver(runtime, { kind: 'UNIT', code, dataSource: 'ds' }, {}, source.invoke);
    expect(run.data).toEqual({ early: true });
    expect(source.calls).toHaveLength(0);
  });

  it('resolves to null with the error when util.error is called', async () => {
    const code = load(`
export function request(ctx) { util.error('Bad id', 'ValidationError', null, { field: 'id' }); }
export function response(ctx) { return 1; }`);
    const source = recordingDataSource();
    const run = await runResolver(runtime, { kind: 'UNIT', code, dataSource: 'ds' }, {}, source.invoke);
    expect(run.data).toBeNull();
    expect(run.error).toEqual({ message: 'Bad id', errorType: 'ValidationError', errorInfo: { field: 'id' } });
    expect(source.calls).toHaveLength(0);
  });

  it('hands a data source error to the response handler, which decides', async () => {
    const code = load(`
export function request(ctx) { return {}; }
export function response(ctx) { return ctx.error ? { handled: ctx.error.type } : ctx.result; }`);
    const source = recordingDataSource(() => ({
      error: { message: 'boom', type: 'DynamoDB:ConditionalCheckFailedException' },
    }));
    const run = await runResolver(runtime, { kind: 'UNIT', code, dataSource: 'ds' }, {}, source.invoke);
    expect(run.data).toEqual({ handled: 'DynamoDB:ConditionalCheckFailedException' });
    expect(run.error).toBeUndefined();
  });

  it('keeps appended errors alongside the data', async () => {
    const code = load(`
export function request(ctx) { util.appendError('first'); return {}; }
export function response(ctx) { util.appendError('second', 'Warn'); return 'ok'; }`);
    const run = await runResolver(runtime, { kind: 'UNIT', code, dataSource: 'ds' }, {}, recordingDataSource().invoke);
    expect(run.data).toBe('ok');
    expect(run.outErrors).toEqual([{ message: 'first' }, { message: 'second', errorType: 'Warn' }]);
  });
});

const addStep = (name: string) =>
  load(`
export function request(ctx) { ctx.stash.steps = [...(ctx.stash.steps ?? []), '${name}']; return { payload: [...ctx.prev.result, '${name}'] }; }
export function response(ctx) { return ctx.result; }`);

const pipelineCode = load(`
export function request(ctx) { ctx.stash.steps = ['before']; return ['before']; }
export function response(ctx) { return { result: ctx.prev.result, steps: ctx.stash.steps }; }`);

describe('runResolver (pipeline)', () => {
  it('passes prev.result and the stash through every function', async () => {
    const source = recordingDataSource();
    const run = await runResolver(
      runtime,
      {
        kind: 'PIPELINE',
        code: pipelineCode,
        functions: [
          { name: 'one', code: addStep('one'), dataSource: 'a' },
          { name: 'two', code: addStep('two'), dataSource: 'b' },
        ],
      },
      {},
      source.invoke,
    );
    expect(run.data).toEqual({ result: ['before', 'one', 'two'], steps: ['before', 'one', 'two'] });
    expect(source.calls.map((c) => [c.dataSource, c.functionName])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
    ]);
  });

  // What the after (response) handler receives. AWS AppSync Developer Guide, "Pipeline resolvers"
  // (https://docs.aws.amazon.com/appsync/latest/devguide/pipeline-resolvers.html, "After mapping template"): "The
  // output of the last function in the functions list is available in the pipeline resolver mapping template as
  // $ctx.prev.result or $ctx.result." The JavaScript guide's example after handlers read ctx.prev.result
  // (resolver-reference-overview-js); sashee/appsync-error-handling (pipeline_append_multiple.tf, run against
  // AppSync for advancedweb.hu/error-handling-in-appsync) and Amplify's simulator (pipeline-resolver.ts renders the
  // after template with result and prevResult both set to the last function's) read ctx.result. Both hold it here.
  it("gives the after handler the last function's result as ctx.result and ctx.prev.result", async () => {
    const code = load(`
export function request(ctx) { return ['before']; }
export function response(ctx) { return { result: ctx.result, prev: ctx.prev.result }; }`);
    const run = await runResolver(
      runtime,
      {
        kind: 'PIPELINE',
        code,
        functions: [
          { name: 'one', code: addStep('one'), dataSource: 'a' },
          { name: 'two', code: addStep('two'), dataSource: 'b' },
        ],
      },
      {},
      recordingDataSource().invoke,
    );
    expect(run.data).toEqual({ result: ['before', 'one', 'two'], prev: ['before', 'one', 'two'] });
  });

  it('gives the after handler ctx.result when the last function returned early', async () => {
    const skipper = load(`
export function request(ctx) { runtime.earlyReturn({ cached: true }); }
export function response(ctx) { return 'never'; }`);
    const code = load(`
export function request(ctx) { return {}; }
export function response(ctx) { return ctx.result; }`);
    const run = await runResolver(
      runtime,
      { kind: 'PIPELINE', code, functions: [{ name: 'skip', code: skipper, dataSource: 'a' }] },
      {},
      recordingDataSource().invoke,
    );
    expect(run.data).toEqual({ cached: true });
  });

  it('skips only the current function on earlyReturn in a function', async () => {
    const skipper = load(`
export function request(ctx) { runtime.earlyReturn([...ctx.prev.result, 'skipped']); }
export function response(ctx) { return 'never'; }`);
    const source = recordingDataSource();
    const run = await runResolver(
      runtime,
      {
        kind: 'PIPELINE',
        code: pipelineCode,
        functions: [
          { name: 'skip', code: skipper, dataSource: 'a' },
          { name: 'two', code: addStep('two'), dataSource: 'b' },
        ],
      },
      {},
      source.invoke,
    );
    expect(run.data).toMatchObject({ result: ['before', 'skipped', 'two'] });
    expect(source.calls.map((c) => c.functionName)).toEqual(['two']);
  });

  it("skips the remaining functions on earlyReturn with skipTo 'END'", async () => {
    const ender = load(`
export function request(ctx) { runtime.earlyReturn(['ended'], { skipTo: 'END' }); }
export function response(ctx) { return 'never'; }`);
    const source = recordingDataSource();
    const run = await runResolver(
      runtime,
      {
        kind: 'PIPELINE',
        code: pipelineCode,
        functions: [
          { name: 'end', code: ender, dataSource: 'a' },
          { name: 'two', code: addStep('two'), dataSource: 'b' },
        ],
      },
      {},
      source.invoke,
    );
    expect(run.data).toMatchObject({ result: ['ended'] });
    expect(source.calls).toHaveLength(0);
  });

  it("skips every function on earlyReturn in the pipeline's request handler", async () => {
    const code = load(`
export function request(ctx) { runtime.earlyReturn('cached'); }
export function response(ctx) { return { from: ctx.prev.result }; }`);
    const source = recordingDataSource();
    const run = await runResolver(
      runtime,
      { kind: 'PIPELINE', code, functions: [{ name: 'two', code: addStep('two'), dataSource: 'b' }] },
      {},
      source.invoke,
    );
    expect(run.data).toEqual({ from: 'cached' });
    expect(source.calls).toHaveLength(0);
  });

  it('stops the pipeline at util.error in a function', async () => {
    const failing = load(`
export function request(ctx) { util.error('Stop here', 'ValidationError'); }
export function response(ctx) { return 1; }`);
    const source = recordingDataSource();
    const run = await runResolver(
      runtime,
      {
        kind: 'PIPELINE',
        code: pipelineCode,
        functions: [
          { name: 'fail', code: failing, dataSource: 'a' },
          { name: 'two', code: addStep('two'), dataSource: 'b' },
        ],
      },
      {},
      source.invoke,
    );
    expect(run.data).toBeNull();
    expect(run.error).toEqual({ message: 'Stop here', errorType: 'ValidationError' });
    expect(source.calls).toHaveLength(0);
  });

  it('records every handler evaluation when tracing', async () => {
    const run = await runResolver(
      runtime,
      { kind: 'PIPELINE', code: pipelineCode, functions: [{ name: 'one', code: addStep('one'), dataSource: 'a' }] },
      {},
      recordingDataSource().invoke,
      { trace: true },
    );
    expect(run.trace.map((t) => `${t.functionName ?? 'resolver'}.${t.handler}`)).toEqual([
      'resolver.request',
      'one.request',
      'one.response',
      'resolver.response',
    ]);
  });
});

const earlyStep = load(`
export function request(ctx) { runtime.earlyReturn(ctx.prev.result); }
export function response(ctx) { return 'response ran'; }`);

const noPayload = load(`
export function request(ctx) { return { nothing: true }; }
export function response(ctx) { return { resultWas: ctx.result }; }`);

/** The runtime, counting its segments (each one is a hand-over to wherever the realm runs). */
function countingSegments() {
  let segments = 0;
  return {
    get segments() {
      return segments;
    },
    runtime: {
      load: runtime.load.bind(runtime),
      evaluate: runtime.evaluate.bind(runtime),
      runSegment: (...args: Parameters<AppSyncJsRuntime['runSegment']>) => {
        segments += 1;
        return runtime.runSegment(...args);
      },
    },
  };
}

describe('runResolver (segments)', () => {
  it('runs the handlers between two data-source calls as one segment', async () => {
    const source = recordingDataSource();
    const counting = countingSegments();
    const run = await runResolver(
      counting.runtime,
      {
        kind: 'PIPELINE',
        code: pipelineCode,
        functions: [
          { name: 'one', code: addStep('one'), dataSource: 'a' },
          { name: 'skip', code: earlyStep, dataSource: 'a' },
          { name: 'two', code: addStep('two'), dataSource: 'b' },
        ],
      },
      {},
      source.invoke,
    );
    expect(run.data).toEqual({ result: ['before', 'one', 'two'], steps: ['before', 'one', 'two'] });
    // before + one.request | one.response + skip.request + two.request | two.response + after.
    expect(source.calls).toHaveLength(2);
    expect(counting.segments).toBe(3);
  });

  it("answers a NONE data source with the request's payload inside the segment", async () => {
    const source = recordingDataSource(() => {
      throw new Error('A NONE data source is never invoked');
    });
    const counting = countingSegments();
    const noneCalls: string[] = [];
    const run = await runResolver(
      counting.runtime,
      {
        kind: 'PIPELINE',
        code: pipelineCode,
        functions: [
          { name: 'one', code: addStep('one'), dataSource: 'none', none: true },
          { name: 'nothing', code: noPayload, dataSource: 'none', none: true },
        ],
      },
      {},
      source.invoke,
      { onNoneCall: (name) => noneCalls.push(name) },
    );
    // datasources/none.ts: the payload, or null when the request has none.
    expect(run.data).toEqual({ result: { resultWas: null }, steps: ['before', 'one'] });
    expect(source.calls).toHaveLength(0);
    expect(noneCalls).toEqual(['none', 'none']);
    expect(counting.segments).toBe(1);
  });

  it('fails the run at a request the data source cannot use, after the segment that made it', async () => {
    const run = await runResolver(runtime, { kind: 'UNIT', code: passThrough, dataSource: 'ds' }, {}, async () => ({
      requestError: { message: 'Unusable request', type: 'MappingTemplate' },
    }));
    expect(run.data).toBeNull();
    expect(run.error).toEqual({ message: 'Unusable request', errorType: 'MappingTemplate' });
  });
});
