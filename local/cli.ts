// `appsync-local`: the local AppSync's command line.
//
//   appsync-local evaluate --code resolver.js --context ctx.json [--function request|response]
//       Prints what AppSync's EvaluateCode API would return, as JSON. Exit code 0 even when the evaluation reports an
//       error (as the AWS CLI does); 1 only when the command itself is wrong (missing file, bad flag).
//       Members of documented objects that AppSync's "Supported runtime features" does not list are warnings on
//       stderr; with --strict they are code errors, as AppSync would report a rejected feature.
import { readFileSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluateCode } from './runtime/evaluate-code';
import { bundleResolverSync } from './runtime/bundle';
import { checkCode } from './runtime/validate';

const USAGE = `Usage:
  appsync-local evaluate --code <file.js|file.ts> --context <file.json|JSON|file://path> [--function request|response]
      [--runtime APPSYNC_JS] [--runtime-version 1.0.0] [--strict]
  appsync-local serve --config <file> [--port 4000] [--data-dir .data] [--dynamodb-endpoint <url>]
      [--host 127.0.0.1] [--public-host <address>] [--cors-origin <origin>]... [--verbose] [--watch]
      [--current-item-on-condition-failure]
  appsync-local serve --cloudformation <template.yaml|json> [--parameter Key=Value]... [--api <logical id>] [flags above]
  appsync-local serve --cdk [app dir] [--stack <name>] [--parameter Key=Value]... [flags above]
`;

/** Reads `file://path`, a path to an existing file, or literal text (as the AWS CLI accepts parameters). */
function readParameter(value: string): string {
  if (value.startsWith('file://')) return readFileSync(value.slice('file://'.length), 'utf8');
  if (existsSync(value)) return readFileSync(value, 'utf8');
  return value;
}

function readCode(file: string): string {
  const path = file.startsWith('file://') ? file.slice('file://'.length) : file;
  // TypeScript sources are bundled the way deployment does, so the evaluated code is what AppSync would run.
  if (/\.(ts|mts)$/.test(path)) return bundleResolverSync(path);
  return readFileSync(path, 'utf8');
}

function evaluateCommand(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      code: { type: 'string' },
      context: { type: 'string' },
      function: { type: 'string', default: 'request' },
      runtime: { type: 'string', default: 'APPSYNC_JS' },
      'runtime-version': { type: 'string', default: '1.0.0' },
      strict: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.code) throw new UsageError('--code is required');
  const code = readCode(values.code);
  const output = evaluateCode({
    runtime: { name: values.runtime!, runtimeVersion: values['runtime-version']! },
    code,
    context: values.context ? readParameter(values.context) : '{}',
    function: values.function,
    strict: values.strict,
  });
  if (!values.strict) {
    for (const warning of checkCode(code).warnings) {
      const { line, column } = warning.location;
      process.stderr.write(`warning ${values.code}:${line}:${column} ${warning.value}\n`);
    }
  }
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  return 0;
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'evaluate':
        return evaluateCommand(rest);
      case 'serve': {
        const { serveCommand } = await import('./server/cli');
        return await serveCommand(rest);
      }
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`Unknown command '${command}'`);
    }
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${error instanceof UsageError ? USAGE : ''}`);
    return 1;
  }
}
