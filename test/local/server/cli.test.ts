// `appsync-local serve` flags and environment: which wins, what is refused, and what the banner tells the user.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyServeArguments, banner, parseServeArguments } from '../../../local/server/cli';
import type { LocalApi, LocalApiConfig } from '../../../local/server/serve';
import { resolveAddresses } from '../../../local/server/addresses';
import { apiDefinition } from '../../../infra/api-definition';

const CONFIG = ['--config', 'appsync-local.config.ts'];

describe('parseServeArguments', () => {
  it('leaves everything to the config file when no flag or variable is set', () => {
    expect(parseServeArguments(CONFIG, {})).toEqual({
      source: { kind: 'config', file: 'appsync-local.config.ts' },
      parameters: {},
      api: undefined,
      stack: undefined,
      port: undefined,
      dataDir: undefined,
      dynamodbEndpoint: undefined,
      host: undefined,
      publicHost: undefined,
      corsOrigins: [],
      verbose: false,
      currentItemOnConditionFailure: false,
      watch: false,
      endpoints: {},
      sqlSeed: undefined,
    });
  });

  it('reads the SQL seed of new local databases from --sql-seed', () => {
    expect(parseServeArguments([...CONFIG, '--sql-seed', 'db/seed.sql'], {}).sqlSeed).toBe('db/seed.sql');
  });

  it('serves a template with --cloudformation and its --parameter values, or a CDK app with --cdk [dir]', () => {
    const template = parseServeArguments(
      [
        '--cloudformation',
        'stack.yaml',
        '--parameter',
        'Stage=prod',
        '--parameter',
        'Url=https://a/b=c',
        '--api',
        'Api',
      ],
      {},
    );
    expect(template).toMatchObject({
      source: { kind: 'cloudformation', template: 'stack.yaml' },
      parameters: { Stage: 'prod', Url: 'https://a/b=c' },
      api: 'Api',
    });
    expect(parseServeArguments(['--cdk'], {}).source).toEqual({ kind: 'cdk', appDir: '.' });
    expect(parseServeArguments(['--cdk', 'infra-app', '--stack', 'Notes-dev'], {})).toMatchObject({
      source: { kind: 'cdk', appDir: 'infra-app' },
      stack: 'Notes-dev',
    });
  });

  it('takes exactly one source, and template flags only with a template', () => {
    const oneOf = 'serve needs one of --config <file>, --cloudformation <template> or --cdk [app dir]';
    expect(() => parseServeArguments([], {})).toThrow(oneOf);
    expect(() => parseServeArguments([...CONFIG, '--cdk'], {})).toThrow(oneOf);
    expect(() => parseServeArguments([...CONFIG, '--parameter', 'A=1'], {})).toThrow(
      '--parameter, --api and --stack go with --cloudformation or --cdk',
    );
    expect(() => parseServeArguments(['--cloudformation', 'a.yaml', 'extra'], {})).toThrow(
      "Unexpected argument 'extra'",
    );
  });

  it('reads data-source endpoints given as --endpoint name=url', () => {
    const args = [...CONFIG, '--endpoint', 'search=http://127.0.0.1:9200', '--endpoint', 'api=self'];
    expect(parseServeArguments(args, {}).endpoints).toEqual({ search: 'http://127.0.0.1:9200', api: 'self' });
    expect(() => parseServeArguments([...CONFIG, '--endpoint', 'search'], {})).toThrow(
      "--endpoint takes name=value, not 'search'",
    );
  });

  it('reads HOST, PUBLIC_HOST, WEB_ORIGINS, PORT and DATA_DIR', () => {
    const env = {
      HOST: '0.0.0.0',
      PUBLIC_HOST: '192.168.1.20',
      WEB_ORIGINS: 'https://notes.example.com, http://192.168.1.20:5173',
      PORT: '4100',
      DATA_DIR: '/tmp/notes',
    };
    expect(parseServeArguments(CONFIG, env)).toMatchObject({
      host: '0.0.0.0',
      publicHost: '192.168.1.20',
      corsOrigins: ['https://notes.example.com', 'http://192.168.1.20:5173'],
      port: 4100,
      dataDir: '/tmp/notes',
    });
  });

  it('lets flags win over the environment, --cors-origin repeated replacing WEB_ORIGINS', () => {
    const args = [
      ...CONFIG,
      '--host',
      '192.168.1.20',
      '--public-host',
      '10.0.2.2',
      '--cors-origin',
      'http://192.168.1.20:5173',
      '--cors-origin',
      'https://notes.example.com',
    ];
    const env = { HOST: '127.0.0.1', PUBLIC_HOST: 'elsewhere.local', WEB_ORIGINS: 'https://other.example.com' };
    expect(parseServeArguments(args, env)).toMatchObject({
      host: '192.168.1.20',
      publicHost: '10.0.2.2',
      corsOrigins: ['http://192.168.1.20:5173', 'https://notes.example.com'],
    });
  });

  it('refuses origins the deployed bucket would refuse: wildcards, paths, non-http schemes', () => {
    expect(() => parseServeArguments([...CONFIG, '--cors-origin', '*'], {})).toThrow(
      'webOrigins entry "*" must be an exact origin like https://notes.example.com',
    );
    expect(() => parseServeArguments(CONFIG, { WEB_ORIGINS: 'https://notes.example.com/app' })).toThrow(
      'must be an exact origin',
    );
    expect(() => parseServeArguments([...CONFIG, '--cors-origin', 'http://*.example.com'], {})).toThrow(
      'must be an exact origin',
    );
  });

  it('refuses a host that is not an address, and a public host nobody can dial', () => {
    expect(() => parseServeArguments([...CONFIG, '--host', 'http://0.0.0.0'], {})).toThrow(
      '--host must be an IP address or a host name',
    );
    expect(() => parseServeArguments(CONFIG, { PUBLIC_HOST: '192.168.1.20:4000' })).toThrow(
      '--public-host must be an IP address',
    );
    expect(() => parseServeArguments([...CONFIG, '--public-host', '0.0.0.0'], {})).toThrow(
      '--public-host must be an address devices can dial, not 0.0.0.0',
    );
  });

  it('refuses a bad port, an unknown flag and a missing --config', () => {
    expect(() => parseServeArguments([...CONFIG, '--port', '70000'], {})).toThrow('Invalid port: 70000');
    expect(() => parseServeArguments(CONFIG, { PORT: 'abc' })).toThrow('Invalid port: abc');
    expect(() => parseServeArguments([...CONFIG, '--bind', 'x'], {})).toThrow(/Unknown option '--bind'/);
    expect(() => parseServeArguments([], {})).toThrow(
      'serve needs one of --config <file>, --cloudformation <template> or --cdk [app dir]',
    );
  });
});

