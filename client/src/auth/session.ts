// A signed-in session that hands out a valid token on demand, refreshing shortly before expiry: what an API client's
// `getToken` needs.
import { refreshTokens, signOut, type AuthTokens, type UserPoolConfig } from './user-pool.js';

export interface AuthSession {
  /** The ID token (what AppSync's user-pool auth is usually given), refreshed when it is about to expire. */
  idToken(): Promise<string>;
  /** The access token, refreshed likewise. */
  accessToken(): Promise<string>;
  /** The tokens as they are now. */
  readonly tokens: AuthTokens;
  /** GlobalSignOut, then the session refuses to hand out tokens. */
  signOut(): Promise<void>;
}

export interface AuthSessionOptions {
  /** Refresh when a token has fewer than this many seconds left (default 60). */
  refreshMarginSeconds?: number;
  /** Milliseconds since the epoch (default Date.now): tests move it. */
  now?: () => number;
}

/** Seconds since the epoch at which a JWT expires (its `exp` claim). */
export function tokenExpiry(jwt: string): number {
  const payload = jwt.split('.')[1];
  if (!payload) throw new TypeError('Not a JWT');
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (payload.length % 4)) % 4));
  const { exp } = JSON.parse(json) as { exp?: unknown };
  if (typeof exp !== 'number') throw new TypeError('The JWT has no exp claim');
  return exp;
}

export function createAuthSession(
  pool: UserPoolConfig,
  initial: AuthTokens,
  options: AuthSessionOptions = {},
): AuthSession {
  const margin = options.refreshMarginSeconds ?? 60;
  const now = options.now ?? Date.now;
  let tokens = initial;
  let signedOut = false;
  let refreshing: Promise<AuthTokens> | undefined;

  const fresh = async (): Promise<AuthTokens> => {
    if (signedOut) throw new Error('This session has signed out');
    const expiresAt = Math.min(tokenExpiry(tokens.idToken), tokenExpiry(tokens.accessToken));
    if (expiresAt - margin > now() / 1000) return tokens;
    if (!tokens.refreshToken) throw new Error('The tokens have expired and there is no refresh token');
    // One refresh at a time: concurrent callers share it (a rotated refresh token is good for one use).
    refreshing ??= refreshTokens(pool, tokens.refreshToken).finally(() => {
      refreshing = undefined;
    });
    tokens = await refreshing;
    return tokens;
  };

  return {
    idToken: async () => (await fresh()).idToken,
    accessToken: async () => (await fresh()).accessToken,
    get tokens() {
      return tokens;
    },
    async signOut() {
      if (signedOut) return;
      await signOut(pool, tokens.accessToken);
      signedOut = true;
    },
  };
}
