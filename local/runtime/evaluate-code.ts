// `evaluateCode`: the contract of AppSync's EvaluateCode API, offline. Input and output mirror the API's
// (`evaluationResult`, `stash` and `outErrors` are JSON text, as the API returns them).
import { AppSyncJsRuntime, type CodeError, type LoadResult } from './runtime';

export interface EvaluateCodeInput {
  runtime: { name: string; runtimeVersion: string };
  code: string;
  /** The context as JSON text (as the API takes it) or as an object. */
  context: string | Record<string, unknown>;
  /** 'request' or 'response'; the API defaults to neither, we default to 'request'. */
  function?: string;
  /**
   * Local extension, not part of the API: also report members AppSync's "Supported runtime features" does not list
   * as code errors (see DOCUMENTED_MEMBERS).
   */
  strict?: boolean;
}

export interface EvaluateCodeErrorDetail {
  message: string;
  codeErrors?: CodeError[];
}

export interface EvaluateCodeOutput {
  evaluationResult?: string;
  error?: EvaluateCodeErrorDetail;
  logs: string[];
  stash?: string;
  outErrors?: string;
}

const SUPPORTED_RUNTIME = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };
const LOAD_CACHE_LIMIT = 200;

let sharedRuntime: AppSyncJsRuntime | undefined;
const loadCache = new Map<string, LoadResult>();

/** Loading (validation, compilation) is done once per distinct code and strictness; later calls reuse it. */
function load(code: string, strict: boolean): LoadResult {
  sharedRuntime ??= new AppSyncJsRuntime();
  const cacheKey = `${strict ? 'strict' : 'lenient'}:${code}`;
  let loaded = loadCache.get(cacheKey);
  if (!loaded) {
    loaded = sharedRuntime.load(code, { strict });
    if (loadCache.size >= LOAD_CACHE_LIMIT) loadCache.delete(loadCache.keys().next().value!);
    loadCache.set(cacheKey, loaded);
  }
  return loaded;
}

function failure(message: string, codeErrors?: CodeError[]): EvaluateCodeOutput {
  return { error: codeErrors ? { message, codeErrors } : { message }, logs: [] };
}

export function evaluateCode(input: EvaluateCodeInput): EvaluateCodeOutput {
  if (input === null || typeof input !== 'object') return failure('The request must be an object.');
  const { runtime, code } = input;
  if (runtime?.name !== SUPPORTED_RUNTIME.name || runtime?.runtimeVersion !== SUPPORTED_RUNTIME.runtimeVersion) {
    return failure(
      `Unsupported runtime ${JSON.stringify(runtime ?? null)}: only ${SUPPORTED_RUNTIME.name} ${SUPPORTED_RUNTIME.runtimeVersion} is available.`,
    );
  }
  if (typeof code !== 'string' || code.length === 0) return failure('The code must be a non-empty string.');
  const handler = input.function ?? 'request';
  if (handler !== 'request' && handler !== 'response') {
    return failure(`The function must be 'request' or 'response', not ${JSON.stringify(handler)}.`);
  }
  let context: string;
  if (typeof input.context === 'string') context = input.context;
  else if (input.context && typeof input.context === 'object') context = JSON.stringify(input.context);
  else return failure('The context must be a JSON object.');

  const loaded = load(code, input.strict === true);
  if (!loaded.ok) return failure('The code contains one or more errors.', loaded.codeErrors);

  const evaluation = sharedRuntime!.evaluate(loaded.code, handler, context);
  const output: EvaluateCodeOutput = {
    logs: evaluation.logs,
    stash: JSON.stringify(evaluation.stash),
    outErrors: JSON.stringify(evaluation.outErrors),
  };
  if (evaluation.error) output.error = { message: evaluation.error.message };
  else output.evaluationResult = JSON.stringify(evaluation.result);
  return output;
}
