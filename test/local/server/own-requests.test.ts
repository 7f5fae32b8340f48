// An HTTP data source naming the API's own endpoint (`self`, as the template reader maps the API's own GraphQL URL)
// is answered in-process: no socket, yet the same answer as the same request sent over HTTP to the same server. The
// nested request is authenticated (a signature for the wrong region is refused with 401), sees the headers Node's
// client would have sent, is logged like any other, and answers with the headers Node's server would have added.
// Paths other than /graphql still go over HTTP.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../local/definition';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';
import { writeFiles } from '../../helpers/files';

const API_KEY = 'da2-ownrequests';

const schema = `
type Query { echo(text: String): AWSJSON @aws_iam }
type Mutation {
  viaSelf(method: String!, path: String!, text: String): AWSJSON @aws_api_key
  viaHttp(method: String!, path: String!, text: String): AWSJSON @aws_api_key
  viaWrongRegion(method: String!, path: String!, text: String): AWSJSON @aws_api_key
}
`;

// The relay asks for `echo`, which reports the request it saw; the relay returns the whole HTTP result.
const relay = `
  export function request(ctx) {
    const query = 'query E($t: String) { echo(text: $t) }';
    const variables = { t: ctx.args.text };
    if (ctx.args.method === 'GET') {
      return {
        method: 'GET',
        resourcePath: ctx.args.path,
        params: { query: { query, variables: JSON.stringify(variables) } },
      };
    }
    return {
      method: ctx.args.method,
      resourcePath: ctx.args.path,
      params: { headers: { 'content-type': 'application/json' }, body: { query, variables } },
    };
  }
  export function response(ctx) {
    if (ctx.error) util.error(ctx.error.message, ctx.error.type);
    return JSON.stringify(ctx.result);
  }`;

const files: Record<string, string> = {
  'schema.graphql': schema,
  'resolvers/echo.js': `
    export function request(ctx) {
      return { payload: { text: ctx.args.text, headers: ctx.request.headers, identity: ctx.identity } };
    }
    export function response(ctx) { return JSON.stringify(ctx.result); }`,
  'resolvers/relay.js': relay,
};

const signedForAppSync = { signingRegion: 'us-east-1', signingServiceName: 'appsync' };

// The relay as it reaches the API: in-process (self), over HTTP (the same server by its address, given below with
// `endpoints`), and in-process with a signature for the wrong region.
const relays = { viaSelf: 'self', viaHttp: 'byAddress', viaWrongRegion: 'wrongRegion' };

const definition: ApiDefinition = {
  name: 'own-requests',
  schema: 'schema.graphql',
  auth: { default: 'API_KEY', additional: ['AWS_IAM'] },
  dataSources: {
    none: { type: 'NONE' },
    self: { type: 'HTTP', endpoint: 'self', authorizationConfig: signedForAppSync },
    byAddress: { type: 'HTTP', endpoint: 'http://127.0.0.1:9', authorizationConfig: signedForAppSync },
    wrongRegion: {
      type: 'HTTP',
      endpoint: 'self',
      authorizationConfig: { signingRegion: 'eu-west-1', signingServiceName: 'appsync' },
    },
  },
  resolvers: [
    { kind: 'UNIT', typeName: 'Query', fieldName: 'echo', dataSource: 'none', code: 'resolvers/echo.js' },
    ...Object.entries(relays).map(([fieldName, dataSource]) => ({
      kind: 'UNIT' as const,
      typeName: 'Mutation',
      fieldName,
      dataSource,
      code: 'resolvers/relay.js',
    })),
  ],
};

