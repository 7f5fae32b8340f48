// Bundles the local AppSync builds for itself (the realm driver, the scripts of its worker threads), cached on disk
// by a digest of their sources: esbuild runs at most once per change, and a start with a warm cache only reads and
// hashes files.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { esbuildForSync, releaseEsbuild } from '../bin/module-cache.js';

const localDir = fileURLToPath(new URL('.', import.meta.url));
/** Under node_modules, so that a bundle's package imports resolve from where it sits. */
export const CACHE_DIR = path.resolve(localDir, '../node_modules/.cache/appsync-local');

/** A digest of the files and of every TypeScript file under the folders: a bundle of them is stale when it changes. */
function sourceDigest(sources: readonly string[]): string {
  const hash = createHash('sha256');
  const add = (file: string) => hash.update(`${path.relative(localDir, file)}\0`).update(readFileSync(file));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) add(full);
    }
  };
  for (const source of sources) {
    if (source.endsWith('.ts')) add(source);
    else walk(source);
  }
  return hash.digest('hex').slice(0, 16);
}

export interface CachedBundle {
  /** The cached file; empty when the cache could not be written. */
  file: string;
  text: string;
}

/**
 * The bundle of `entry`, rebuilt only when one of `sources` (files, or folders of TypeScript files) changes. esbuild
 * is loaded only on a miss: a warm start never pays for it.
 */
export function cachedBundle(
  name: string,
  entry: URL,
  sources: readonly URL[],
  options: BuildOptions & { extension: string },
): CachedBundle {
  const { extension, ...buildOptions } = options;
  const digest = sourceDigest(sources.map((source) => fileURLToPath(source)));
  const file = path.join(CACHE_DIR, `${name}-${digest}.${extension}`);
  if (existsSync(file)) return { file, text: readFileSync(file, 'utf8') };
  const { buildSync } = esbuildForSync();
  const result = buildSync({
    ...buildOptions,
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    write: false,
    logLevel: 'silent',
  });
  releaseEsbuild();
  const text = result.outputFiles[0].text;
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written under a unique name, then renamed: concurrent processes never read half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  } catch {
    // A read-only install only loses the cache (a worker then starts from the text).
    return { file: '', text };
  }
  return { file, text };
}
