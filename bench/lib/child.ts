// The bench's helper processes (the store, the servers under test, the startup probe) talk to the bench over Node's
// IPC channel: the child announces itself ready with what the bench needs (URLs, ids), answers questions by name
// (counters, CPU time, profiles) and stops when asked or when the bench goes away.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type ParentMessage = { kind: 'ask'; id: number; what: string; payload?: unknown } | { kind: 'stop' };
type ChildMessage =
  | { kind: 'ready'; value: unknown }
  | { kind: 'failed'; error: string }
  | { kind: 'answer'; id: number; value?: unknown; error?: string };

export interface ChildHandle<Ready> {
  pid: number;
  ready: Ready;
  logFile: string;
  ask<T>(what: string, payload?: unknown): Promise<T>;
  /** Asks the child to close what it started, then waits for it to exit (killing it after a grace period). */
  stop(): Promise<void>;
}

export interface StartChildOptions {
  /** A TypeScript file, run through the bundle cache (run-module.js): no loader in the measured process. */
  script: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  cwd?: string;
  timeoutMs?: number;
}

const STOP_GRACE_MS = 15_000;

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startChild<Ready>(options: StartChildOptions): Promise<ChildHandle<Ready>> {
  const log = openSync(options.logFile, 'a');
  const runner = fileURLToPath(new URL('./run-module.js', import.meta.url));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), runner, options.script], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;

  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${options.script} was not ready within ${options.timeoutMs ?? 120_000} ms:\n${tail(options.logFile)}`,
        ),
      );
    }, options.timeoutMs ?? 120_000);
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolve(message.value as Ready);
      } else if (message.kind === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${options.script} failed to start: ${message.error}`));
      } else if (message.kind === 'answer') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.value);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const error = new Error(`${options.script} exited (${signal ?? code}):\n${tail(options.logFile)}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });

  return {
    pid: child.pid!,
    ready,
    logFile: options.logFile,
    ask<T>(what: string, payload?: unknown) {
      return new Promise<T>((resolve, reject) => {
        if (!child.connected) return reject(new Error(`${options.script} is not running`));
        nextId += 1;
        pending.set(nextId, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ kind: 'ask', id: nextId, what, payload } satisfies ParentMessage);
      });
    },
    async stop() {
      const done = exited(child);
      if (child.connected) child.send({ kind: 'stop' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Child side: report ready (or the failure), answer questions, close on request or when the bench is gone. */
export async function runAsChild<Ready>(
  start: () => Promise<{
    ready: Ready;
    answers: Record<string, (payload: unknown) => unknown>;
    close: () => Promise<void>;
  }>,
): Promise<void> {
  const send = (message: ChildMessage) => process.send?.(message);
  let started: Awaited<ReturnType<typeof start>>;
  try {
    started = await start();
  } catch (error) {
    send({ kind: 'failed', error: (error as Error).stack ?? String(error) });
    process.exit(1);
  }
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    try {
      await started.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (raw) => {
    const message = raw as ParentMessage;
    if (message.kind === 'stop') {
      void close();
      return;
    }
    const answer = started.answers[message.what];
    if (!answer) {
      send({ kind: 'answer', id: message.id, error: `unknown question ${message.what}` });
      return;
    }
    Promise.resolve()
      .then(() => answer(message.payload))
      .then(
        (value) => send({ kind: 'answer', id: message.id, value }),
        (error: unknown) => send({ kind: 'answer', id: message.id, error: (error as Error).stack ?? String(error) }),
      );
  });
  process.on('disconnect', () => void close());
  send({ kind: 'ready', value: started.ready });
}

/** Answers every helper process gives: its CPU time so far, and a CPU profile of a window the bench chooses. */
export async function processAnswers(): Promise<Record<string, (payload: unknown) => unknown>> {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  let session: InstanceType<typeof Session> | undefined;
  return {
    /** User + system CPU microseconds of this process (all its threads). */
    cpu: () => {
      const usage = process.cpuUsage();
      return usage.user + usage.system;
    },
    'profile-start': async () => {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      // 250 µs between samples: enough detail for requests that take about a millisecond of CPU.
      await session.post('Profiler.setSamplingInterval', { interval: 250 });
      await session.post('Profiler.start');
      return true;
    },
    'profile-stop': async (file: unknown) => {
      if (!session) throw new Error('no profile running');
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      await writeFile(String(file), JSON.stringify(profile));
      return String(file);
    },
  };
}