let dir: string;
let api: LocalApi;
const logs: string[] = [];

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Runs a relay field, counting the HTTP requests this process sent to the server meanwhile. */
async function relayed(
  field: keyof typeof relays,
  method: string,
  requestPath: string,
  text = 'hello',
): Promise<{ result: HttpResult; httpRequests: number }> {
  const port = new URL(api.graphqlUrl).port;
  let httpRequests = 0;
  const count = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (request.getHeader('host') === `127.0.0.1:${port}` && request.path !== '/graphql?relay') httpRequests += 1;
  };
  subscribe('http.client.request.start', count);
  try {
    // The outer request is marked so it is not counted.
    const response = await fetch(`${api.graphqlUrl}?relay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({
        query: `mutation R($m: String!, $p: String!, $t: String) { ${field}(method: $m, path: $p, text: $t) }`,
        variables: { m: method, p: requestPath, t: text },
      }),
    });
    const body = (await response.json()) as { data?: Record<string, string>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return { result: JSON.parse(body.data![field]) as HttpResult, httpRequests };
  } finally {
    unsubscribe('http.client.request.start', count);
  }
}

/** What the echo field reported, without the values that change with each signing. */
function seen(result: HttpResult) {
  const body = JSON.parse(result.body) as { data: { echo: string } };
  const echoed = JSON.parse(body.data.echo) as { text: string; headers: Record<string, string>; identity: unknown };
  const { authorization, 'x-amz-date': date, ...stable } = echoed.headers;
  expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
  expect(date).toMatch(/^\d{8}T\d{6}Z$/);
  return { text: echoed.text, headerNames: Object.keys(echoed.headers), headers: stable, identity: echoed.identity };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'own-requests-'));
  await writeFiles(dir, files);
  const port = await freePort();
  api = await serveLocalApi({
    definition,
    rootDir: dir,
    dataDir: null,
    port,
    tls: false,
    apiKeys: [API_KEY],
    endpoints: { byAddress: `http://127.0.0.1:${port}` },
    log: (line) => logs.push(line),
  });
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the API calling its own endpoint', () => {
  it.each(['POST', 'GET'])(
    'answers a %s without a socket, as the same request over HTTP is answered',
    async (method) => {
      const own = await relayed('viaSelf', method, '/graphql');
      const overHttp = await relayed('viaHttp', method, '/graphql');
      expect(own.httpRequests).toBe(0);
      expect(overHttp.httpRequests).toBe(1);

      expect(own.result.statusCode).toBe(200);
      expect(own.result.statusCode).toBe(overHttp.result.statusCode);
      expect(Object.keys(own.result.headers)).toEqual(Object.keys(overHttp.result.headers));
      const { date, ...ownHeaders } = own.result.headers;
      const { date: httpDate, ...httpHeaders } = overHttp.result.headers;
      expect(ownHeaders).toEqual(httpHeaders);
      expect(Date.parse(date)).toBeGreaterThan(Date.now() - 60_000);
      expect(Date.parse(httpDate)).toBeGreaterThan(Date.now() - 60_000);

      const ownSeen = seen(own.result);
      expect(ownSeen).toEqual(seen(overHttp.result));
      expect(ownSeen.text).toBe('hello');
      expect(ownSeen.headerNames).toContain('host');
      expect(ownSeen.identity).toMatchObject({ sourceIp: ['127.0.0.1'], username: expect.stringMatching(/^AIDA/) });
    },
  );

  it('checks the signature of its own request: one for another region is refused', async () => {
    const own = await relayed('viaWrongRegion', 'POST', '/graphql');
    expect(own.httpRequests).toBe(0);
    expect(own.result.statusCode).toBe(401);
    expect(JSON.parse(own.result.body)).toMatchObject({ errors: [{ errorType: 'UnauthorizedException' }] });
  });

  it('logs its own request as a request over HTTP is logged', async () => {
    logs.length = 0;
    await relayed('viaSelf', 'POST', '/graphql', 'logged');
    const lines = logs.filter((line) => line.startsWith('POST /graphql 200'));
    expect(lines).toEqual([
      expect.stringMatching(/ E iam AIDA\w+ none×1$/),
      expect.stringMatching(/ R api-key self×1$/),
    ]);
  });

  it('sends what is not its GraphQL endpoint over HTTP', async () => {
    const own = await relayed('viaSelf', 'POST', '/elsewhere');
    expect(own.httpRequests).toBe(1);
    expect(own.result.statusCode).toBe(404);
  });
});
