// The local Cognito user pool through its HTTP API, as a web client uses it: sign-up, confirmation, sign-in,
// tokens, the JWKS, refusals, and persistence of the pool, client, keys and users across a restart.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callCognito,
  CognitoApiError,
  readLocalCognito,
  signIn,
  startCognito,
  type CognitoMessage,
  type LocalCognito,
} from '../../../local/stores/cognito';

const alice = { email: 'alice@example.com', password: 'Alice-pass-1', groups: ['admins', 'editors'] };
const carol = { email: 'carol@example.com', password: 'Carol-pass-1' };

let dataDir: string;
let cognito: LocalCognito;
const messages: CognitoMessage[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cognito-store-'));
  cognito = await startCognito({ dir: dataDir, users: [alice, carol], onMessage: (message) => messages.push(message) });
});

afterAll(async () => {
  await cognito?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The error a Cognito call answers with (fails the test when it succeeds). */
async function refusal(operation: string, request: object): Promise<CognitoApiError> {
  const error = await callCognito(cognito.endpoint, operation, request).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof CognitoApiError)) throw new Error(`${operation} was not refused: ${String(error)}`);
  return error;
}

async function signUpAndConfirm(email: string, password: string): Promise<void> {
  await callCognito(cognito.endpoint, 'SignUp', { ClientId: cognito.clientId, Username: email, Password: password });
  const code = messages.find((message) => message.destination === email && message.kind === 'SignUp')?.code;
  if (!code) throw new Error(`no confirmation code for ${email}`);
  await callCognito(cognito.endpoint, 'ConfirmSignUp', {
    ClientId: cognito.clientId,
    Username: email,
    ConfirmationCode: code,
  });
}

