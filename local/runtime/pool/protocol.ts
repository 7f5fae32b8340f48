// Messages between the evaluation pool and its workers.
import type { ExecutableResolver } from '../pipeline';
import type { RealmLimits } from '../realm';

export interface CodeMessage {
  id: number;
  name: string;
  /** The factory source the loader produced (see loader.ts). */
  source: string;
}

/** What a worker starts with (workerData): its realm's bundle and limits, and the code loaded so far. */
export interface WorkerSetup extends RealmLimits {
  driverBundle: string;
  codes: CodeMessage[];
  /**
   * One float64 the worker sets to `performance.timeOrigin + performance.now()` as each handler evaluation starts, so
   * the host's watchdog times evaluations, not tasks (a segment runs several).
   */
  clock: SharedArrayBuffer;
}

/** What a task asks of a worker; its answer is JSON text: an outcome (realm/entry.ts) or a Segment (pipeline.ts). */
export type TaskRequest =
  | {
      kind: 'evaluate';
      code: number;
      handler: string;
      context: string;
      shared: string;
      authType: string | undefined;
    }
  | {
      kind: 'segment';
      resolver: ExecutableResolver<number>;
      /** The SegmentInput, as JSON text. */
      input: string;
      /** The run's base context without its read-only part, as JSON text. */
      base: string;
      shared: string;
      authType: string | undefined;
    };

export type ToWorker =
  | ({ kind: 'code' } & CodeMessage)
  | { kind: 'forget'; id: number }
  /** The pool is closing: let go of the port and end (a worker that ends by itself writes its --cpu-prof profile). */
  | { kind: 'end' }
  | (TaskRequest & { task: number });

export type FromWorker = { ready: true } | { task: number; outcome: string };
