#!/usr/bin/env node
// Entry point of the `appsync-local` command. The project is TypeScript without a build step: the CLI module is
// loaded through the bundle cache (bin/module-cache.js), which rebuilds it only when a source file changed.
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { importModule } from './module-cache.js';

// After each full collection V8 lets a heap grow to up to 4 times what survived before collecting again. Under load
// that left the server's main thread and store thread holding 20 to 30 MB of garbage each; letting every heap grow by
// half instead cut the server's peak resident memory by a quarter at the same CPU per request (bench/server.bench.ts).
// V8 reads this flag at each collection, so setting it here covers every thread; a value the user passed stays.
const nodeFlags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
if (!/--heap[-_]growing[-_]percent/.test(nodeFlags)) setFlagsFromString('--heap-growing-percent=50');

// The AWS SDK announces on every start that it will need Node 22 from 2027; the local tool has nothing to add.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await importModule(fileURLToPath(new URL('../local/cli.ts', import.meta.url)));
process.exitCode = await main(process.argv.slice(2));
