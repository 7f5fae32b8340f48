// The driver that runs inside the sandbox realm. The host loads this bundle once per realm, takes
// `globalThis.__appsyncRealm`, calls `lockdown()` and from then on only calls `evaluate()` with strings and the
// module factories it compiled in this realm. Everything crosses the boundary as JSON text, so no object of one realm
// ever reaches the other.
import { buildContext, deepFreeze, type ContextInput, type SharedContext } from './context';
import {
  activeEvaluation,
  beginEvaluation,
  EarlyReturn,
  endEvaluation,
  ModuleError,
  newEvaluationState,
  ResolverError,
  TimeLimitExceeded,
  type ResolverErrorRecord,
} from './evaluation';
import { util, runtime, extensions } from './utils';
import * as dynamodbModule from './dynamodb';
import * as rdsModule from './rds';

/** The modules resolver code may import, by specifier. */
const modules: Record<string, unknown> = deepFreeze({
  '@aws-appsync/utils': { util, runtime, extensions },
  '@aws-appsync/utils/dynamodb': { ...dynamodbModule },
  '@aws-appsync/utils/rds': { ...rdsModule },
});

// ---- time limit: instrumented code calls tick() on every function entry and loop iteration ----
let ticks = 0;
let deadline = Number.POSITIVE_INFINITY;

function tick(): void {
  ticks += 1;
  // Reading the clock costs more than the check; once every 256 ticks is precise enough for a limit in ms.
  if ((ticks & 255) === 0 && Date.now() > deadline) throw new TimeLimitExceeded('Execution timed out.');
}

