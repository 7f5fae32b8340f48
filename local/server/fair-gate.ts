// One caller's share of a data source. The local stores do their work on one thread each (dynalite answers one
// request after another), so a caller with many large calls in flight, such as a request of hundreds of aliased
// listNotes pages, would put everyone else's small reads behind all of them. Each caller may have at most `share`
// calls in flight at a data source, the rest waiting in order; another caller's call then waits behind a few at most.
// A single caller's throughput hardly changes: a few calls in flight keep a one-thread store busy.

/** Calls one caller may have in flight at one data source. */
export const DEFAULT_CALLS_IN_FLIGHT_PER_CALLER = 2;

export class FairGate {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly share = DEFAULT_CALLS_IN_FLIGHT_PER_CALLER) {}

  async run<T>(key: string, call: () => Promise<T>): Promise<T> {
    const running = this.running.get(key) ?? 0;
    if (running < this.share) this.running.set(key, running + 1);
    else {
      // Resolved by a call of the same caller ending, which hands its slot on.
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key);
        if (queue) queue.push(resolve);
        else this.waiting.set(key, [resolve]);
      });
    }
    try {
      return await call();
    } finally {
      this.done(key);
    }
  }

  /** Calls in flight and waiting for one caller. */
  load(key: string): { running: number; waiting: number } {
    return { running: this.running.get(key) ?? 0, waiting: this.waiting.get(key)?.length ?? 0 };
  }

  private done(key: string): void {
    const queue = this.waiting.get(key);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.waiting.delete(key);
    if (next) return next();
    const running = (this.running.get(key) ?? 1) - 1;
    if (running > 0) this.running.set(key, running);
    else this.running.delete(key);
  }
}
