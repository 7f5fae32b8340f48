// `appsync-local serve --config <file>`: serves the API a config module describes (its default export is a
// LocalApiConfig). `--cloudformation <template>` serves the AppSync API a CloudFormation template declares, and
// `--cdk [app dir]` the one a CDK app synthesizes, with no config file. Flags and the environment (PORT, DATA_DIR,
// HOST, PUBLIC_HOST, WEB_ORIGINS) override the file.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { whenLauncherGone } from '../../bin/lifeline.js';
import { importModule } from '../../bin/module-cache.js';
import { assertExactOrigins, webOriginsFrom } from '../../infra/web-origins';
import { isWildcardHost } from '../stores/shared';
import { synthesizeCdkApp, stackWithApi } from '../template/cdk';
import { loadTemplate } from '../template/load';
import { checkHost } from './addresses';
import { serveLocalApi, type LocalApi, type LocalApiConfig } from './serve';

/** Where the API comes from: a config module, a CloudFormation template, or a CDK app. */
export type ApiSource =
  { kind: 'config'; file: string } | { kind: 'cloudformation'; template: string } | { kind: 'cdk'; appDir: string };

/** What the command line and the environment say, before the config file is read. */
export interface ServeArguments {
  source: ApiSource;
  /** Template parameters (`--parameter Key=Value`), for --cloudformation and --cdk. */
  parameters: Record<string, string>;
  /** The GraphQLApi (logical id) to serve when the template declares several. */
  api?: string;
  /** The CDK stack to serve when several declare an API. */
  stack?: string;
  port?: number;
  dataDir?: string;
  dynamodbEndpoint?: string;
  host?: string;
  publicHost?: string;
  /** Exact origins for the bucket's CORS rule, beyond loopback (`--cors-origin`, repeatable, or WEB_ORIGINS). */
  corsOrigins: string[];
  verbose: boolean;
  /** The DynamoDB data source hands the current item to the response handler after a failed condition. */
  currentItemOnConditionFailure: boolean;
  watch: boolean;
  /** Endpoints for data sources by name (`--endpoint name=url`). */
  endpoints: Record<string, string>;
  /** A SQL file seeding every new local PostgreSQL database (`--sql-seed`). */
  sqlSeed?: string;
}

/** `name=value` flags (given once per name) as an object. */
export function namedValues(flag: string, pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`${flag} takes name=value, not '${pair}'`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

export function parseServeArguments(args: string[], env: NodeJS.ProcessEnv): ServeArguments {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      cloudformation: { type: 'string' },
      cdk: { type: 'boolean', default: false },
      parameter: { type: 'string', multiple: true, default: [] },
      api: { type: 'string' },
      stack: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
      host: { type: 'string' },
      'public-host': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      verbose: { type: 'boolean', default: false },
      'current-item-on-condition-failure': { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      endpoint: { type: 'string', multiple: true, default: [] },
      'sql-seed': { type: 'string' },
    },
    strict: true,
  });
  const sources = [values.config, values.cloudformation, values.cdk || undefined].filter((v) => v !== undefined);
  if (sources.length !== 1) {
    throw new Error('serve needs one of --config <file>, --cloudformation <template> or --cdk [app dir]');
  }
  if (positionals.length > (values.cdk ? 1 : 0)) throw new Error(`Unexpected argument '${positionals.at(-1)}'`);
  const source: ApiSource = values.config
    ? { kind: 'config', file: values.config }
    : values.cloudformation
      ? { kind: 'cloudformation', template: values.cloudformation }
      : { kind: 'cdk', appDir: positionals[0] ?? '.' };
  if (source.kind === 'config' && (values.parameter!.length > 0 || values.api || values.stack)) {
    throw new Error('--parameter, --api and --stack go with --cloudformation or --cdk');
  }
  const portText = values.port ?? env.PORT;
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(portText !== '' && Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new Error(`Invalid port: ${portText}`);
  }
  const hostText = values.host ?? env.HOST;
  const publicHostText = values['public-host'] ?? env.PUBLIC_HOST;
  const publicHost = publicHostText ? checkHost(publicHostText, '--public-host') : undefined;
  if (publicHost !== undefined && isWildcardHost(publicHost)) {
    throw new Error(`--public-host must be an address devices can dial, not ${publicHost}; use it with --host`);
  }
  // Flags replace WEB_ORIGINS rather than add to it, as --port replaces PORT.
  const corsOrigins = webOriginsFrom(
    values['cors-origin']?.flatMap((value) => webOriginsFrom(value)) ?? env.WEB_ORIGINS,
  );
  if (corsOrigins.length > 0) assertExactOrigins(corsOrigins);
  return {
    source,
    parameters: namedValues('--parameter', values.parameter ?? []),
    api: values.api,
    stack: values.stack,
    port,
    dataDir: values['data-dir'] ?? env.DATA_DIR,
    dynamodbEndpoint: values['dynamodb-endpoint'],
    host: hostText ? checkHost(hostText, '--host') : undefined,
    publicHost,
    corsOrigins,
    verbose: values.verbose ?? false,
    currentItemOnConditionFailure: values['current-item-on-condition-failure'] ?? false,
    watch: values.watch ?? false,
    endpoints: namedValues('--endpoint', values.endpoint ?? []),
    sqlSeed: values['sql-seed'],
  };
}

