// Serves any AppSync API definition locally: starts the stores it needs (DynamoDB-compatible, S3-compatible, a
// Cognito-compatible user pool), loads its resolvers and Lambda handlers, and answers at a local URL.
import path from 'node:path';
import { rmSync, watch, type FSWatcher } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { ApiDefinition } from '../definition';
import { locateHandler } from '../lambda/local-function';
import { EvaluationPool, type EvaluationPoolOptions } from '../runtime/pool/evaluation-pool';
import { authModes } from './auth/callers';
import { createCognitoVerifier } from './auth/cognito-jwt';
import { cachedVerifier } from './auth/token-cache';
import { createDataSources, type DataSourceHost } from './datasources';
import { GraphQLEngine } from './engine';
import { startHttpServer, type RunningServer, type ServerAuth } from './http-server';
import { logLine } from './log-lines';
import { consolePage } from './console-page';
import { createRealtime, REALTIME_PATH, type Realtime } from './realtime';
import { localTls, type LocalTls } from './tls';
import { dynamoDBClient, ensureTables, startDynalite, type RunningStore } from '../stores/dynamodb';
import { startS3Server, type LifecycleRule, type S3Server } from '../stores/s3';
import {
  describeMessage,
  startCognito,
  type ClientSettings,
  type CognitoMessage,
  type LocalCognito,
  type LocalUser,
} from '../stores/cognito';
import { createFileExclusively, endpointUrl, writeFileAtomic } from '../stores/shared';
import { AMPLIFY_OUTPUTS_FILE, localAmplifyOutputs, type AmplifyOutputs } from './amplify-outputs';
import { generateLocalCredentials, loadOrCreateLocalCredentials, type LocalCredentials } from './credentials';
import { LOOPBACK_ORIGINS, resolveAddresses, type Addresses } from './addresses';

export interface LocalApiConfig {
  definition: ApiDefinition;
  /** The folder the definition's paths are relative to. */
  rootDir: string;
  /** Where the stores keep their data; `DATA_DIR` overrides it. In memory when null. */
  dataDir?: string | null;
  /** The GraphQL port (0: any free port); the user pool and S3 take the next two when it is fixed. */
  port?: number;
  /** The address to listen on (`--host`, HOST); default 127.0.0.1. 0.0.0.0 or a LAN address lets devices connect. */
  host?: string;
  /**
   * The host every advertised URL, presigned URL and token issuer carries (`--public-host`, PUBLIC_HOST): the LAN
   * address, or 10.0.2.2 for the Android emulator. Default: the bound address, or a LAN address for 0.0.0.0.
   */
  publicHost?: string;
  /** Use this DynamoDB endpoint instead of starting the embedded store. */
  dynamodbEndpoint?: string;
  /**
   * DynamoDB data sources hand the current item to the response handler as ctx.result beside a failed condition's
   * error. Off by default (the stricter reading of AppSync; see DynamoDBDataSourceOptions).
   */
  currentItemOnConditionFailure?: boolean;
  /** Valid `x-api-key` values, when the API uses API_KEY. */
  apiKeys?: string[];
  /** Users created in the local pool, when the API uses AMAZON_COGNITO_USER_POOLS. */
  users?: LocalUser[];
  /** The local pool's app client settings (refresh token rotation). */
  userPoolClient?: ClientSettings;
  /**
   * The clock (ms) of the user pool and of the API's token check: tests move it to reach token expiry without
   * waiting. Default Date.now.
   */
  clock?: () => number;
  /**
   * Where the local pool's confirmation and forgotten-password codes go (Cognito would email them). Default: one
   * line in the server log, `[cognito] <kind> code for <email>: <code>`.
   */
  onCognitoMessage?: (message: CognitoMessage) => void;
  /**
   * The uploads bucket, served by the local S3 endpoint; its name reaches Lambdas as BUCKET_NAME. Its CORS rule allows
   * any loopback origin and the exact `corsOrigins` given (`--cors-origin`, WEB_ORIGINS); its `lifecycleRules` are
   * applied at start and hourly, as S3 applies the deployed bucket's.
   */
  bucket?: { name: string; corsOrigins?: string[]; lifecycleRules?: LifecycleRule[] };
  /** Endpoints for data sources by name: OpenSearch needs one locally; an HTTP data source may be redirected. */
  endpoints?: Record<string, string>;
  /** A SQL file that seeds every new local PostgreSQL database. */
  sqlSeed?: string;
  /** The query the console opens with. */
  consoleQuery?: string;
  /** Print each resolver's evaluated request and response. */
  verbose?: boolean;
  log?: (line: string) => void;
  /** The TLS listener (GraphQL port + 3), on by default; its CA lives in the data folder. */
  tls?: boolean;
  /** Shorter real-time keep-alive period and connection lifetime than AppSync's (tests). */
  realtimeTimings?: { keepAliveIntervalMs?: number; maxConnectionDurationMs?: number };
  /** The resolver evaluation pool's limits (pool/evaluation-pool.ts); its defaults otherwise. */
  evaluationPool?: EvaluationPoolOptions;
}

