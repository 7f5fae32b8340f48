// A deployed stack as the suite's target: its address, user pool and bucket from the outputs file `cdk deploy
// --outputs-file` writes, two existing users' credentials from the environment, the bucket checked with the default
// AWS credential chain. `npm run test:deployed` (scripts/test-deployed.ts) checks all of this before running vitest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { s3Client, uploadsBucket } from './uploads-bucket';
import type { E2ETarget } from './target';
import { signInUser, withCleanup, type Credentials } from './users';

/** The outputs file's default name, at the project root. */
export const DEFAULT_OUTPUTS_FILE = 'cdk-outputs.json';

/** The CfnOutput keys infra/notes-stack.ts declares. */
const OUTPUT_KEYS = ['GraphQLUrl', 'Region', 'UserPoolId', 'UserPoolClientId', 'AttachmentsBucket'] as const;
type StackOutputs = Record<(typeof OUTPUT_KEYS)[number], string>;

export interface DeployedSettings {
  stackName: string;
  outputs: StackOutputs;
  users: [Credentials, Credentials];
}

/** Environment variables the deployed run reads. */
export const DEPLOYED_ENV = {
  target: 'E2E_TARGET',
  outputsFile: 'E2E_OUTPUTS_FILE',
  stack: 'E2E_STACK',
  aliceEmail: 'E2E_USER_EMAIL',
  alicePassword: 'E2E_USER_PASSWORD',
  bobEmail: 'E2E_OTHER_USER_EMAIL',
  bobPassword: 'E2E_OTHER_USER_PASSWORD',
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One stack's outputs from the file: the stack named, or the only one in the file. */
export function readStackOutputs(file: string, stackName?: string): { stackName: string; outputs: StackOutputs } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the deploy outputs ${file} (written by npm run deploy): ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new Error(`${file} is not a cdk outputs file (an object of stacks)`);
  const stacks = Object.keys(parsed);
  const chosen = stackName ?? (stacks.length === 1 ? stacks[0] : undefined);
  if (!chosen) {
    throw new Error(`${file} holds ${stacks.length} stacks (${stacks.join(', ')}): name one with --stack`);
  }
  const values = parsed[chosen];
  if (!isRecord(values)) throw new Error(`${file} has no outputs for stack ${chosen}`);
  const missing = OUTPUT_KEYS.filter((key) => typeof values[key] !== 'string' || values[key] === '');
  if (missing.length > 0) throw new Error(`${file}: stack ${chosen} lacks the outputs ${missing.join(', ')}`);
  return {
    stackName: chosen,
    outputs: Object.fromEntries(OUTPUT_KEYS.map((key) => [key, values[key]])) as StackOutputs,
  };
}

/** Everything the deployed run needs, from the environment; throws naming each variable that is missing. */
export function deployedSettingsFromEnv(env: NodeJS.ProcessEnv, projectRoot: string): DeployedSettings {
  const required = [
    DEPLOYED_ENV.aliceEmail,
    DEPLOYED_ENV.alicePassword,
    DEPLOYED_ENV.bobEmail,
    DEPLOYED_ENV.bobPassword,
  ];
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `Set ${missing.join(', ')}: two distinct, confirmed users of the deployed user pool sign in for the suite`,
    );
  }
  const file = path.resolve(projectRoot, env[DEPLOYED_ENV.outputsFile] || DEFAULT_OUTPUTS_FILE);
  const { stackName, outputs } = readStackOutputs(file, env[DEPLOYED_ENV.stack] || undefined);
  const alice = { email: env[DEPLOYED_ENV.aliceEmail]!, password: env[DEPLOYED_ENV.alicePassword]! };
  const bob = { email: env[DEPLOYED_ENV.bobEmail]!, password: env[DEPLOYED_ENV.bobPassword]! };
  if (alice.email.toLowerCase() === bob.email.toLowerCase()) {
    throw new Error(`${DEPLOYED_ENV.aliceEmail} and ${DEPLOYED_ENV.bobEmail} must be two different users`);
  }
  return { stackName, outputs, users: [alice, bob] };
}

export async function connectDeployedTarget(settings: DeployedSettings): Promise<E2ETarget> {
  const { outputs } = settings;
  const region = outputs.Region;
  const pool = {
    endpoint: `https://cognito-idp.${region}.amazonaws.com/`,
    userPoolId: outputs.UserPoolId,
    clientId: outputs.UserPoolClientId,
  };
  const [alice, bob] = await Promise.all(settings.users.map((user) => signInUser(pool, outputs.GraphQLUrl, user)));
  const aliceNotes = withCleanup(alice.client);
  const bobNotes = withCleanup(bob.client);
  // The bucket owner's view needs s3:ListBucket and s3:GetObject on the bucket from the default credential chain.
  const s3 = s3Client({ region });
  const bucketName = outputs.AttachmentsBucket;
  return {
    description: `deployed stack ${settings.stackName} (${outputs.GraphQLUrl})`,
    graphqlUrl: outputs.GraphQLUrl,
    alice: { ...alice, client: aliceNotes.client },
    bob: { ...bob, client: bobNotes.client },
    bucket: uploadsBucket(
      s3,
      bucketName,
      (key) => `https://${bucketName}.s3.${region}.amazonaws.com/${key.split('/').map(encodeURIComponent).join('/')}`,
    ),
    async close() {
      try {
        await Promise.all([aliceNotes.deleteCreated(), bobNotes.deleteCreated()]);
      } finally {
        s3.destroy();
      }
    },
  };
}
