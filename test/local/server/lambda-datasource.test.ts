// Lambda data sources on the local server: CommonJS and ES module handlers, Lambda's `file.export` names, and direct
// Lambda resolvers (no code: AppSync's default request and response). The default request sends the whole context
// (keys as in events recorded from AppSync: aws-powertools/powertools-lambda-python#1303); the default response
// raises a function error as the field's error (the direct Lambda resolver reference,
// https://docs.aws.amazon.com/appsync/latest/devguide/resolver-mapping-template-reference-lambda.html#direct-lambda-resolvers),
// while code that ignores ctx.error gets null without an error, as on AppSync
// (https://advancedweb.hu/error-handling-in-appsync/, "By default, AppSync does not raise the error").
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../local/definition';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';
import { writeFiles } from '../../helpers/files';

const API_KEY = 'da2-lambdatests';

const schema = `
type Author { id: ID! name: String }
type Post { id: ID! title: String author: Author }
type Query {
  echo(text: String!): AWSJSON
  cjs(n: Int!): Int
  nested: String
  failing: String
  ignoring: String
  posts: [Post]
  described: Post
}
`;

const files: Record<string, string> = {
  'schema.graphql': schema,
  // A direct Lambda resolver's function: returns the event it got, so the test sees AppSync's default request.
  'functions/echo.mjs': 'export const handler = async (event) => JSON.stringify(event);',
  'functions/package.json': '{ "type": "commonjs" }',
  'functions/counter.js': 'module.exports.handler = async (event) => event.n + 1;',
  'functions/routes.js': 'exports.routes = { nested: async () => "nested export" };',
  'functions/fails.mjs': "export const handler = async () => { throw new Error('the function failed'); };",
  'functions/posts.mjs': `export const handler = async (event) => {
    if (Array.isArray(event)) return event.map((e) => ({ id: e.source.authorId, name: 'author of ' + e.source.id }));
    return [{ id: 'p1', title: 'one', authorId: 'a1' }, { id: 'p2', title: 'two', authorId: 'a2' }];
  };`,
  'functions/described.mjs':
    "export const handler = async (event) => ({ id: 'd1', title: JSON.stringify(event.info), author: null });",
  'resolvers/cjs.js': `
    export function request(ctx) { return { operation: 'Invoke', payload: { n: ctx.args.n } }; }
    export function response(ctx) { return ctx.result; }`,
  'resolvers/ignoring.js': `
    export function request() { return { operation: 'Invoke', payload: {} }; }
    export function response(ctx) { return ctx.result; }`,
};

const definition: ApiDefinition = {
  name: 'lambdas',
  schema: 'schema.graphql',
  auth: { default: 'API_KEY' },
  dataSources: {
    echo: { type: 'AWS_LAMBDA', handler: 'functions/echo.mjs', prebuilt: true },
    counter: { type: 'AWS_LAMBDA', handler: 'functions/counter.handler', prebuilt: true },
    routes: { type: 'AWS_LAMBDA', handler: 'functions/routes.routes.nested', prebuilt: true },
    fails: { type: 'AWS_LAMBDA', handler: 'functions/fails.mjs' },
    posts: { type: 'AWS_LAMBDA', handler: 'functions/posts.handler' },
    described: { type: 'AWS_LAMBDA', handler: 'functions/described.handler', prebuilt: true },
  },
  resolvers: [
    { kind: 'UNIT', typeName: 'Query', fieldName: 'echo', dataSource: 'echo' },
    { kind: 'UNIT', typeName: 'Query', fieldName: 'cjs', dataSource: 'counter', code: 'resolvers/cjs.js' },
    { kind: 'UNIT', typeName: 'Query', fieldName: 'nested', dataSource: 'routes' },
    { kind: 'UNIT', typeName: 'Query', fieldName: 'failing', dataSource: 'fails' },
    { kind: 'UNIT', typeName: 'Query', fieldName: 'ignoring', dataSource: 'fails', code: 'resolvers/ignoring.js' },
    { kind: 'UNIT', typeName: 'Query', fieldName: 'posts', dataSource: 'posts' },
    { kind: 'UNIT', typeName: 'Query', fieldName: 'described', dataSource: 'described' },
    { kind: 'UNIT', typeName: 'Post', fieldName: 'author', dataSource: 'posts', maxBatchSize: 10 },
  ],
};

