// dynalite, loaded with the one fix it needs to run for long: closing the LevelDB iterators of its queries and scans.
//
// dynalite 4.0.0 reads ranges through streams over abstract-level iterators, and when a stream ends or is destroyed
// (a Query that reached its Limit) it closes the iterator by calling `iterator.return()`, the async-iterator way of
// saying "done". abstract-level's iterators have `close()` and no `return()`, so the call is skipped and every Query
// and Scan leaves an iterator open: the database keeps each one (to close it when the database closes) together with
// its LevelDB snapshot and read-ahead buffer. Under the notes API's load that was 450 iterators and 3 MB of heap (more
// outside it) per 1,500 operations, forever. Giving abstract-level's iterators the `return()` dynalite expects closes
// them when dynalite means to.
import type { Server } from 'node:http';
import { createRequire } from 'node:module';

export interface DynaliteServerOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

type DynaliteFactory = (options: DynaliteServerOptions) => Server;

interface IteratorClass {
  prototype: { close(): Promise<void>; return?: unknown };
}

/** The abstract-level module dynalite's own LevelDB bindings (level, then classic-level) are built on. */
export function dynaliteAbstractLevel(): Record<string, unknown> {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const fromLevel = createRequire(fromDynalite.resolve('level'));
  const fromClassicLevel = createRequire(fromLevel.resolve('classic-level'));
  return fromClassicLevel('abstract-level') as Record<string, unknown>;
}

let patched = false;

function closeIteratorsOnReturn(): void {
  if (patched) return;
  patched = true;
  const abstractLevel = dynaliteAbstractLevel();
  for (const name of ['AbstractIterator', 'AbstractKeyIterator', 'AbstractValueIterator']) {
    const prototype = (abstractLevel[name] as IteratorClass | undefined)?.prototype;
    if (!prototype) throw new Error(`abstract-level has no ${name}: dynalite's iterator fix does not apply`);
    // Should a later abstract-level add its own return(), it is kept.
    if ('return' in prototype) continue;
    Object.defineProperty(prototype, 'return', {
      configurable: true,
      writable: true,
      value: async function (this: { close(): Promise<void> }) {
        await this.close();
        return { done: true, value: undefined };
      },
    });
  }
}

/** dynalite's server factory (it is CommonJS without types), with its iterators closed when it is done with them. */
export function loadDynalite(): DynaliteFactory {
  closeIteratorsOnReturn();
  return createRequire(import.meta.url)('dynalite') as DynaliteFactory;
}
