#!/usr/bin/env node
// Entry point of the `appsync-local` command. The project is TypeScript without a build step: the CLI module is
// loaded through the bundle cache (bin/module-cache.js), which rebuilds it only when a source file changed.
import { fileURLToPath } from 'node:url';
import { importModule } from './module-cache.js';

// The AWS SDK announces on every start that it will need Node 22 from 2027; the local tool has nothing to add.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await importModule(fileURLToPath(new URL('../local/cli.ts', import.meta.url)));
process.exitCode = await main(process.argv.slice(2));
