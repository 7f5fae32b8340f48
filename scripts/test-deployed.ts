// `npm run test:deployed [-- --outputs cdk-outputs.json] [--stack Notes-dev]`: the e2e suite against a deployed stack.
// Reads the stack's outputs (GraphQL URL, region, user pool client, bucket) from the file `npm run deploy` writes. Each
// test file creates two confirmed users of its own with admin calls, signs them in with SRP (the only flow the
// production client allows), and deletes its notes and then the users at the end. The default AWS credentials need
// cognito-idp:AdminCreateUser, AdminSetUserPassword and AdminDeleteUser on the pool, and s3:ListBucket and
// s3:GetObject on the bucket (the suite checks what the API stored).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startVitest } from 'vitest/node';
import { DEPLOYED_ENV, deployedSettingsFromEnv } from '../test/e2e/helpers/deployed-target';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { outputs: { type: 'string' }, stack: { type: 'string' } },
    strict: true,
  });
  if (values.outputs) process.env[DEPLOYED_ENV.outputsFile] = values.outputs;
  if (values.stack) process.env[DEPLOYED_ENV.stack] = values.stack;
  process.env[DEPLOYED_ENV.target] = 'deployed';

  // Everything the suite needs is checked here, so a missing file or variable fails at once with its name.
  const settings = deployedSettingsFromEnv(process.env, projectRoot);
  process.stdout.write(`e2e suite against ${settings.stackName}: ${settings.outputs.GraphQLUrl}\n`);

  const vitest = await startVitest('test', [], {
    root: projectRoot,
    config: 'test/e2e/vitest.deployed.config.ts',
    run: true,
    watch: false,
  });
  await vitest.close();
  return process.exitCode === undefined || process.exitCode === 0 ? 0 : Number(process.exitCode);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