// ---- console: AppSync sends console output to logs; EvaluateCode returns it as `logs` ----
function formatLogArgument(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function log(...args: unknown[]): void {
  activeEvaluation()?.logs.push(args.map(formatLogArgument).join(' '));
}

const console = { log, info: log, warn: log, error: log, debug: log };

// ---- evaluation ----

type ModuleFactory = (modules: Record<string, unknown>, tick: () => void, global: unknown) => Record<string, unknown>;

interface Outcome {
  result?: unknown;
  error?: ResolverErrorRecord & { kind: 'resolver' | 'runtime' | 'timeout' | 'output' | 'export' };
  earlyReturn?: { skipTo?: 'END' | 'NEXT' };
  stash?: unknown;
  outErrors: ResolverErrorRecord[];
  logs: string[];
  extensions: unknown[];
  responseHeaders?: Record<string, string>;
}

function describeThrown(thrown: unknown): string {
  if (thrown instanceof ModuleError) return thrown.message;
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  return `Uncaught ${formatLogArgument(thrown)}`;
}

function run(
  factory: ModuleFactory,
  handlerName: string,
  input: ContextInput,
  shared: SharedContext,
  outcome: Outcome,
): void {
  const exported = factory(modules, tick, resolverGlobal);
  const handler = exported[handlerName];
  if (typeof handler !== 'function') {
    outcome.error = { kind: 'export', message: `The code does not export a function named '${handlerName}'.` };
    return;
  }
  const ctx = buildContext(input, shared);
  outcome.stash = ctx.stash;
  try {
    outcome.result = (handler as (ctx: unknown) => unknown)(ctx);
  } catch (thrown) {
    if (thrown instanceof EarlyReturn) {
      outcome.result = thrown.value;
      outcome.earlyReturn = thrown.skipTo ? { skipTo: thrown.skipTo } : {};
    } else {
      outcome.error = errorOf(thrown);
    }
  }
}

/** What stopped an evaluation: util.error/unauthorized, the time limit, or any other throw. */
function errorOf(thrown: unknown): NonNullable<Outcome['error']> {
  if (thrown instanceof ResolverError) return { kind: 'resolver', ...thrown.record };
  if (thrown instanceof TimeLimitExceeded) return { kind: 'timeout', message: thrown.message };
  return { kind: 'runtime', message: describeThrown(thrown) };
}

/** An outcome with nothing but an error, as JSON text. */
function failure(kind: 'runtime' | 'output' | 'timeout', message: string): string {
  return JSON.stringify({ outErrors: [], logs: [], extensions: [], stash: {}, error: { kind, message } });
}

function serialize(outcome: Outcome, maxOutputLength: number): string {
  let text: string;
  try {
    text = JSON.stringify(outcome);
  } catch (thrown) {
    if (thrown instanceof TimeLimitExceeded) return failure('timeout', thrown.message);
    return JSON.stringify({
      ...outcome,
      result: undefined,
      stash: {},
      error: { kind: 'output', message: `The handler's output cannot be serialised: ${describeThrown(thrown)}` },
    });
  }
  if (text.length > maxOutputLength) {
    return failure(
      'output',
      `The handler's output is ${text.length} characters, over the limit of ${maxOutputLength}.`,
    );
  }
  return text;
}

// The read-only part of a context (identity, source, info, request, env) is usually the same text for every
// handler of one resolver run; parsing and freezing it once per distinct text saves most of the context cost.
let lastSharedJson = '';
let lastShared: SharedContext = {};

function sharedPart(sharedJson: string): SharedContext {
  if (sharedJson !== lastSharedJson) {
    lastShared = deepFreeze(JSON.parse(sharedJson) as SharedContext);
    lastSharedJson = sharedJson;
  }
  return lastShared;
}

function pickShared(input: ContextInput): SharedContext {
  return { identity: input.identity, source: input.source, info: input.info, request: input.request, env: input.env };
}

/**
 * Runs one handler. `contextJson` is the whole context, or only its mutable part when `sharedJson` (the read-only
 * part, as JSON text) is given. Returns the outcome as JSON text.
 */
function evaluate(
  factory: ModuleFactory,
  handlerName: string,
  contextJson: string,
  sharedJson: string,
  evaluationDeadline: number,
  authType: string | undefined,
  maxOutputLength: number,
): string {
  let input: ContextInput;
  let shared: SharedContext;
  try {
    input = JSON.parse(contextJson) as ContextInput;
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new TypeError('not an object');
    shared = sharedJson === '' ? deepFreeze(pickShared(input)) : sharedPart(sharedJson);
  } catch (thrown) {
    return failure('runtime', `The context is not a JSON object: ${describeThrown(thrown)}`);
  }
  const state = beginEvaluation(
    newEvaluationState({ identity: shared.identity, authType, deadline: evaluationDeadline }),
  );
  ticks = 0;
  deadline = evaluationDeadline;
  const outcome: Outcome = { outErrors: state.outErrors, logs: state.logs, extensions: state.extensions };
  try {
    run(factory, handlerName, input, shared, outcome);
  } catch (thrown) {
    // Thrown by module top-level code, outside the handler.
    outcome.error = errorOf(thrown);
  } finally {
    endEvaluation();
  }
  const responseHeaders = (state as { responseHeaders?: Record<string, string> }).responseHeaders;
  if (responseHeaders) outcome.responseHeaders = responseHeaders;
  if (outcome.error) delete outcome.result;
  else if (outcome.result === undefined) outcome.result = null;
  // Serialising runs resolver code too (getters, toJSON): the time limit still holds.
  try {
    return serialize(outcome, maxOutputLength);
  } finally {
    deadline = Number.POSITIVE_INFINITY;
  }
}

// ---- lockdown: cap allocation builtins, freeze every intrinsic ----
const MAX_ELEMENTS = 10_000_000;
const MAX_STRING_LENGTH = 64 * 1024 * 1024;

function tooLarge(what: string): RangeError {
  return new RangeError(`${what} exceeds the runtime's limit`);
}

function capAllocations(global: Record<string, unknown>): void {
  const NativeArray = Array;
  const checkLength = (args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === 'number' && args[0] > MAX_ELEMENTS) throw tooLarge('Array length');
  };
  global.Array = new Proxy(NativeArray, {
    apply(target, _self, args: unknown[]) {
      checkLength(args);
      return Reflect.apply(target, undefined, args);
    },
    construct(target, args: unknown[], newTarget) {
      checkLength(args);
      return Reflect.construct(target, args, newTarget);
    },
  });
  const arrayProto = NativeArray.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['fill', 'join']) {
    const original = arrayProto[name];
    Object.defineProperty(arrayProto, name, {
      value: function (this: { length: number }, ...args: unknown[]) {
        if (this.length > MAX_ELEMENTS) throw tooLarge('Array length');
        return original.apply(this, args);
      },
      writable: true,
      configurable: true,
    });
  }
  const nativeFrom = NativeArray.from;
  Object.defineProperty(NativeArray, 'from', {
    value: function (source: { length?: unknown }, ...rest: unknown[]) {
      if (source !== null && typeof source === 'object' && typeof source.length === 'number') {
        if (source.length > MAX_ELEMENTS) throw tooLarge('Array length');
      }
      return (nativeFrom as (...args: unknown[]) => unknown).call(NativeArray, source, ...rest);
    },
    writable: true,
    configurable: true,
  });
  const stringProto = String.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const resultLength: Record<string, (self: string, args: unknown[]) => number> = {
    repeat: (self, args) => self.length * Number(args[0]),
    padStart: (_self, args) => Number(args[0]),
    padEnd: (_self, args) => Number(args[0]),
  };
  for (const [name, lengthOf] of Object.entries(resultLength)) {
    const original = stringProto[name];
    Object.defineProperty(stringProto, name, {
      value: function (this: string, ...args: unknown[]) {
        if (lengthOf(String(this), args) > MAX_STRING_LENGTH) throw tooLarge('String length');
        return original.apply(this, args);
      },
      writable: true,
      configurable: true,
    });
  }
}

