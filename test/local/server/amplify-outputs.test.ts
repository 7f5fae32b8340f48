// The outputs file for a generic API (API key only, no pool, no bucket): written and served with only the sections
// that API has, and enough for AWS Amplify JS v6, configured from it alone, to query, mutate and subscribe. Amplify
// opens its subscriptions at wss://<data.url's host:port>/graphql/realtime whatever data.url's scheme (its
// getRealtimeEndpointUrl in @aws-amplify/api-graphql), so the GraphQL port answers TLS as well as plain HTTP.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../local/definition';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';

const API_KEY = 'da2-outputstestkey';

const schema = `
type Message { id: ID! text: String! }
type Query { ping: String! }
type Mutation { post(id: ID!, text: String!): Message }
type Subscription { onPost: Message @aws_subscribe(mutations: ["post"]) }
`;

const definition: ApiDefinition = {
  name: 'messages',
  schema: 'schema.graphql',
  auth: { default: 'API_KEY' },
  dataSources: { none: { type: 'NONE' } },
  resolvers: [
    { kind: 'UNIT', typeName: 'Query', fieldName: 'ping', dataSource: 'none', code: 'resolvers/ping.js' },
    { kind: 'UNIT', typeName: 'Mutation', fieldName: 'post', dataSource: 'none', code: 'resolvers/post.js' },
  ],
};

let dir: string;
let api: LocalApi;
const log: string[] = [];
/** The URLs Amplify opened WebSockets to. */
const opened: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'outputs-api-'));
  await mkdir(path.join(dir, 'resolvers'));
  await writeFile(path.join(dir, 'schema.graphql'), schema);
  await writeFile(
    path.join(dir, 'resolvers', 'ping.js'),
    `export function request() { return { payload: 'pong' }; }\nexport function response(ctx) { return ctx.result; }\n`,
  );
  await writeFile(
    path.join(dir, 'resolvers', 'post.js'),
    `export function request(ctx) { return { payload: ctx.args }; }\nexport function response(ctx) { return ctx.result; }\n`,
  );
  api = await serveLocalApi({
    definition,
    rootDir: dir,
    dataDir: path.join(dir, 'data'),
    port: 0,
    apiKeys: [API_KEY],
    log: (line) => log.push(line),
  });
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

async function served(): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${api.url}/amplify_outputs.json`, { headers: { origin: 'http://192.168.1.20:3000' } });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe('amplify_outputs.json for an API-key API', () => {
  it('has the data section with the key, and no auth, storage or custom section', async () => {
    const { status, headers, body } = await served();
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({
      version: '1.4',
      data: {
        url: `${api.url}/graphql`,
        aws_region: 'us-east-1',
        default_authorization_type: 'API_KEY',
        authorization_types: [],
        api_key: API_KEY,
      },
    });
  });

  it('writes the same file into the data folder', async () => {
    expect(api.outputsPath).toBe(path.join(dir, 'data', 'amplify_outputs.json'));
    expect(JSON.parse(await readFile(api.outputsPath!, 'utf8'))).toEqual((await served()).body);
  });

  it('refuses other methods on it in AppSync error format', async () => {
    const response = await fetch(`${api.url}/amplify_outputs.json`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(await response.json()).toEqual({
      errors: [{ errorType: 'MethodNotAllowedException', message: 'POST is not supported; use GET.' }],
    });
  });
});

describe('the GraphQL port speaks plain HTTP and TLS', () => {
  it('answers a TLS request on the same port as plain ones, with the certificate of the local CA', async () => {
    const ca = await readFile(api.caCertPath!, 'utf8');
    const tlsUrl = api.url.replace(/^http:/, 'https:');
    const { default: https } = await import('node:https');
    const answer = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const request = https.request(
        `${tlsUrl}/graphql`,
        { method: 'POST', ca, headers: { 'content-type': 'application/json', 'x-api-key': API_KEY } },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode, body }));
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ query: '{ ping }' }));
    });
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ data: { ping: 'pong' } }) });
  });

  it('keeps a large plain request body whole (the first chunk is read ahead to tell the protocols apart)', async () => {
    const text = 'x'.repeat(600_000);
    const body = JSON.stringify({
      query: 'mutation($t: String!) { post(id: "big", text: $t) { text } }',
      variables: { t: text },
    });
    const answer = await new Promise<string>((resolve, reject) => {
      const request = http.request(
        `${api.url}/graphql`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY } },
        (response) => {
          let received = '';
          response.on('data', (chunk: Buffer) => (received += chunk.toString()));
          response.on('end', () => resolve(received));
        },
      );
      request.on('error', reject);
      // Written in small pieces, so the body spans many reads after the first.
      for (let at = 0; at < body.length; at += 16_384) request.write(body.slice(at, at + 16_384));
      request.end();
    });
    expect(JSON.parse(answer)).toEqual({ data: { post: { text } } });
  });
});

describe('Amplify JS v6 configured from the served file alone', () => {
  beforeAll(async () => {
    // Node 20 has no global WebSocket: Amplify gets the ws package's, trusting the data folder's CA as
    // NODE_EXTRA_CA_CERTS would.
    const ca = await readFile(api.caCertPath!, 'utf8');
    class TrustingWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { ca });
        opened.push(String(url));
      }
    }
    (globalThis as { WebSocket?: unknown }).WebSocket = TrustingWebSocket;
    Amplify.configure((await served()).body as Parameters<typeof Amplify.configure>[0]);
  });

  it('reads the endpoint, the default mode and the key from it', () => {
    expect(Amplify.getConfig().API?.GraphQL).toMatchObject({
      endpoint: `${api.url}/graphql`,
      region: 'us-east-1',
      defaultAuthMode: 'apiKey',
      apiKey: API_KEY,
    });
  });

  it('queries, and receives a mutation on a subscription it opened at wss:// on the same port', async () => {
    const client = generateClient();
    const query = (await client.graphql({ query: '{ ping }' })) as { data: { ping: string } };
    expect(query.data.ping).toBe('pong');

    const received: unknown[] = [];
    const failures: unknown[] = [];
    const starts = () => log.filter((line) => line.startsWith('WS start ')).length;
    const before = starts();
    const subscription = (
      client.graphql({ query: 'subscription { onPost { id text } }' }) as unknown as {
        subscribe(observer: { next(value: unknown): void; error(error: unknown): void }): { unsubscribe(): void };
      }
    ).subscribe({ next: (value) => received.push(value), error: (error) => failures.push(error) });
    try {
      await until(() => starts() > before || failures.length > 0);
      expect(failures).toEqual([]);
      await client.graphql({ query: 'mutation { post(id: "m1", text: "over TLS") { id text } }' });
      await until(() => received.length > 0 || failures.length > 0);
      expect(received).toEqual([{ data: { onPost: { id: 'm1', text: 'over TLS' } } }]);
      // The socket Amplify opened was a TLS one to the GraphQL port itself.
      expect(opened.map((url) => url.replace(/\?.*/, ''))).toEqual([
        `${api.url.replace(/^http:/, 'wss:')}/graphql/realtime`,
      ]);
    } finally {
      subscription.unsubscribe();
    }
  });
});

async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