export interface LocalApi {
  /** Where this machine reaches the server. */
  url: string;
  graphqlUrl: string;
  /** `ws://…/graphql/realtime` on the GraphQL port. */
  realtimeUrl: string;
  /** The TLS listener (`https://…`, and `wss://…/graphql/realtime`), unless `tls: false`. */
  tlsUrl?: string;
  /** The CA that signed the TLS listener's certificate: what clients trust. */
  caCertPath?: string;
  realtime: Realtime;
  cognito?: LocalCognito;
  s3Endpoint?: string;
  dynamodbEndpoint: string;
  /** The data folder's AWS key pair (`<dataDir>/credentials.json`): S3, IAM-signed pool calls, the Lambdas. */
  credentials: LocalCredentials;
  /** The bind and public hosts of this run. */
  addresses: Addresses;
  /** What clients are told (banner, console, outputs file): the same services at the public host. */
  advertised: {
    url: string;
    graphqlUrl: string;
    realtimeUrl: string;
    tlsUrl?: string;
    userPoolEndpoint?: string;
    s3Endpoint?: string;
  };
  /**
   * Amplify Gen 2's outputs for this run (advertised addresses), served at `GET /amplify_outputs.json` and written to
   * `<dataDir>/amplify_outputs.json` when there is a data folder.
   */
  outputs: AmplifyOutputs;
  /** Where the outputs file was written, when there is a data folder. */
  outputsPath?: string;
  /** Calls made to the stores and functions since start, by kind (the bench reads them). */
  counters: { dynamodb: number; lambda: number };
  /** Re-reads the schema, resolvers and Lambda handlers; data stays. */
  reload(): Promise<void>;
  /** Reloads whenever the schema, resolvers or functions change, until close(). */
  watch(): void;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
/** The account id local ARNs and identities carry. */
const LOCAL_ACCOUNT_ID = '000000000000';
// What a developer's shell may hold that must never reach a local Lambda: it would talk to real AWS with it.
const AWS_SECRETS = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];

/**
 * Servers without a data folder (tests) share one CA per process and host: making RSA keys takes a second or two,
 * and none of these servers outlives the process. Its files sit in a folder removed at exit.
 */
const scratchCas = new Map<string, Promise<LocalTls>>();
function scratchTls(hosts: string[]): Promise<LocalTls> {
  const key = hosts.join(' ');
  let tls = scratchCas.get(key);
  if (!tls) {
    tls = mkdtemp(path.join(tmpdir(), 'appsync-local-tls-')).then((dir) => {
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      return localTls(dir, ...hosts);
    });
    scratchCas.set(key, tls);
  }
  return tls;
}

/** A secret kept in the data folder, so pagination tokens stay valid across restarts, as AppSync's do. */
const SECRET_FORMAT = /^[0-9a-f]{64}$/;

/**
 * The data folder's secret for sealing pagination tokens: created once, crash-safely, and kept. A file that holds no
 * secret (one an older version left empty when it was killed mid-write) is replaced: tokens sealed with it were only
 * good for this folder's previous runs anyway.
 */
export async function persistentSecret(file: string): Promise<string> {
  const stored = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  if (stored !== undefined && SECRET_FORMAT.test(stored)) return stored;
  await mkdir(path.dirname(file), { recursive: true });
  const secret = `${randomBytes(32).toString('hex')}\n`;
  if (stored === undefined) await createFileExclusively(file, secret, { mode: 0o600 });
  else await writeFileAtomic(file, secret, { mode: 0o600 });
  // Two starts creating it at once keep whichever was linked first.
  return (await readFile(file, 'utf8')).trim();
}

