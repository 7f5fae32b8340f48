#!/usr/bin/env node
// Entry point of the `appsync-local` command. The project is TypeScript run without a build step: tsx's loader
// is registered first, then the CLI module is imported.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
