// Sessions on the local pool: refreshing (GetTokensFromRefreshToken, which Amplify 6.15+ calls, and
// REFRESH_TOKEN_AUTH), refresh token rotation, expiry reached by moving the pool's clock, and ending sessions with
// GlobalSignOut, AdminUserGlobalSignOut and RevokeToken.
import { rm } from 'node:fs/promises';
import { AdminUserGlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthSession, refreshTokens, signIn, signOut, type AuthTokens } from '../../../client/src/auth';
import { createCognitoVerifier } from '../../../local/server/auth/cognito-jwt';
import { startTestPool, type TestPool } from '../../helpers/cognito-pool';

const alice = { email: 'alice@example.com', password: 'Alice-pass-1' };
const bob = { email: 'bob@example.com', password: 'Bob-pass-1234' };

const HOUR = 3600_000;

let pool: TestPool;

beforeAll(async () => {
  pool = await startTestPool({ users: [alice, bob] });
});

afterAll(async () => {
  await pool?.close();
});

const getUser = (accessToken: string) => pool.call('GetUser', { AccessToken: accessToken });
const refresh = (refreshToken: string) =>
  pool.call<{ AuthenticationResult: Record<string, unknown> }>('GetTokensFromRefreshToken', {
    ClientId: pool.clientId,
    RefreshToken: refreshToken,
  });
const refreshByFlow = (refreshToken: string) =>
  pool.call<{ AuthenticationResult: Record<string, unknown> }>('InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });

describe('refreshing', () => {
  let tokens: AuthTokens;

  beforeAll(async () => {
    tokens = await signIn(pool, alice.email, alice.password);
  });

  // Without rotation, a refresh returns ID and access tokens only (RefreshTokenRotationType, API reference).
  it('returns new ID and access tokens of the same session from GetTokensFromRefreshToken', async () => {
    const { AuthenticationResult } = await refresh(tokens.refreshToken!);
    expect(Object.keys(AuthenticationResult).sort()).toEqual(['AccessToken', 'ExpiresIn', 'IdToken', 'TokenType']);
    const access = decodeJwt(String(AuthenticationResult.AccessToken));
    const original = decodeJwt(tokens.accessToken);
    // Refreshed tokens keep origin_jti and auth_time, with a new jti (re:Post, "revoke refresh tokens").
    expect(access.origin_jti).toBe(original.origin_jti);
    expect(access.auth_time).toBe(original.auth_time);
    expect(access.jti).not.toBe(original.jti);
  });

  it('returns the same from the REFRESH_TOKEN_AUTH flow', async () => {
    const { AuthenticationResult } = await refreshByFlow(tokens.refreshToken!);
    expect(AuthenticationResult).toHaveProperty('IdToken');
    expect(AuthenticationResult).not.toHaveProperty('RefreshToken');
  });

  // "Invalid Refresh Token." is AWS's wording (aws/aws-sdk-js-v3#7162).
  it('refuses a refresh token it did not issue', async () => {
    for (const token of ['not-a-token', tokens.accessToken, `${tokens.refreshToken!.slice(0, -4)}AAAA`]) {
      await expect(
        pool.refusal('GetTokensFromRefreshToken', { ClientId: pool.clientId, RefreshToken: token }),
      ).resolves.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Invalid Refresh Token.',
      });
    }
  });

  it('lets tokens expire by the pool clock, and refreshes them afterwards', async () => {
    const session = await signIn(pool, bob.email, bob.password);
    pool.clock.advance(HOUR + 1000);
    try {
      await expect(pool.refusal('GetUser', { AccessToken: session.accessToken })).resolves.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Access Token has expired',
      });
      const fresh = await refreshTokens(pool, session.refreshToken!);
      expect(fresh.refreshToken).toBe(session.refreshToken);
      expect(decodeJwt(fresh.accessToken).exp).toBeGreaterThan(pool.clock() / 1000);
      await expect(getUser(fresh.accessToken)).resolves.toHaveProperty('Username');
    } finally {
      pool.clock.advance(-(HOUR + 1000));
    }
  });

  it('refuses a refresh token after its 30 days', async () => {
    const session = await signIn(pool, bob.email, bob.password);
    pool.clock.advance(30 * 24 * HOUR + 1000);
    try {
      await expect(
        pool.refusal('GetTokensFromRefreshToken', { ClientId: pool.clientId, RefreshToken: session.refreshToken }),
      ).resolves.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Refresh Token has expired',
      });
    } finally {
      pool.clock.advance(-(30 * 24 * HOUR + 1000));
    }
  });

  it('refreshes a session in the browser helper once its token is about to expire', async () => {
    const session = createAuthSession(pool, await signIn(pool, bob.email, bob.password), { now: pool.clock });
    const first = await session.idToken();
    expect(await session.idToken()).toBe(first);
    pool.clock.advance(HOUR - 30_000);
    try {
      const second = await session.idToken();
      expect(second).not.toBe(first);
      expect(decodeJwt(second).origin_jti).toBe(decodeJwt(first).origin_jti);
    } finally {
      pool.clock.advance(-(HOUR - 30_000));
    }
  });
});

