// The notes API's amplify_outputs.json, as `npm start` writes and serves it: the API, the user pool and the bucket at
// their advertised addresses, and the local pool's endpoint under `custom`. An Amplify JS v6 app configured from it,
// plus the one local line (Auth.Cognito.userPoolEndpoint), signs in and calls the API.
import { readFile } from 'node:fs/promises';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { signIn, signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_USERS, startLocalTarget, type LocalTarget } from './helpers/local-target';

let target: LocalTarget;
let outputs: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  target = await startLocalTarget({ temporaryDataDir: true });
  const response = await fetch(`${target.api.url}/amplify_outputs.json`);
  expect(response.status).toBe(200);
  outputs = (await response.json()) as typeof outputs;
});

afterAll(async () => {
  await signOut().catch(() => {});
  await target?.close();
});

describe("the notes API's amplify_outputs.json", () => {
  it('names the API, its modes, the pool, the bucket and the local pool endpoint, without an API key', () => {
    const { api } = target;
    const cognito = api.cognito!;
    expect(outputs).toEqual({
      version: '1.4',
      data: {
        url: api.advertised.graphqlUrl,
        aws_region: 'us-east-1',
        default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
        authorization_types: ['AWS_IAM'],
      },
      auth: {
        aws_region: cognito.region,
        user_pool_id: cognito.userPoolId,
        user_pool_client_id: cognito.clientId,
        username_attributes: ['email'],
        user_verification_types: ['email'],
        standard_required_attributes: ['email'],
        password_policy: {
          min_length: 12,
          require_lowercase: true,
          require_uppercase: true,
          require_numbers: true,
          require_symbols: true,
        },
      },
      // The bucket the server serves (the config's, or the CDK template's in npm run test:e2e:cdk).
      storage: { aws_region: 'us-east-1', bucket_name: target.bucket.name },
      custom: { user_pool_endpoint: api.advertised.userPoolEndpoint },
    });
  });

  it('is the file written into the data folder', async () => {
    expect(JSON.parse(await readFile(target.api.outputsPath!, 'utf8'))).toEqual(outputs);
  });
});

describe('Amplify JS v6 configured from it', () => {
  it('parses every section (Amplify reads the file by its version field)', () => {
    Amplify.configure(outputs);
    const config = Amplify.getConfig();
    expect(config.API?.GraphQL).toMatchObject({
      endpoint: target.api.advertised.graphqlUrl,
      defaultAuthMode: 'userPool',
      region: 'us-east-1',
    });
    expect(config.Auth?.Cognito).toMatchObject({
      userPoolId: target.api.cognito!.userPoolId,
      userPoolClientId: target.api.cognito!.clientId,
      loginWith: { email: true },
    });
    expect(config.Storage?.S3).toMatchObject({ bucket: target.bucket.name, region: 'us-east-1' });
  });

  it('signs in at custom.user_pool_endpoint and creates and lists notes', async () => {
    Amplify.configure(outputs);
    const config = Amplify.getConfig();
    const pool = config.Auth!.Cognito;
    Amplify.configure({
      ...config,
      Auth: {
        Cognito: {
          userPoolId: pool.userPoolId!,
          userPoolClientId: pool.userPoolClientId!,
          loginWith: pool.loginWith,
          userPoolEndpoint: outputs.custom.user_pool_endpoint as string,
        },
      },
    });
    const [alice] = LOCAL_USERS;
    // Amplify's default flow, USER_SRP_AUTH: the only one the deployed client allows.
    const result = await signIn({ username: alice.email, password: alice.password });
    expect(result.isSignedIn).toBe(true);

    const client = generateClient();
    const created = (await client.graphql({
      query: 'mutation { createNote(input: { content: "from Amplify" }) { noteId content version } }',
    })) as { data: { createNote: { noteId: string; content: string; version: number } } };
    expect(created.data.createNote).toMatchObject({ content: 'from Amplify', version: 1 });
    const listed = (await client.graphql({ query: '{ listNotes { items { noteId content } } }' })) as {
      data: { listNotes: { items: Array<{ noteId: string; content: string }> } };
    };
    expect(listed.data.listNotes.items).toContainEqual({
      noteId: created.data.createNote.noteId,
      content: 'from Amplify',
    });
  });
});