describe('startCognito', () => {
  it('serves the pool at its endpoint with issuer and JWKS URL derived from it', () => {
    expect(cognito.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cognito.userPoolId).toMatch(/^local_\w+$/);
    expect(cognito.region).toBe('local');
    expect(cognito.issuer).toBe(`${cognito.endpoint}/${cognito.userPoolId}`);
    expect(cognito.jwksUrl).toBe(`${cognito.issuer}/.well-known/jwks.json`);
  });

  it('publishes two public RSA keys in the pool JWKS and no private part', async () => {
    const response = await fetch(cognito.jwksUrl);
    const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(response.status).toBe(200);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    }
    expect(keys[0].kid).not.toBe(keys[1].kid);
  });

  it('serves an OpenID configuration naming its issuer and JWKS', async () => {
    const response = await fetch(`${cognito.issuer}/.well-known/openid-configuration`);
    expect(await response.json()).toMatchObject({ issuer: cognito.issuer, jwks_uri: cognito.jwksUrl });
  });

  it('answers 404 for the JWKS of a pool that does not exist', async () => {
    const response = await fetch(`${cognito.endpoint}/local_nope/.well-known/jwks.json`);
    expect(response.status).toBe(404);
  });

  it('writes the endpoint, ids and local users to <dir>/cognito/endpoint.json', async () => {
    expect(await readLocalCognito(dataDir)).toEqual({
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

  it('refuses a local user whose username is not an email', async () => {
    await expect(startCognito({ dir: dataDir, users: [{ email: 'alice', password: 'Alice-pass-1' }] })).rejects.toThrow(
      /email address/,
    );
  });

  it('refuses to start a second Cognito on a folder whose Cognito is running', async () => {
    await expect(startCognito({ dir: dataDir })).rejects.toThrow(`already running at ${cognito.endpoint}`);
  });

  it('starts over a state file left by a Cognito that no longer runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cognito-stale-'));
    try {
      const first = await startCognito({ dir });
      const stale = await readFile(join(dir, 'cognito', 'endpoint.json'), 'utf8');
      await first.close();
      await writeFile(join(dir, 'cognito', 'endpoint.json'), stale);
      const second = await startCognito({ dir });
      await second.close();
      expect(second.userPoolId).toBe(first.userPoolId);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a local user whose password breaks the pool policy, and stays closed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cognito-weak-'));
    try {
      await expect(startCognito({ dir, users: [{ email: 'weak@example.com', password: 'short' }] })).rejects.toThrow(
        /weak@example\.com: InvalidPasswordException: Password did not conform with policy: Password not long enough/,
      );
      await expect(readLocalCognito(dir)).rejects.toThrow(/No local Cognito is running/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('signIn', () => {
  it('returns ID, access and refresh tokens that expire in an hour', async () => {
    const tokens = await signIn(cognito, alice.email, alice.password);
    expect(tokens.expiresIn).toBe(3600);
    expect(typeof tokens.refreshToken).toBe('string');
    const { exp, iat } = decodeJwt(tokens.idToken);
    expect((exp ?? 0) - (iat ?? 0)).toBe(3600);
  });

  it('issues an ID token with Cognito claims', async () => {
    const { idToken } = await signIn(cognito, alice.email, alice.password);
    const claims = decodeJwt(idToken);
    expect(claims).toMatchObject({
      iss: cognito.issuer,
      aud: cognito.clientId,
      token_use: 'id',
      email: alice.email,
      email_verified: true,
      'cognito:groups': ['admins', 'editors'],
    });
    // The pool signs in by email, so the username is the user's sub, as on AWS.
    expect(claims['cognito:username']).toBe(claims.sub);
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    for (const claim of ['origin_jti', 'event_id', 'jti', 'auth_time']) expect(claims).toHaveProperty(claim);
  });

  it('issues an access token with Cognito claims and no audience', async () => {
    const { accessToken } = await signIn(cognito, alice.email, alice.password);
    const claims = decodeJwt(accessToken);
    expect(claims).toMatchObject({
      iss: cognito.issuer,
      client_id: cognito.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': ['admins', 'editors'],
    });
    expect(claims.username).toBe(claims.sub);
    expect(claims).not.toHaveProperty('aud');
    expect(claims).not.toHaveProperty('email');
  });

  it('signs ID and access tokens with different keys of the JWKS', async () => {
    const { idToken, accessToken } = await signIn(cognito, alice.email, alice.password);
    const { keys } = (await (await fetch(cognito.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
    const idKid = decodeProtectedHeader(idToken).kid;
    const accessKid = decodeProtectedHeader(accessToken).kid;
    expect(keys.map((key) => key.kid).sort()).toEqual([idKid, accessKid].sort());
  });

  it('leaves cognito:groups out for a user in no group', async () => {
    const { idToken } = await signIn(cognito, carol.email, carol.password);
    expect(decodeJwt(idToken)).not.toHaveProperty('cognito:groups');
  });

  it('refuses a wrong password as Cognito does', async () => {
    await expect(signIn(cognito, alice.email, 'Wrong-pass-1')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'NotAuthorizedException: Incorrect username or password.',
      status: 400,
    });
  });

  it('refuses an unknown user with the same answer as a wrong password', async () => {
    await expect(signIn(cognito, 'nobody@example.com', 'Alice-pass-1')).rejects.toMatchObject({
      message: 'NotAuthorizedException: Incorrect username or password.',
    });
  });
});

describe('Cognito API', () => {
  it('signs up, sends a code, confirms, and then signs in with a verified email', async () => {
    const email = 'dave@example.com';
    const signUp = await callCognito(cognito.endpoint, 'SignUp', {
      ClientId: cognito.clientId,
      Username: email,
      Password: 'Dave-pass-1',
    });
    expect(signUp).toMatchObject({
      UserConfirmed: false,
      CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: email },
    });
    const code = messages.find((message) => message.destination === email)?.code ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await callCognito(cognito.endpoint, 'ConfirmSignUp', {
      ClientId: cognito.clientId,
      Username: email,
      ConfirmationCode: code,
    });
    const { idToken } = await signIn(cognito, email, 'Dave-pass-1');
    expect(decodeJwt(idToken)).toMatchObject({ email, email_verified: true });
  });

  it('refuses sign-in before the sign-up is confirmed', async () => {
    await callCognito(cognito.endpoint, 'SignUp', {
      ClientId: cognito.clientId,
      Username: 'erin@example.com',
      Password: 'Erin-pass-1',
    });
    await expect(signIn(cognito, 'erin@example.com', 'Erin-pass-1')).rejects.toMatchObject({
      code: 'UserNotConfirmedException',
    });
  });

  it('refuses a wrong confirmation code', async () => {
    await callCognito(cognito.endpoint, 'SignUp', {
      ClientId: cognito.clientId,
      Username: 'fay@example.com',
      Password: 'Fay-pass-11',
    });
    const error = await refusal('ConfirmSignUp', {
      ClientId: cognito.clientId,
      Username: 'fay@example.com',
      ConfirmationCode: 'x',
    });
    expect(error.code).toBe('CodeMismatchException');
  });

  it('refuses a second sign-up with the same email', async () => {
    const error = await refusal('SignUp', {
      ClientId: cognito.clientId,
      Username: alice.email,
      Password: 'Alice-pass-2',
    });
    expect(error.code).toBe('UsernameExistsException');
  });

  it('refuses a username that is not an email', async () => {
    const error = await refusal('SignUp', { ClientId: cognito.clientId, Username: 'gus', Password: 'Gus-pass-11' });
    expect(error).toMatchObject({
      code: 'InvalidParameterException',
      message: 'InvalidParameterException: Username should be an email.',
    });
  });

  it.each([
    ['short', 'Password not long enough'],
    ['alllowercase-1', 'Password must have uppercase characters'],
    ['ALLUPPERCASE-1', 'Password must have lowercase characters'],
    ['No-digits-here', 'Password must have numeric characters'],
    ['NoSymbols123', 'Password must have symbol characters'],
  ])('refuses the sign-up password %s under the pool policy', async (password, reason) => {
    const error = await refusal('SignUp', {
      ClientId: cognito.clientId,
      Username: 'hal@example.com',
      Password: password,
    });
    expect(error).toMatchObject({
      code: 'InvalidPasswordException',
      message: `InvalidPasswordException: Password did not conform with policy: ${reason}`,
    });
  });

  it('names every missing parameter in a validation error', async () => {
    const error = await refusal('SignUp', { ClientId: cognito.clientId });
    expect(error.message).toBe(
      "InvalidParameterException: 2 validation errors detected: Value null at 'username' failed to satisfy constraint: " +
        "Member must not be null; Value null at 'password' failed to satisfy constraint: Member must not be null",
    );
  });

  it('refuses USER_PASSWORD_AUTH without a password', async () => {
    const error = await refusal('InitiateAuth', {
      ClientId: cognito.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: alice.email },
    });
    expect(error).toMatchObject({
      code: 'InvalidParameterException',
      message: 'InvalidParameterException: Missing required parameter PASSWORD',
    });
  });

  it('refuses an unknown app client', async () => {
    const error = await refusal('InitiateAuth', {
      ClientId: 'nope',
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: alice.email, PASSWORD: alice.password },
    });
    expect(error.code).toBe('ResourceNotFoundException');
  });

  it('says SRP sign-in is not supported locally', async () => {
    const error = await refusal('InitiateAuth', {
      ClientId: cognito.clientId,
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: { USERNAME: alice.email, SRP_A: 'abc' },
    });
    expect(error.code).toBe('UnsupportedOperationException');
    expect(error.message).toMatch(/USER_SRP_AUTH/);
  });

  it('refreshes tokens with the refresh token', async () => {
    const { refreshToken } = await signIn(cognito, alice.email, alice.password);
    const refreshed = (await callCognito(cognito.endpoint, 'InitiateAuth', {
      ClientId: cognito.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    })) as { AuthenticationResult: { IdToken: string; ExpiresIn: number; TokenType: string } };
    expect(decodeJwt(refreshed.AuthenticationResult.IdToken)).toMatchObject({ email: alice.email, token_use: 'id' });
    expect(refreshed.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
  });

  it('refuses an unknown refresh token', async () => {
    const error = await refusal('InitiateAuth', {
      ClientId: cognito.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: 'not-a-refresh-token' },
    });
    expect(error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'NotAuthorizedException: Invalid Refresh Token',
    });
  });

  it('returns the signed-in user from GetUser with the access token', async () => {
    const { accessToken, idToken } = await signIn(cognito, alice.email, alice.password);
    const user = (await callCognito(cognito.endpoint, 'GetUser', { AccessToken: accessToken })) as {
      Username: string;
      UserAttributes: Array<{ Name: string; Value: string }>;
    };
    expect(user.Username).toBe(decodeJwt(idToken).sub);
    expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: alice.email });
  });

  it('refuses GetUser with an ID token', async () => {
    const { idToken } = await signIn(cognito, alice.email, alice.password);
    const error = await refusal('GetUser', { AccessToken: idToken });
    expect(error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'NotAuthorizedException: Invalid Access Token',
    });
  });

  it('refuses GetUser with a forged access token that names a real user', async () => {
    const { accessToken } = await signIn(cognito, alice.email, alice.password);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(decodeJwt(accessToken))
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(accessToken).kid })
      .sign(privateKey);
    const error = await refusal('GetUser', { AccessToken: forged });
    expect(error.code).toBe('NotAuthorizedException');
  });

  it('refuses GetUser with an unsigned access token', async () => {
    const { accessToken } = await signIn(cognito, alice.email, alice.password);
    const [, payload] = accessToken.split('.');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    const error = await refusal('GetUser', { AccessToken: unsigned });
    expect(error.code).toBe('NotAuthorizedException');
  });

  it('changes a password with the access token and signs in with the new one', async () => {
    await signUpAndConfirm('ivy@example.com', 'Ivy-pass-11');
    const { accessToken } = await signIn(cognito, 'ivy@example.com', 'Ivy-pass-11');
    await callCognito(cognito.endpoint, 'ChangePassword', {
      AccessToken: accessToken,
      PreviousPassword: 'Ivy-pass-11',
      ProposedPassword: 'Ivy-pass-22',
    });
    await expect(signIn(cognito, 'ivy@example.com', 'Ivy-pass-22')).resolves.toHaveProperty('idToken');
  });

  it('refuses an unsigned admin operation as AWS does', async () => {
    const error = await refusal('AdminGetUser', { UserPoolId: cognito.userPoolId, Username: alice.email });
    expect(error).toMatchObject({ code: 'MissingAuthenticationTokenException', status: 400 });
  });

  it('serves a SigV4-signed admin operation without checking the signature (no IAM locally)', async () => {
    const response = await fetch(cognito.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser',
        'content-type': 'application/x-amz-json-1.1',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/local/cognito-idp/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: JSON.stringify({ UserPoolId: cognito.userPoolId, Username: alice.email }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ UserStatus: 'CONFIRMED' });
  });

  it('answers 400 UnknownOperationException without a Cognito x-amz-target', async () => {
    const response = await fetch(cognito.endpoint, { method: 'POST', body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('answers 400 SerializationException for a body that is not JSON', async () => {
    const response = await fetch(cognito.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' },
      body: '{nope',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  it('answers 400 SerializationException for a JSON body that is not an object', async () => {
    const error = await refusal('SignUp', ['not', 'an', 'object']);
    expect(error.code).toBe('SerializationException');
  });

  it('allows browser clients from any origin', async () => {
    const response = await fetch(cognito.endpoint, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4000', 'access-control-request-headers': 'content-type,x-amz-target' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type,x-amz-target');
  });

  it('keeps every concurrent sign-up in the pool file', async () => {
    // cognito-local rewrites the whole file per change; unserialized writes can land out of order and lose users.
    const poolFile = join(dataDir, 'cognito', 'db', `${cognito.userPoolId}.json`);
    const storedEmails = async () => {
      const stored = JSON.parse(await readFile(poolFile, 'utf8')) as {
        Users: Record<string, { Attributes: Array<{ Name: string; Value: string }> }>;
      };
      return Object.values(stored.Users).map((user) => user.Attributes.find((a) => a.Name === 'email')?.Value);
    };
    for (const round of [1, 2]) {
      const emails = Array.from({ length: 25 }, (_, index) => `crowd${round}-${index}@example.com`);
      await Promise.all(
        emails.map((email) =>
          callCognito(cognito.endpoint, 'SignUp', {
            ClientId: cognito.clientId,
            Username: email,
            Password: 'Crowd-pass-1',
          }),
        ),
      );
      expect(await storedEmails()).toEqual(expect.arrayContaining(emails));
    }
  });
});

describe('startCognito restart', () => {
  it('keeps pool, client, keys, users and issuer when restarted on the same folder and port', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cognito-restart-'));
    try {
      const first = await startCognito({ dir, users: [alice], onMessage: () => undefined });
      const port = Number(new URL(first.endpoint).port);
      await callCognito(first.endpoint, 'SignUp', {
        ClientId: first.clientId,
        Username: 'jo@example.com',
        Password: 'Jo-pass-111',
      });
      const before = await signIn(first, alice.email, alice.password);
      const jwksBefore = await (await fetch(first.jwksUrl)).json();
      await first.close();
      expect(existsSync(join(dir, 'cognito', 'endpoint.json'))).toBe(false);

      const second = await startCognito({ dir, port, users: [{ ...alice, groups: [...alice.groups, 'reviewers'] }] });
      try {
        expect({ pool: second.userPoolId, client: second.clientId, issuer: second.issuer }).toEqual({
          pool: first.userPoolId,
          client: first.clientId,
          issuer: first.issuer,
        });
        expect(await (await fetch(second.jwksUrl)).json()).toEqual(jwksBefore);
        const after = await signIn(second, alice.email, alice.password);
        expect(decodeJwt(after.idToken).sub).toBe(decodeJwt(before.idToken).sub);
        // A group added to the configuration is joined on restart.
        expect(decodeJwt(after.idToken)['cognito:groups']).toEqual(['admins', 'editors', 'reviewers']);
        // The unconfirmed sign-up survived too.
        await expect(signIn(second, 'jo@example.com', 'Jo-pass-111')).rejects.toMatchObject({
          code: 'UserNotConfirmedException',
        });
        const user = await callCognito(second.endpoint, 'GetUser', { AccessToken: before.accessToken });
        expect(user).toHaveProperty('Username', decodeJwt(before.idToken).sub);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
