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
import type { ContextInput, Evaluation, EvaluationError, LoadedCode, ResolverRuntime } from './runtime';
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

export interface PipelineFunction {
  name: string;
  code: LoadedCode;
  dataSource: string;
}

export type ExecutableResolver =
  | { kind: 'UNIT'; code: LoadedCode; dataSource: string }
  | { kind: 'PIPELINE'; code: LoadedCode; functions: PipelineFunction[] };

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

class Run {
  readonly outErrors: ResolverErrorRecord[] = [];
  readonly logs: string[] = [];
  readonly extensions: ExtensionEffect[] = [];
  readonly trace: HandlerTrace[] = [];
  stash: Record<string, unknown>;

  constructor(
    private readonly runtime: ResolverRuntime,
    private readonly base: ContextInput,
    private readonly options: RunOptions,
  ) {
    this.stash = base.stash ?? {};
  }

  async evaluate(
    code: LoadedCode,
    handler: 'request' | 'response',
    extra: Partial<ContextInput>,
    functionName?: string,
  ): Promise<Evaluation> {
    const context: ContextInput = { ...this.base, ...extra, stash: this.stash };
    const { authType, fairnessKey } = this.options;
    const evaluation = await this.runtime.evaluate(code, handler, context, { authType, fairnessKey });
    this.stash = evaluation.stash;
    this.outErrors.push(...evaluation.outErrors);
    this.logs.push(...evaluation.logs);
    this.extensions.push(...evaluation.extensions);
    if (this.options.trace) this.trace.push({ handler, functionName, context, evaluation });
    return evaluation;
  }

  finish(data: unknown, error?: EvaluationError): ResolverRun {
    const run: ResolverRun = {
      data: error ? null : data,
      outErrors: this.outErrors,
      logs: this.logs,
      extensions: this.extensions,
      trace: this.trace,
    };
    if (error) run.error = toErrorRecord(error);
    return run;
  }
}

/** request → data source → response for one code unit; `prev` is what ctx.prev.result should hold. */
async function runStage(
  run: Run,
  code: LoadedCode,
  dataSource: string,
  invoke: InvokeDataSource,
  prev: { result?: unknown } | undefined,
  functionName?: string,
): Promise<{ value?: unknown; error?: EvaluationError; skipTo?: 'END' | 'NEXT' }> {
  const request = await run.evaluate(code, 'request', prev ? { prev } : {}, functionName);
  if (request.error) return { error: request.error };
  if (request.earlyReturn) return { value: request.result, skipTo: request.earlyReturn.skipTo ?? 'NEXT' };
  const outcome = await invoke({ dataSource, request: request.result, functionName });
  if (outcome.requestError) {
    return { error: { message: outcome.requestError.message, type: outcome.requestError.type, kind: 'resolver' } };
  }
  const responseContext: Partial<ContextInput> = { result: outcome.result ?? null };
  if (prev) responseContext.prev = prev;
  if (outcome.error) responseContext.error = outcome.error;
  const response = await run.evaluate(code, 'response', responseContext, functionName);
  if (response.error) return { error: response.error };
  return { value: response.result };
}

export async function runResolver(
  runtime: ResolverRuntime,
  resolver: ExecutableResolver,
  context: ContextInput,
  invoke: InvokeDataSource,
  options: RunOptions = {},
): Promise<ResolverRun> {
  const run = new Run(runtime, context, options);
  if (resolver.kind === 'UNIT') {
    const stage = await runStage(run, resolver.code, resolver.dataSource, invoke, undefined);
    return run.finish(stage.value, stage.error);
  }

  const before = await run.evaluate(resolver.code, 'request', {});
  if (before.error) return run.finish(null, before.error);
  let previous = before.result;
  if (!before.earlyReturn) {
    for (const fn of resolver.functions) {
      const stage = await runStage(run, fn.code, fn.dataSource, invoke, { result: previous }, fn.name);
      if (stage.error) return run.finish(null, stage.error);
      previous = stage.value;
      if (stage.skipTo === 'END') break;
    }
  }
  // AppSync's pipeline guide: the last function's output reaches the after handler "as ctx.prev.result or ctx.result".
  const after = await run.evaluate(resolver.code, 'response', { prev: { result: previous }, result: previous });
  return run.finish(after.result, after.error);
}
