// Bundles a resolver's TypeScript source the way deployment does: one ES module, `@aws-appsync/*` left as imports
// (AppSync provides them), an inline source map without `sourcesContent` (AppSync reads the map for error locations;
// the sources themselves would only eat into the 32 KB code limit).
import { build, buildSync, type BuildOptions } from 'esbuild';

function resolverBuildOptions(entryPoint: string): BuildOptions {
  return {
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
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
  const result = await build(resolverBuildOptions(entryPoint));
  return result.outputFiles![0].text;
}

export function bundleResolverSync(entryPoint: string): string {
  const result = buildSync(resolverBuildOptions(entryPoint));
  return result.outputFiles![0].text;
}
