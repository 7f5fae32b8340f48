// The Cognito user-pool calls the app makes (sign-up, confirmation, sign-in, refresh, sign-out), through the SDK's
// sign-in module: Cognito's SRP (USER_SRP_AUTH answered with PASSWORD_VERIFIER), as Amplify signs in and the only
// flow the production app client allows. This file only shapes the module's answers and errors for the app.
import {
  ChallengeRequiredError,
  CognitoAuthError,
  CognitoNetworkError,
  confirmSignUp as confirmUser,
  refreshTokens,
  revokeRefreshToken,
  signIn as srpSignIn,
  signUp as createUser,
  tokenExpiry,
  type AuthTokens,
  type UserPoolConfig,
} from '@appsync-notes/client/auth';
import type { AppConfig } from '../config';

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** When the ID token expires, in ms since the epoch. */
  expiresAt: number;
}

export class CognitoError extends Error {
  override readonly name = 'CognitoError';
  /** Cognito's exception name, e.g. `NotAuthorizedException`, `UsernameExistsException`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

type UserPool = AppConfig['userPool'];

function poolConfig(pool: UserPool): UserPoolConfig {
  return { userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint };
}

/** Runs a call of the sign-in module, turning its errors into the app's one error type. */
async function calling<T>(pool: UserPool, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CognitoAuthError) throw new CognitoError(error.code, error.message);
    if (error instanceof CognitoNetworkError) {
      throw new CognitoError('NetworkError', `Cannot reach the sign-in service at ${pool.endpoint}.`);
    }
    if (error instanceof ChallengeRequiredError) {
      throw new CognitoError(
        'UnsupportedChallenge',
        `The user pool asks for a step this app cannot do (${error.challengeName}).`,
      );
    }
    throw error;
  }
}

function tokensOf(tokens: AuthTokens, previousRefreshToken?: string): Tokens {
  const refreshToken = tokens.refreshToken ?? previousRefreshToken;
  if (!refreshToken) throw new CognitoError('InvalidToken', 'The user pool sent no refresh token.');
  return {
    idToken: tokens.idToken,
    accessToken: tokens.accessToken,
    refreshToken,
    expiresAt: tokenExpiry(tokens.idToken) * 1000,
  };
}

export async function signIn(pool: UserPool, email: string, password: string): Promise<Tokens> {
  return tokensOf(await calling(pool, () => srpSignIn(poolConfig(pool), email, password)));
}

export async function refresh(pool: UserPool, refreshToken: string): Promise<Tokens> {
  return tokensOf(await calling(pool, () => refreshTokens(poolConfig(pool), refreshToken)), refreshToken);
}

/**
 * Ends this browser's session on the pool (RevokeToken): its refresh token, and the access tokens issued from it,
 * stop working. Other devices stay signed in. Amplify's default (non-global) signOut does the same, when the access
 * token carries `origin_jti` (aws-amplify 6.x, packages/auth/src/providers/cognito/apis/signOut.ts, clientSignOut).
 */
export async function revoke(pool: UserPool, refreshToken: string): Promise<void> {
  await calling(pool, () => revokeRefreshToken(poolConfig(pool), refreshToken));
}

export async function signUp(pool: UserPool, email: string, password: string): Promise<{ confirmed: boolean }> {
  const result = await calling(pool, () => createUser(poolConfig(pool), email, password));
  return { confirmed: result.userConfirmed };
}

export async function confirmSignUp(pool: UserPool, email: string, code: string): Promise<void> {
  await calling(pool, () => confirmUser(poolConfig(pool), email, code));
}