let dir: string;
let api: LocalApi;

async function graphql(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: Array<Record<string, unknown>> };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lambda-datasource-'));
  await writeFiles(dir, files);
  await mkdir(path.join(dir, 'node_modules'));
  api = await serveLocalApi({ definition, rootDir: dir, dataDir: null, port: 0, apiKeys: [API_KEY], log: () => {} });
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Lambda data sources', () => {
  it('sends a direct Lambda resolver the whole context', async () => {
    const body = await graphql('query Echo($t: String!) { echo(text: $t) }', { t: 'hi' });
    const event = JSON.parse(body.data?.echo as string) as Record<string, unknown>;
    expect(Object.keys(event).sort()).toEqual(['arguments', 'identity', 'info', 'prev', 'request', 'source', 'stash']);
    expect(event).toMatchObject({
      arguments: { text: 'hi' },
      identity: null,
      source: null,
      prev: null,
      stash: {},
      info: { fieldName: 'echo', parentTypeName: 'Query', variables: { t: 'hi' }, selectionSetList: [] },
    });
    expect((event.request as { headers: Record<string, string> }).headers['x-api-key']).toBe(API_KEY);
  });

  it('describes the selection of every node of a field, merged, each time a document runs', async () => {
    const merged = `query Merged { described { id title ...Author } described { author { name } } }
      fragment Author on Post { author { id } }`;
    const info = async (query: string) => {
      const body = await graphql(query);
      return JSON.parse((body.data?.described as { title: string }).title) as Record<string, unknown>;
    };
    const expected = {
      selectionSetList: ['id', 'title', 'author', 'author/id', 'author/name'],
      selectionSetGraphQL: '{\n  id\n  title\n  ...Author\n}\n{\n  author {\n    name\n  }\n}',
    };
    // The same text again is the same cached document: the answer must not depend on which run built it.
    expect(await info(merged)).toMatchObject(expected);
    expect(await info(merged)).toMatchObject(expected);
    expect(await info('{ described { title } }')).toMatchObject({ selectionSetList: ['title'] });
    // One document whose operations share a fragment's node: alone in one, merged with a different node in the others.
    const shared = `query Alone { ...Described } query Ids { ...Described described { author { id } } }
      query Names { ...Described described { author { name } } }
      fragment Described on Query { described { id title } }`;
    const run = async (operationName: string) => {
      const response = await fetch(api.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ query: shared, operationName }),
      });
      const body = (await response.json()) as { data: { described: { title: string } } };
      return (JSON.parse(body.data.described.title) as { selectionSetList: string[] }).selectionSetList;
    };
    expect(await run('Alone')).toEqual(['id', 'title']);
    expect(await run('Ids')).toEqual(['id', 'title', 'author', 'author/id']);
    expect(await run('Names')).toEqual(['id', 'title', 'author', 'author/name']);
    expect(await run('Alone')).toEqual(['id', 'title']);
  });

  it('runs a CommonJS handler named file.export', async () => {
    expect(await graphql('{ cjs(n: 41) }')).toEqual({ data: { cjs: 42 } });
  });

  it('follows a dotted export path', async () => {
    expect(await graphql('{ nested }')).toEqual({ data: { nested: 'nested export' } });
  });

  it('raises a function error from a direct Lambda resolver', async () => {
    const body = await graphql('{ failing }');
    expect(body.data).toEqual({ failing: null });
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['failing'], errorType: 'Lambda:Unhandled', message: 'the function failed' }),
    ]);
  });

  it('leaves the error to code that handles the response itself, as AppSync does', async () => {
    expect(await graphql('{ ignoring }')).toEqual({ data: { ignoring: null } });
  });

  it('batches a direct Lambda resolver with maxBatchSize into one invocation of contexts', async () => {
    const before = api.counters.lambda;
    const body = await graphql('{ posts { id author { id name } } }');
    expect(body).toEqual({
      data: {
        posts: [
          { id: 'p1', author: { id: 'a1', name: 'author of p1' } },
          { id: 'p2', author: { id: 'a2', name: 'author of p2' } },
        ],
      },
    });
    expect(api.counters.lambda - before).toBe(2);
  });
});
