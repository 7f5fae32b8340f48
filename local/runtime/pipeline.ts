// Runs a unit or pipeline resolver as AppSync does, leaving each data-source call to the caller:
//
//   unit:      request → data source → response
//   pipeline:  request (before) → for each function: request → data source → response → response (after)
//
// The stash lives through the whole run; each function's result is the next one's ctx.prev.result, and the last
// one's is both ctx.prev.result and ctx.result in the pipeline's response (after) handler.
// runtime.earlyReturn in a unit resolver's request, or in a function's request, skips the data source and that
// handler's response; in a pipeline's request (or with skipTo 'END') it skips the remaining functions.
// util.error stops the run and the field resolves to null with that error; util.appendError only adds errors.
// A data-source error is not raised by itself: it reaches the response handler as ctx.error, which decides;
// a request object the data source cannot use at all fails the field at once.
//
// How it runs: a run is a series of segments, each the handlers between two data-source calls. A segment is a plain
// function of JSON-like input (`runSegment`), so the runtime evaluates it wherever its realm is, in this thread or in
// a worker, with one hand-over per segment rather than one per handler; between segments the run's state is a
// `RunCursor`, plain JSON, which any worker can take up. A NONE data source's answer is the request's payload, so it
// is answered inside the segment and costs no hand-over.
import type { ContextInput, LoadedCode, ResolverRuntime } from './runtime';
import type { Evaluation, EvaluationError } from './outcome';
import type { ExtensionEffect, ResolverErrorRecord } from './realm/evaluation';

export interface DataSourceOutcome {
  result?: unknown;
  /** The data source's error: the response handler sees it as ctx.error and decides. */
  error?: { message: string; type?: string; data?: unknown };
  /** The request object itself was unusable: the field fails at once, as AppSync fails a bad mapping. */
  requestError?: { message: string; type: string };
}

export interface DataSourceCall {
  dataSource: string;
  /** What the request handler returned. */
  request: unknown;
  /** The pipeline function making the call, when there is one. */
  functionName?: string;
}

export type InvokeDataSource = (call: DataSourceCall) => Promise<DataSourceOutcome>;

/** `Code` is how the runtime names loaded code: a LoadedCode here, a number in a worker. */
export interface PipelineFunction<Code = LoadedCode> {
  name: string;
  code: Code;
  dataSource: string;
  /** The data source is of type NONE: its answer is the request's payload, computed where the handlers run. */
  none?: boolean;
}

export type ExecutableResolver<Code = LoadedCode> =
  | { kind: 'UNIT'; code: Code; dataSource: string; none?: boolean }
  | { kind: 'PIPELINE'; code: Code; functions: PipelineFunction<Code>[] };

/** One handler evaluation, for field-level logs (`--verbose`). */
export interface HandlerTrace {
  handler: 'request' | 'response';
  functionName?: string;
  context: ContextInput;
  evaluation: Evaluation;
}

export interface ResolverRun {
  /** The field's value; null when `error` is set. */
  data: unknown;
  /** The error that stopped the run (util.error, a runtime error, the time limit). */
  error?: ResolverErrorRecord;
  /** Errors added with util.appendError along the way. */
  outErrors: ResolverErrorRecord[];
  logs: string[];
  extensions: ExtensionEffect[];
  trace: HandlerTrace[];
}

export interface RunOptions {
  authType?: string;
  /** Passed to the runtime: evaluations of different keys are served in turn (see pool/evaluation-pool.ts). */
  fairnessKey?: string;
  /** Keep every handler's context and evaluation in `trace`. */
  trace?: boolean;
  /** Told of each NONE data source the run used (those calls never reach `invoke`). */
  onNoneCall?: (dataSource: string) => void;
}

/** Where a run stands between segments: plain JSON. */
export interface RunCursor {
  /** At the start of the run, or waiting for the data source of function `stage` (0 in a unit resolver). */
  at: 'start' | 'response';
  stage: number;
  stash: Record<string, unknown>;
  /** ctx.prev.result of that function (pipelines only). */
  prev?: { result: unknown };
}

