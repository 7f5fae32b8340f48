// The query depth limit, over HTTP, on the generic server: the notes schema nests only 4 levels deep, so a small API
// with a recursive type (written to a temporary folder, served like any other configuration) is what can reach past
// the limit. Local only: it is not the deployed API.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';
import { expectGraphQLErrors, postJson } from '../helpers/http';

const DEPTH_LIMIT = 10;
const API_KEY = 'da2-depthlimitlocaltestkey000';

const SCHEMA = `
type Node {
  name: String
  child: Node
}

type Query {
  root: Node
}
`;

// A NONE data source hands the payload back as the result: two levels of data, however deep the query asks.
const ROOT_RESOLVER = `
export function request() {
  return { payload: { name: 'root', child: { name: 'child', child: null } } };
}

export function response(ctx) {
  return ctx.result;
}
`;

/** `{ root { child { child ... { name } } } }`, `depth` fields deep (root is level 1, name the last). */
function queryOfDepth(depth: number): string {
  return `query Deep { root { ${'child { '.repeat(depth - 2)}name${' }'.repeat(depth - 2)} } }`;
}

describe('query depth limit', () => {
  let folder: string;
  let api: LocalApi;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'depth-api-'));
    await mkdir(path.join(folder, 'resolvers'));
    await writeFile(path.join(folder, 'schema.graphql'), SCHEMA);
    await writeFile(path.join(folder, 'resolvers', 'Query.root.js'), ROOT_RESOLVER);
    api = await serveLocalApi({
      definition: {
        name: 'depth-test-api',
        schema: 'schema.graphql',
        auth: { default: 'API_KEY' },
        queryDepthLimit: DEPTH_LIMIT,
        dataSources: { none: { type: 'NONE' } },
        resolvers: [
          { kind: 'UNIT', typeName: 'Query', fieldName: 'root', dataSource: 'none', code: 'resolvers/Query.root.js' },
        ],
      },
      rootDir: folder,
      dataDir: null,
      port: 0,
      apiKeys: [API_KEY],
      log: () => {},
    });
  });

  afterAll(async () => {
    await api?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const ask = (query: string) => postJson(api.graphqlUrl, { query }, { 'x-api-key': API_KEY });

  it('answers a query exactly at the depth limit', async () => {
    const response = await ask(queryOfDepth(DEPTH_LIMIT));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { root: { child: { child: null } } } });
  });

  it('refuses a query one level past the limit with a GraphQL error and no data', async () => {
    const errors = expectGraphQLErrors(await ask(queryOfDepth(DEPTH_LIMIT + 1)));
    expect(errors[0].message).toMatch(/depth/i);
  });

  it('refuses a query past the limit through fragments too', async () => {
    const query = `
      query Deep { root { ...Two } }
      fragment Two on Node { child { child { ...Four } } }
      fragment Four on Node { child { child { child { child { child { child { child { name } } } } } } } }
    `;
    expectGraphQLErrors(await ask(query));
  });
});
