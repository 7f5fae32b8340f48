// The HTTP data source against a local test server: AppSync's request object (method, resourcePath, params { query,
// headers, body }) becomes one request to the endpoint, and ctx.result is { statusCode, headers, body } whatever the
// status (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-http-js.html; the aws-samples
// resolvers read `ctx.result.statusCode` and `ctx.result.body`, samples/http/putToApiGW.js). With an
// authorizationConfig the request is SigV4-signed for the configured service and region.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySigV4 } from '../../../../local/server/auth/sigv4';
import { httpKind } from '../../../../local/server/datasources/http';
import type { DataSource } from '../../../../local/server/datasources';
import { testHost } from '../../../helpers/data-source-host';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let endpoint: string;
let received: Received[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (req.url?.startsWith('/missing')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"message":"no such thing"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-answer': '42' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
});

const call = { field: 'Query.test' };

function source(definition: Partial<Parameters<typeof httpKind.create>[1]> = {}, host = testHost()): DataSource {
  return httpKind.create('api', { type: 'HTTP', endpoint, ...definition }, host) as DataSource;
}

describe('HTTP data source', () => {
  it('sends the method, path, query and headers, and answers with statusCode, headers and body', async () => {
    const outcome = await source().invoke(
      {
        method: 'GET',
        resourcePath: '/v1/users',
        params: { query: { id: '7', tag: ['a', 'b'], limit: 10 }, headers: { 'X-Trace': 'abc' } },
      },
      call,
    );
    expect(received).toHaveLength(1);
    expect(received[0].method).toBe('GET');
    expect(received[0].url).toBe('/v1/users?id=7&tag=a&tag=b&limit=10');
    expect(received[0].headers['x-trace']).toBe('abc');
    expect(outcome.result).toEqual({
      statusCode: 200,
      headers: expect.objectContaining({ 'content-type': 'application/json', 'x-answer': '42' }),
      body: '{"ok":true}',
    });
  });

  it('sends a string body as it is and an object body as JSON', async () => {
    const http = source();
    await http.invoke(
      {
        method: 'POST',
        resourcePath: '/text',
        params: { headers: { 'content-type': 'text/plain' }, body: 'plain words' },
      },
      call,
    );
    await http.invoke({ method: 'PUT', resourcePath: '/json', params: { body: { name: 'Ada' } } }, call);
    expect(received.map((r) => [r.method, r.body])).toEqual([
      ['POST', 'plain words'],
      ['PUT', '{"name":"Ada"}'],
    ]);
  });

  it('hands an error status to the response handler as a result, not an error', async () => {
    const outcome = await source().invoke({ method: 'GET', resourcePath: '/missing' }, call);
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({ statusCode: 404, body: '{"message":"no such thing"}' });
  });

  it('joins the endpoint and the resource path, and uses the endpoint the server is given instead', async () => {
    const redirected = source(
      { endpoint: 'https://api.example.com/' },
      testHost({ endpoints: { api: `${endpoint}/` } }),
    );
    await redirected.invoke({ method: 'GET', resourcePath: '/v2/things' }, call);
    expect(received[0].url).toBe('/v2/things');
  });

  it('signs with SigV4 for the configured service and region when the data source has an authorizationConfig', async () => {
    const host = testHost();
    const signed = source({ authorizationConfig: { signingRegion: 'eu-west-1', signingServiceName: 'appsync' } }, host);
    await signed.invoke(
      {
        method: 'POST',
        resourcePath: '/graphql',
        params: { headers: { 'content-type': 'application/json' }, body: { query: '{ a }' } },
      },
      call,
    );
    const [request] = received;
    expect(request.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${host.credentials.accessKeyId}/\\d{8}/eu-west-1/appsync/aws4_request, `,
      ),
    );
    // The signature is the one the local endpoints check.
    await expect(
      verifySigV4(
        { method: request.method, url: request.url, headers: request.headers, body: request.body },
        { service: 'appsync', region: 'eu-west-1', credentials: host.credentials },
      ),
    ).resolves.toEqual({ accessKeyId: host.credentials.accessKeyId });
  });

  it('leaves a request unsigned without an authorizationConfig', async () => {
    await source().invoke({ method: 'GET', resourcePath: '/plain' }, call);
    expect(received[0].headers.authorization).toBeUndefined();
  });

  it.each([
    ['no resource path', { method: 'GET' }, "Value for field '$[resourcePath]' not found."],
    [
      'a method AppSync does not send',
      { method: 'TRACE', resourcePath: '/' },
      "Unsupported method 'TRACE': use GET, POST, PUT, DELETE or PATCH.",
    ],
    [
      'a header that is not a string',
      { method: 'GET', resourcePath: '/', params: { headers: { 'x-n': 1 } } },
      "Expected a string at '$[params][headers][x-n]' but got 'NUMBER'.",
    ],
    [
      'a header of the connection itself',
      { method: 'GET', resourcePath: '/', params: { headers: { Host: 'other' } } },
      "The header 'Host' cannot be set on an HTTP data source request.",
    ],
    [
      'a query value that is an object',
      { method: 'GET', resourcePath: '/', params: { query: { q: { a: 1 } } } },
      "'$[params][query][q]' must be a string, a number or a boolean.",
    ],
  ])('fails the field for %s, sending nothing', async (_name, request, message) => {
    const outcome = await source().invoke(request, call);
    expect(outcome).toEqual({ requestError: { type: 'MappingTemplate', message } });
    expect(received).toEqual([]);
  });

  it('reports an endpoint that cannot be reached in ctx.error', async () => {
    const outcome = await source({ endpoint: 'http://127.0.0.1:9' }).invoke({ method: 'GET', resourcePath: '/' }, call);
    expect(outcome.error).toMatchObject({ type: 'HTTP', message: expect.stringContaining('http://127.0.0.1:9') });
  });

  it('refuses to start with an endpoint that is not an http(s) URL', () => {
    expect(httpKind.check!('api', { type: 'HTTP', endpoint: 'ftp://files' }, testHost())).toEqual([
      "data source 'api' (HTTP) has the endpoint 'ftp://files', which is not an http(s) URL",
    ]);
  });
});
