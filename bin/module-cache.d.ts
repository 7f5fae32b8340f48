import type { BuildOptions } from 'esbuild';

/** Imports a module; TypeScript through the bundle cache (bin/module-cache.js), JavaScript as it is. */
export function importModule(file: string): Promise<unknown>;

/** The file esbuild makes of `entry` with `options`, rebuilt only when one of its inputs changed; its path. */
export function cachedBuild(kind: string, entry: string, options: BuildOptions): Promise<string>;

/** The bundle importModule loads for a TypeScript file, built now if it is missing or stale, but not run; its path. */
export function bundleModule(file: string): Promise<string>;
