// AWS_IAM on the local server: requests signed with SigV4 for `appsync` with the data folder's credentials are IAM
// callers, ctx.identity has AppSync's IAM shape, and an HTTP data source signed for `appsync` can call the API itself
// (how an API publishes through its own IAM-only mutation). The IAM identity's fields follow AppSyncIdentityIAM
// (Amplify JS) and the Powertools AppSyncResolverEvent schema; util.authType() says 'IAM Authorization'.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../../../local/definition';
import { NodeSha256 } from '../../../local/server/auth/sigv4';
import { serveLocalApi, type LocalApi } from '../../../local/server/serve';
import { writeFiles } from '../../helpers/files';

const API_KEY = 'da2-iamtests';

const schema = `
type Message @aws_api_key @aws_iam { text: String by: String }
type Query { whoami: AWSJSON @aws_api_key @aws_iam }
type Mutation {
  publish(text: String!): Message @aws_iam
  relay(text: String!): Message
}
`;

const files: Record<string, string> = {
  'schema.graphql': schema,
  'resolvers/whoami.js': `
    export function request(ctx) { return { payload: { identity: ctx.identity, authType: util.authType() } }; }
    export function response(ctx) { return JSON.stringify(ctx.result); }`,
  'resolvers/publish.js': `
    export function request(ctx) { return { payload: { text: ctx.args.text, by: util.authType() } }; }
    export function response(ctx) { return ctx.result; }`,
  'resolvers/relay.js': `
    export function request(ctx) {
      return {
        method: 'POST',
        resourcePath: '/graphql',
        params: {
          headers: { 'content-type': 'application/json' },
          body: { query: 'mutation P($t: String!) { publish(text: $t) { text by } }', variables: { t: ctx.args.text } },
        },
      };
    }
    export function response(ctx) {
      if (ctx.error) util.error(ctx.error.message, ctx.error.type);
      const body = JSON.parse(ctx.result.body);
      if (body.errors) util.error(body.errors[0].message, body.errors[0].errorType);
      return body.data.publish;
    }`,
};

const definition: ApiDefinition = {
  name: 'iam',
  schema: 'schema.graphql',
  auth: { default: 'API_KEY', additional: ['AWS_IAM'] },
  dataSources: {
    none: { type: 'NONE' },
    self: {
      type: 'HTTP',
      endpoint: 'self',
      authorizationConfig: { signingRegion: 'us-east-1', signingServiceName: 'appsync' },
    },
  },
  resolvers: [
    { kind: 'UNIT', typeName: 'Query', fieldName: 'whoami', dataSource: 'none', code: 'resolvers/whoami.js' },
    { kind: 'UNIT', typeName: 'Mutation', fieldName: 'publish', dataSource: 'none', code: 'resolvers/publish.js' },
    { kind: 'UNIT', typeName: 'Mutation', fieldName: 'relay', dataSource: 'self', code: 'resolvers/relay.js' },
  ],
};

let dir: string;
let api: LocalApi;

/** A GraphQL request signed as AWS SDKs and Amplify sign for AppSync. */
async function signedRequest(query: string, credentials = api.credentials, region = 'us-east-1') {
  const url = new URL(api.graphqlUrl);
  const body = JSON.stringify({ query });
  const signer = new SignatureV4({ service: 'appsync', region, credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function withApiKey(query: string) {
  const response = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'iam-auth-'));
  await writeFiles(dir, files);
  api = await serveLocalApi({ definition, rootDir: dir, dataDir: null, port: 0, apiKeys: [API_KEY], log: () => {} });
});

afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('AWS_IAM auth', () => {
  it('takes a request signed with the local credentials as an IAM caller with AppSync’s IAM identity', async () => {
    const { status, body } = await signedRequest('{ whoami }');
    expect(status).toBe(200);
    const { identity, authType } = JSON.parse((body.data as { whoami: string }).whoami);
    expect(authType).toBe('IAM Authorization');
    expect(identity).toEqual({
      accountId: '000000000000',
      cognitoIdentityAuthProvider: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      sourceIp: [expect.any(String)],
      userArn: 'arn:aws:iam::000000000000:user/appsync-local',
      username: expect.stringMatching(/^AIDA[A-Z2-7]{15}$/),
    });
  });

  it('refuses a request signed with another secret', async () => {
    const { status, body } = await signedRequest('{ whoami }', {
      accessKeyId: api.credentials.accessKeyId,
      secretAccessKey: 'not-the-secret-of-this-data-folder-000000',
    });
    expect(status).toBe(401);
    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'UnauthorizedException' })]);
  });

  it('refuses a request signed for another region', async () => {
    const { status } = await signedRequest('{ whoami }', api.credentials, 'eu-west-1');
    expect(status).toBe(401);
  });

  it('lets IAM reach an @aws_iam field that an API key cannot', async () => {
    const iam = await signedRequest('mutation { publish(text: "hi") { text by } }');
    expect(iam.body).toEqual({ data: { publish: { text: 'hi', by: 'IAM Authorization' } } });
    const key = await withApiKey('mutation { publish(text: "hi") { text } }');
    expect(key.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized' })]);
  });

  it('calls its own IAM-only mutation through an HTTP data source signed for appsync', async () => {
    expect(await withApiKey('mutation { relay(text: "relayed") { text by } }')).toEqual({
      data: { relay: { text: 'relayed', by: 'IAM Authorization' } },
    });
  });
});
