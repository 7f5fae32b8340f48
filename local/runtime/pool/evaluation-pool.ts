// Resolver handlers evaluated on a pool of worker threads, so that evaluation uses every core and a handler that
// runs away (a loop, a regex that backtracks, getters during serialisation, an allocation that never ends) takes
// down only its own worker, never the server.
//
// The policy:
// - `size` workers (default: one per core, at least two), each with its own realm, V8 heap limit (`memoryMb`) and
//   every loaded resolver compiled in it. A worker runs one task at a time: one handler evaluation, or one segment of
//   a resolver run (its handlers up to the next data-source call, see pipeline.ts; a hand-over between threads costs
//   far more than a handler, so a run makes one per segment, not one per handler). A task only starts on an idle
//   worker, so nothing ever waits behind a handler that turns out to be slow, and a terminated worker takes only the
//   task it was running with it.
// - Inside the realm, the time limit (`timeoutMs`) is checked on every loop iteration and function entry and ends the
//   evaluation with an error, the worker intact. Whatever escapes those checks (native code: regex backtracking,
//   JSON.stringify of huge values, sort) is caught by the host: a worker still busy `timeoutMs + graceMs` after its
//   latest evaluation started (the worker marks each start on a shared clock) is terminated, and its task fails with
//   the same time-limit error.
// - A worker that exhausts its heap stops itself; its evaluation fails with a runtime error.
// - A terminated or failed worker is replaced at once; until the new one is ready, the others serve. Evaluations are
//   pure functions of their input (the data-source calls stay with the host, and a run's state between segments is
//   the host's), so no other request loses anything.
// - Waiting evaluations are served round-robin by fairness key (the engine passes the caller): one caller's burst of
//   thousands of evaluations delays another caller's by at most one evaluation per worker and caller, not by the
//   whole burst.
// - One caller runs on at most all workers but one (`size - 1`, at least one): a caller whose handlers run away holds
//   the workers it has until the time limit frees them, and without this share a few such requests at once would hold
//   every worker and make everyone else wait for the limit. A worker stopped for a caller's evaluation counts against
//   that caller until its replacement is ready, so the caller's next runaway cannot take the one worker left to
//   everyone else meanwhile. Evaluations take microseconds, so the share costs a busy caller next to nothing.
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cachedBundle } from '../../bundle-cache';
import { profilerFlags, workerEnded } from '../../threads';
import { realmDriverSource } from '../realm-bundle';
import {
  ContextEncoder,
  DEFAULT_MAX_OUTPUT_LENGTH,
  DEFAULT_TIMEOUT_MS,
  decodeOutcome,
  failed,
  type ContextInput,
  type EncodedContext,
  type Evaluation,
  type EvaluateOptions,
  type LoadedCode,
  type LoadOptions,
  type LoadResult,
  type ResolverRuntime,
} from '../runtime';
import { compileCodeCached } from '../compile-cache';
import { failedSegment, type ExecutableResolver, type Segment, type SegmentInput } from '../pipeline';
import type { EvaluationError } from '../outcome';
import type { CodeMessage, FromWorker, TaskRequest, ToWorker, WorkerSetup } from './protocol';

export interface EvaluationPoolOptions {
  /** Worker threads; default one per core, at least two so that one can be replaced while another serves. */
  size?: number;
  /** Time limit of one handler evaluation, in milliseconds (as AppSyncJsRuntime's). */
  timeoutMs?: number;
  /** How long past the time limit a worker may stay busy before the host terminates it. */
  graceMs?: number;
  /** V8 old-generation heap limit of each worker, in MB. */
  memoryMb?: number;
  maxOutputLength?: number;
}

export const DEFAULT_GRACE_MS = 250;
export const DEFAULT_WORKER_MEMORY_MB = 128;
const WATCH_INTERVAL_MS = 25;
/** Workers that die before they are ready, in a row, before the pool gives up (a broken build, not a bad resolver). */
const MAX_START_FAILURES = 3;

/** What fails an evaluation whose worker had to be stopped; the same kinds the realm itself reports. */
export const TIME_LIMIT_MESSAGE = 'Execution timed out.';
export const MEMORY_LIMIT_MESSAGE = 'RangeError: the handler exhausted the memory of the runtime';

interface Task {
  id: number;
  request: TaskRequest;
  /**
   * The loaded code (or resolver) the task runs, held until it ends: a loaded code nothing else refers to may be
   * collected, and its finalizer tells the workers to forget it, which must not reach them before a task of it still
   * waiting in the queue.
   */
  holds: LoadedCode | ExecutableResolver;
  key: string;
  /** The worker's answer (JSON text). */
  settle(outcome: string): void;
  /** The task failed outside the realm: the worker was stopped, or the pool closed. */
  fail(message: string, kind: EvaluationError['kind']): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  retired: boolean;
  task?: Task;
  /** When the running task's latest evaluation started (the worker sets it; monotonicNow), or +Infinity before. */
  clock: Float64Array;
  /** The fairness key whose evaluation stopped the worker this one replaces, charged until this one is ready. */
  chargedTo?: string;
}

