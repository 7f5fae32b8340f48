// `appsync-local serve --config <file>`: serves the API a config module describes (its default export is a
// LocalApiConfig). Flags and the PORT / DATA_DIR environment variables override the file.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { serveLocalApi, type LocalApi, type LocalApiConfig } from './serve';

function banner(api: LocalApi, config: LocalApiConfig, dataDir: string | null): string {
  const lines = [
    '',
    `  ${config.definition.name} is running locally`,
    '',
    `  GraphQL   ${api.graphqlUrl}`,
    `  Real time ${api.realtimeUrl}`,
    `  Console   ${api.url}/   (GraphiQL, with sign-in)`,
  ];
  if (api.tlsUrl) {
    lines.push(`  TLS       ${api.tlsUrl}/graphql and ${api.tlsUrl.replace(/^https/, 'wss')}/graphql/realtime`);
    lines.push(`            trust its CA: NODE_EXTRA_CA_CERTS=${api.caCertPath ?? ''}`);
  }
  if (api.cognito) {
    lines.push(`  Sign-in   local user pool ${api.cognito.userPoolId} at ${api.cognito.endpoint}`);
    for (const user of config.users ?? []) lines.push(`            ${user.email} / ${user.password}`);
    lines.push('            a token for curl:  npm run token -- <email>');
  }
  if (config.apiKeys?.length) lines.push(`  API key   ${config.apiKeys[0]}`);
  if (api.s3Endpoint && config.bucket) lines.push(`  Uploads   bucket ${config.bucket.name} at ${api.s3Endpoint}`);
  lines.push(`  DynamoDB  ${api.dynamodbEndpoint}`);
  lines.push(`  Data      ${dataDir ?? 'in memory (gone at exit)'}`);
  lines.push('');
  return lines.join('\n');
}

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'current-item-on-condition-failure': { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.config) throw new Error('serve needs --config <file>');
  const configPath = path.resolve(values.config);
  const module = (await import(pathToFileURL(configPath).href)) as { default?: LocalApiConfig };
  if (!module.default?.definition) throw new Error(`${values.config} must default-export a LocalApiConfig`);
  const fromFile = module.default;
  const port = Number(values.port ?? process.env.PORT ?? fromFile.port ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Invalid port: ${values.port ?? process.env.PORT}`);
  const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? fromFile.dataDir ?? '.data');
  const config: LocalApiConfig = {
    ...fromFile,
    rootDir: path.resolve(path.dirname(configPath), fromFile.rootDir),
    port,
    dataDir,
    dynamodbEndpoint: values['dynamodb-endpoint'] ?? fromFile.dynamodbEndpoint,
    verbose: values.verbose || fromFile.verbose,
    currentItemOnConditionFailure:
      values['current-item-on-condition-failure'] || (fromFile.currentItemOnConditionFailure ?? false),
  };
  const api = await serveLocalApi(config);
  process.stdout.write(`${banner(api, config, dataDir)}\n`);
  if (values.watch) {
    api.watch();
    process.stdout.write('  Watching the schema, resolvers and functions: edits reload without losing data.\n\n');
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await api.close();
  return 0;
}
