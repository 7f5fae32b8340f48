// The local server as `npm start` runs it (appsync-local.config.ts), in this test process on ephemeral ports: dynalite
// by default, or the DynamoDB endpoint the DynamoDB Local run provides (test/e2e/vitest.dynamodb-local.config.ts).
// In the CDK run (test/e2e/vitest.cdk.config.ts) the API is what `serve --cdk` serves: the CDK app's synthesized
// template, read with no config, its functions the bundles CDK built.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import notesApiConfig from '../../../appsync-local.config';
import type { ApiDefinition } from '../../../local/definition';
import { serveLocalApi, type LocalApi, type LocalApiConfig } from '../../../local/server/serve';
import { loadTemplate } from '../../../local/template/load';
import { objectPath, s3Client, uploadsBucket } from './uploads-bucket';
import type { E2ETarget } from './target';
import { signInUser } from './users';

export const PROJECT_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The users appsync-local.config.ts creates in the local pool (alice, bob). */
export const LOCAL_USERS = notesApiConfig.users ?? [];

export interface LocalTarget extends E2ETarget {
  api: LocalApi;
  /** The data folder; null when the stores live in memory. */
  dataDir: string | null;
  /** The server's per-request log lines, newest last. */
  log: string[];
}

export interface LocalTargetOptions {
  /** A folder to keep data in (restart tests); in memory when absent. */
  dataDir?: string;
  /** Keep data in a new temporary folder, removed at close (tests that read the stores' files). */
  temporaryDataDir?: boolean;
  /** Hand the current item to resolvers after a failed DynamoDB condition (off: the stricter default). */
  currentItemOnConditionFailure?: boolean;
  /** Real-time connections that end sooner than AppSync's 24 hours (reconnection tests). */
  realtimeTimings?: LocalApiConfig['realtimeTimings'];
  /** Changes to the notes API's definition (e.g. its limits) for this server only. */
  definition?: Partial<ApiDefinition>;
  /** The user pool's and token check's clock (ms), for tests that reach token expiry without waiting. */
  clock?: () => number;
}

type ServedApi = Pick<LocalApiConfig, 'definition' | 'rootDir' | 'bucket'>;

/** The notes API as the config describes it, or as the CDK run's template declares it. */
async function servedApi(): Promise<ServedApi> {
  const template = inject('cdkTemplate');
  if (!template) return { definition: notesApiConfig.definition, rootDir: PROJECT_ROOT, bucket: notesApiConfig.bucket };
  // Inside the assembly folder, which the run's global setup removes at the end.
  const { config } = await loadTemplate({ template }, path.join(path.dirname(template), `serve-${process.pid}`));
  return config;
}

export async function startLocalTarget(options: LocalTargetOptions = {}): Promise<LocalTarget> {
  if (options.temporaryDataDir && !options.dataDir) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'notes-e2e-'));
    try {
      const target = await startLocalTarget({ ...options, dataDir });
      return { ...target, close: () => target.close().finally(() => rm(dataDir, { recursive: true, force: true })) };
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const [aliceCredentials, bobCredentials] = LOCAL_USERS;
  const served = await servedApi();
  const bucketConfig = served.bucket;
  if (!aliceCredentials || !bobCredentials || !bucketConfig) {
    throw new Error('The notes API must have the uploads bucket, and appsync-local.config.ts two users');
  }
  const dynamodbEndpoint = inject('dynamodbEndpoint');
  const log: string[] = [];
  const api = await serveLocalApi({
    ...notesApiConfig,
    definition: { ...served.definition, ...options.definition },
    rootDir: served.rootDir,
    bucket: bucketConfig,
    dataDir: options.dataDir ?? null,
    port: 0,
    dynamodbEndpoint,
    currentItemOnConditionFailure: options.currentItemOnConditionFailure ?? false,
    realtimeTimings: options.realtimeTimings,
    clock: options.clock,
    log: (line) => {
      log.push(line);
    },
  });
  try {
    const cognito = api.cognito;
    const s3Endpoint = api.s3Endpoint;
    if (!cognito || !s3Endpoint) throw new Error('The local notes API started without its user pool or S3 endpoint');
    const [alice, bob] = await Promise.all([
      signInUser(cognito, api.graphqlUrl, aliceCredentials),
      signInUser(cognito, api.graphqlUrl, bobCredentials),
    ]);
    const s3 = s3Client({ region: 'us-east-1', endpoint: s3Endpoint, credentials: api.credentials });
    return {
      description: `local server${inject('cdkTemplate') ? ' (the CDK template)' : ''} on ${dynamodbEndpoint ? `DynamoDB at ${dynamodbEndpoint}` : 'dynalite'}`,
      graphqlUrl: api.graphqlUrl,
      alice,
      bob,
      bucket: uploadsBucket(s3, bucketConfig.name, (key) => `${s3Endpoint}${objectPath(bucketConfig.name, key)}`),
      api,
      dataDir: options.dataDir ?? null,
      log,
      async close() {
        s3.destroy();
        await api.close();
      },
    };
  } catch (error) {
    await api.close();
    throw error;
  }
}

/** The Amplify Gen 2 outputs file the server wrote into its data folder (a target started with one). */
export function amplifyOutputsOf(target: LocalTarget): Record<string, unknown> {
  if (!target.dataDir) throw new Error('amplify_outputs.json is written into the data folder: start with one');
  return JSON.parse(readFileSync(path.join(target.dataDir, 'amplify_outputs.json'), 'utf8')) as Record<string, unknown>;
}
