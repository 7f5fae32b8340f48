// The query depth limit, over HTTP, on the generic server: the notes schema nests only 4 levels deep, so a small API
// with a recursive type (written to a temporary folder, served like any other configuration) is what can reach past
// the limit. Local only: it is not the deployed API.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';
import { postJson } from '../helpers/http';

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

/** A chain of nodes deeper than any query here: n1 { child: n2 { ... n20 } }. */
function chain(levels: number): unknown {
  let node: unknown = null;
  for (let level = levels; level >= 1; level -= 1) node = { name: `n${level}`, child: node };
  return node;
}

// A NONE data source hands the payload back as the result.
const ROOT_RESOLVER = `
export function request() {
  return { payload: ${JSON.stringify(chain(20))} };
}

export function response(ctx) {
  return ctx.result;
}
`;

/** `{ root { child { child ... { name } } } }`, `depth` fields deep (root is level 1, name the last). */
function queryOfDepth(depth: number): string {
  return `query Deep { root { ${'child { '.repeat(depth - 2)}name${' }'.repeat(depth - 2)} } }`;
}

/** The data of queryOfDepth(depth) when every level answers: nested `child` objects, `name` at the bottom. */
function dataOfDepth(depth: number, leaf: unknown): unknown {
  let node: Record<string, unknown> = { name: leaf };
  for (let level = depth - 1; level >= 2; level -= 1) node = { child: node };
  return { root: node };
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
    expect(response.json).toEqual({ data: dataOfDepth(DEPTH_LIMIT, `n${DEPTH_LIMIT - 1}`) });
  });

  // AppSync checks the depth as it executes: the field past the limit fails with QueryDepthLimitReached and the data
  // above it is kept (https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html).
  it('fails the field one level past the limit with QueryDepthLimitReached and keeps the data above it', async () => {
    const response = await ask(queryOfDepth(DEPTH_LIMIT + 1));
    expect(response.status).toBe(200);
    const body = response.json as { data: unknown; errors: Array<Record<string, unknown>> };
    expect(body.data).toEqual(dataOfDepth(DEPTH_LIMIT + 1, null));
    expect(body.errors).toEqual([
      expect.objectContaining({
        errorType: 'QueryDepthLimitReached',
        path: ['root', ...Array<string>(DEPTH_LIMIT - 1).fill('child'), 'name'],
      }),
    ]);
  });

  it('counts the fields reached through fragments', async () => {
    const query = `
      query Deep { root { ...Two } }
      fragment Two on Node { child { child { ...Four } } }
      fragment Four on Node { child { child { child { child { child { child { child { name } } } } } } } }
    `;
    const body = (await ask(query)).json as { errors?: Array<Record<string, unknown>> };
    expect(body.errors?.map((e) => e.errorType)).toEqual(['QueryDepthLimitReached']);
  });
});
