// Per-evaluation state of the sandbox realm.
//
// Everything under realm/ runs *inside* the sandbox (a vm context with its own intrinsics), bundled into one
// script. It must be plain ECMAScript: no Node globals (Buffer, process, TextEncoder, crypto), no imports outside
// realm/. The only way out is `host`, a few primitive-returning functions the host injects once.

/** An error recorded by `util.appendError`, or raised by `util.error`, as AppSync reports it. */
export interface ResolverErrorRecord {
  message: string;
  errorType?: string;
  data?: unknown;
  errorInfo?: unknown;
}

/** Side effects of `extensions.*`, recorded so that a server can act on them. */
export type ExtensionEffect =
  | { kind: 'evictFromApiCache'; typeName: string; fieldName: string; keys: Record<string, unknown> }
  | { kind: 'setSubscriptionFilter'; filter: unknown }
  | { kind: 'setSubscriptionInvalidationFilter'; filter: unknown }
  | { kind: 'invalidateSubscriptions'; payload: unknown };

export interface EvaluationState {
  /** Lines written by console.log/error/..., in order. */
  logs: string[];
  /** Errors added by util.appendError; they do not stop the evaluation. */
  outErrors: ResolverErrorRecord[];
  extensions: ExtensionEffect[];
  /** The identity of the request (ctx.identity), for util.authType(). */
  identity: unknown;
  /** Explicit auth type of the request when the caller knows it (a server does; EvaluateCode infers it). */
  authType?: string;
  /** Date.now() value after which the evaluation is stopped. */
  deadline: number;
  /** Headers added by util.http.addResponseHeader(s), by name as given; a later definition replaces an earlier one. */
  responseHeaders?: Record<string, string>;
}

/** Thrown by util.error: stops the evaluation, reported as `error`. */
export class ResolverError extends Error {
  readonly record: ResolverErrorRecord;
  constructor(record: ResolverErrorRecord) {
    super(record.message);
    this.record = record;
  }
}

/**
 * Thrown by a built-in module for input it refuses; reported with AppSync's message alone (AppSync implements the
 * modules outside the JavaScript engine, so its messages carry no JavaScript error name).
 */
export class ModuleError extends Error {}

/** Thrown by util.unauthorized. */
export class UnauthorizedError extends ResolverError {
  constructor() {
    super({ message: 'Unauthorized', errorType: 'Unauthorized' });
  }
}

/**
 * Thrown by runtime.earlyReturn: stops the handler and carries its value out. `skipTo` is AppSync's returnOptions:
 * 'END' skips the rest of a pipeline, 'NEXT' only the current function; absent means the default of where it is called.
 */
export class EarlyReturn {
  constructor(
    readonly value: unknown,
    readonly skipTo?: 'END' | 'NEXT',
  ) {}
}

/** Thrown when the time limit passes (checked by instrumented loops and function entries). */
export class TimeLimitExceeded extends Error {}

let current: EvaluationState | undefined;

export function beginEvaluation(state: EvaluationState): EvaluationState {
  current = state;
  return state;
}

export function endEvaluation(): void {
  current = undefined;
}

/** The evaluation in progress, if any (console output outside one is dropped). */
export function activeEvaluation(): EvaluationState | undefined {
  return current;
}

/** The state of the evaluation in progress; util functions call this to record their effects. */
export function currentEvaluation(): EvaluationState {
  if (!current) throw new Error('No evaluation in progress');
  return current;
}

/** A fresh state, handy in unit tests of realm code run directly under Node. */
export function newEvaluationState(overrides: Partial<EvaluationState> = {}): EvaluationState {
  return {
    logs: [],
    outErrors: [],
    extensions: [],
    identity: undefined,
    deadline: Number.POSITIVE_INFINITY,
    ...overrides,
  };
}
