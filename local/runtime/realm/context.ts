// Builds the `ctx` a handler receives from the JSON the host sends. AppSync documents that the stash itself cannot
// be replaced or deleted (its properties can change); the caller's identity, the parent's source, info, request and
// env describe the request and are frozen. Arguments, prev and result are the handler's to change.

export interface ContextInput {
  arguments?: Record<string, unknown>;
  args?: Record<string, unknown>;
  identity?: unknown;
  source?: unknown;
  stash?: Record<string, unknown>;
  prev?: { result?: unknown };
  result?: unknown;
  error?: { message: string; type?: string; data?: unknown };
  info?: Record<string, unknown>;
  request?: { headers?: Record<string, string>; domainName?: string | null };
  env?: Record<string, string>;
}

/** The read-only part, parsed and frozen once per distinct JSON text (see entry.ts). */
export type SharedContext = Pick<ContextInput, 'identity' | 'source' | 'info' | 'request' | 'env'>;

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const EMPTY = Object.freeze({});
const NO_REQUEST = deepFreeze({ headers: {}, domainName: null });

export function buildContext(input: ContextInput, shared: SharedContext): Record<string, unknown> {
  const args = input.arguments ?? input.args ?? {};
  const ctx: Record<string, unknown> = {
    arguments: args,
    args,
    identity: shared.identity ?? null,
    source: shared.source ?? null,
    stash: undefined,
    prev: input.prev ?? { result: null },
    result: input.result,
    error: input.error,
    info: shared.info ?? EMPTY,
    request: shared.request ?? NO_REQUEST,
    env: shared.env ?? EMPTY,
  };
  Object.defineProperty(ctx, 'stash', { value: input.stash ?? {}, writable: false, configurable: false });
  return ctx;
}
