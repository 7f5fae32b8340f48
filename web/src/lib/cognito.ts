// The Cognito user-pool calls the app makes (sign-up, confirmation, sign-in, refresh), over Cognito's JSON API from
// the browser. Until the SDK's SRP module lands this signs in with USER_PASSWORD_AUTH, which the local pool and the
// dev stage's client allow.
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

async function call(pool: UserPool, operation: string, request: object): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(pool.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(request),
    });
  } catch {
    throw new CognitoError('NetworkError', `Cannot reach the sign-in service at ${pool.endpoint}.`);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    // AWS may qualify the type (`com.amazonaws...#NotAuthorizedException`); the short name is the useful part.
    const code = String(body.__type ?? `HTTP${response.status}`)
      .split('#')
      .pop()!;
    throw new CognitoError(code, typeof body.message === 'string' ? body.message : code);
  }
  return body;
}

function expiryOf(idToken: string): number {
  const payload = idToken.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const exp = (JSON.parse(json) as { exp?: unknown }).exp;
  if (typeof exp !== 'number') throw new CognitoError('InvalidToken', 'The ID token carries no expiry.');
  return exp * 1000;
}

function tokensFrom(body: Record<string, unknown>, refreshToken?: string): Tokens {
  const result = body.AuthenticationResult as Record<string, unknown> | undefined;
  if (!result || typeof result.IdToken !== 'string' || typeof result.AccessToken !== 'string') {
    const challenge = typeof body.ChallengeName === 'string' ? ` (${body.ChallengeName})` : '';
    throw new CognitoError('UnsupportedChallenge', `The user pool asks for a step this app cannot do${challenge}.`);
  }
  const refresh = typeof result.RefreshToken === 'string' ? result.RefreshToken : refreshToken;
  if (!refresh) throw new CognitoError('InvalidToken', 'The user pool sent no refresh token.');
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: refresh,
    expiresAt: expiryOf(result.IdToken),
  };
}

export async function signIn(pool: UserPool, email: string, password: string): Promise<Tokens> {
  const body = await call(pool, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  return tokensFrom(body);
}

export async function refresh(pool: UserPool, refreshToken: string): Promise<Tokens> {
  const body = await call(pool, 'InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  return tokensFrom(body, refreshToken);
}

export async function signUp(pool: UserPool, email: string, password: string): Promise<{ confirmed: boolean }> {
  const body = await call(pool, 'SignUp', {
    ClientId: pool.clientId,
    Username: email,
    Password: password,
    UserAttributes: [{ Name: 'email', Value: email }],
  });
  return { confirmed: body.UserConfirmed === true };
}

export async function confirmSignUp(pool: UserPool, email: string, code: string): Promise<void> {
  await call(pool, 'ConfirmSignUp', { ClientId: pool.clientId, Username: email, ConfirmationCode: code });
}
