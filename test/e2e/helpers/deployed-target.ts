// A deployed stack as the suite's target: its address, user pool and bucket from the outputs file `cdk deploy
// --outputs-file` writes; two users it creates for itself with admin calls and removes at the end; the pool and the
// bucket reached with the default AWS credential chain. `npm run test:deployed` (scripts/test-deployed.ts) checks the
// outputs file before running vitest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { s3Client, uploadsBucket } from './uploads-bucket';
import type { E2ETarget } from './target';
import { provisionTestUsers, withCleanup } from './users';

/** The outputs file's default name, at the project root. */
export const DEFAULT_OUTPUTS_FILE = 'cdk-outputs.json';

/** The CfnOutput keys infra/notes-stack.ts declares. */
const OUTPUT_KEYS = ['GraphQLUrl', 'Region', 'UserPoolId', 'UserPoolClientId', 'AttachmentsBucket'] as const;
type StackOutputs = Record<(typeof OUTPUT_KEYS)[number], string>;

export interface DeployedSettings {
  stackName: string;
  outputs: StackOutputs;
}

/** Environment variables the deployed run reads. */
export const DEPLOYED_ENV = {
  target: 'E2E_TARGET',
  outputsFile: 'E2E_OUTPUTS_FILE',
  stack: 'E2E_STACK',
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

/** Everything the deployed run needs, from the environment: the outputs file and the stack in it. */
export function deployedSettingsFromEnv(env: NodeJS.ProcessEnv, projectRoot: string): DeployedSettings {
  const file = path.resolve(projectRoot, env[DEPLOYED_ENV.outputsFile] || DEFAULT_OUTPUTS_FILE);
  return readStackOutputs(file, env[DEPLOYED_ENV.stack] || undefined);
}

export async function connectDeployedTarget(settings: DeployedSettings): Promise<E2ETarget> {
  const { outputs } = settings;
  const region = outputs.Region;
  const pool = {
    endpoint: `https://cognito-idp.${region}.amazonaws.com/`,
    userPoolId: outputs.UserPoolId,
    clientId: outputs.UserPoolClientId,
  };
  // Needs cognito-idp:AdminCreateUser, AdminSetUserPassword and AdminDeleteUser on the pool.
  const admin = new CognitoIdentityProviderClient({ region });
  const users = await provisionTestUsers(admin, pool, outputs.GraphQLUrl).catch((error: unknown) => {
    admin.destroy();
    throw error;
  });
  const { alice, bob } = users;
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
        try {
          await users.remove();
        } finally {
          s3.destroy();
          admin.destroy();
        }
      }
    },
  };
}
