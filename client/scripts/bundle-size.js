// `npm run size -w client`: what the SDK adds to a web app, bundled for a browser by esbuild (minified, tree-shaken
// as an app's bundler would) and gzipped. Run `npm run build -w client` first; it measures dist/.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const entries = {
  'createNotesClient + errors + uploads (a typical app)':
    'export { createNotesClient, hasErrorType, newClientToken, attachmentProblem } from "SDK";',
  'everything, parsed documents included': 'export * from "SDK";',
};

for (const [label, source] of Object.entries(entries)) {
  const result = await build({
    stdin: { contents: source.replace('SDK', dist), resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const gzipped = gzipSync(code, { level: 9 }).length;
  console.log(`${label}: ${(code.length / 1024).toFixed(1)} kB minified, ${(gzipped / 1024).toFixed(1)} kB gzip`);
}
