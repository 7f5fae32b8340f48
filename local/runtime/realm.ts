// The sandbox realm: a V8 context with its own intrinsics, string code generation disabled (no eval, no Function
// constructor), a null-prototype global (so no host object is reachable from it), every intrinsic frozen after
// the driver and the util library are loaded. Resolver code runs here; the host talks to it in JSON text only.
import { randomBytes } from 'node:crypto';
import vm from 'node:vm';
import { SUPPORTED_GLOBALS } from './features';

/** A module factory compiled inside the realm; opaque to the host. */
export type RealmFunction = { readonly __realmFunction: unique symbol };

export interface Realm {
  /** Compiles a factory produced by the loader; throws the realm's SyntaxError when V8 rejects it. */
  compile(factorySource: string, filename: string): RealmFunction;
  /**
   * Runs one handler within the realm's limits; returns the outcome as JSON text (see realm/entry.ts), a runtime
   * failure when the realm itself fails. Never throws.
   */
  evaluate(
    factory: RealmFunction,
    handlerName: string,
    contextJson: string,
    sharedJson: string,
    authType: string | undefined,
  ): string;
}

/** The limits of every evaluation in a realm. */
export interface RealmLimits {
  /** Time limit of one handler evaluation, in milliseconds, counted from when it starts. */
  timeoutMs: number;
  /** Largest outcome one evaluation may produce, in characters of JSON. */
  maxOutputLength: number;
}

interface RealmDriver {
  evaluate(
    factory: RealmFunction,
    handlerName: string,
    contextJson: string,
    sharedJson: string,
    deadline: number,
    authType: string | undefined,
    maxOutputLength: number,
  ): string;
  lockdown(supportedGlobals: readonly string[]): void;
}

// Names that cannot be parameters or that must stay visible whatever the supported list says.
const NEVER_SHADOWED = new Set(['undefined', 'NaN', 'Infinity', 'console', 'globalThis']);

function newContext(): vm.Context {
  return vm.createContext(Object.create(null), { name: 'APPSYNC_JS', codeGeneration: { strings: false, wasm: false } });
}

let shadowed: readonly string[] | undefined;

/**
 * The global names of a fresh realm that resolver code must not see. They depend only on V8, so the host can compile
 * modules for realms it does not own (the evaluation workers' realms) with the same list.
 */
export function shadowedGlobalNames(): readonly string[] {
  if (!shadowed) {
    const supported = new Set(SUPPORTED_GLOBALS);
    const allGlobals = vm.runInContext('Object.getOwnPropertyNames(globalThis)', newContext()) as string[];
    shadowed = Object.freeze(
      allGlobals.filter((name) => !supported.has(name) && !NEVER_SHADOWED.has(name) && /^[A-Za-z_$][\w$]*$/.test(name)),
    );
  }
  return shadowed;
}

/** An outcome (as realm/entry.ts reports them) with nothing but a runtime error, as JSON text. */
export function runtimeFailureOutcome(message: string): string {
  return JSON.stringify({ outErrors: [], logs: [], extensions: [], stash: {}, error: { kind: 'runtime', message } });
}

/** A new realm running `driverBundle` (realm-bundle.ts builds it; a worker gets it from its host). */
export function createRealm(driverBundle: string, { timeoutMs, maxOutputLength }: RealmLimits): Realm {
  const context = newContext();
  const global = context as Record<string, unknown>;
  // The only door out: primitives in, primitives out. Its own prototype is null, and the driver keeps it in a closure.
  global.__appsyncHost = Object.freeze(
    Object.assign(Object.create(null), {
      randomHex: (n: number) => randomBytes(Math.max(0, Math.min(n, 1024))).toString('hex'),
    }),
  );
  vm.runInContext(driverBundle, context, { filename: 'appsync-realm.js' });
  const driver = global.__appsyncRealm as RealmDriver;
  delete global.__appsyncHost;
  delete global.__appsyncRealm;

  driver.lockdown(SUPPORTED_GLOBALS);

  return {
    compile(factorySource, filename) {
      return new vm.Script(factorySource, { filename, lineOffset: -1 }).runInContext(context) as RealmFunction;
    },
    evaluate(factory, handlerName, contextJson, sharedJson, authType) {
      try {
        return driver.evaluate(
          factory,
          handlerName,
          contextJson,
          sharedJson,
          Date.now() + timeoutMs,
          authType,
          maxOutputLength,
        );
      } catch (thrown) {
        // The driver catches everything resolver code throws; this is the realm itself failing (e.g. stack overflow
        // while building the outcome). Report it rather than crash the host.
        return runtimeFailureOutcome(`The runtime failed: ${(thrown as Error).message}`);
      }
    },
  };
}
