// Long documents are prepared on a worker thread of their own. Parsing and validating are linear in the text but not
// cheap (a 400 KB document of 10,000 aliased fields takes about half a second), and on the main thread every other
// caller would wait that long; the usual short documents are prepared there and cached (engine.ts).
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cachedBundle } from '../../bundle-cache';
import type { DocumentWorkerSetup, FromDocumentWorker, Preparation, ToDocumentWorker } from './prepare';

export { prepareDocument, type ParsedDocument, type Preparation } from './prepare';

/** A worker gone idle this long is stopped; the next long document starts another. */
const IDLE_MS = 30_000;

let workerUrl: URL | undefined;

function workerEntry(): URL {
  if (!workerUrl) {
    const bundle = cachedBundle(
      'document-worker',
      new URL('./worker.ts', import.meta.url),
      [
        './worker.ts',
        './prepare.ts',
        '../errors.ts',
        '../validation-errors.ts',
        '../variable-values.ts',
        '../appsync-schema.ts',
      ].map((source) => new URL(source, import.meta.url)),
      { format: 'esm', platform: 'node', target: 'node20', extension: 'mjs' },
    );
    workerUrl = bundle.file
      ? pathToFileURL(bundle.file)
      : new URL(`data:text/javascript,${encodeURIComponent(bundle.text)}`);
  }
  return workerUrl;
}

/** Prepares documents on a worker thread, one at a time, started on first use and stopped when idle. */
export class DocumentWorker {
  private current: { worker: Worker; waiting: Map<number, (preparation: Preparation) => void> } | undefined;
  private nextId = 0;
  private idle: NodeJS.Timeout | undefined;

  constructor(private readonly schemaText: string) {}

  prepare(query: string): Promise<Preparation> {
    const { worker, waiting } = this.started();
    clearTimeout(this.idle);
    this.nextId += 1;
    const id = this.nextId;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({ id, query } satisfies ToDocumentWorker);
    });
  }

  private started(): NonNullable<DocumentWorker['current']> {
    if (this.current) return this.current;
    const worker = new Worker(workerEntry(), {
      workerData: { schemaText: this.schemaText } satisfies DocumentWorkerSetup,
      env: {},
      stdin: false,
      argv: [],
      execArgv: [],
    });
    worker.unref();
    const current = { worker, waiting: new Map<number, (preparation: Preparation) => void>() };
    const { waiting } = current;
    worker.on('message', ({ id, preparation }: FromDocumentWorker) => {
      waiting.get(id)?.(preparation);
      waiting.delete(id);
      if (waiting.size === 0 && this.current === current) {
        this.idle = setTimeout(() => this.stop(current), IDLE_MS);
        this.idle.unref();
      }
    });
    const failure = (reason: string): Preparation => ({
      syntaxError: { path: null, locations: null, message: `The document could not be prepared: ${reason}` },
    });
    // A worker that fails (out of memory on a huge document, say) fails what it was given; the next one starts anew.
    const failed = (error?: Error) => {
      this.stop(current);
      for (const resolve of waiting.values()) resolve(failure(error?.message ?? 'the worker stopped'));
      waiting.clear();
    };
    worker.on('error', failed);
    worker.on('exit', () => failed());
    // An answer this thread cannot take in (a document nested thousands deep overflows the stack as it is copied
    // here) is the oldest one's: the worker answers in order.
    worker.on('messageerror', (error: Error) => {
      const [oldest] = waiting.keys();
      if (oldest === undefined) return;
      waiting.get(oldest)!(failure(error.message));
      waiting.delete(oldest);
    });
    this.current = current;
    return current;
  }

  private stop(current: NonNullable<DocumentWorker['current']>): void {
    if (this.current === current) this.current = undefined;
    void current.worker.terminate();
  }
}
