#!/usr/bin/env node
// Entry point of the `appsync-local` command. The project is TypeScript run without a build step: tsx's loader
// is registered first, then the CLI module is imported.
import { register } from 'tsx/esm/api';

// The AWS SDK announces on every start that it will need Node 22 from 2027; the local tool has nothing to add.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
