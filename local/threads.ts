// What the local AppSync's worker threads (the DynamoDB store's, the resolver workers) share about starting and
// ending, so that `node --cpu-prof bin/appsync-local.js serve` profiles every thread that works on a request, not
// only the main one (bench/server.bench.ts, BENCH_PROFILE=1).
import type { Worker } from 'node:worker_threads';

/** The profiler flags that take a value, which may follow as the next argument. */
const TAKES_VALUE = new Set(['--cpu-prof-dir', '--cpu-prof-interval', '--heap-prof-dir', '--heap-prof-interval']);
const PROFILER_FLAG = /^--(?:cpu|heap)-prof(?:-dir|-interval)?(?:=|$)/;

/**
 * The host's `--cpu-prof` and `--heap-prof` flags (with their folder and interval), for a thread that otherwise
 * takes none of the host's flags. `--cpu-prof-name` stays behind: one name would make every thread write the same
 * file.
 */
export function profilerFlags(execArgv: readonly string[] = process.execArgv): string[] {
  const flags: string[] = [];
  for (let i = 0; i < execArgv.length; i += 1) {
    const arg = execArgv[i];
    if (!PROFILER_FLAG.test(arg)) continue;
    flags.push(arg);
    if (TAKES_VALUE.has(arg) && i + 1 < execArgv.length) flags.push(execArgv[(i += 1)]);
  }
  return flags;
}

/**
 * Resolves when a worker told to end has ended by itself, as a thread must for its profile to be written; one still
 * running after `graceMs` is terminated.
 */
export function workerEnded(worker: Worker, graceMs = 1_000): Promise<void> {
  // A worker that has already ended has no thread id left.
  if (worker.threadId < 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => void worker.terminate().then(() => resolve()), graceMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
