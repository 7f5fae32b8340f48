import type { BuildOptions } from 'esbuild';

/** Runs `use` with esbuild; its service stops once no build has run for a second (the next build starts it again). */
export function withEsbuild<T>(use: (esbuild: typeof import('esbuild')) => Promise<T>): Promise<T>;

/** esbuild for a synchronous build, loaded when first asked for (a start that builds nothing does not load it). */
export function esbuildForSync(): typeof import('esbuild');

/** After a synchronous build: lets esbuild's service (and its thread) stop once nothing has used it for a second. */
export function releaseEsbuild(): void;

/** Imports a module; TypeScript through the bundle cache (bin/module-cache.js), JavaScript as it is. */
export function importModule(file: string): Promise<unknown>;

/** The file esbuild makes of `entry` with `options`, rebuilt only when one of its inputs changed; its path. */
export function cachedBuild(kind: string, entry: string, options: BuildOptions): Promise<string>;

/** The bundle importModule loads for a TypeScript file, built now if it is missing or stale, but not run; its path. */
export function bundleModule(file: string): Promise<string>;