let workerScript: { url: URL } | undefined;

/** A clock both threads read alike: each thread's time origin plus its monotonic time since. */
function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}

/** The worker's bundle: a file in the bundle cache, or, without a writable cache, the text as a data: URL. */
function workerEntry(): URL {
  if (!workerScript) {
    const bundle = cachedBundle(
      'evaluation-worker',
      new URL('./worker.ts', import.meta.url),
      ['./', '../realm.ts', '../features.ts', '../pipeline.ts', '../outcome.ts'].map(
        (source) => new URL(source, import.meta.url),
      ),
      {
        format: 'esm',
        platform: 'node',
        target: 'node20',
        extension: 'mjs',
      },
    );
    workerScript = {
      url: bundle.file
        ? pathToFileURL(bundle.file)
        : new URL(`data:text/javascript,${encodeURIComponent(bundle.text)}`),
    };
  }
  return workerScript.url;
}

export class EvaluationPool implements ResolverRuntime {
  readonly size: number;
  private readonly timeoutMs: number;
  private readonly graceMs: number;
  private readonly memoryMb: number;
  private readonly maxOutputLength: number;
  private readonly encoder = new ContextEncoder();
  private readonly slots: Slot[] = [];
  /** Waiting tasks by fairness key; the Map's order is the round-robin order. */
  private readonly queues = new Map<string, Task[]>();
  /** Evaluations running on a worker, by fairness key (keys with none are absent). */
  private readonly running = new Map<string, number>();
  /** How many workers one fairness key may hold at once. */
  private readonly share: number;
  private readonly codes = new Map<number, CodeMessage>();
  private readonly codeIds = new WeakMap<LoadedCode, number>();
  /** Resolvers with their codes named by id, as workers know them; undefined when a code is not loaded here. */
  private readonly plans = new WeakMap<ExecutableResolver, ExecutableResolver<number> | undefined>();
  private readonly runBases = new WeakMap<ContextInput, EncodedContext>();
  private readonly unloaded = new FinalizationRegistry<number>((id) => this.forget(id));
  private readonly watchdog: NodeJS.Timeout;
  private nextTask = 0;
  private nextCode = 0;
  private startFailures = 0;
  private broken: string | undefined;
  private closed = false;
  /** Workers replaced so far, by cause (for tests and the request log). */
  readonly replaced = { timeout: 0, memory: 0, crash: 0 };

