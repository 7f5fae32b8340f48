// Where startup time goes, phase by phase, in a fresh process started as `npm start` starts (node with tsx's loader):
// module imports, each store cold (new data folder: keys, pool, users, table created) and warm (the same folder again,
// in the same process), table setup, and the engine (realm, resolver bundling with esbuild, validating and compiling
// the bundles). serve.ts runs the stores side by side; here they run one after another so each one's own cost shows.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAsChild } from './child';
import { sourceFileOf } from '../../local/definition';

export interface Phase {
  group: 'imports' | 'stores' | 'engine';
  label: string;
  ms: number;
}

export interface PhasesReady {
  /** From process start to this module's first line: Node itself and tsx's loader. */
  bootMs: number;
  phases: Phase[];
}

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

await runAsChild<PhasesReady>(async () => {
  const bootMs = performance.now();
  const phases: Phase[] = [];
  const timed = async <T>(group: Phase['group'], label: string, run: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const value = await run();
    phases.push({ group, label, ms: performance.now() - started });
    return value;
  };

  // Imports, heaviest dependencies first, so each line is what that module adds to what came before.
  await timed('imports', 'graphql', () => import('graphql'));
  await timed('imports', '@aws-sdk/client-dynamodb', () => import('@aws-sdk/client-dynamodb'));
  const cognitoModule = await timed(
    'imports',
    'local/stores/cognito (jose)',
    () => import('../../local/stores/cognito'),
  );
  const s3Module = await timed(
    'imports',
    'local/stores/s3 (@smithy/signature-v4)',
    () => import('../../local/stores/s3'),
  );
  const dynamoModule = await timed('imports', 'local/stores/dynamodb', () => import('../../local/stores/dynamodb'));
  // startDynalite requires dynalite (and its LevelDB) on first use; loading it here keeps that out of the store line.
  await timed('imports', 'dynalite (required lazily by startDynalite)', () =>
    createRequire(import.meta.url)('dynalite'),
  );
  const runtimeModule = await timed(
    'imports',
    'local/runtime (acorn, esbuild, validator)',
    () => import('../../local/runtime/runtime'),
  );
  const bundleModule = await import('../../local/runtime/bundle');
  await timed('imports', 'local/cli (evaluate command)', () => import('../../local/cli'));
  await timed('imports', 'local/server/serve (engine, data sources, HTTP)', () => import('../../local/server/serve'));
  const schemaModule = await import('../../local/server/appsync-schema');
  const { generateLocalCredentials } = await import('../../local/server/credentials');
  const { default: config } = await timed(
    'imports',
    'appsync-local.config.ts (infra/api-definition)',
    () => import('../../appsync-local.config'),
  );

  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-phases-'));
  try {
    const tables = Object.values(config.definition.dataSources).flatMap((ds) =>
      ds.type === 'AMAZON_DYNAMODB' ? [ds.table] : [],
    );
    const startStores = async (when: 'cold' | 'warm') => {
      const dynalite = await timed('stores', `dynalite (${when})`, () =>
        dynamoModule.startDynalite({ dir: path.join(dataDir, 'dynamodb') }),
      );
      const cognito = await timed('stores', `Cognito user pool and users (${when})`, () =>
        cognitoModule.startCognito({ dir: dataDir, users: config.users, credentials: generateLocalCredentials() }),
      );
      const s3 = await timed('stores', `S3 endpoint (${when})`, () =>
        s3Module.startS3Server({
          dir: path.join(dataDir, 's3'),
          region: 'us-east-1',
          credentials: generateLocalCredentials(),
          buckets: [config.bucket!.name],
        }),
      );
      const client = dynamoModule.dynamoDBClient(dynalite.endpoint);
      await timed('stores', `ensureTables (${when})`, () => dynamoModule.ensureTables(client, tables));
      client.destroy();
      await Promise.all([dynalite.close(), cognito.close(), s3.close()]);
    };
    await startStores('cold');
    await startStores('warm');
    const { generateKeyPair } = await import('jose');
    await timed('stores', 'of the cold user pool: two RSA-2048 signing key pairs (side by side)', () =>
      Promise.all([
        generateKeyPair('RS256', { modulusLength: 2048 }),
        generateKeyPair('RS256', { modulusLength: 2048 }),
      ]),
    );

    const runtime = await timed(
      'engine',
      'APPSYNC_JS realm (driver bundle from the disk cache)',
      () => new runtimeModule.AppSyncJsRuntime(),
    );
    await timed('engine', 'schema (buildAppSyncSchema)', async () =>
      schemaModule.buildAppSyncSchema(await readFile(path.join(projectRoot, config.definition.schema), 'utf8')),
    );
    const files = [
      ...new Set([
        ...config.definition.resolvers.map((r) => sourceFileOf(r.code, r.fieldName)),
        ...Object.entries(config.definition.functions ?? {}).map(([name, f]) => sourceFileOf(f.code, name)),
      ]),
    ];
    const bundles = await timed('engine', `bundle ${files.length} resolver files (esbuild, side by side)`, () =>
      Promise.all(files.map((file) => bundleModule.bundleResolver(path.join(projectRoot, file)))),
    );
    await timed('engine', `validate + compile ${files.length} bundles (runtime.load)`, () => {
      bundles.forEach((bundle, i) => {
        const loaded = runtime.load(bundle, { name: files[i] });
        if (!loaded.ok) throw new Error(`${files[i]}: ${JSON.stringify(loaded.codeErrors)}`);
      });
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  return { ready: { bootMs, phases }, answers: {}, close: async () => {} };
});
