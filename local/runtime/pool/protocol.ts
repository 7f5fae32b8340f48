// Messages between the evaluation pool and its workers.
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
}

export type ToWorker =
  | ({ kind: 'code' } & CodeMessage)
  | { kind: 'forget'; id: number }
  | {
      kind: 'evaluate';
      task: number;
      code: number;
      handler: string;
      context: string;
      shared: string;
      authType: string | undefined;
    };

export type FromWorker = { ready: true } | { task: number; outcome: string };