  constructor(options: EvaluationPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? Math.max(2, availableParallelism()));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.memoryMb = options.memoryMb ?? DEFAULT_WORKER_MEMORY_MB;
    this.maxOutputLength = options.maxOutputLength ?? DEFAULT_MAX_OUTPUT_LENGTH;
    this.share = Math.max(1, this.size - 1);
    for (let i = 0; i < this.size; i += 1) this.spawn();
    this.watchdog = setInterval(() => this.enforceTimeLimit(), WATCH_INTERVAL_MS);
    this.watchdog.unref();
  }

  /**
   * Validates and rewrites the code here (results cached on disk by content), then hands it to every worker (and to
   * every worker started later).
   */
  load(code: string, options: LoadOptions = {}): LoadResult {
    const compiled = compileCodeCached(code, options);
    if (!compiled.ok) return compiled;
    this.nextCode += 1;
    const message: CodeMessage = { id: this.nextCode, name: compiled.name, source: compiled.factorySource };
    this.codes.set(message.id, message);
    for (const slot of this.slots) this.post(slot, { kind: 'code', ...message });
    const loaded: LoadedCode = { name: compiled.name, exportNames: compiled.exportNames };
    this.codeIds.set(loaded, message.id);
    // When the engine that loaded it is gone (a reload), the workers drop it too.
    this.unloaded.register(loaded, message.id);
    return { ok: true, code: loaded, warnings: compiled.warnings };
  }

  evaluate(
    code: LoadedCode,
    handlerName: string,
    context: ContextInput | string,
    options: EvaluateOptions = {},
  ): Evaluation | Promise<Evaluation> {
    const id = this.codeIds.get(code);
    if (id === undefined) return failed(`${code.name} was not loaded by this runtime.`, 'runtime');
    if (this.closed) return failed('The runtime is closed.', 'runtime');
    if (this.broken) return failed(this.broken, 'runtime');
    const encoded = this.encoder.encode(context);
    if (!('contextJson' in encoded)) return encoded;
    const request: TaskRequest = {
      kind: 'evaluate',
      code: id,
      handler: handlerName,
      context: encoded.contextJson,
      shared: encoded.sharedJson,
      authType: options.authType,
    };
    return new Promise<Evaluation>((resolve) =>
      this.enqueue(options.fairnessKey ?? '', request, code, {
        settle: (outcome) => resolve(decodeOutcome(outcome)),
        fail: (message, kind) => resolve(failed(message, kind)),
      }),
    );
  }

  runSegment(
    resolver: ExecutableResolver,
    context: ContextInput,
    input: SegmentInput,
    options: EvaluateOptions = {},
  ): Segment | Promise<Segment> {
    const plan = this.planOf(resolver);
    if (!plan) return failedSegment({ message: 'The resolver was not loaded by this runtime.', kind: 'runtime' });
    if (this.closed) return failedSegment({ message: 'The runtime is closed.', kind: 'runtime' });
    if (this.broken) return failedSegment({ message: this.broken, kind: 'runtime' });
    const encoded = this.runBases.get(context) ?? this.encodeBase(context);
    if (!('contextJson' in encoded)) return failedSegment(encoded.error!);
    let inputJson: string;
    try {
      inputJson = JSON.stringify(input);
    } catch (thrown) {
      return failedSegment({
        message: `The context cannot be serialised as JSON: ${(thrown as Error).message}`,
        kind: 'runtime',
      });
    }
    const request: TaskRequest = {
      kind: 'segment',
      resolver: plan,
      input: inputJson,
      base: encoded.contextJson,
      shared: encoded.sharedJson,
      authType: options.authType,
    };
    return new Promise<Segment>((resolve) =>
      this.enqueue(options.fairnessKey ?? '', request, resolver, {
        settle: (outcome) => resolve(decodeSegment(outcome)),
        fail: (message, kind) => resolve(failedSegment({ message, kind })),
      }),
    );
  }

  /** A run's base context, serialised once for all its segments (a run passes the same object to each). */
  private encodeBase(context: ContextInput): EncodedContext | Evaluation {
    const encoded = this.encoder.encode(context);
    if ('contextJson' in encoded) this.runBases.set(context, encoded);
    return encoded;
  }

  private enqueue(
    key: string,
    request: TaskRequest,
    holds: Task['holds'],
    { settle, fail }: Pick<Task, 'settle' | 'fail'>,
  ): void {
    this.nextTask += 1;
    const task: Task = { id: this.nextTask, request, holds, key, settle, fail };
    const queue = this.queues.get(key);
    if (queue) queue.push(task);
    else this.queues.set(key, [task]);
    this.dispatch();
  }

  /** The resolver with its codes as ids (computed once per resolver). */
  private planOf(resolver: ExecutableResolver): ExecutableResolver<number> | undefined {
    if (this.plans.has(resolver)) return this.plans.get(resolver);
    let plan: ExecutableResolver<number> | undefined;
    const ids = [resolver.code, ...(resolver.kind === 'PIPELINE' ? resolver.functions.map((f) => f.code) : [])].map(
      (code) => this.codeIds.get(code),
    );
    if (!ids.includes(undefined)) {
      const [own, ...functions] = ids as number[];
      plan =
        resolver.kind === 'UNIT'
          ? { ...resolver, code: own }
          : { ...resolver, code: own, functions: resolver.functions.map((f, i) => ({ ...f, code: functions[i] })) };
    }
    this.plans.set(resolver, plan);
    return plan;
  }

  /** Resolves when at least one worker is ready (evaluations submitted before then wait for it). */
  async ready(): Promise<void> {
    while (!this.slots.some((slot) => slot.ready)) {
      if (this.broken) throw new Error(this.broken);
      if (this.closed) throw new Error('The runtime is closed.');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Ends every worker (an idle one by itself, a busy one terminated); waiting evaluations fail. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    for (const queue of this.queues.values()) for (const task of queue) task.fail('The runtime is closed.', 'runtime');
    this.queues.clear();
    const slots = this.slots.splice(0);
    const ending = slots.map((slot) => {
      const idle = slot.ready && !slot.task;
      slot.retired = true;
      slot.task?.fail('The runtime is closed.', 'runtime');
      if (!idle) return slot.worker.terminate();
      this.post(slot, { kind: 'end' });
      return workerEnded(slot.worker);
    });
    await Promise.all(ending);
  }

  // ---- workers ----

  private spawn(chargedTo?: string): void {
    const setup: WorkerSetup = {
      driverBundle: realmDriverSource(),
      timeoutMs: this.timeoutMs,
      maxOutputLength: this.maxOutputLength,
      codes: [...this.codes.values()],
      clock: new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT),
    };
    const worker = new Worker(workerEntry(), {
      workerData: setup,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
      // The worker needs nothing from the host's environment, stdin, argv or flags but its profiler's.
      env: {},
      stdin: false,
      argv: [],
      execArgv: profilerFlags(),
    });
    const slot: Slot = { worker, ready: false, retired: false, clock: new Float64Array(setup.clock), chargedTo };
    this.slots.push(slot);
    worker.unref();
    worker.on('message', (message: FromWorker) => this.received(slot, message));
    worker.on('error', (error: Error & { code?: string }) => {
      const memory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.retire(slot, memory ? 'memory' : 'crash', error.message);
    });
    worker.on('exit', () => this.retire(slot, 'crash', 'The evaluation worker stopped.'));
  }

  private received(slot: Slot, message: FromWorker): void {
    if (slot.retired) return;
    if ('ready' in message) {
      slot.ready = true;
      if (slot.chargedTo !== undefined) this.release(slot.chargedTo);
      slot.chargedTo = undefined;
      this.startFailures = 0;
      this.dispatch();
      return;
    }
    const task = slot.task;
    if (!task || task.id !== message.task) return;
    this.finish(slot, task);
    task.settle(message.outcome);
    this.dispatch();
  }

  /** Stops a worker, fails only the evaluation it was running, and starts its replacement at once. */
  private retire(slot: Slot, cause: 'timeout' | 'memory' | 'crash', detail: string): void {
    if (slot.retired) return;
    slot.retired = true;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    void slot.worker.terminate();
    if (this.closed) return;
    this.replaced[cause] += 1;
    const task = slot.task;
    slot.task = undefined;
    // Whose evaluation this worker's replacement is charged to: the stopped one's, or what this one was charged.
    const charge = task?.key ?? slot.chargedTo;
    if (task) {
      if (cause === 'timeout') task.fail(TIME_LIMIT_MESSAGE, 'timeout');
      else if (cause === 'memory') task.fail(MEMORY_LIMIT_MESSAGE, 'runtime');
      else task.fail(`The runtime failed: ${detail}`, 'runtime');
    }
    if (!slot.ready && cause === 'crash') {
      this.startFailures += 1;
      if (this.startFailures >= MAX_START_FAILURES) {
        this.broken = `The evaluation workers cannot start: ${detail}`;
        if (charge !== undefined) this.release(charge);
        for (const queue of this.queues.values()) for (const waiting of queue) waiting.fail(this.broken, 'runtime');
        this.queues.clear();
        return;
      }
    }
    this.spawn(charge);
    this.dispatch();
  }

  private enforceTimeLimit(): void {
    const now = monotonicNow();
    for (const slot of [...this.slots]) {
      if (slot.task && now - slot.clock[0] > this.timeoutMs + this.graceMs) this.retire(slot, 'timeout', 'time limit');
    }
  }

  private forget(id: number): void {
    this.codes.delete(id);
    for (const slot of this.slots) this.post(slot, { kind: 'forget', id });
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }

  // ---- scheduling ----

  private dispatch(): void {
    if (this.queues.size === 0) return;
    for (const slot of this.slots) {
      if (!slot.ready || slot.task) continue;
      const task = this.nextWaiting();
      if (!task) return;
      slot.task = task;
      // Not started: only a running evaluation can run away, so a busy machine's delay in waking the worker is no
      // one's fault. The worker marks each evaluation's start.
      slot.clock[0] = Number.POSITIVE_INFINITY;
      this.running.set(task.key, (this.running.get(task.key) ?? 0) + 1);
      this.post(slot, { ...task.request, task: task.id });
    }
  }

  /** A task's worker answered: it is free again. */
  private finish(slot: Slot, task: Task): void {
    slot.task = undefined;
    this.release(task.key);
  }

  private release(key: string): void {
    const count = (this.running.get(key) ?? 1) - 1;
    if (count > 0) this.running.set(key, count);
    else this.running.delete(key);
  }

  /** The oldest task of the first key still within its share; that key then goes to the back of the line. */
  private nextWaiting(): Task | undefined {
    for (const [key, queue] of this.queues) {
      if ((this.running.get(key) ?? 0) >= this.share) continue;
      this.queues.delete(key);
      const task = queue.shift();
      if (queue.length > 0) this.queues.set(key, queue);
      if (task) return task;
    }
    return undefined;
  }
}

/** A worker's segment (JSON text); text that is not one fails the run. */
function decodeSegment(outcome: string): Segment {
  try {
    return JSON.parse(outcome) as Segment;
  } catch (thrown) {
    return failedSegment({ message: `The runtime failed: ${(thrown as Error).message}`, kind: 'runtime' });
  }
}