/** The config file's settings with the command line's on top. */
export function applyServeArguments(
  fromFile: LocalApiConfig,
  configPath: string,
  args: ServeArguments,
): LocalApiConfig {
  return {
    ...fromFile,
    rootDir: path.resolve(path.dirname(configPath), fromFile.rootDir),
    port: args.port ?? fromFile.port ?? 4000,
    dataDir: path.resolve(args.dataDir ?? fromFile.dataDir ?? '.data'),
    host: args.host ?? fromFile.host,
    publicHost: args.publicHost ?? fromFile.publicHost,
    bucket: fromFile.bucket && {
      ...fromFile.bucket,
      corsOrigins: [...new Set([...(fromFile.bucket.corsOrigins ?? []), ...args.corsOrigins])],
    },
    dynamodbEndpoint: args.dynamodbEndpoint ?? fromFile.dynamodbEndpoint,
    verbose: args.verbose || fromFile.verbose,
    endpoints: { ...fromFile.endpoints, ...args.endpoints },
    // A seed named on the command line is relative to where the command runs; one in the file, to the file.
    sqlSeed: args.sqlSeed
      ? path.resolve(args.sqlSeed)
      : fromFile.sqlSeed && path.resolve(path.dirname(configPath), fromFile.sqlSeed),
    currentItemOnConditionFailure:
      args.currentItemOnConditionFailure || (fromFile.currentItemOnConditionFailure ?? false),
  };
}

/** Who can connect: a server open to the network should never be a surprise. */
function reach(api: LocalApi): string[] {
  const { bindHost, publicHost, publicHostReason, beyondLoopback } = api.addresses;
  if (!beyondLoopback) {
    const lines = [`only this machine (listening on ${bindHost}); --host 0.0.0.0 opens it to your network`];
    if (publicHost !== bindHost) lines.push(`advertised as ${publicHost} (${publicHostReason})`);
    return lines;
  }
  const where = isWildcardHost(bindHost) ? `every interface (${bindHost})` : bindHost;
  return [
    `anyone who can reach ${where} can call the API, sign in as the users above and upload`,
    `devices use ${publicHost} (${publicHostReason})`,
  ];
}

export function banner(api: LocalApi, config: LocalApiConfig, dataDir: string | null): string {
  const { advertised } = api;
  const lines = [
    '',
    `  ${config.definition.name} is running locally`,
    '',
    `  GraphQL   ${advertised.graphqlUrl}`,
    `  Real time ${advertised.realtimeUrl}`,
    `  Console   ${advertised.url}/   (GraphiQL, with sign-in)`,
    `  Outputs   ${advertised.url}/amplify_outputs.json${api.outputsPath ? `   (also ${api.outputsPath})` : ''}`,
  ];
  if (advertised.tlsUrl) {
    const wss = advertised.tlsUrl.replace(/^https/, 'wss');
    // The GraphQL port itself answers TLS too: Amplify opens wss:// on data.url's port.
    lines.push(
      `  TLS       https:// and wss:// on the GraphQL port, or ${advertised.tlsUrl}/graphql, ${wss}/graphql/realtime`,
    );
    lines.push(`            trust its CA: NODE_EXTRA_CA_CERTS=${api.caCertPath ?? ''}`);
  }
  if (api.cognito) {
    lines.push(`  Sign-in   local user pool ${api.cognito.userPoolId} at ${advertised.userPoolEndpoint}`);
    for (const user of config.users ?? []) lines.push(`            ${user.email} / ${user.password}`);
    // The token script reads the pool's address from the data folder; .data is its default, as the server's.
    const dataDirFlag = dataDir && path.resolve(dataDir) !== path.resolve('.data') ? ` --data-dir ${dataDir}` : '';
    lines.push(`            a token for curl:  npm run token -- <email>${dataDirFlag}`);
  }
  if (config.apiKeys?.length) lines.push(`  API key   ${config.apiKeys[0]}`);
  if (advertised.s3Endpoint && config.bucket) {
    lines.push(`  Uploads   bucket ${config.bucket.name} at ${advertised.s3Endpoint}`);
    const extra = config.bucket.corsOrigins ?? [];
    lines.push(`            CORS: any loopback origin${extra.length > 0 ? `, ${extra.join(', ')}` : ''}`);
  }
  lines.push(`  DynamoDB  ${api.dynamodbEndpoint}`);
  lines.push(`  Data      ${dataDir ?? 'in memory (gone at exit)'}`);
  reach(api).forEach((line, index) => lines.push(`  ${index === 0 ? 'Reach    ' : '         '} ${line}`));
  lines.push('');
  return lines.join('\n');
}