function freezeDeeply(root: unknown): void {
  const seen = new Set<unknown>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    try {
      Object.freeze(value);
    } catch {
      // The contextified global object refuses freeze() and preventExtensions(); lock its properties one by one.
      // Resolver code never sees it: its `globalThis` is the frozen stand-in made by lockdown().
      for (const key of Reflect.ownKeys(value as object)) {
        const d = Object.getOwnPropertyDescriptor(value, key);
        if (d?.configurable)
          Object.defineProperty(value, key, {
            ...d,
            configurable: false,
            ...('value' in d ? { writable: false } : {}),
          });
      }
    }
    pending.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value as object)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      if ('value' in descriptor) pending.push(descriptor.value);
      pending.push(descriptor.get, descriptor.set);
    }
  }
}

/**
 * Freezes the realm. Globals AppSync does not offer stay on the global object (this driver and the util library use
 * some of them); the host hides them from resolver code by shadowing them in the module wrapper instead.
 */
function lockdown(supportedGlobals: readonly string[]): void {
  const global = globalThis as unknown as Record<string, unknown>;
  // The guide's "Globals" section: util, extensions and runtime need no import. Bundled helper files rely on this,
  // because esbuild renames an imported `util` when another file of the bundle uses the global one.
  for (const [name, value] of Object.entries(modules['@aws-appsync/utils'] as Record<string, unknown>))
    Object.defineProperty(global, name, { value, enumerable: false, writable: false, configurable: false });
  delete global.console;
  Object.defineProperty(global, 'console', { value: console, enumerable: false, writable: false, configurable: false });
  capAllocations(global);
  const visible: Record<string, unknown> = Object.create(null);
  for (const name of supportedGlobals) if (name in global) visible[name] = global[name];
  visible.console = console;
  visible.globalThis = visible;
  resolverGlobal = Object.freeze(visible);
  freezeDeeply(global);
}

/** What resolver code sees as `globalThis`: the supported globals only, frozen, so nothing can be left on it. */
let resolverGlobal: unknown;

(globalThis as unknown as { __appsyncRealm: unknown }).__appsyncRealm = { evaluate, lockdown };
