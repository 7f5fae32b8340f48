// The server is generic: a small API unrelated to notes (API-key auth, a NONE data source, a pipeline, a field
// guarded by another auth mode) runs on it as written, and edits to its resolvers reload without a restart.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../local/definition';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';

const API_KEY = 'da2-localtestkey';

const schema = `
type Greeting {
  text: String!
  shout: String!
  secret: String @aws_cognito_user_pools
}
type Query {
  greet(name: String!): Greeting
  steps: [String!]!
}
`;

const greet = `
import { util } from '@aws-appsync/utils';
export function request(ctx) {
  if (ctx.args.name.length > 10) util.error('Name too long', 'ValidationError', null, { max: 10 });
  return { payload: { text: 'Hello, ' + ctx.args.name } };
}
export function response(ctx) {
  return { ...ctx.result, shout: util.str.toUpper(ctx.result.text), secret: 'hidden' };
}
`;

const stepsResolver = `
export function request(ctx) { ctx.stash.steps = ['before']; return {}; }
export function response(ctx) { return [...ctx.stash.steps, 'after']; }
`;

const stepFunction = (name: string) => `
export function request(ctx) { ctx.stash.steps.push('${name}'); return { payload: null }; }
export function response(ctx) { return ctx.prev.result; }
`;

const definition: ApiDefinition = {
  name: 'greetings',
  schema: 'schema.graphql',
  auth: { default: 'API_KEY', additional: ['AMAZON_COGNITO_USER_POOLS'] },
  dataSources: { none: { type: 'NONE' } },
  functions: {
    first: { dataSource: 'none', code: 'resolvers/first.js' },
    second: { dataSource: 'none', code: 'resolvers/second.js' },
  },
  resolvers: [
    { kind: 'UNIT', typeName: 'Query', fieldName: 'greet', dataSource: 'none', code: 'resolvers/greet.js' },
    {
      kind: 'PIPELINE',
      typeName: 'Query',
      fieldName: 'steps',
      functions: ['first', 'second'],
      code: 'resolvers/steps.js',
    },
  ],
};

let dir: string;
let api: LocalApi;
const logs: string[] = [];

async function graphql(query: string, headers: Record<string, string> = { 'x-api-key': API_KEY }) {
  const response = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: Array<Record<string, unknown>> },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'generic-api-'));
  await mkdir(path.join(dir, 'resolvers'));
  await writeFile(path.join(dir, 'schema.graphql'), schema);
  await writeFile(path.join(dir, 'resolvers/greet.js'), greet);
  await writeFile(path.join(dir, 'resolvers/steps.js'), stepsResolver);
  await writeFile(path.join(dir, 'resolvers/first.js'), stepFunction('first'));
  await writeFile(path.join(dir, 'resolvers/second.js'), stepFunction('second'));
  api = await serveLocalApi({
    definition,
    rootDir: dir,
    dataDir: null,
    port: 0,
    apiKeys: [API_KEY],
    verbose: true,
    log: (line) => logs.push(line),
  });
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a generic API on the local server', () => {
  it('answers with an API key through a NONE data source', async () => {
    const { status, body } = await graphql('{ greet(name: "Ada") { text shout } }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { greet: { text: 'Hello, Ada', shout: 'HELLO, ADA' } } });
  });

  it('refuses a wrong API key with 401', async () => {
    const { status, body } = await graphql('{ greet(name: "Ada") { text } }', { 'x-api-key': 'da2-wrong' });
    expect(status).toBe(401);
    expect(body.errors?.[0]).toMatchObject({ errorType: 'UnauthorizedException' });
  });

  it('denies a field guarded by another auth mode, field by field', async () => {
    const { body } = await graphql('{ greet(name: "Ada") { text secret } }');
    expect(body.data).toEqual({ greet: { text: 'Hello, Ada', secret: null } });
    expect(body.errors).toEqual([
      expect.objectContaining({
        errorType: 'Unauthorized',
        message: 'Not Authorized to access secret on type Greeting',
        path: ['greet', 'secret'],
      }),
    ]);
  });

  it('reports util.error with AppSync error fields', async () => {
    const { body } = await graphql('{ greet(name: "Bartholomew the Third") { text } }');
    expect(body).toEqual({
      data: { greet: null },
      errors: [
        {
          path: ['greet'],
          data: null,
          errorType: 'ValidationError',
          errorInfo: { max: 10 },
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: 'Name too long',
        },
      ],
    });
  });

  it('runs a pipeline with the stash flowing through its functions', async () => {
    const { body } = await graphql('{ steps }');
    expect(body).toEqual({ data: { steps: ['before', 'first', 'second', 'after'] } });
  });

  it('logs one line per request and, verbose, every evaluated handler', async () => {
    logs.length = 0;
    await graphql('query Named { greet(name: "Log") { text } }');
    const line = logs.join('\n');
    expect(line).toMatch(/POST \/graphql 200 [\d.]+ms Named api-key none×1/);
    expect(line).toMatch(/Query\.greet greet request: \{"result":\{"payload":\{"text":"Hello, Log"\}\}\}/);
  });

  it('picks up an edited resolver on reload, without a restart', async () => {
    await writeFile(path.join(dir, 'resolvers/greet.js'), greet.replace("'Hello, '", "'Howdy, '"));
    await api.reload();
    const { body } = await graphql('{ greet(name: "Ada") { text } }');
    expect(body).toEqual({ data: { greet: { text: 'Howdy, Ada' } } });
  });

  it('keeps serving the previous version when an edit would not deploy', async () => {
    await writeFile(path.join(dir, 'resolvers/greet.js'), 'export function request(ctx) { while (true) {} }');
    await expect(api.reload()).rejects.toThrow(/resolvers\/greet\.js:\d+:\d+ While statements are not supported/);
    const { body } = await graphql('{ greet(name: "Ada") { text } }');
    expect(body).toEqual({ data: { greet: { text: 'Howdy, Ada' } } });
  });
});