/** What a segment starts from: the cursor, and the data source's answer when the cursor waits for one. */
export interface SegmentInput {
  cursor: RunCursor;
  outcome?: DataSourceOutcome;
  trace: boolean;
}

/** A handler's trace inside a segment: only the part of its context that the run changes. */
export interface SegmentTrace extends Omit<HandlerTrace, 'context'> {
  context: RunContext;
}

/** What one segment did, and where the run goes next. */
export interface Segment {
  outErrors: ResolverErrorRecord[];
  logs: string[];
  extensions: ExtensionEffect[];
  trace: SegmentTrace[];
  /** NONE data sources answered within the segment, in order. */
  noneCalls: string[];
  next: { call: DataSourceCall; cursor: RunCursor } | { done: true; data?: unknown; error?: EvaluationError };
}

/** The part of a handler's context that the run changes; the runtime adds the rest (arguments, identity, ...). */
export interface RunContext {
  stash: Record<string, unknown>;
  prev?: { result?: unknown };
  result?: unknown;
  error?: DataSourceOutcome['error'];
}

export type EvaluateHandler<Code> = (code: Code, handler: 'request' | 'response', context: RunContext) => Evaluation;

/** A failed segment: the run stops with `error`. */
export function failedSegment(error: EvaluationError): Segment {
  return { outErrors: [], logs: [], extensions: [], trace: [], noneCalls: [], next: { done: true, error } };
}

/** The answer of AppSync's NONE data source (as datasources/none.ts gives it): the request's payload. */
function noneOutcome(request: unknown): DataSourceOutcome {
  return { result: (request as { payload?: unknown } | null | undefined)?.payload ?? null };
}

/** Evaluates handlers from `input.cursor` until the run needs a data source or ends. Synchronous: see the top. */
export function runSegment<Code>(
  resolver: ExecutableResolver<Code>,
  input: SegmentInput,
  evaluate: EvaluateHandler<Code>,
): Segment {
  const segment: Segment = { outErrors: [], logs: [], extensions: [], trace: [], noneCalls: [], next: { done: true } };
  let stash = input.cursor.stash;

  const handle = (
    code: Code,
    handler: 'request' | 'response',
    changes: Omit<RunContext, 'stash'>,
    functionName?: string,
  ): Evaluation => {
    const context: RunContext = { ...changes, stash };
    const evaluation = evaluate(code, handler, context);
    stash = evaluation.stash;
    segment.outErrors.push(...evaluation.outErrors);
    segment.logs.push(...evaluation.logs);
    segment.extensions.push(...evaluation.extensions);
    if (input.trace) segment.trace.push({ handler, functionName, context, evaluation });
    return evaluation;
  };
  const done = (data: unknown, error?: EvaluationError): Segment => {
    segment.next = error ? { done: true, error } : { done: true, data };
    return segment;
  };

  type Step = { value: unknown; skipTo?: 'END' | 'NEXT' } | { error: EvaluationError } | { wait: Segment };

  /** A code unit's request, its data source (inline for NONE) and its response, from where the cursor stands. */
  const stage = (
    code: Code,
    index: number,
    dataSource: string,
    none: boolean | undefined,
    prev: { result: unknown } | undefined,
    outcome: DataSourceOutcome | undefined,
    functionName?: string,
  ): Step => {
    const prevChange = prev ? { prev } : {};
    if (!outcome) {
      const request = handle(code, 'request', prevChange, functionName);
      if (request.error) return { error: request.error };
      if (request.earlyReturn) return { value: request.result, skipTo: request.earlyReturn.skipTo ?? 'NEXT' };
      if (!none) {
        segment.next = {
          call:
            functionName === undefined
              ? { dataSource, request: request.result }
              : { dataSource, request: request.result, functionName },
          cursor: { at: 'response', stage: index, stash, ...prevChange },
        };
        return { wait: segment };
      }
      segment.noneCalls.push(dataSource);
      outcome = noneOutcome(request.result);
    }
    if (outcome.requestError) {
      return { error: { message: outcome.requestError.message, type: outcome.requestError.type, kind: 'resolver' } };
    }
    const responseChanges: Omit<RunContext, 'stash'> = { ...prevChange, result: outcome.result ?? null };
    if (outcome.error) responseChanges.error = outcome.error;
    const response = handle(code, 'response', responseChanges, functionName);
    if (response.error) return { error: response.error };
    return { value: response.result };
  };

  const resuming = input.cursor.at === 'response';
  let outcome = resuming ? (input.outcome ?? {}) : undefined;

  if (resolver.kind === 'UNIT') {
    const step = stage(resolver.code, 0, resolver.dataSource, resolver.none, undefined, outcome);
    if ('wait' in step) return step.wait;
    return 'error' in step ? done(null, step.error) : done(step.value);
  }

  let index: number;
  let previous: unknown;
  if (resuming) {
    index = input.cursor.stage;
    previous = input.cursor.prev?.result ?? null;
  } else {
    const before = handle(resolver.code, 'request', {});
    if (before.error) return done(null, before.error);
    previous = before.result;
    index = before.earlyReturn ? resolver.functions.length : 0;
  }
  for (; index < resolver.functions.length; index += 1) {
    const fn = resolver.functions[index];
    const step = stage(fn.code, index, fn.dataSource, fn.none, { result: previous }, outcome, fn.name);
    outcome = undefined;
    if ('wait' in step) return step.wait;
    if ('error' in step) return done(null, step.error);
    previous = step.value;
    if (step.skipTo === 'END') break;
  }
  // AppSync's pipeline guide: the last function's output reaches the after handler "as ctx.prev.result or ctx.result".
  const after = handle(resolver.code, 'response', { prev: { result: previous }, result: previous });
  return done(after.result, after.error);
}

