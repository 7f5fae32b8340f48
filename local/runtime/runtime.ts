// The host side of the APPSYNC_JS runtime: validate and load code once, then evaluate handlers as often as needed.
import vm from 'node:vm';
import { createRealm, shadowedGlobalNames, type Realm, type RealmFunction } from './realm';
import { realmDriverSource } from './realm-bundle';
import { compileModule } from './loader';
import { checkCode, type CodeError } from './validate';
import { IMPLEMENTED_MODULES } from './features';
import type { ContextInput } from './realm/context';
import type { ExtensionEffect, ResolverErrorRecord } from './realm/evaluation';
import { decodeOutcome, failed, type Evaluation, type EvaluationError } from './outcome';
import { runSegment, type ExecutableResolver, type Segment, type SegmentInput } from './pipeline';

export type { CodeError, ContextInput, Evaluation, EvaluationError, ExtensionEffect, ResolverErrorRecord };
export { decodeOutcome, failed };

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

/** Code validated and compiled by a runtime: a handle only that runtime can evaluate. */
export interface LoadedCode {
  readonly name: string;
  readonly exportNames: readonly string[];
}

export type LoadResult =
  | { ok: true; code: LoadedCode; /** Undocumented members, when not strict. */ warnings: CodeError[] }
  | { ok: false; codeErrors: CodeError[] };

/** How to load code: AppSync's rules apply unless `validate` is false (only for testing the sandbox itself). */
export interface LoadOptions {
  name?: string;
  validate?: boolean;
  /** Refuse (rather than warn about) members AppSync's guide does not list. */
  strict?: boolean;
}

export interface EvaluateOptions {
  /** The request's auth type as util.authType() reports it; inferred from the identity when absent. */
  authType?: string;
  /** Who the evaluation is for (e.g. the caller's sub): a shared runtime serves different keys in turn. */
  fairnessKey?: string;
}

/** What the engine and the pipeline executor need of a runtime: the in-thread one or a pool of workers. */
export interface ResolverRuntime {
  load(code: string, options?: LoadOptions): LoadResult;
  evaluate(
    code: LoadedCode,
    handlerName: string,
    context: ContextInput | string,
    options?: EvaluateOptions,
  ): Evaluation | Promise<Evaluation>;
  /**
   * Evaluates one segment of a resolver run (the handlers up to its next data-source call; see pipeline.ts) with
   * `context` as the run's base context. Failures end the run in the segment; never throws.
   */
  runSegment(
    resolver: ExecutableResolver,
    context: ContextInput,
    input: SegmentInput,
    options?: EvaluateOptions,
  ): Segment | Promise<Segment>;
}

/** A module validated as AppSync does at deploy time and rewritten into a factory source any realm can compile. */
export type CompiledCode =
  | { ok: true; name: string; exportNames: string[]; factorySource: string; warnings: CodeError[] }
  | { ok: false; codeErrors: CodeError[] };

/**
 * Validation and the module rewrite need no realm: the host does them once, and any realm (in this thread or a
 * worker) compiles the result. V8 rejects a few things the validator lets through; `checkSyntax` compiles the factory
 * once here (without running it) to find them, for callers whose realms are elsewhere.
 */
export function compileCode(
  code: string,
  {
    name = 'code.js',
    validate = true,
    strict = false,
    checkSyntax = false,
  }: LoadOptions & { checkSyntax?: boolean } = {},
): CompiledCode {
  if (typeof code !== 'string') return { ok: false, codeErrors: [codeError('The code must be a string.')] };
  const checked = validate ? checkCode(code, { strict }) : { errors: [], warnings: [] };
  if (checked.errors.length > 0) return { ok: false, codeErrors: checked.errors };
  const compiled = compileModule(code, IMPLEMENTED, shadowedGlobalNames());
  if (!compiled.factorySource) return { ok: false, codeErrors: compiled.codeErrors };
  if (checkSyntax) {
    try {
      new vm.Script(compiled.factorySource, { filename: name });
    } catch (thrown) {
      return {
        ok: false,
        codeErrors: [codeError(`The code cannot be compiled: ${String((thrown as Error).message)}`)],
      };
    }
  }
  return {
    ok: true,
    name,
    exportNames: compiled.exportNames,
    factorySource: compiled.factorySource,
    warnings: checked.warnings,
  };
}

