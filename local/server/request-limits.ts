// What one GraphQL request may cost, as AppSync bounds it, checked while the request executes:
//
// - query depth: a field nested deeper than the API's `queryDepthLimit` fails with `QueryDepthLimitReached` (the
//   field is counted as a level, scalar leaves included), and the error goes up to the first nullable parent;
// - resolver count: the resolvers run past the API's `resolverCountLimit` (default 10,000; each list item's run
//   counts) fail with `ResolverExecutionLimitReached` and do not run;
// - duration: AppSync stops a request after 30 seconds; data-source calls still pending then, or asked for later,
//   answer ctx.error `Execution timed out.` with the data source's `<Kind>:ExecutionTimeoutException`;
// - response size: a local ceiling on the bytes resolvers return in one request, and twice that on the response as
//   sent (AppSync documents none for the whole response), so a request of many large results, or of one result
//   repeated by aliases, cannot exhaust the server's memory.
//
// Fairness: a request runs at most a few resolvers at a time and gives the event loop a turn before each further
// one, so a request of thousands of aliased fields takes its time without holding up everyone else's.

/** AppSync's default and largest resolver count limit. */
export const DEFAULT_RESOLVER_COUNT_LIMIT = 10_000;
/** "Request execution time for mutations, queries, and subscriptions: 30 seconds" (AppSync service quotas). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** The local ceiling on resolver output per request; see the note at the top. */
export const DEFAULT_RESPONSE_BYTES_LIMIT = 10 * 1024 * 1024;
/** Resolvers of one request running at the same time. */
export const DEFAULT_CONCURRENT_RESOLVERS = 8;
/** Deferred tasks (see `later`) run per turn of the event loop. */
const DEFERRED_TASKS_PER_TURN = 64;

export interface RequestLimitOptions {
  queryDepthLimit?: number;
  resolverCountLimit?: number;
  timeoutMs?: number;
  responseBytesLimit?: number;
  concurrentResolvers?: number;
  /** Calls one caller may have in flight at one data source, across its requests (fair-gate.ts). */
  callsInFlightPerCaller?: number;
}

/** A limit reached: the field fails with this errorType and message (see errors.ts for the shape). */
export interface LimitError {
  errorType:
    | 'QueryDepthLimitReached'
    | 'ResolverExecutionLimitReached'
    | 'ResponseSizeLimitReached'
    | 'SelectionSetLimitReached';
  message: string;
}

/** Thrown by `schedule` for a run that may not start; the caller reports `limit` as the field's error. */
export class LimitReached extends Error {
  constructor(readonly limit: LimitError) {
    super(limit.message);
  }
}

export class RequestLimits {
  private readonly queryDepthLimit: number | undefined;
  private readonly resolverCountLimit: number;
  private readonly responseBytesLimit: number;
  private readonly concurrentResolvers: number;
  /** Date.now() after which data sources are no longer called. */
  readonly deadline: number;
  private resolversAdmitted = 0;
  private responseBytes = 0;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(options: RequestLimitOptions = {}, now = Date.now()) {
    this.queryDepthLimit = options.queryDepthLimit || undefined;
    this.resolverCountLimit = options.resolverCountLimit || DEFAULT_RESOLVER_COUNT_LIMIT;
    this.responseBytesLimit = options.responseBytesLimit ?? DEFAULT_RESPONSE_BYTES_LIMIT;
    this.concurrentResolvers = options.concurrentResolvers ?? DEFAULT_CONCURRENT_RESOLVERS;
    this.deadline = now + (options.timeoutMs ?? REQUEST_TIMEOUT_MS);
  }

  /** The error for a field at `depth` (a top-level field is 1), when that is past the depth limit. */
  depthError(depth: number): LimitError | undefined {
    if (this.queryDepthLimit === undefined || depth <= this.queryDepthLimit) return undefined;
    return {
      errorType: 'QueryDepthLimitReached',
      message: `Query depth limit of ${this.queryDepthLimit} reached`,
    };
  }

  /** Counts one resolver run; the error when it is past the limit (the resolver must then not run). */
  admitResolver(): LimitError | undefined {
    this.resolversAdmitted += 1;
    if (this.resolversAdmitted <= this.resolverCountLimit) return undefined;
    return {
      errorType: 'ResolverExecutionLimitReached',
      message: `Resolver execution limit of ${this.resolverCountLimit} reached`,
    };
  }

  /** Adds a resolver's result to the response so far; the error when the response is now over its ceiling. */
  addResponseBytes(bytes: number): LimitError | undefined {
    this.responseBytes += bytes;
    return this.responseFull();
  }