describe('refresh token rotation', () => {
  let rotating: TestPool;

  beforeAll(async () => {
    rotating = await startTestPool({ users: [alice], client: { refreshTokenRotation: true } });
  });

  afterAll(async () => {
    await rotating?.close();
  });

  // With rotation on, a refresh issues a new refresh token and the submitted one stops working after the grace
  // period (0 s here); REFRESH_TOKEN_AUTH is not for rotating clients (RefreshTokenRotationType, API reference).
  it('issues a new refresh token on every GetTokensFromRefreshToken and retires the old one', async () => {
    const first = await signIn(rotating, alice.email, alice.password);
    const second = await refreshTokens(rotating, first.refreshToken!);
    expect(second.refreshToken).toBeDefined();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await expect(refreshTokens(rotating, first.refreshToken!)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    const third = await refreshTokens(rotating, second.refreshToken!);
    expect(decodeJwt(third.accessToken).origin_jti).toBe(decodeJwt(first.accessToken).origin_jti);
  });

  it('keeps a rotated-out token usable during the grace period', async () => {
    const graceful = await startTestPool({
      users: [alice],
      client: { refreshTokenRotation: true, refreshTokenRetryGracePeriodSeconds: 30 },
    });
    try {
      const first = await signIn(graceful, alice.email, alice.password);
      await refreshTokens(graceful, first.refreshToken!);
      // A client retrying within the grace period still succeeds...
      await expect(refreshTokens(graceful, first.refreshToken!)).resolves.toHaveProperty('accessToken');
      graceful.clock.advance(31_000);
      // ...and is refused after it.
      await expect(refreshTokens(graceful, first.refreshToken!)).rejects.toMatchObject({
        code: 'NotAuthorizedException',
      });
    } finally {
      await graceful.close();
    }
  });

  it('refuses REFRESH_TOKEN_AUTH on a rotating client', async () => {
    const { refreshToken } = await signIn(rotating, alice.email, alice.password);
    const error = await rotating.refusal('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: rotating.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    expect(error.code).toBe('InvalidParameterException');
  });
});

describe('GlobalSignOut', () => {
  // GlobalSignOut (API reference): the pool refuses the user's access tokens ("Access Token has been revoked") and
  // refresh tokens; other services that only verify a token (AppSync) keep accepting an unexpired ID or access
  // token (developer guide, "Ending user sessions with token revocation"; aws/aws-appsync-community#298).
  it('ends every session of the user in the pool, and only theirs', async () => {
    const phone = await signIn(pool, alice.email, alice.password);
    const laptop = await signIn(pool, alice.email, alice.password);
    const bobs = await signIn(pool, bob.email, bob.password);
    await signOut(pool, phone.accessToken);

    for (const session of [phone, laptop]) {
      await expect(pool.refusal('GetUser', { AccessToken: session.accessToken })).resolves.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
      await expect(
        pool.refusal('GetTokensFromRefreshToken', { ClientId: pool.clientId, RefreshToken: session.refreshToken }),
      ).resolves.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Refresh Token has been revoked',
      });
      await expect(refreshByFlow(session.refreshToken!)).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    }
    await expect(getUser(bobs.accessToken)).resolves.toHaveProperty('Username');

    // A token check as AppSync makes it (signature and claims) still accepts them until they expire.
    const verify = createCognitoVerifier({
      issuer: pool.cognito.issuer,
      jwksUrl: pool.cognito.jwksUrl,
      clientIds: [pool.clientId],
      now: pool.clock,
    });
    await expect(verify(phone.idToken)).resolves.toHaveProperty('sub');
    await expect(verify(laptop.accessToken)).resolves.toHaveProperty('sub');

    // Signing in again starts a session that works, even within the same millisecond.
    const again = await signIn(pool, alice.email, alice.password);
    await expect(getUser(again.accessToken)).resolves.toHaveProperty('Username');
    await expect(refreshTokens(pool, again.refreshToken!)).resolves.toHaveProperty('accessToken');
  });

  it('is refused with an access token that is already signed out', async () => {
    const session = await signIn(pool, bob.email, bob.password);
    await signOut(pool, session.accessToken);
    await expect(signOut(pool, session.accessToken)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
  });

  it('is done by an administrator with AdminUserGlobalSignOut', async () => {
    const session = await signIn(pool, bob.email, bob.password);
    await pool.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: bob.email }));
    await expect(pool.refusal('GetUser', { AccessToken: session.accessToken })).resolves.toMatchObject({
      message: 'Access Token has been revoked',
    });
  });
});

