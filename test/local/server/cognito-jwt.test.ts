// User-pool tokens checked as AppSync checks them, against a real local pool: tokens from sign-in pass; every
// forgery, expiry, wrong pool, wrong client and malformed header is refused with a reason.
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthError,
  cognitoIdentity,
  createCognitoVerifier,
  type AuthFailure,
  type CognitoClaims,
} from '../../../local/server/auth/cognito-jwt';
import { signIn } from '../../../client/src/auth';
import { generateLocalCredentials } from '../../../local/server/credentials';
import { startCognito, type LocalCognito } from '../../../local/stores/cognito';

const alice = { email: 'alice@example.com', password: 'Alice-pass-1', groups: ['admins'] };
const bob = { email: 'bob@example.com', password: 'Bob-pass-1234' };

let dataDir: string;
let cognito: LocalCognito;
let verify: (token: string) => Promise<CognitoClaims>;
let aliceTokens: { idToken: string; accessToken: string };
let bobTokens: { idToken: string; accessToken: string };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cognito-jwt-'));
  cognito = await startCognito({ dir: dataDir, users: [alice, bob], credentials: generateLocalCredentials() });
  verify = createCognitoVerifier({ issuer: cognito.issuer, jwksUrl: cognito.jwksUrl, clientIds: [cognito.clientId] });
  aliceTokens = await signIn(cognito, alice.email, alice.password);
  bobTokens = await signIn(cognito, bob.email, bob.password);
});

afterAll(async () => {
  await cognito?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The pool's own ID-token signing key, read from its data folder, to craft tokens only the claims make invalid. */
async function poolIdKey(): Promise<{ kid: string; sign: (claims: JWTPayload) => Promise<string> }> {
  const stored = JSON.parse(await readFile(join(dataDir, 'cognito', 'keys.json'), 'utf8')) as {
    id: JWK & { kid: string };
  };
  const key = await importJWK(stored.id, 'RS256');
  return {
    kid: stored.id.kid,
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: stored.id.kid }).sign(key),
  };
}

/** Alice's ID-token claims with some replaced (undefined removes a claim). */
function aliceClaims(changes: Record<string, unknown>): JWTPayload {
  const claims: Record<string, unknown> = { ...decodeJwt(aliceTokens.idToken), ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete claims[name];
  return claims;
}

async function refusalOf(token: string, verifier = verify): Promise<AuthError> {
  const error = await verifier(token).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AuthError)) throw new Error(`token was not refused: ${String(error)}`);
  return error;
}

