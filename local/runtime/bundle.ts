// Bundles a resolver's TypeScript source the way deployment does: one ES module, `@aws-appsync/*` left as imports
// (AppSync provides them), an inline source map without `sourcesContent` (AppSync reads the map for error locations;
// the sources themselves would only eat into the 32 KB code limit).
import { readFile } from 'node:fs/promises';
import type { BuildOptions } from 'esbuild';
import { cachedBuild, esbuildForSync, releaseEsbuild, withEsbuild } from '../../bin/module-cache.js';

/** AWS's flags for APPSYNC_JS bundles; the entry and where the output goes are the caller's. */
function resolverBuildOptions(): BuildOptions {
  return {
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['@aws-appsync/*'],
    sourcemap: 'inline',
    sourcesContent: false,
    minify: false,
    logLevel: 'silent',
  };
}

export async function bundleResolver(entryPoint: string): Promise<string> {
  const result = await withEsbuild((esbuild) =>
    esbuild.build({ ...resolverBuildOptions(), entryPoints: [entryPoint], write: false }),
  );
  return result.outputFiles![0].text;
}

/**
 * The same bundle through the disk cache (bin/module-cache.js): rebuilt only when one of its source files changed,
 * so a server's start does not wait for esbuild.
 */
export async function bundleResolverCached(entryPoint: string): Promise<string> {
  return readFile(await cachedBuild('resolvers', entryPoint, resolverBuildOptions()), 'utf8');
}

export function bundleResolverSync(entryPoint: string): string {
  const result = esbuildForSync().buildSync({ ...resolverBuildOptions(), entryPoints: [entryPoint], write: false });
  releaseEsbuild();
  return result.outputFiles![0].text;
}