describe('RevokeToken', () => {
  // RevokeToken (developer guide, "Ending user sessions with token revocation"): the refresh token and every access
  // token issued from it, including the one from the sign-in, stop working; the user's other sessions do not.
  it('ends one session: its refresh token and the access tokens issued from it', async () => {
    const revoked = await signIn(pool, alice.email, alice.password);
    const kept = await signIn(pool, alice.email, alice.password);
    const refreshed = await refreshTokens(pool, revoked.refreshToken!);
    await expect(pool.call('RevokeToken', { ClientId: pool.clientId, Token: revoked.refreshToken })).resolves.toEqual(
      {},
    );

    for (const accessToken of [revoked.accessToken, refreshed.accessToken]) {
      await expect(pool.refusal('GetUser', { AccessToken: accessToken })).resolves.toMatchObject({
        message: 'Access Token has been revoked',
      });
    }
    await expect(refreshTokens(pool, revoked.refreshToken!)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    await expect(getUser(kept.accessToken)).resolves.toHaveProperty('Username');
    await expect(refreshTokens(pool, kept.refreshToken!)).resolves.toHaveProperty('accessToken');
    // Revoking again is not an error.
    await expect(pool.call('RevokeToken', { ClientId: pool.clientId, Token: revoked.refreshToken })).resolves.toEqual(
      {},
    );
  });

  it('refuses a token that is not a refresh token of the pool', async () => {
    const { accessToken } = await signIn(pool, alice.email, alice.password);
    await expect(pool.refusal('RevokeToken', { ClientId: pool.clientId, Token: accessToken })).resolves.toMatchObject({
      code: 'UnsupportedTokenTypeException',
    });
  });

  it('keeps revocations across a restart', async () => {
    const restartable = await startTestPool({ users: [alice] });
    const dataDir = restartable.dataDir;
    try {
      const session = await signIn(restartable, alice.email, alice.password);
      await restartable.call('RevokeToken', { ClientId: restartable.clientId, Token: session.refreshToken });
      await restartable.stop();
      const again = await startTestPool({ dataDir, credentials: restartable.credentials });
      try {
        await expect(refreshTokens(again, session.refreshToken!)).rejects.toMatchObject({
          message: 'Refresh Token has been revoked',
        });
      } finally {
        await again.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
