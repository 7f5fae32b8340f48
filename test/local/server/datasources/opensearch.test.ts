// The OpenSearch data source has no local engine: it forwards to an endpoint the server is given, and without one the
// server refuses to start naming the data source. ctx.result is OpenSearch's JSON answer, which resolvers read as
// `ctx.result.hits.hits` (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-elasticsearch-js.html).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSearchKind } from '../../../../local/server/datasources/opensearch';
import { dataSourceProblems } from '../../../../local/server/datasources';
import type { DataSource } from '../../../../local/server/datasources';
import { testHost } from '../../../helpers/data-source-host';

let server: http.Server;
let endpoint: string;
const received: Array<{ method: string; url: string; body: string }> = [];
const definition = {
  type: 'AMAZON_OPENSEARCH_SERVICE' as const,
  endpoint: 'https://search-posts.us-east-1.es.amazonaws.com',
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, body });
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ hits: { hits: [{ _source: { author: 'Nadia' } }] } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('OpenSearch data source', () => {
  it('names the data source and the flag when no endpoint is given', () => {
    expect(dataSourceProblems({ posts: definition }, testHost())).toEqual([
      "data source 'posts' (AMAZON_OPENSEARCH_SERVICE) needs an endpoint: there is no local OpenSearch, so start one " +
        'and pass --endpoint posts=http://localhost:9200',
    ]);
  });

  it('forwards the request to the given endpoint and hands back the parsed answer', async () => {
    const source = (await openSearchKind.create(
      'posts',
      definition,
      testHost({ endpoints: { posts: endpoint } }),
    )) as DataSource;
    const outcome = await source.invoke(
      {
        operation: 'GET',
        path: '/id/post/_search',
        params: { headers: {}, queryString: { size: 5 }, body: { query: { match: { author: 'Nadia' } } } },
      },
      { field: 'Query.search' },
    );
    expect(received.at(-1)).toEqual({
      method: 'GET',
      url: '/id/post/_search?size=5',
      body: '{"query":{"match":{"author":"Nadia"}}}',
    });
    expect(outcome).toEqual({ result: { hits: { hits: [{ _source: { author: 'Nadia' } }] } } });
  });

  it('reports an error status in ctx.error with the answer as ctx.result', async () => {
    const source = (await openSearchKind.create(
      'posts',
      definition,
      testHost({ endpoints: { posts: endpoint } }),
    )) as DataSource;
    const outcome = await source.invoke({ operation: 'GET', path: '/missing/_doc/1' }, { field: 'Query.get' });
    expect(outcome.error).toEqual({ type: 'OpenSearch', message: 'OpenSearch answered 404 Not Found' });
    expect(outcome.result).toEqual({ hits: { hits: [{ _source: { author: 'Nadia' } }] } });
  });
});
