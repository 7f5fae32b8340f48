// A Lambda function run locally: its handler found as the Node.js runtime finds it, its code in a worker thread of
// its own (its own environment variables and module cache, as a Lambda execution environment has), started at the
// first invocation and kept warm. A failed invocation is a LambdaError carrying Lambda's error document; a timeout or
// a crash ends the environment, and the next invocation starts a new one.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { withEsbuild } from '../../bin/module-cache.js';

/** Lambda's error document (`errorType`, `errorMessage`), as the Invoke API returns it for a function error. */
export class LambdaError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: string[] = [],
  ) {
    super(errorMessage);
  }
}

/** Where a handler lives: the file to load and the export path inside it. */
export interface HandlerLocation {
  file: string;
  exportPath: string;
}

// Lambda's Node.js runtime tries these after the bare name; local sources may also be TypeScript, bundled first.
const RUNTIME_EXTENSIONS = ['', '.js', '.mjs', '.cjs'];
const SOURCE_EXTENSIONS = [...RUNTIME_EXTENSIONS, '.ts', '.mts', '.cts'];

/**
 * Finds a handler. A path naming an existing file means its `handler` export (`functions/create-upload-url.ts`);
 * otherwise the name is Lambda's `dir/module.export.path` (module up to the first dot of the last segment, then a
 * dotted export path), the module tried with the runtime's extensions.
 * https://github.com/aws/aws-lambda-nodejs-runtime-interface-client (src/utils/handler-path.ts, module-loader.ts)
 */
export function locateHandler(rootDir: string, handler: string, { prebuilt = false } = {}): HandlerLocation {
  const direct = path.resolve(rootDir, handler);
  if (existsSync(direct) && statSync(direct).isFile()) return { file: direct, exportPath: 'handler' };
  const base = path.basename(handler);
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match || match[2] === '') {
    throw new Error(`Bad handler '${handler}': name a file exporting 'handler', or use Lambda's 'file.export' form`);
  }
  const stem = path.resolve(rootDir, path.dirname(handler), match[1]);
  for (const extension of prebuilt ? RUNTIME_EXTENSIONS : SOURCE_EXTENSIONS) {
    const file = `${stem}${extension}`;
    if (existsSync(file) && statSync(file).isFile()) return { file, exportPath: match[2] };
  }
  throw new Error(`Handler '${handler}': no module ${path.relative(rootDir, stem) || stem} under ${rootDir}`);
}

/**
 * Bundles a handler's source as NodejsFunction does for deployment (esbuild, the project's files inlined, packages
 * left to node_modules), as an ES module that can still `require` (CommonJS code bundled into ESM needs it).
 */
export async function bundleHandler(entry: string, outfile: string): Promise<void> {
  await withEsbuild((esbuild) =>
    esbuild.build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __localCreateRequire } from 'node:module';\nconst require = __localCreateRequire(import.meta.url);",
      },
    }),
  );
}

export interface LocalFunctionOptions {
  functionName: string;
  /** The file the worker imports (a bundle, or code that is already built) and the export to call. */
  location: () => Promise<HandlerLocation>;
  /** How the function was named, for Runtime.HandlerNotFound messages (`index.handler`). */
  handlerName: string;
  environment: Record<string, string>;
  timeoutMs: number;
  memoryMB?: number;
  region: string;
  accountId: string;
}

export interface LocalFunction {
  /** Runs the handler with `event` (crossing as JSON); resolves with its JSON result or rejects with LambdaError. */
  invoke(event: unknown): Promise<unknown>;
  /** Ends the execution environment; the next invocation starts a new one (with fresh code). */
  stop(): Promise<void>;
}

/** Lambda's limit on initialisation (the module's top level), separate from the function's timeout. */
const INIT_TIMEOUT_MS = 10_000;
const WORKER_FILE = fileURLToPath(new URL('./worker.mjs', import.meta.url));

interface Pending {
  resolve(value: unknown): void;
  reject(error: LambdaError): void;
  timer: NodeJS.Timeout;
}

interface WorkerReply {
  id: string;
  started?: boolean;
  payload?: string;
  error?: { errorType: string; errorMessage: string; trace?: string[] };
}

export function createLocalFunction(options: LocalFunctionOptions): LocalFunction {
  let environment: { worker: Worker; pending: Map<string, Pending> } | undefined;
  let starting: Promise<NonNullable<typeof environment>> | undefined;

  const end = (current: NonNullable<typeof environment>, error: LambdaError) => {
    if (environment === current) environment = undefined;
    for (const pending of current.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    current.pending.clear();
    void current.worker.terminate();
  };

  async function start(): Promise<NonNullable<typeof environment>> {
    const location = await options.location();
    const worker = new Worker(WORKER_FILE, {
      env: options.environment,
      workerData: {
        file: location.file,
        exportPath: location.exportPath,
        handlerName: options.handlerName,
        functionName: options.functionName,
        memoryMB: options.memoryMB ?? 128,
        region: options.region,
        accountId: options.accountId,
      },
    });
    const current = { worker, pending: new Map<string, Pending>() };
    worker.on('message', (reply: WorkerReply) => {
      const pending = current.pending.get(reply.id);
      if (!pending) return;
      if (reply.started) {
        // Initialisation is over: from here the function's own timeout applies.
        clearTimeout(pending.timer);
        pending.timer = setTimeout(() => timedOut(current), options.timeoutMs);
        return;
      }
      current.pending.delete(reply.id);
      clearTimeout(pending.timer);
      if (reply.error) {
        pending.reject(new LambdaError(reply.error.errorType, reply.error.errorMessage, reply.error.trace));
      } else {
        pending.resolve(JSON.parse(reply.payload ?? 'null'));
      }
    });
    worker.on('error', (error) => end(current, new LambdaError(error.name || 'Error', error.message)));
    worker.on('exit', (code) => {
      end(current, new LambdaError('Runtime.ExitError', `Runtime exited with error: exit status ${code}`));
    });
    // A worker must not keep the server's process alive by itself.
    worker.unref();
    return current;
  }

  function timedOut(current: NonNullable<typeof environment>) {
    const seconds = (options.timeoutMs / 1000).toFixed(2);
    end(current, new LambdaError('Sandbox.Timedout', `Task timed out after ${seconds} seconds`));
  }

  async function ready(): Promise<NonNullable<typeof environment>> {
    if (environment) return environment;
    starting ??= start().finally(() => {
      starting = undefined;
    });
    environment = await starting;
    return environment;
  }

  return {
    async invoke(event) {
      const current = await ready();
      const id = randomUUID();
      return new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          end(current, new LambdaError('Runtime.InitError', `Init timed out after ${INIT_TIMEOUT_MS / 1000} seconds`));
        }, INIT_TIMEOUT_MS + options.timeoutMs);
        current.pending.set(id, { resolve, reject, timer });
        current.worker.postMessage({
          id,
          requestId: id,
          event: JSON.stringify(event ?? null),
          timeoutMs: options.timeoutMs,
        });
      });
    },
    async stop() {
      const current = environment ?? (starting ? await starting.catch(() => undefined) : undefined);
      environment = undefined;
      if (current) {
        for (const pending of current.pending.values()) clearTimeout(pending.timer);
        current.pending.clear();
        await current.worker.terminate();
      }
    },
  };
}
