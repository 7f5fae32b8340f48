// The host side of the APPSYNC_JS runtime: validate and load code once, then evaluate handlers as often as needed.
import { createRealm, type Realm, type RealmFunction } from './realm';
import { compileModule } from './loader';
import { checkCode, type CodeError } from './validate';
import { IMPLEMENTED_MODULES } from './features';
import type { ContextInput } from './realm/context';
import type { ExtensionEffect, ResolverErrorRecord } from './realm/evaluation';

export type { CodeError, ContextInput, ExtensionEffect, ResolverErrorRecord };

const IMPLEMENTED = new Set(IMPLEMENTED_MODULES);

export interface RuntimeOptions {
  /** Time limit of one handler evaluation, in milliseconds. */
  timeoutMs?: number;
  /** Largest outcome (result, stash, errors) one evaluation may produce, in characters of JSON. */
  maxOutputLength?: number;
  /**
   * Refuse to load code that uses members of documented objects which AppSync's "Supported runtime features" does
   * not list (by default they are only warnings). `load` can override it per call.
   */
  strict?: boolean;
}

export interface LoadedCode {
  readonly name: string;
  readonly exportNames: readonly string[];
  readonly factory: RealmFunction;
}

export type LoadResult =
  | { ok: true; code: LoadedCode; /** Undocumented members, when not strict. */ warnings: CodeError[] }
  | { ok: false; codeErrors: CodeError[] };

export interface EvaluationError {
  message: string;
  /** The error type: util.error's second argument, or a runtime category. */
  type?: string;
  data?: unknown;
  errorInfo?: unknown;
  /** Why the evaluation failed: util.error/unauthorized ('resolver'), a thrown JS error, the time limit, ... */
  kind: 'resolver' | 'runtime' | 'timeout' | 'output' | 'export';
}

export interface Evaluation {
  /** The handler's return value (or runtime.earlyReturn's); absent when `error` is set. */
  result?: unknown;
  error?: EvaluationError;
  /** Set when the handler called runtime.earlyReturn. */
  earlyReturn?: { skipTo?: 'END' | 'NEXT' };
  stash: Record<string, unknown>;
  outErrors: ResolverErrorRecord[];
  logs: string[];
  extensions: ExtensionEffect[];
  responseHeaders?: Record<string, string>;
}

export interface EvaluateOptions {
  /** The request's auth type as util.authType() reports it; inferred from the identity when absent. */
  authType?: string;
}

interface RawOutcome extends Omit<Evaluation, 'error' | 'stash'> {
  stash?: Record<string, unknown>;
  error?: ResolverErrorRecord & { kind: EvaluationError['kind'] };
}

const DEFAULT_TIMEOUT_MS = 1000;
// AppSync caps a resolver's response at 5 MB; JSON characters are a close stand-in for bytes here.
const DEFAULT_MAX_OUTPUT_LENGTH = 5 * 1024 * 1024;

export class AppSyncJsRuntime {
  private readonly realm: Realm;
  private readonly timeoutMs: number;
  private readonly maxOutputLength: number;
  private readonly strict: boolean;

  constructor(options: RuntimeOptions = {}) {
    this.realm = createRealm();
    this.strict = options.strict ?? false;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxOutputLength = options.maxOutputLength ?? DEFAULT_MAX_OUTPUT_LENGTH;
  }

  /**
   * Validates the code as AppSync does at deploy time and compiles it. Never throws on bad code.
   * `validate: false` skips AppSync's rules (the sandbox still applies): only for testing the sandbox itself.
   */
  load(
    code: string,
    {
      name = 'code.js',
      validate = true,
      strict = this.strict,
    }: { name?: string; validate?: boolean; strict?: boolean } = {},
  ): LoadResult {
    if (typeof code !== 'string') {
      return { ok: false, codeErrors: [codeError('The code must be a string.')] };
    }
    const checked = validate ? checkCode(code, { strict }) : { errors: [], warnings: [] };
    if (checked.errors.length > 0) return { ok: false, codeErrors: checked.errors };
    const compiled = compileModule(code, IMPLEMENTED, this.realm.shadowedGlobals);
    if (!compiled.factorySource) return { ok: false, codeErrors: compiled.codeErrors };
    try {
      const factory = this.realm.compile(compiled.factorySource, name);
      return { ok: true, code: { name, exportNames: compiled.exportNames, factory }, warnings: checked.warnings };
    } catch (thrown) {
      return {
        ok: false,
        codeErrors: [codeError(`The code cannot be compiled: ${String((thrown as Error).message)}`)],
      };
    }
  }