/** What a failed evaluation becomes in the GraphQL response. */
function toErrorRecord(error: EvaluationError): ResolverErrorRecord {
  const record: ResolverErrorRecord = { message: error.message };
  if (error.type !== undefined) record.errorType = error.type;
  // AppSync's own types: `Code` for a runtime error in resolver code, `ExecutionTimeout` for an execution that ran
  // out of time (sources in test/local/server/resolver-isolation.test.ts).
  else if (error.kind !== 'resolver') record.errorType = error.kind === 'timeout' ? 'ExecutionTimeout' : 'Code';
  if (error.data !== undefined) record.data = error.data;
  if (error.errorInfo !== undefined) record.errorInfo = error.errorInfo;
  return record;
}

/** Runs a resolver to its end: its segments on the runtime, its data-source calls through `invoke`. */
export async function runResolver(
  runtime: ResolverRuntime,
  resolver: ExecutableResolver,
  context: ContextInput,
  invoke: InvokeDataSource,
  options: RunOptions = {},
): Promise<ResolverRun> {
  const run: ResolverRun = { data: null, outErrors: [], logs: [], extensions: [], trace: [] };
  const { authType, fairnessKey } = options;
  let input: SegmentInput = { cursor: { at: 'start', stage: 0, stash: context.stash ?? {} }, trace: !!options.trace };
  for (;;) {
    const segment = await runtime.runSegment(resolver, context, input, { authType, fairnessKey });
    run.outErrors.push(...segment.outErrors);
    run.logs.push(...segment.logs);
    run.extensions.push(...segment.extensions);
    for (const entry of segment.trace) run.trace.push({ ...entry, context: { ...context, ...entry.context } });
    if (options.onNoneCall) for (const name of segment.noneCalls) options.onNoneCall(name);
    const next = segment.next;
    if ('done' in next) {
      if (next.error) run.error = toErrorRecord(next.error);
      else run.data = next.data;
      return run;
    }
    input = { cursor: next.cursor, outcome: await invoke(next.call), trace: input.trace };
  }
}