async function expectRefused(token: string, reason: AuthFailure, message?: string): Promise<void> {
  const error = await refusalOf(token);
  expect(error.reason).toBe(reason);
  expect(error.errorType).toBe('UnauthorizedException');
  if (message) expect(error.message).toBe(message);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('createCognitoVerifier', () => {
  it('accepts an ID token from sign-in and returns its claims', async () => {
    const claims = await verify(aliceTokens.idToken);
    expect(claims).toMatchObject({ token_use: 'id', email: alice.email, aud: cognito.clientId, iss: cognito.issuer });
  });

  it('accepts an access token from sign-in and returns its claims', async () => {
    const claims = await verify(aliceTokens.accessToken);
    expect(claims).toMatchObject({ token_use: 'access', client_id: cognito.clientId, iss: cognito.issuer });
  });

  it('refuses an empty token as a missing header', async () => {
    await expectRefused('', 'missing', 'Valid authorization header not provided.');
  });

  it('refuses garbage as unparseable', async () => {
    await expectRefused('not-a-jwt', 'malformed', 'Unable to parse JWT token.');
  });

  it('refuses three parts that are not base64url JSON', async () => {
    await expectRefused('a.b.c', 'malformed', 'Unable to parse JWT token.');
  });

  it('refuses a "Bearer " prefix as AppSync does', async () => {
    await expectRefused(`Bearer ${aliceTokens.idToken}`, 'malformed', 'Unable to parse JWT token.');
  });

  it('refuses an expired token signed with the pool key', async () => {
    const { sign } = await poolIdKey();
    const token = await sign(aliceClaims({ iat: now() - 7200, auth_time: now() - 7200, exp: now() - 3600 }));
    await expectRefused(token, 'expired', 'Token has expired.');
  });

  it('refuses a token issued more than a day ago even with a later exp', async () => {
    const { sign } = await poolIdKey();
    await expectRefused(await sign(aliceClaims({ iat: now() - 2 * 86400, exp: now() + 3600 })), 'expired');
  });

  it('refuses a token issued in the future', async () => {
    const { sign } = await poolIdKey();
    await expectRefused(await sign(aliceClaims({ iat: now() + 3600, exp: now() + 7200 })), 'bad_claims');
  });

  it('refuses a token not valid yet', async () => {
    const { sign } = await poolIdKey();
    await expectRefused(await sign(aliceClaims({ nbf: now() + 3600 })), 'bad_claims');
  });

  it('refuses a token without exp', async () => {
    const { sign } = await poolIdKey();
    await expectRefused(await sign(aliceClaims({ exp: undefined })), 'bad_claims');
  });

  it('refuses a token issued by another pool', async () => {
    const { sign } = await poolIdKey();
    await expectRefused(await sign(aliceClaims({ iss: `${cognito.endpoint}/local_Other` })), 'wrong_issuer');
  });

  it('refuses a real token when it expects another issuer', async () => {
    const otherPool = createCognitoVerifier({
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example',
      jwksUrl: cognito.jwksUrl,
      clientIds: [cognito.clientId],
    });
    expect((await refusalOf(aliceTokens.idToken, otherPool)).reason).toBe('wrong_issuer');
  });

  it('refuses an ID token for another app client', async () => {
    const otherClient = createCognitoVerifier({
      issuer: cognito.issuer,
      jwksUrl: cognito.jwksUrl,
      clientIds: ['another-client'],
    });
    expect((await refusalOf(aliceTokens.idToken, otherClient)).reason).toBe('wrong_client');
  });

  it('refuses an access token for another app client', async () => {
    const otherClient = createCognitoVerifier({
      issuer: cognito.issuer,
      jwksUrl: cognito.jwksUrl,
      clientIds: ['another-client'],
    });
    expect((await refusalOf(aliceTokens.accessToken, otherClient)).reason).toBe('wrong_client');
  });

  it('refuses a token_use other than id or access', async () => {
    const { sign } = await poolIdKey();
    await expectRefused(await sign(aliceClaims({ token_use: 'refresh' })), 'wrong_token_use');
  });

  it('refuses a tampered signature', async () => {
    const [header, payload, signature] = aliceTokens.idToken.split('.');
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    await expectRefused(`${header}.${payload}.${flipped}`, 'bad_signature');
  });

  it('refuses a tampered payload that claims to be another user', async () => {
    const [header, , signature] = aliceTokens.idToken.split('.');
    const payload = base64url({ ...decodeJwt(aliceTokens.idToken), sub: decodeJwt(bobTokens.idToken).sub });
    await expectRefused(`${header}.${payload}.${signature}`, 'bad_signature');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const payload = aliceTokens.idToken.split('.')[1];
    await expectRefused(
      `${base64url({ alg: 'none', kid: decodeProtectedHeader(aliceTokens.idToken).kid })}.${payload}.`,
      'bad_signature',
    );
  });

  it('refuses HS256 signed with the pool public key as the HMAC secret', async () => {
    const { keys } = (await (await fetch(cognito.jwksUrl)).json()) as { keys: JWK[] };
    const header = base64url({ alg: 'HS256', kid: keys[0].kid });
    const payload = aliceTokens.idToken.split('.')[1];
    const signature = createHmac('sha256', JSON.stringify(keys[0])).update(`${header}.${payload}`).digest('base64url');
    await expectRefused(`${header}.${payload}.${signature}`, 'bad_signature');
  });

  it('refuses a token signed by a key the pool JWKS does not have', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(aliceClaims({}))
      .setProtectedHeader({ alg: 'RS256', kid: 'not-in-the-pool' })
      .sign(privateKey);
    await expectRefused(token, 'unknown_key');
  });

  it('refuses a token signed by another key under the pool key id', async () => {
    const { kid } = await poolIdKey();
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(aliceClaims({})).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    await expectRefused(token, 'bad_signature');
  });

  it('refuses every token when the JWKS cannot be fetched', async () => {
    const unreachable = createCognitoVerifier({
      issuer: cognito.issuer,
      jwksUrl: 'http://127.0.0.1:1/local_x/.well-known/jwks.json',
      clientIds: [cognito.clientId],
    });
    expect((await refusalOf(aliceTokens.idToken, unreachable)).reason).toBe('jwks_unavailable');
  });

  it('refuses to be created without an accepted client', () => {
    expect(() => createCognitoVerifier({ issuer: cognito.issuer, jwksUrl: cognito.jwksUrl, clientIds: [] })).toThrow(
      /clientIds/,
    );
  });
});

describe('cognitoIdentity', () => {
  it('builds AppSync identity from an ID token', async () => {
    const claims = await verify(aliceTokens.idToken);
    expect(cognitoIdentity(claims, '203.0.113.7')).toEqual({
      sub: claims.sub,
      issuer: cognito.issuer,
      username: claims['cognito:username'],
      claims,
      sourceIp: ['203.0.113.7'],
      defaultAuthStrategy: 'ALLOW',
      groups: ['admins'],
    });
  });

  it('takes the username from the username claim of an access token', async () => {
    const claims = await verify(aliceTokens.accessToken);
    const identity = cognitoIdentity(claims, '127.0.0.1');
    expect(identity.username).toBe(claims.username);
    expect(identity.username).toBe(decodeJwt(aliceTokens.idToken)['cognito:username']);
    expect(identity.groups).toEqual(['admins']);
  });

  it('gives null groups to a user in no group', async () => {
    expect(cognitoIdentity(await verify(bobTokens.idToken), '127.0.0.1').groups).toBeNull();
  });

  it('keeps every source address of a forwarded request', async () => {
    const identity = cognitoIdentity(await verify(bobTokens.idToken), ['198.51.100.1', '127.0.0.1']);
    expect(identity.sourceIp).toEqual(['198.51.100.1', '127.0.0.1']);
  });
});
