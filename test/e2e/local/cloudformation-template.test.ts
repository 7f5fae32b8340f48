// A CloudFormation template served as it is, with no config (issue 9): test/fixtures/cloudformation/api.yaml declares
// an API with API-key and user-pool auth, a DynamoDB table with a GSI, unit and pipeline resolvers (one function's code
// a bundled file whose helper uses the `util` global without importing it), HTTP, EventBridge, PostgreSQL and NONE
// data sources, an inline CommonJS Lambda, and a direct Lambda resolver on a SAM function. Each field is called and
// its real result checked.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';
import { loadTemplate, type LoadedTemplate } from '../../../local/template/load';
import { signIn } from '../../../client/src/auth';
import { postJson } from '../helpers/http';

const FIXTURE = fileURLToPath(new URL('../../fixtures/cloudformation/', import.meta.url));
const USER = { email: 'carol@example.com', password: 'Passw0rd!carol' };

let workDir: string;
let echo: Server;
let echoed: string[] = [];
let loaded: LoadedTemplate;
let api: LocalApi;
const log: string[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'cfn-e2e-'));
  // The HTTP data source's service: answers GET /echo?text=... with JSON.
  echo = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== '/echo') {
      res.writeHead(404).end();
      return;
    }
    echoed.push(url.searchParams.get('text') ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ echoed: `echo: ${url.searchParams.get('text')}` }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const echoEndpoint = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  loaded = await loadTemplate(
    { template: path.join(FIXTURE, 'api.yaml'), parameters: { EchoEndpoint: echoEndpoint } },
    path.join(workDir, 'template'),
  );
  api = await serveLocalApi({
    ...loaded.config,
    dataDir: path.join(workDir, 'data'),
    port: 0,
    tls: false,
    users: [USER],
    sqlSeed: path.join(FIXTURE, 'seed.sql'),
    log: (line) => log.push(line),
  });
});

afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => echo?.close(resolve));
  await rm(workDir, { recursive: true, force: true });
});

async function call(query: string, headers: Record<string, string> = {}) {
  const response = await postJson(api.graphqlUrl, { query }, { 'x-api-key': loaded.config.apiKeys![0]!, ...headers });
  expect(response.status, response.text).toBe(200);
  return response.json as { data: Record<string, unknown> | null; errors?: Array<Record<string, unknown>> };
}

