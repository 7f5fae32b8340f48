// The sandbox realm: a V8 context with its own intrinsics, string code generation disabled (no eval, no Function
// constructor), a null-prototype global (so no host object is reachable from it), every intrinsic frozen after
// the driver and the util library are loaded. Resolver code runs here; the host talks to it in JSON text only.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { buildSync } from 'esbuild';
import { SUPPORTED_GLOBALS } from './features';

/** A module factory compiled inside the realm; opaque to the host. */
export type RealmFunction = { readonly __realmFunction: unique symbol };

export interface Realm {
  /** Compiles a factory produced by the loader; throws the realm's SyntaxError when V8 rejects it. */
  compile(factorySource: string, filename: string): RealmFunction;
  /** Runs one handler; returns the outcome as JSON text (see realm/entry.ts). */
  evaluate: RealmDriver['evaluate'];
  /** Global names of the realm that resolver code must not see. */
  readonly shadowedGlobals: readonly string[];
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

let driverSource: string | undefined;

const realmDir = fileURLToPath(new URL('./realm/', import.meta.url));
const cacheDir = path.resolve(realmDir, '../../../node_modules/.cache/appsync-local');

/** A digest of every source file of the realm: the bundle is rebuilt only when one of them changes. */
function realmSourceDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) hash.update(`${path.relative(realmDir, full)}\0`).update(readFileSync(full));
    }
  };
  walk(realmDir);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The realm bundle (driver, util, dynamodb module). Building it spawns esbuild synchronously (~0.3 s or more), so
 * it is cached on disk by the digest of its sources and built at most once per change.
 */
function realmDriverSource(): string {
  if (driverSource) return driverSource;
  const cacheFile = path.join(cacheDir, `realm-${realmSourceDigest()}.js`);
  if (existsSync(cacheFile)) {
    driverSource = readFileSync(cacheFile, 'utf8');
    return driverSource;
  }
  const result = buildSync({
    entryPoints: [path.join(realmDir, 'entry.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    logLevel: 'silent',
  });
  driverSource = result.outputFiles[0].text;
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Written under a unique name, then renamed: concurrent processes never read half a file.
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, driverSource);
    renameSync(partial, cacheFile);
  } catch {
    // A read-only install only loses the cache.
  }
  return driverSource;
}

// Names that cannot be parameters or that must stay visible whatever the supported list says.
const NEVER_SHADOWED = new Set(['undefined', 'NaN', 'Infinity', 'console', 'globalThis']);

export function createRealm(): Realm {
  const context = vm.createContext(Object.create(null), {
    name: 'APPSYNC_JS',
    codeGeneration: { strings: false, wasm: false },
  });
  const global = context as Record<string, unknown>;
  // The only door out: primitives in, primitives out. Its own prototype is null, and the driver keeps it in a closure.
  global.__appsyncHost = Object.freeze(
    Object.assign(Object.create(null), {
      randomHex: (n: number) => randomBytes(Math.max(0, Math.min(n, 1024))).toString('hex'),
    }),
  );
  vm.runInContext(realmDriverSource(), context, { filename: 'appsync-realm.js' });
  const driver = global.__appsyncRealm as RealmDriver;
  delete global.__appsyncHost;
  delete global.__appsyncRealm;

  const supported = new Set(SUPPORTED_GLOBALS);
  const allGlobals = vm.runInContext('Object.getOwnPropertyNames(globalThis)', context) as string[];
  const shadowedGlobals = allGlobals.filter(
    (name) => !supported.has(name) && !NEVER_SHADOWED.has(name) && /^[A-Za-z_$][\w$]*$/.test(name),
  );
  driver.lockdown(SUPPORTED_GLOBALS);

  return {
    shadowedGlobals,
    compile(factorySource, filename) {
      return new vm.Script(factorySource, { filename, lineOffset: -1 }).runInContext(context) as RealmFunction;
    },
    evaluate: (...args) => driver.evaluate(...args),
  };
}