/** A context as the realm takes it: the mutable part, and the read-only part that handlers of one run share. */
export interface EncodedContext {
  contextJson: string;
  sharedJson: string;
}

/**
 * Serialises contexts for a realm. The handlers of one resolver run share identity, source, info, request and env:
 * those are serialised once per run (by object identity), not once per handler.
 */
export class ContextEncoder {
  private lastShared: SharedContext = {};
  private lastSharedJson = '{}';

  encode(context: ContextInput | string): EncodedContext | Evaluation {
    if (typeof context === 'string') return { contextJson: context, sharedJson: '' };
    if (context === null || typeof context !== 'object' || Array.isArray(context)) {
      return failed('The context must be a JSON object.', 'runtime');
    }
    try {
      const { identity, source, info, request, env, ...mutable } = context;
      return {
        contextJson: JSON.stringify(mutable),
        sharedJson: this.sharedJson({ identity, source, info, request, env }),
      };
    } catch (thrown) {
      return failed(`The context cannot be serialised as JSON: ${(thrown as Error).message}`, 'runtime');
    }
  }

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

export const DEFAULT_TIMEOUT_MS = 1000;
// AppSync caps a resolver's response at 5 MB; JSON characters are a close stand-in for bytes here.
export const DEFAULT_MAX_OUTPUT_LENGTH = 5 * 1024 * 1024;

export class AppSyncJsRuntime implements ResolverRuntime {
  private readonly realm: Realm;
  private readonly encoder = new ContextEncoder();
  private readonly factories = new WeakMap<LoadedCode, RealmFunction>();
  private readonly strict: boolean;

  constructor(options: RuntimeOptions = {}) {
    this.realm = createRealm(realmDriverSource(), {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxOutputLength: options.maxOutputLength ?? DEFAULT_MAX_OUTPUT_LENGTH,
    });
    this.strict = options.strict ?? false;
  }

  /**
   * Validates the code as AppSync does at deploy time and compiles it. Never throws on bad code.
   * `validate: false` skips AppSync's rules (the sandbox still applies): only for testing the sandbox itself.
   */
  load(code: string, options: LoadOptions = {}): LoadResult {
    const compiled = compileCode(code, { strict: this.strict, ...options });
    if (!compiled.ok) return compiled;
    try {
      const factory = this.realm.compile(compiled.factorySource, compiled.name);
      const loaded: LoadedCode = { name: compiled.name, exportNames: compiled.exportNames };
      this.factories.set(loaded, factory);
      return { ok: true, code: loaded, warnings: compiled.warnings };
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
    const factory = this.factories.get(code);
    if (!factory) return failed(`${code.name} was not loaded by this runtime.`, 'runtime');
    const encoded = this.encoder.encode(context);
    if (!('contextJson' in encoded)) return encoded;
    return decodeOutcome(
      this.realm.evaluate(factory, handlerName, encoded.contextJson, encoded.sharedJson, options.authType),
    );
  }

  runSegment(
    resolver: ExecutableResolver,
    context: ContextInput,
    input: SegmentInput,
    options: EvaluateOptions = {},
  ): Segment {
    return runSegment(resolver, input, (code, handler, changes) =>
      this.evaluate(code, handler, { ...context, ...changes }, options),
    );
  }
}

type SharedContext = Pick<ContextInput, 'identity' | 'source' | 'info' | 'request' | 'env'>;

function codeError(value: string): CodeError {
  return { errorType: 'CODE_ERROR', value, location: { line: 1, column: 0, span: 0 } };
}