describe('a CloudFormation template served with no config', () => {
  it('reads the API as the template declares it: auth, limits from a mapping and a condition, one key', () => {
    const { definition } = loaded.config;
    expect(definition.name).toBe('api-dev');
    expect(definition.auth).toEqual({ default: 'API_KEY', additional: ['AMAZON_COGNITO_USER_POOLS'] });
    expect(definition.queryDepthLimit).toBe(6);
    expect(definition.resolverCountLimit).toBe(200);
    expect(loaded.config.apiKeys).toEqual([expect.stringMatching(/^da2-[a-z0-9]{26}$/)]);
    expect(loaded.notes).toEqual(
      expect.arrayContaining([
        'skipped LogsRole (AWS::IAM::Role): the API does not need it locally',
        'skipped ProdOnlyAlarmTopic (AWS::SNS::Topic): its condition IsProd is false',
      ]),
    );
  });

  it('writes the outputs file with the API key and the user pool', async () => {
    const outputs = JSON.parse(await readFile(api.outputsPath!, 'utf8'));
    expect(outputs.data).toMatchObject({
      url: api.graphqlUrl,
      default_authorization_type: 'API_KEY',
      authorization_types: ['AMAZON_COGNITO_USER_POOLS'],
      api_key: loaded.config.apiKeys![0],
    });
    expect(outputs.auth.user_pool_id).toBe(api.cognito!.userPoolId);
  });

  it('refuses a wrong API key as AppSync does', async () => {
    const response = await postJson(api.graphqlUrl, { query: '{ stage }' }, { 'x-api-key': 'da2-wrong' });
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }],
    });
  });

  it('substitutes parameters and pseudo parameters into inline code, keeping ${!Literal}', async () => {
    expect(await call('{ stage }')).toEqual({ data: { stage: 'dev in us-east-1, not ${Stage}' } });
  });

  it('runs the pipeline (a bundled helper on the util global, then DynamoDB) and queries the GSI', async () => {
    const put = await call('mutation { putItem(category: "tools", name: "  hammer ") { id category name } }');
    expect(put.errors).toBeUndefined();
    const item = put.data!.putItem as { id: string; category: string; name: string };
    expect(item).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), category: 'tools', name: 'hammer' });
    await call('mutation { putItem(category: "tools", name: "axe") { id } }');
    await call('mutation { putItem(category: "food", name: "bread") { id } }');
    expect(await call(`{ item(id: "${item.id}") { name } }`)).toEqual({ data: { item: { name: 'hammer' } } });
    const byCategory = await call('{ itemsByCategory(category: "tools") { name category } }');
    // The GSI's sort key orders the items.
    expect(byCategory.data).toEqual({
      itemsByCategory: [
        { name: 'axe', category: 'tools' },
        { name: 'hammer', category: 'tools' },
      ],
    });
  });

  it("reports the helper's util.error through the pipeline", async () => {
    const empty = await call('mutation { putItem(category: "tools", name: "   ") { id } }');
    expect(empty.data).toEqual({ putItem: null });
    expect(empty.errors).toEqual([
      expect.objectContaining({ message: 'The name is empty', errorType: 'ValidationError', path: ['putItem'] }),
    ]);
  });

  it('calls the HTTP service at the endpoint given as a parameter', async () => {
    echoed = [];
    expect(await call('{ echo(text: "hi there") }')).toEqual({ data: { echo: 'echo: hi there' } });
    expect(echoed).toEqual(['hi there']);
  });

  it('invokes the inline CommonJS Lambda with its resolved environment', async () => {
    expect(await call('{ shout(text: "quiet") }')).toEqual({ data: { shout: 'QUIET!!! (dev)' } });
  });

  it("runs a direct Lambda resolver on SAM's function, its handler in file.export form", async () => {
    expect(await call('{ profile(name: "dana") { name field callerIsApiKey } }')).toEqual({
      data: { profile: { name: 'dana', field: 'Query.profile', callerIsApiKey: true } },
    });
  });

  it('reads and writes the PostgreSQL database through the RDS data source', async () => {
    const added = await call('mutation { addNote(text: "from the template") { id text } }');
    expect(added.errors).toBeUndefined();
    expect(added.data).toEqual({ addNote: { id: 2, text: 'from the template' } });
    expect(await call('{ notes { id text } }')).toEqual({
      data: {
        notes: [
          { id: 1, text: 'seeded' },
          { id: 2, text: 'from the template' },
        ],
      },
    });
  });

  it('puts events on the bus the template declares, recorded in the data folder', async () => {
    const announced = await call('mutation { announce(message: "hello bus") }');
    expect(announced.errors).toBeUndefined();
    const eventId = announced.data!.announce as string;
    expect(eventId).toEqual(expect.any(String));
    const recorded = (await readFile(path.join(workDir, 'data', 'eventbridge', 'api-announcements.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(recorded).toEqual([
      expect.objectContaining({ source: 'items.api', 'detail-type': 'Announcement', detail: { message: 'hello bus' } }),
    ]);
  });

  it('lets a user of the pool call the user-pool field, and refuses the API key there', async () => {
    const cognito = api.cognito!;
    const tokens = await signIn(
      { endpoint: cognito.endpoint, userPoolId: cognito.userPoolId, clientId: cognito.clientId },
      USER.email,
      USER.password,
    );
    const signedIn = await postJson(api.graphqlUrl, { query: '{ whoAmI }' }, { authorization: tokens.idToken });
    expect(signedIn.json).toEqual({ data: { whoAmI: USER.email } });
    const withKey = await call('{ whoAmI }');
    expect(withKey.data).toEqual({ whoAmI: null });
    expect(withKey.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized', path: ['whoAmI'] })]);
  });
});