/** The config a template (or a synthesized CDK app) gives, its notes logged one line each. */
async function templateConfig(
  args: ServeArguments,
  dataDir: string,
): Promise<{ config: LocalApiConfig; file: string }> {
  const { source } = args;
  let template: string;
  let stackName: string | undefined;
  if (source.kind === 'cdk') {
    const appDir = path.resolve(source.appDir);
    const outDir = path.join(dataDir, 'cdk.out');
    await synthesizeCdkApp(appDir, outDir, (line) => process.stdout.write(`${line}\n`));
    ({ templateFile: template, stackName } = stackWithApi(outDir, args.stack));
  } else {
    template = (source as { template: string }).template;
  }
  const loaded = await loadTemplate(
    { template, parameters: args.parameters, api: args.api, stackName },
    path.join(dataDir, 'template'),
  );
  for (const note of loaded.notes) process.stdout.write(`  ${note}\n`);
  return { config: loaded.config, file: path.resolve(template) };
}

/**
 * The config a module exports: `export default` (ESM, or TypeScript's `export =` and `module.exports =`, which
 * arrive as the default), or `exports.default =` (TypeScript's `export default` compiled to CommonJS, which Node
 * wraps in another default).
 */
export function exportedConfig(module: unknown): LocalApiConfig | undefined {
  const exported = (module as { default?: unknown } | null)?.default;
  for (const candidate of [exported, (exported as { default?: unknown } | null)?.default]) {
    if ((candidate as Partial<LocalApiConfig> | null)?.definition) return candidate as LocalApiConfig;
  }
  return undefined;
}

/** Signals that stop the server gracefully: Ctrl-C, `kill`, and a closed terminal. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Resolves when the server should stop: a stop signal, or its launcher gone (bin/lifeline.js). Listening starts at
 * once, so a stop during the start is not lost (the server stops as soon as it is up); later signals are ignored
 * while it closes, so a second Ctrl-C (or the launcher's SIGTERM after the terminal's SIGINT) cannot cut a close
 * short.
 */
function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    let requested = false;
    const stop = (why: string) => {
      if (requested) return;
      requested = true;
      stopWatching();
      resolve(why);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
    const stopWatching = whenLauncherGone(() => stop('its launcher is gone'));
  });
}

export async function serveCommand(argv: string[]): Promise<number> {
  const args = parseServeArguments(argv, process.env);
  const stop = stopRequested();
  let config: LocalApiConfig;
  if (args.source.kind === 'config') {
    const configPath = path.resolve(args.source.file);
    // Through the bundle cache: no TypeScript loader on the start path.
    const fromFile = exportedConfig(await importModule(configPath));
    if (!fromFile) throw new Error(`${args.source.file} must default-export a LocalApiConfig`);
    config = applyServeArguments(fromFile, configPath, args);
  } else {
    const dataDir = path.resolve(args.dataDir ?? '.data');
    const fromTemplate = await templateConfig(args, dataDir);
    config = applyServeArguments(fromTemplate.config, fromTemplate.file, args);
  }
  const api = await serveLocalApi(config);
  process.stdout.write(`${banner(api, config, config.dataDir ?? null)}\n`);
  if (args.watch) {
    api.watch();
    process.stdout.write('  Watching the schema, resolvers and functions: edits reload without losing data.\n\n');
  }
  const why = await stop;
  if (why === 'its launcher is gone') process.stderr.write(`Stopping: ${why}.\n`);
  await api.close();
  return 0;
}
