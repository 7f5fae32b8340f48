// Builds the `ctx` a handler receives from the JSON the host sends, with AppSync's mutability rules:
// arguments, stash, prev and result are the resolver's to change; identity, source, info, request and env are not.
// The stash object itself cannot be replaced or deleted (only its properties change).

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

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function readOnly(ctx: object, name: string, value: unknown): void {
  Object.defineProperty(ctx, name, { value: deepFreeze(value), enumerable: true, writable: false, configurable: false });
}

export function buildContext(input: ContextInput): Record<string, unknown> {
  const args = input.arguments ?? input.args ?? {};
  const ctx: Record<string, unknown> = {
    arguments: args,
    args,
    prev: input.prev ?? { result: null },
  };
  Object.defineProperty(ctx, 'stash', {
    value: input.stash ?? {},
    enumerable: true,
    writable: false,
    configurable: false,
  });
  if ('result' in input) ctx.result = input.result;
  if (input.error) ctx.error = input.error;
  readOnly(ctx, 'identity', input.identity ?? null);
  readOnly(ctx, 'source', input.source ?? null);
  readOnly(ctx, 'info', input.info ?? {});
  readOnly(ctx, 'request', input.request ?? { headers: {}, domainName: null });
  readOnly(ctx, 'env', input.env ?? {});
  return ctx;
}
