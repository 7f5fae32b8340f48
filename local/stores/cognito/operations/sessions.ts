// Refreshing and ending sessions: GetTokensFromRefreshToken (the only refresh call of Amplify 6.15+), the
// REFRESH_TOKEN_AUTH flow, GlobalSignOut, AdminUserGlobalSignOut and RevokeToken. What ends a session, per the
// developer guide's "Ending user sessions with token revocation" and the API reference:
// - RevokeToken: that refresh token and every access token issued from it (same origin_jti); other sessions stay;
// - GlobalSignOut / AdminUserGlobalSignOut: every refresh, ID and access token the user holds.
// Ended tokens are refused by the pool's own calls ("Refresh Token has been revoked", "Access Token has been
// revoked"); anything that only checks a token's signature and claims, like AppSync, keeps accepting an unexpired
// ID or access token (aws/aws-appsync-community#298).
import { randomUUID } from 'node:crypto';
import {
  authenticate,
  checkClientId,
  checkPoolId,
  findUser,
  requireStrings,
  sessionEnded,
  userNotFound,
  userTokens,
  type ApiRequest,
  type PoolContext,
} from '../context';
import { CognitoError, notAuthorized } from '../errors';
import { openRefreshToken, sealRefreshToken } from '../tokens';

/**
 * New ID and access tokens for a refresh token of this pool's client. With `rotate`, also a new refresh token,
 * the old one staying usable for the client's grace period (RefreshTokenRotationType.RetryGracePeriodSeconds).
 * Refusals as AWS words them: "Invalid Refresh Token." (aws/aws-sdk-js-v3#7162), "Refresh Token has been revoked"
 * (aws/aws-sdk-net#1936), "Refresh Token has expired".
 */
export async function refreshSession(ctx: PoolContext, refreshToken: string, options: { rotate: boolean }) {
  const { doc } = ctx.store;
  const now = ctx.now();
  const claims = await openRefreshToken(ctx.keys, refreshToken);
  if (!claims || claims.clientId !== doc.client.id) throw notAuthorized('Invalid Refresh Token.');
  if (claims.expiresAt <= now) throw notAuthorized('Refresh Token has expired');
  const user = doc.users[claims.username];
  if (!user) throw userNotFound();
  const retired = doc.retiredRefreshTokens[claims.tokenId];
  if (sessionEnded(doc, user, claims.sessionId) || (retired && retired.usableUntil <= now)) {
    throw notAuthorized('Refresh Token has been revoked');
  }
  if (!user.enabled) throw notAuthorized('User is disabled.');

  const tokens = await userTokens(ctx, user, { now, sessionId: claims.sessionId, authTime: claims.authTime });
  if (!options.rotate) return tokens;

  // The new refresh token continues the session (same origin_jti) with a fresh validity; the one it replaces is
  // retired once its grace period is over. A retry within the grace period gets another new token.
  const rotated = await sealRefreshToken(ctx.keys, {
    ...claims,
    tokenId: randomUUID(),
    expiresAt: now + doc.client.refreshTokenValiditySeconds * 1000,
  });
  const grace = doc.client.refreshTokenRotation.retryGracePeriodSeconds * 1000;
  await ctx.store.update((draft) => {
    pruneRevocations(draft, now);
    draft.retiredRefreshTokens[claims.tokenId] ??= { usableUntil: now + grace, expiresAt: claims.expiresAt };
  });
  return { ...tokens, RefreshToken: rotated };
}

/** Forget revocations of tokens that have expired anyway. */
function pruneRevocations(
  draft: { revokedSessions: Record<string, number>; retiredRefreshTokens: Record<string, { expiresAt: number }> },
  now: number,
) {
  for (const [session, expiresAt] of Object.entries(draft.revokedSessions)) {
    if (expiresAt <= now) delete draft.revokedSessions[session];
  }
  for (const [token, { expiresAt }] of Object.entries(draft.retiredRefreshTokens)) {
    if (expiresAt <= now) delete draft.retiredRefreshTokens[token];
  }
}

export async function getTokensFromRefreshToken(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['ClientId', 'RefreshToken']);
  checkClientId(ctx, request.ClientId as string);
  const rotate = ctx.store.doc.client.refreshTokenRotation.enabled;
  return { AuthenticationResult: await refreshSession(ctx, request.RefreshToken as string, { rotate }) };
}

export async function globalSignOut(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['AccessToken']);
  const user = await authenticate(ctx, request.AccessToken as string);
  await signOutEverywhere(ctx, user.username);
  return {};
}

export async function adminUserGlobalSignOut(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['UserPoolId', 'Username']);
  checkPoolId(ctx, request.UserPoolId as string);
  const user = findUser(ctx.store.doc, request.Username as string);
  if (!user) throw userNotFound();
  await signOutEverywhere(ctx, user.username);
  return {};
}

async function signOutEverywhere(ctx: PoolContext, username: string): Promise<void> {
  // Sessions are named by when they started (origin_jti is a UUID v7): one instant ends all that started before it.
  // A session started later in the same millisecond is dated at that instant (startSession), so it lives.
  const now = ctx.now();
  await ctx.store.update((draft) => {
    draft.users[username].signedOutAt = now + 1;
  });
}

export async function revokeToken(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['ClientId', 'Token']);
  checkClientId(ctx, request.ClientId as string);
  const claims = await openRefreshToken(ctx.keys, request.Token as string);
  // The API reference lists UnsupportedTokenTypeException for a token RevokeToken cannot revoke (an ID or access
  // token, or anything that is not this pool's refresh token).
  if (!claims) throw new CognitoError('UnsupportedTokenTypeException', 'Unsupported token type.');
  if (claims.clientId !== ctx.store.doc.client.id) {
    throw new CognitoError('UnauthorizedException', 'The refresh token was not issued to this client.');
  }
  const now = ctx.now();
  if (ctx.store.doc.revokedSessions[claims.sessionId] === undefined) {
    await ctx.store.update((draft) => {
      pruneRevocations(draft, now);
      draft.revokedSessions[claims.sessionId] = Math.max(claims.expiresAt, now);
    });
  }
  return {};
}
