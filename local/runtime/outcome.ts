// A handler's outcome as the host sees it. The realm reports outcomes as JSON text (realm/entry.ts); these turn that
// text into an Evaluation. Kept apart from runtime.ts so that the evaluation workers can use them without loading
// the validator and the module loader.
import type { ExtensionEffect, ResolverErrorRecord } from './realm/evaluation';

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

/** The realm's outcome (JSON text) as an Evaluation; text that is not an outcome is a runtime failure. */
export function decodeOutcome(outcome: string): Evaluation {
  try {
    return toEvaluation(JSON.parse(outcome) as RawOutcome);
  } catch (thrown) {
    return failed(`The runtime failed: ${(thrown as Error).message}`, 'runtime');
  }
}

export function failed(message: string, kind: EvaluationError['kind']): Evaluation {
  return { error: { message, kind }, stash: {}, outErrors: [], logs: [], extensions: [] };
}

interface RawOutcome extends Omit<Evaluation, 'error' | 'stash'> {
  stash?: Record<string, unknown>;
  error?: ResolverErrorRecord & { kind: EvaluationError['kind'] };
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