  /** The error once resolvers have returned more than the ceiling: no resolver starts after that. */
  responseFull(): LimitError | undefined {
    if (this.responseBytes <= this.responseBytesLimit) return undefined;
    return {
      errorType: 'ResponseSizeLimitReached',
      message: `Response size limit of ${this.responseBytesLimit} bytes reached`,
    };
  }

  /**
   * The error when `body`, as JSON text, would be more than twice the ceiling (room for the keys, aliases and errors
   * around the resolvers' results), counted without building it: aliases can repeat one large value many times.
   */
  responseError(body: unknown): LimitError | undefined {
    const limit = 2 * this.responseBytesLimit;
    if (jsonLengthUpTo(body, limit) <= limit) return undefined;
    return {
      errorType: 'ResponseSizeLimitReached',
      message: `Response size limit of ${this.responseBytesLimit} bytes reached`,
    };
  }

  /**
   * Runs `task` in a later turn of the event loop, a batch of tasks per turn: how a request of thousands of fields
   * reports the ones it may not run without holding the event loop for all of them at once.
   */
  later<T>(task: () => T): Promise<T> {
    return this.track(
      new Promise<T>((resolve, reject) => {
        this.deferred.push(() => {
          try {
            resolve(task());
          } catch (thrown) {
            reject(thrown as Error);
          }
        });
        if (this.deferred.length === 1) setImmediate(this.drainDeferred);
      }),
    );
  }

  private outstanding = 0;

  /** Counts `work` as this request's until it settles (see `settled`). */
  track<T>(work: Promise<T>): Promise<T> {
    this.outstanding += 1;
    return work.finally(() => {
      this.outstanding -= 1;
    });
  }

  /**
   * Resolves once none of this request's work is left. graphql-js answers as soon as a non-nullable field fails;
   * AppSync, like graphql-java, answers when every field is done, with every field's error.
   */
  async settled(): Promise<void> {
    if (this.outstanding === 0) return;
    for (;;) {
      while (this.outstanding > 0) await new Promise<void>((resume) => setImmediate(resume));
      // Work finishing can start more (a list's items): done only when nothing is left a turn later.
      await new Promise<void>((resume) => setImmediate(resume));
      if (this.outstanding === 0) return;
    }
  }

  private readonly deferred: Array<() => void> = [];

  private readonly drainDeferred = (): void => {
    const batch = this.deferred.splice(0, DEFERRED_TASKS_PER_TURN);
    for (const task of batch) task();
    if (this.deferred.length > 0) setImmediate(this.drainDeferred);
  };

  timedOut(now = Date.now()): boolean {
    return now >= this.deadline;
  }

  /**
   * Runs `work` when fewer than the concurrency limit of this request's resolvers are running. Every run after the
   * first few starts in a later turn of the event loop, so other requests' I/O is served in between.
   */
  schedule<T>(work: () => Promise<T>): Promise<T> {
    return this.track(this.runScheduled(work));
  }

  private async runScheduled<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrentResolvers) {
      // A finishing run hands its slot straight to the oldest waiting one.
      await new Promise<void>((resume) => this.waiting.push(resume));
    } else {
      this.running += 1;
      if (this.resolversAdmitted > this.concurrentResolvers) await new Promise<void>((resume) => setImmediate(resume));
    }
    try {
      const full = this.responseFull();
      if (full) throw new LimitReached(full);
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The next run starts in a later turn of the event loop: requests queued meanwhile get theirs first.
      if (next) setImmediate(next);
      else this.running -= 1;
    }
  }
}

/** How deep a field is: the field names on its path, list indexes not counted (a top-level field is 1). */
export function fieldDepth(path: { prev: unknown; key: string | number } | undefined): number {
  let depth = 0;
  for (let p = path; p; p = p.prev as typeof path) if (typeof p.key === 'string') depth += 1;
  return depth;
}

/**
 * The length of `value` as JSON text, counted until it passes `budget` (then some number above it). Strings count
 * their characters: escapes make the text longer still, so an estimate under the budget may be slightly low.
 */
export function jsonLengthUpTo(value: unknown, budget: number): number {
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && total <= budget) {
    const next = pending.pop();
    if (typeof next === 'string') total += next.length + 2;
    else if (next === null || typeof next !== 'object') total += String(next).length;
    else if (Array.isArray(next)) {
      total += 2 + next.length;
      for (const item of next) pending.push(item);
    } else {
      total += 2;
      for (const [key, item] of Object.entries(next)) {
        total += key.length + 4;
        pending.push(item);
      }
    }
  }
  return total;
}
