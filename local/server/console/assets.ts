// The files the console page loads, served by the local server itself from node_modules and this folder: the page
// must work offline, so nothing comes from a CDN. GraphiQL 3 is the last major with a UMD build (window.GraphiQL),
// and React 18 the last with UMD builds of its own, so the browser runs them as plain scripts with no bundling step.
// The one bundled asset is the SDK's browser-safe sign-in module (client/src/auth), built once with esbuild into a
// script that defines `CognitoAuth`, so the page signs in with SRP exactly as the SDK does.
// Each URL carries a hash of its file's content, so a file can be cached for good: a changed file is a new URL.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import { esbuildForSync, releaseEsbuild } from '../../../bin/module-cache.js';

export const CONSOLE_ASSET_PREFIX = '/console/';

export type ConsoleAssetName =
  | 'react.js'
  | 'react-dom.js'
  | 'graphiql.js'
  | 'graphiql.css'
  | 'explorer.js'
  | 'explorer.css'
  | 'auth.js'
  | 'console.js'
  | 'console.css';

const JS = 'text/javascript; charset=UTF-8';
const CSS = 'text/css; charset=UTF-8';

interface AssetSource {
  /** An npm package (resolved from this file) or, when absent, this folder. */
  packageName?: string;
  file: string;
  contentType: string;
  /** Bundle `file` (a TypeScript entry, relative to this folder) into a script defining this global. */
  bundleAs?: string;
}

const SOURCES: Record<ConsoleAssetName, AssetSource> = {
  'react.js': { packageName: 'react', file: 'umd/react.production.min.js', contentType: JS },
  'react-dom.js': { packageName: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JS },
  'graphiql.js': { packageName: 'graphiql', file: 'graphiql.min.js', contentType: JS },
  'graphiql.css': { packageName: 'graphiql', file: 'graphiql.min.css', contentType: CSS },
  // GraphiQL's explorer plugin (window.GraphiQLPluginExplorer), a UMD build on GraphiQL's own React and graphql.
  'explorer.js': { packageName: '@graphiql/plugin-explorer', file: 'dist/index.umd.js', contentType: JS },
  'explorer.css': { packageName: '@graphiql/plugin-explorer', file: 'dist/style.css', contentType: CSS },
  'auth.js': { file: '../../../client/src/auth/index.ts', contentType: JS, bundleAs: 'CognitoAuth' },
  'console.js': { file: 'console.js', contentType: JS },
  'console.css': { file: 'console.css', contentType: CSS },
};

interface LoadedAsset {
  body: Buffer;
  contentType: string;
  version: string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const requireFromHere = createRequire(import.meta.url);

function sourcePath({ packageName, file }: AssetSource): string {
  if (!packageName) return path.join(HERE, file);
  // Only `package.json` is reachable through every package's export map; the UMD files sit beside it.
  return path.join(path.dirname(requireFromHere.resolve(`${packageName}/package.json`)), file);
}

function bundle(entry: string, globalName: string): Buffer {
  const { outputFiles } = esbuildForSync().buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'es2020',
    minify: true,
    logLevel: 'silent',
  });
  releaseEsbuild();
  return Buffer.from(outputFiles[0].contents);
}

let loaded: Map<string, LoadedAsset> | undefined;

/** Reads every asset once (about 1.5 MB), so a missing package fails the first page load loudly, not half of it. */
function assets(): Map<string, LoadedAsset> {
  if (!loaded) {
    const entries = Object.entries(SOURCES).map(([name, source]): [string, LoadedAsset] => {
      let file: string;
      let body: Buffer;
      try {
        file = sourcePath(source);
        body = source.bundleAs ? bundle(file, source.bundleAs) : readFileSync(file);
      } catch (error) {
        const owner = source.packageName ? `the npm package ${source.packageName} (run npm install)` : HERE;
        throw new Error(`Console asset ${name} is missing from ${owner}: ${(error as Error).message}`);
      }
      const version = createHash('sha256').update(body).digest('hex').slice(0, 16);
      return [name, { body, contentType: source.contentType, version }];
    });
    loaded = new Map(entries);
  }
  return loaded;
}

/** The URL the page loads an asset from, versioned by its content. */
export function consoleAssetUrl(name: ConsoleAssetName): string {
  const asset = assets().get(name)!;
  return `${CONSOLE_ASSET_PREFIX}${name}?v=${asset.version}`;
}

/**
 * Answers a request under CONSOLE_ASSET_PREFIX. The current version's URL is cached for a year (immutable); any other
 * `v` gets the current file but must be revalidated, so an old page never pins a stale copy.
 */
export function serveConsoleAsset(method: string, url: URL, res: ServerResponse): void {
  const name = url.pathname.slice(CONSOLE_ASSET_PREFIX.length);
  const asset = assets().get(name);
  if (!asset || (method !== 'GET' && method !== 'HEAD')) {
    const status = asset ? 405 : 404;
    const message = asset ? `${method} is not supported for console assets.` : `No console asset ${name}.`;
    res.writeHead(status, { 'content-type': 'text/plain; charset=UTF-8', allow: 'GET, HEAD' });
    res.end(message);
    return;
  }
  const current = url.searchParams.get('v') === asset.version;
  res.writeHead(200, {
    'content-type': asset.contentType,
    'content-length': asset.body.length,
    'cache-control': current ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(method === 'HEAD' ? undefined : asset.body);
}
