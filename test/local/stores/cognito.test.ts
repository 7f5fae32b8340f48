// The local user pool as a server: its endpoint, JWKS and OpenID configuration, the state file tools read, local
// users, the HTTP contract (targets, bodies, CORS), and what survives a restart.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp } from '../../../client/src/auth';
import { generateLocalCredentials } from '../../../local/server/credentials';
import { readLocalCognito, startCognito } from '../../../local/stores/cognito';
import { startTestPool, type TestPool } from '../../helpers/cognito-pool';

const alice = { email: 'alice@example.com', password: 'Alice-pass-1', groups: ['admins', 'editors'] };
const carol = { email: 'carol@example.com', password: 'Carol-pass-1' };

let pool: TestPool;

beforeAll(async () => {
  pool = await startTestPool({ users: [alice, carol] });
});

afterAll(async () => {
  await pool?.close();
});

describe('startCognito', () => {
  it('serves the pool at its endpoint, with issuer and JWKS URL derived from it', () => {
    const { cognito } = pool;
    expect(cognito.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Pool ids look like Cognito's: <region>_<9 letters and digits>.
    expect(cognito.userPoolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(cognito.region).toBe('us-east-1');
    expect(cognito.issuer).toBe(`${cognito.endpoint}/${cognito.userPoolId}`);
    expect(cognito.jwksUrl).toBe(`${cognito.issuer}/.well-known/jwks.json`);
  });

  it('publishes two public RSA keys in the pool JWKS and no private part', async () => {
    const jwks = (await (await fetch(pool.cognito.jwksUrl)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
    }
    expect(new Set(jwks.keys.map((key) => key.kid)).size).toBe(2);
  });

  it('serves an OpenID configuration naming its issuer and JWKS', async () => {
    const config = await (await fetch(`${pool.cognito.issuer}/.well-known/openid-configuration`)).json();
    expect(config).toMatchObject({ issuer: pool.cognito.issuer, jwks_uri: pool.cognito.jwksUrl });
  });

  it('answers 404 for the JWKS of a pool that does not exist', async () => {
    const response = await fetch(`${pool.cognito.endpoint}/us-east-1_nothere00/.well-known/jwks.json`);
    expect(response.status).toBe(404);
  });

  it('writes the endpoint, ids and local users to <dir>/cognito/endpoint.json while it runs', async () => {
    const state = await readLocalCognito(pool.dataDir);
    const { cognito } = pool;
    expect(state).toEqual({
      endpoint: cognito.endpoint,
      region: cognito.region,
      userPoolId: cognito.userPoolId,
      clientId: cognito.clientId,
      issuer: cognito.issuer,
      jwksUrl: cognito.jwksUrl,
      users: [
        { email: alice.email, password: alice.password },
        { email: carol.email, password: carol.password },
      ],
    });
  });

  it('creates the local users confirmed, with a verified email, in their groups', async () => {
    const { idToken } = await signIn(pool, alice.email, alice.password);
    expect(decodeJwt(idToken)).toMatchObject({
      email: alice.email,
      email_verified: true,
      'cognito:groups': ['admins', 'editors'],
    });
  });

  it('refuses a local user whose username is not an email', async () => {
    await expect(
      startCognito({ dir: pool.dataDir, credentials: pool.credentials, users: [{ email: 'alice', password: 'x' }] }),
    ).rejects.toThrow(/email address as its username/);
  });

  it('refuses to start a second pool on a folder whose pool is running', async () => {
    await expect(startCognito({ dir: pool.dataDir, credentials: pool.credentials })).rejects.toThrow(/already running/);
  });

  it('refuses a local user whose password breaks the pool policy, and does not start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cognito-policy-'));
    try {
      await expect(
        startCognito({
          dir,
          credentials: generateLocalCredentials(),
          users: [{ email: 'x@example.com', password: 'short' }],
        }),
      ).rejects.toThrow(/cannot set up local user x@example\.com: InvalidPasswordException/);
      expect(existsSync(join(dir, 'cognito', 'endpoint.json'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the HTTP contract', () => {
  async function post(headers: Record<string, string>, body: string) {
    const response = await fetch(pool.cognito.endpoint, { method: 'POST', headers, body });
    return {
      status: response.status,
      errorType: response.headers.get('x-amzn-errortype'),
      body: await response.json(),
    };
  }

  it('answers 400 UnknownOperationException without a Cognito X-Amz-Target', async () => {
    expect(await post({ 'content-type': 'application/x-amz-json-1.1' }, '{}')).toMatchObject({
      status: 400,
      errorType: 'UnknownOperationException',
      body: { __type: 'UnknownOperationException' },
    });
  });

  it('answers 400 SerializationException for a body that is not a JSON object', async () => {
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp',
    };
    expect(await post(headers, '{not json')).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
    expect(await post(headers, '["a"]')).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
  });

  it('names every missing parameter in one validation error', async () => {
    const error = await pool.refusal('SignUp', {});
    expect(error.code).toBe('InvalidParameterException');
    expect(error.message).toBe(
      "3 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'username' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'password' failed to satisfy constraint: Member must not be null",
    );
  });

  it('refuses an unknown app client', async () => {
    const error = await pool.refusal('InitiateAuth', {
      ClientId: 'nosuchclient',
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: { USERNAME: alice.email, SRP_A: 'abc' },
    });
    expect(error).toMatchObject({
      code: 'ResourceNotFoundException',
      message: 'User pool client nosuchclient does not exist.',
    });
  });

  it('says which operations a web client may call but this pool does not answer', async () => {
    const error = await pool.refusal('AssociateSoftwareToken', { Session: 'x' });
    expect(error).toMatchObject({ code: 'UnsupportedOperationException' });
  });

  it('allows browser clients from any origin and exposes the error headers', async () => {
    const response = await fetch(pool.cognito.endpoint, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-headers': 'content-type,x-amz-target' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type,x-amz-target');
    const answer = await fetch(pool.cognito.endpoint, { method: 'POST', headers: { origin: 'http://localhost:5173' } });
    // Cognito exposes these so browser SDKs can read an error's type (aws-amplify/amplify-js#11034 shows them).
    expect(answer.headers.get('access-control-expose-headers')).toBe(
      'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
    );
  });

  it('reads any request target as a path: // is not a route, * is a bad request, neither a server error', async () => {
    const { hostname, port } = new URL(pool.cognito.endpoint);
    const statusOf = (path: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        request({ host: hostname, port, path, method: 'GET' }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on('error', reject)
          .end();
      });
    expect(await statusOf('//')).toBe(404);
    expect(await statusOf('//health')).toBe(404);
    expect(await statusOf('*')).toBe(400);
    expect(await statusOf('/health')).toBe(200);
  });

  it('keeps every one of many concurrent sign-ups', async () => {
    const emails = Array.from({ length: 25 }, (_, index) => `crowd-${index}@example.com`);
    await Promise.all(emails.map((email) => signUp(pool, email, 'Crowd-pass-11')));
    const stored = JSON.parse(await readFile(join(pool.dataDir, 'cognito', 'pool.json'), 'utf8')) as {
      users: Record<string, { attributes: { email: string } }>;
    };
    const storedEmails = Object.values(stored.users).map((user) => user.attributes.email);
    expect(storedEmails).toEqual(expect.arrayContaining(emails));
  });
});

describe('a restart on the same folder', () => {
  it('keeps the pool, client, keys, users, subs, sessions and issuer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cognito-restart-'));
    try {
      const first = await startTestPool({ dataDir: dir, users: [alice] });
      const port = Number(new URL(first.cognito.endpoint).port);
      await signUp(first, 'jo@example.com', 'Jo-pass-12345');
      const before = await signIn(first, alice.email, alice.password);
      const jwksBefore = await (await fetch(first.cognito.jwksUrl)).json();
      await first.stop();
      expect(existsSync(join(dir, 'cognito', 'endpoint.json'))).toBe(false);

      const second = await startTestPool({
        dataDir: dir,
        credentials: first.credentials,
        port,
        users: [{ ...alice, groups: [...alice.groups, 'reviewers'] }],
      });
      try {
        expect({ pool: second.userPoolId, client: second.clientId, issuer: second.cognito.issuer }).toEqual({
          pool: first.userPoolId,
          client: first.clientId,
          issuer: first.cognito.issuer,
        });
        expect(await (await fetch(second.cognito.jwksUrl)).json()).toEqual(jwksBefore);
        const after = await signIn(second, alice.email, alice.password);
        expect(decodeJwt(after.idToken).sub).toBe(decodeJwt(before.idToken).sub);
        // A group added to the configuration is joined on restart.
        expect(decodeJwt(after.idToken)['cognito:groups']).toEqual(['admins', 'editors', 'reviewers']);
        // The unconfirmed sign-up survived too.
        await expect(signIn(second, 'jo@example.com', 'Jo-pass-12345')).rejects.toMatchObject({
          code: 'UserNotConfirmedException',
        });
        // Sessions are sealed tokens: the access and refresh tokens of before still work.
        await expect(second.call('GetUser', { AccessToken: before.accessToken })).resolves.toHaveProperty(
          'Username',
          decodeJwt(before.idToken).sub,
        );
        await expect(
          second.call('GetTokensFromRefreshToken', { ClientId: second.clientId, RefreshToken: before.refreshToken }),
        ).resolves.toHaveProperty('AuthenticationResult.AccessToken');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts over a state file left by a pool that no longer runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cognito-stale-'));
    try {
      const first = await startTestPool({ dataDir: dir });
      const state = await readFile(join(dir, 'cognito', 'endpoint.json'), 'utf8');
      await first.stop();
      await writeFile(join(dir, 'cognito', 'endpoint.json'), state);
      const second = await startTestPool({ dataDir: dir, credentials: first.credentials });
      expect(second.userPoolId).toBe(first.userPoolId);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