  /** Runs `handlerName` of loaded code with a context; every failure is reported in the result, never thrown. */
  evaluate(
    code: LoadedCode,
    handlerName: string,
    context: ContextInput | string,
    options: EvaluateOptions = {},
  ): Evaluation {
    let contextJson: string;
    let sharedJson = '';
    if (typeof context === 'string') contextJson = context;
    else if (context !== null && typeof context === 'object' && !Array.isArray(context)) {
      try {
        const { identity, source, info, request, env, ...mutable } = context;
        contextJson = JSON.stringify(mutable);
        sharedJson = this.sharedJson({ identity, source, info, request, env });
      } catch (thrown) {
        return failed(`The context cannot be serialised as JSON: ${(thrown as Error).message}`, 'runtime');
      }
    } else return failed('The context must be a JSON object.', 'runtime');
    let raw: RawOutcome;
    try {
      const outcome = this.realm.evaluate(
        code.factory,
        handlerName,
        contextJson,
        sharedJson,
        Date.now() + this.timeoutMs,
        options.authType,
        this.maxOutputLength,
      );
      raw = JSON.parse(outcome) as RawOutcome;
    } catch (thrown) {
      // The driver catches everything resolver code throws; this is the realm itself failing (e.g. stack overflow
      // while building the outcome). Report it rather than crash the host.
      return failed(`The runtime failed: ${(thrown as Error).message}`, 'runtime');
    }
    return toEvaluation(raw);
  }

  private lastShared: SharedContext = {};
  private lastSharedJson = '{}';

  /** The handlers of one resolver run share these objects; serialise them once per run, not once per handler. */
  private sharedJson(shared: SharedContext): string {
    const last = this.lastShared;
    if (
      shared.identity !== last.identity ||
      shared.source !== last.source ||
      shared.info !== last.info ||
      shared.request !== last.request ||
      shared.env !== last.env
    ) {
      this.lastSharedJson = JSON.stringify(shared);
      this.lastShared = shared;
    }
    return this.lastSharedJson;
  }
}

type SharedContext = Pick<ContextInput, 'identity' | 'source' | 'info' | 'request' | 'env'>;

function codeError(value: string): CodeError {
  return { errorType: 'CODE_ERROR', value, location: { line: 1, column: 0, span: 0 } };
}

function failed(message: string, kind: EvaluationError['kind']): Evaluation {
  return { error: { message, kind }, stash: {}, outErrors: [], logs: [], extensions: [] };
}

function toEvaluation(raw: RawOutcome): Evaluation {
  const evaluation: Evaluation = {
    stash: raw.stash ?? {},
    outErrors: raw.outErrors ?? [],
    logs: raw.logs ?? [],
    extensions: raw.extensions ?? [],
  };
  if (raw.error) {
    const { kind, message, errorType, data, errorInfo } = raw.error;
    evaluation.error = { message, kind };
    if (errorType !== undefined && errorType !== null) evaluation.error.type = errorType;
    if (data !== undefined && data !== null) evaluation.error.data = data;
    if (errorInfo !== undefined && errorInfo !== null) evaluation.error.errorInfo = errorInfo;
  } else {
    evaluation.result = raw.result ?? null;
  }
  if (raw.earlyReturn) evaluation.earlyReturn = raw.earlyReturn;
  if (raw.responseHeaders) evaluation.responseHeaders = raw.responseHeaders;
  return evaluation;
}