describe('applyServeArguments', () => {
  const fromFile: LocalApiConfig = {
    definition: apiDefinition,
    rootDir: '.',
    bucket: { name: 'uploads', corsOrigins: ['https://app.example.com'] },
  };

  it('resolves a SQL seed against the config file, and one from the command line against the working folder', () => {
    const fromArgs = parseServeArguments([...CONFIG, '--sql-seed', 'seed.sql'], {});
    expect(applyServeArguments(fromFile, '/project/a.config.ts', fromArgs).sqlSeed).toBe(path.resolve('seed.sql'));
    const inFile = { ...fromFile, sqlSeed: 'db/seed.sql' };
    const noFlag = parseServeArguments(CONFIG, {});
    expect(applyServeArguments(inFile, '/project/a.config.ts', noFlag).sqlSeed).toBe('/project/db/seed.sql');
  });

  it('adds the command line origins to the file origins and resolves paths against the config file', () => {
    const args = parseServeArguments([...CONFIG, '--cors-origin', 'http://192.168.1.20:5173', '--host', '0.0.0.0'], {});
    const config = applyServeArguments(fromFile, '/project/appsync-local.config.ts', args);
    expect(config).toMatchObject({
      rootDir: '/project',
      port: 4000,
      dataDir: path.resolve('.data'),
      host: '0.0.0.0',
      bucket: { name: 'uploads', corsOrigins: ['https://app.example.com', 'http://192.168.1.20:5173'] },
    });
  });
});

describe('banner', () => {
  const config: LocalApiConfig = {
    definition: apiDefinition,
    rootDir: '.',
    users: [{ email: 'alice@example.com', password: 'Passw0rd!alice' }],
    bucket: { name: 'uploads', corsOrigins: [] },
  };

  function apiOn(host: string, publicHost?: string): LocalApi {
    const addresses = resolveAddresses({ host, publicHost }, { eth0: [] });
    const at = (port: number) => `http://${addresses.publicHost}:${port}`;
    return {
      addresses,
      advertised: {
        url: at(4000),
        graphqlUrl: `${at(4000)}/graphql`,
        userPoolEndpoint: at(4001),
        s3Endpoint: at(4002),
      },
      cognito: { userPoolId: 'us-east-1_local' },
      outputsPath: '/data/amplify_outputs.json',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
    } as unknown as LocalApi;
  }

  it('says only this machine can connect on loopback', () => {
    const text = banner(apiOn('127.0.0.1'), config, '/data');
    expect(text).toContain('GraphQL   http://127.0.0.1:4000/graphql');
    expect(text).toContain('Reach     only this machine (listening on 127.0.0.1)');
    expect(text).not.toContain('advertised as');
    expect(text).toContain('CORS: any loopback origin');
  });

  it('names the advertised address of a loopback server seen from an emulator', () => {
    const text = banner(apiOn('127.0.0.1', '10.0.2.2'), config, '/data');
    expect(text).toContain('GraphQL   http://10.0.2.2:4000/graphql');
    expect(text).toContain('Outputs   http://10.0.2.2:4000/amplify_outputs.json   (also /data/amplify_outputs.json)');
    expect(text).toContain('            advertised as 10.0.2.2 (as given)\n');
  });

  it('says who can reach a server bound beyond loopback, with the advertised addresses', () => {
    const text = banner(apiOn('0.0.0.0', '192.168.1.20'), config, '/data');
    expect(text).toContain('GraphQL   http://192.168.1.20:4000/graphql');
    expect(text).toContain('Sign-in   local user pool us-east-1_local at http://192.168.1.20:4001');
    expect(text).toContain('Uploads   bucket uploads at http://192.168.1.20:4002');
    expect(text).toContain(
      '  Reach     anyone who can reach every interface (0.0.0.0) can call the API, sign in as the users above and ' +
        'upload\n            devices use 192.168.1.20 (as given)\n',
    );
  });
});
