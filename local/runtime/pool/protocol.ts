// Messages between the evaluation pool and its workers.

export interface CodeMessage {
  id: number;
  name: string;
  /** The factory source the loader produced (see loader.ts). */
  source: string;
}

/** What a worker starts with (workerData). */
export interface WorkerSetup {
  driverBundle: string;
  timeoutMs: number;
  maxOutputLength: number;
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