export async function serveLocalApi(config: LocalApiConfig): Promise<LocalApi> {
  const { definition, rootDir } = config;
  const modes = authModes(definition.auth);
  const log = config.log ?? logLine;
  const dataDir = config.dataDir === null ? undefined : path.resolve(config.dataDir ?? '.data');
  // The user pool always keeps files; without a data folder they go to a temporary one removed at close.
  const scratchDir = dataDir ? undefined : await mkdtemp(path.join(tmpdir(), 'appsync-local-'));
  const port = config.port ?? 0;
  const addresses = resolveAddresses({ host: config.host, publicHost: config.publicHost });
  const host = addresses.bindHost;
  const sidePort = (offset: number) => (port === 0 ? 0 : port + offset);
  const closers: Array<() => Promise<void>> = [];
  if (scratchDir) closers.push(() => rm(scratchDir, { recursive: true, force: true }));
  const counters = { dynamodb: 0, lambda: 0 };

  try {
    // The key pair every local SigV4 check uses; a run that keeps no data gets a fresh one.
    const credentials = dataDir ? await loadOrCreateLocalCredentials(dataDir) : generateLocalCredentials();
    // Stores start side by side: startup time is the slowest of them, not their sum.
    const tables = Object.values(definition.dataSources).flatMap((ds) =>
      ds.type === 'AMAZON_DYNAMODB' ? [ds.table] : [],
    );
    // Devices dial the advertised address, so the certificate names it too.
    const tlsHosts = [...new Set([host, addresses.publicHost])];
    const [dynamo, cognito, s3, tls] = await Promise.all([
      config.dynamodbEndpoint
        ? Promise.resolve<RunningStore>({ endpoint: config.dynamodbEndpoint, close: async () => {} })
        : // Loopback whatever the bind host: dynalite checks no credentials, and only this process talks to it.
          startDynalite({ dir: dataDir && path.join(dataDir, 'dynamodb'), thread: true }),
      modes.has('AMAZON_COGNITO_USER_POOLS')
        ? startCognito({
            dir: dataDir ?? scratchDir!,
            port: sidePort(1),
            host,
            publicHost: addresses.publicHost,
            region: REGION,
            credentials,
            users: config.users,
            client: config.userPoolClient,
            clock: config.clock,
            // The codes Cognito would email go to the server log, where a developer (or a test) reads them.
            onMessage: config.onCognitoMessage ?? ((message) => log(describeMessage(message))),
          })
        : Promise.resolve(undefined),
      config.bucket
        ? startS3Server({
            dir: dataDir && path.join(dataDir, 's3'),
            port: sidePort(2),
            host,
            region: REGION,
            credentials,
            buckets: [config.bucket.name],
            corsOrigins: [...LOOPBACK_ORIGINS, ...(config.bucket.corsOrigins ?? [])],
            lifecycleRules: config.bucket.lifecycleRules,
          })
        : Promise.resolve<S3Server | undefined>(undefined),
      // The certificates need no store: made or checked while the stores start.
      config.tls === false ? undefined : dataDir ? localTls(dataDir, ...tlsHosts) : scratchTls(tlsHosts),
    ]);
    closers.push(() => dynamo.close());
    if (cognito) closers.push(() => cognito.close());
    if (s3) closers.push(() => s3.close());
    // The functions' own calls go to the local address; the URLs they presign, like clients, use the public one.
    const s3PublicEndpoint = s3 && endpointUrl(addresses.publicHost, Number(new URL(s3.endpoint).port));

    const client = dynamoDBClient(dynamo.endpoint, REGION, { cacheMiddleware: true });
    // Tables are created (or checked) while the data sources and the engine are built, which need none of them; the
    // server does not listen before they are ready. Caught here so that a failure meanwhile is not unhandled: the
    // await below throws it.
    const tablesReady = ensureTables(client, tables);
    tablesReady.catch(() => {});
    const tokenSecret = dataDir ? await persistentSecret(path.join(dataDir, 'pagination-token.key')) : undefined;

    // Every local function gets the local stores' endpoints and this folder's credentials, never the shell's.
    const lambdaEnvironment: Record<string, string> = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && !AWS_SECRETS.includes(entry[0]),
      ),
    );
    Object.assign(lambdaEnvironment, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      // The AWS SDK for JavaScript v3 reads service endpoints from these variables.
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      ...(cognito ? { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint } : {}),
      ...(config.bucket && s3
        ? {
            BUCKET_NAME: config.bucket.name,
            S3_ENDPOINT: s3.endpoint,
            S3_PUBLIC_ENDPOINT: s3PublicEndpoint!,
            S3_FORCE_PATH_STYLE: 'true',
            AWS_ENDPOINT_URL_S3: s3.endpoint,
          }
        : {}),
    });

    const shared = new Map<string, unknown>();
    // The server, for data sources that call the API itself; set once it listens.
    const listening: { server?: RunningServer } = {};
    const dataSourceHost: DataSourceHost = {
      rootDir,
      dataDir,
      region: REGION,
      accountId: LOCAL_ACCOUNT_ID,
      credentials,
      endpoints: config.endpoints ?? {},
      selfEndpoint: () => {
        if (!listening.server) throw new Error('The server is not listening yet');
        return listening.server.url;
      },
      answerOwnRequest: (request) => {
        if (!listening.server) throw new Error('The server is not listening yet');
        return listening.server.answerOwnRequest(request);
      },
      sqlSeed: config.sqlSeed,
      dynamodb: {
        client,
        tokenSecret,
        currentItemOnConditionFailure: config.currentItemOnConditionFailure ?? false,
      },
      lambdaEnvironment,
      log,
      count: (kind) => {
        counters[kind] += 1;
      },
      shared<T>(key: string, make: () => T): T {
        if (!shared.has(key)) shared.set(key, make());
        return shared.get(key) as T;
      },
      onClose: (close) => {
        closers.push(close);
      },
    };
    const dataSources = await createDataSources(definition.dataSources, dataSourceHost);
    closers.unshift(async () => {
      await Promise.all(Object.values(dataSources).map((source) => source.close?.()));
    });
    // Handlers run on worker threads: both cores, and a runaway handler stops only its own worker.
    const runtime = new EvaluationPool(config.evaluationPool);
    closers.push(() => runtime.close());
    const buildEngine = () =>
      GraphQLEngine.create({ definition, rootDir, dataSources, runtime, trace: config.verbose ?? false });
    let engine = await buildEngine();

    const auth: ServerAuth = {
      default: definition.auth.default,
      additional: definition.auth.additional,
      apiKeys: config.apiKeys,
      iam: modes.has('AWS_IAM') ? { credentials, region: REGION, accountId: LOCAL_ACCOUNT_ID } : undefined,
      // Verified once per token, then remembered until it expires (as the bench's same-work baseline does too).
      verifyUserPoolToken: cognito
        ? cachedVerifier(
            createCognitoVerifier({
              issuer: cognito.issuer,
              jwksUrl: cognito.jwksUrl,
              clientIds: [cognito.clientId],
              now: config.clock,
            }),
            { now: config.clock },
          )
        : undefined,
    };
    const realtime = createRealtime({ engine: () => engine, auth, log, timings: config.realtimeTimings });
    // Known once the server has its port; served from then on.
    const published: { outputs?: AmplifyOutputs } = {};
    await tablesReady;
    const server: RunningServer = await startHttpServer({
      engine: () => engine,
      auth,
      port,
      host,
      log,
      verbose: config.verbose,
      onExecuted: (executed) => realtime.publish(executed),
      onUpgrade: (request, socket, head) => realtime.handleUpgrade(request, socket, head),
      tls: tls && { port: sidePort(3), key: tls.key, cert: tls.cert },
      documents: { [`/${AMPLIFY_OUTPUTS_FILE}`]: () => published.outputs },
      consolePage: () =>
        consolePage({
          apiName: definition.name,
          graphqlPath: '/graphql',
          cognito: cognito && {
            endpoint: cognito.publicEndpoint,
            userPoolId: cognito.userPoolId,
            clientId: cognito.clientId,
            region: cognito.region,
          },
          users: (config.users ?? []).map((u) => u.email),
          // Anyone who can open the page would read them: offered only while nobody but this machine can.
          passwords: addresses.beyondLoopback
            ? undefined
            : Object.fromEntries((config.users ?? []).map((u) => [u.email, u.password])),
          apiKey: config.apiKeys?.[0],
          defaultQuery: config.consoleQuery,
        }),
    });
    listening.server = server;
    closers.unshift(() => server.close());
    // Upgraded sockets keep a server open: real time closes its connections first.
    closers.unshift(() => realtime.close());

    const reload = async () => {
      const next = await buildEngine();
      for (const source of Object.values(dataSources)) source.reload?.();
      engine = next;
    };
    const watchers: FSWatcher[] = [];
    closers.unshift(async () => {
      for (const w of watchers) w.close();
    });

    // The same service at the bind host (what this machine dials) and at the public host (what clients are told).
    const serviceUrls = (urlHost: string) => {
      const url = endpointUrl(urlHost, server.port);
      return {
        url,
        graphqlUrl: `${url}/graphql`,
        realtimeUrl: `${url.replace(/^http/, 'ws')}${REALTIME_PATH}`,
        tlsUrl:
          server.tlsPort === undefined ? undefined : endpointUrl(urlHost, server.tlsPort).replace(/^http:/, 'https:'),
      };
    };
    const advertised: LocalApi['advertised'] = {
      ...serviceUrls(addresses.publicHost),
      userPoolEndpoint: cognito?.publicEndpoint,
      s3Endpoint: s3PublicEndpoint,
    };
    const outputs = localAmplifyOutputs({
      auth: definition.auth,
      region: REGION,
      // Plain HTTP, so queries need no trusted CA; the same port also speaks TLS, where Amplify opens its wss://.
      graphqlUrl: advertised.graphqlUrl,
      apiKey: config.apiKeys?.[0],
      userPool: cognito && {
        id: cognito.userPoolId,
        clientId: cognito.clientId,
        region: cognito.region,
        endpoint: cognito.publicEndpoint,
        passwordPolicy: {
          min_length: cognito.passwordPolicy.MinimumLength ?? 8,
          require_lowercase: cognito.passwordPolicy.RequireLowercase ?? false,
          require_uppercase: cognito.passwordPolicy.RequireUppercase ?? false,
          require_numbers: cognito.passwordPolicy.RequireNumbers ?? false,
          require_symbols: cognito.passwordPolicy.RequireSymbols ?? false,
        },
      },
      bucket: config.bucket && { name: config.bucket.name, region: REGION },
    });
    const outputsPath = dataDir && path.join(dataDir, AMPLIFY_OUTPUTS_FILE);
    if (outputsPath) await writeFileAtomic(outputsPath, `${JSON.stringify(outputs, null, 2)}\n`);
    published.outputs = outputs;

    return {
      ...serviceUrls(host),
      caCertPath: tls?.caCertPath,
      realtime,
      cognito,
      s3Endpoint: s3?.endpoint,
      dynamodbEndpoint: dynamo.endpoint,
      credentials,
      addresses,
      advertised,
      outputs,
      outputsPath,
      counters,
      reload,
      watch() {
        let timer: NodeJS.Timeout | undefined;
        const onChange = () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            reload().then(
              () => log('reloaded schema, resolvers and functions'),
              (error: unknown) =>
                log(`reload failed, still serving the previous version:\n${(error as Error).message}`),
            );
          }, 150);
        };
        watchers.push(watch(path.resolve(rootDir, definition.schema), onChange));
        const folders = new Set<string>();
        const codes = [...definition.resolvers, ...Object.values(definition.functions ?? {})].map((r) => r.code);
        for (const code of codes) {
          if (typeof code === 'string') folders.add(path.dirname(path.resolve(rootDir, code)));
        }
        for (const ds of Object.values(definition.dataSources)) {
          if (ds.type === 'AWS_LAMBDA') {
            const { file } = locateHandler(rootDir, ds.handler, { prebuilt: ds.prebuilt });
            folders.add(path.dirname(file));
          }
        }
        for (const folder of folders) watchers.push(watch(folder, { recursive: true }, onChange));
      },
      async close() {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw error;
  }
}
