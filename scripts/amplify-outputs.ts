// `amplify_outputs.json` for the deployed stack, from cdk-outputs.json, for apps (and Amplify libraries) to read as
// they read the local server's. `npm run deploy` ends with it; run alone (`npx tsx scripts/amplify-outputs.ts`) it
// takes --outputs <cdk outputs file>, --stack <name> (needed when the file holds several) and --out <file> (default
// amplify_outputs.json in the project folder).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { amplifyOutputsFromCdkOutputs } from '../infra/outputs-file';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export async function writeAmplifyOutputs(values: { outputs?: string; stack?: string; out?: string }): Promise<void> {
  const source = path.resolve(projectRoot, values.outputs ?? 'cdk-outputs.json');
  const target = path.resolve(projectRoot, values.out ?? 'amplify_outputs.json');
  const { stackName, outputs } = amplifyOutputsFromCdkOutputs(
    JSON.parse(await readFile(source, 'utf8')),
    source,
    values.stack,
  );
  await writeFile(target, `${JSON.stringify(outputs, null, 2)}\n`);
  process.stdout.write(`Wrote ${path.relative(process.cwd(), target) || target} for ${stackName}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { outputs: { type: 'string' }, stack: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  writeAmplifyOutputs(values).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
