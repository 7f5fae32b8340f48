// Sign-in against a Cognito user pool (on AWS or the local one) as Amplify does it: USER_SRP_AUTH answered with the
// PASSWORD_VERIFIER challenge, GetTokensFromRefreshToken for new tokens, GlobalSignOut to end every session. Only
// fetch, BigInt and WebCrypto: the same module runs in browsers and Node 20+.
import { ChallengeRequiredError, CognitoAuthError, CognitoNetworkError } from './errors.js';
import { startSrp, type PasswordVerifierChallenge } from './srp.js';

export interface UserPoolConfig {
  /** `us-east-1_AbC…`; its region picks the AWS endpoint when `endpoint` is not given. */
  userPoolId: string;
  /** The app client (without a secret, as web and mobile apps use). */
  clientId: string;
  /** The Cognito API's address: the local pool's (`custom.user_pool_endpoint` of amplify_outputs.json) or AWS's. */
  endpoint?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface AuthTokens {
  idToken: string;
  accessToken: string;
  /** Absent after a refresh unless the app client rotates refresh tokens. */
  refreshToken?: string;
  /** Seconds the access token is valid for. */
  expiresIn: number;
}

const SERVICE = 'AWSCognitoIdentityProviderService';

/** AWS's Cognito endpoint for a pool id (`<region>_<id>`). */
export function userPoolEndpoint(userPoolId: string): string {
  const region = userPoolId.split('_')[0];
  if (!region || !userPoolId.includes('_')) throw new TypeError(`Not a user pool id: ${userPoolId}`);
  return `https://cognito-idp.${region}.amazonaws.com/`;
}

/** One call of the Cognito API (AWS JSON 1.1 over POST, as every AWS SDK sends it). */
export async function callUserPool<T = Record<string, unknown>>(
  pool: UserPoolConfig,
  operation: string,
  body: object,
): Promise<T> {
  const endpoint = pool.endpoint ?? userPoolEndpoint(pool.userPoolId);
  let response: Response;
  try {
    response = await (pool.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${SERVICE}.${operation}` },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new CognitoNetworkError(`The user pool at ${endpoint} does not answer: ${String(error)}`, { cause: error });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new CognitoNetworkError(`${endpoint} answered ${response.status} with something that is not JSON`);
  }
  if (!response.ok) {
    const { __type, message } = (parsed ?? {}) as { __type?: unknown; message?: unknown };
    // AWS may qualify the type: `aws.protocoljson#NotAuthorizedException` or with a `:` suffix.
    const code = String(__type ?? response.headers.get('x-amzn-errortype') ?? 'UnknownError')
      .split('#')
      .pop()!
      .split(':')[0];
    throw new CognitoAuthError(code, typeof message === 'string' ? message : '', response.status);
  }
  return parsed as T;
}

interface AuthenticationResponse {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
  AuthenticationResult?: {
    IdToken?: string;
    AccessToken?: string;
    RefreshToken?: string;
    ExpiresIn?: number;
  };
}

function tokensOf(response: AuthenticationResponse): AuthTokens {
  const result = response.AuthenticationResult;
  if (!result?.IdToken || !result.AccessToken) {
    if (response.ChallengeName) {
      throw new ChallengeRequiredError(response.ChallengeName, response.ChallengeParameters ?? {}, response.Session);
    }
    throw new CognitoNetworkError('The user pool answered without tokens or a challenge');
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    expiresIn: result.ExpiresIn ?? 3600,
  };
}

/** Signs in with the username (the email, for an email pool) and password, never sending the password itself. */
export async function signIn(pool: UserPoolConfig, username: string, password: string): Promise<AuthTokens> {
  const srp = startSrp(pool.userPoolId);
  const challenge = await callUserPool<AuthenticationResponse>(pool, 'InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: username, SRP_A: srp.A },
  });
  if (challenge.ChallengeName !== 'PASSWORD_VERIFIER') return tokensOf(challenge);
  const parameters = challenge.ChallengeParameters ?? {};
  for (const name of ['SALT', 'SRP_B', 'SECRET_BLOCK', 'USER_ID_FOR_SRP'] as const) {
    if (typeof parameters[name] !== 'string') throw new CognitoNetworkError(`PASSWORD_VERIFIER without ${name}`);
  }
  const claim = await srp.passwordClaim(password, parameters as unknown as PasswordVerifierChallenge);
  const answer = await callUserPool<AuthenticationResponse>(pool, 'RespondToAuthChallenge', {
    ChallengeName: 'PASSWORD_VERIFIER',
    ClientId: pool.clientId,
    ChallengeResponses: claim,
    ...(challenge.Session ? { Session: challenge.Session } : {}),
  });
  return tokensOf(answer);
}

/**
 * New ID and access tokens for a refresh token (GetTokensFromRefreshToken, what Amplify 6.15+ calls). When the app
 * client rotates refresh tokens the result carries a new one and the old one stops working; otherwise the result
 * keeps the refresh token it was given.
 */
export async function refreshTokens(pool: UserPoolConfig, refreshToken: string): Promise<AuthTokens> {
  const response = await callUserPool<AuthenticationResponse>(pool, 'GetTokensFromRefreshToken', {
    ClientId: pool.clientId,
    RefreshToken: refreshToken,
  });
  const tokens = tokensOf(response);
  return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
}

/** Ends every session of the user (GlobalSignOut): their refresh tokens stop working, as does this access token. */
export async function signOut(pool: UserPoolConfig, accessToken: string): Promise<void> {
  await callUserPool(pool, 'GlobalSignOut', { AccessToken: accessToken });
}

/** Ends one session (RevokeToken): this refresh token and the access tokens issued from it stop working. */
export async function revokeRefreshToken(pool: UserPoolConfig, refreshToken: string): Promise<void> {
  await callUserPool(pool, 'RevokeToken', { ClientId: pool.clientId, Token: refreshToken });
}

export interface SignUpResult {
  /** The new user's `sub`. */
  userSub: string;
  userConfirmed: boolean;
  /** Where the confirmation code went, masked (`a***@e***`). */
  codeDestination?: string;
}

/** Self sign-up with an email address as username; a confirmation code goes to that address. */
export async function signUp(
  pool: UserPoolConfig,
  email: string,
  password: string,
  attributes: Record<string, string> = {},
): Promise<SignUpResult> {
  const response = await callUserPool<{
    UserSub: string;
    UserConfirmed: boolean;
    CodeDeliveryDetails?: { Destination?: string };
  }>(pool, 'SignUp', {
    ClientId: pool.clientId,
    Username: email,
    Password: password,
    UserAttributes: Object.entries({ email, ...attributes }).map(([Name, Value]) => ({ Name, Value })),
  });
  return {
    userSub: response.UserSub,
    userConfirmed: response.UserConfirmed,
    ...(response.CodeDeliveryDetails?.Destination ? { codeDestination: response.CodeDeliveryDetails.Destination } : {}),
  };
}

export async function confirmSignUp(pool: UserPoolConfig, email: string, code: string): Promise<void> {
  await callUserPool(pool, 'ConfirmSignUp', { ClientId: pool.clientId, Username: email, ConfirmationCode: code });
}

export async function resendSignUpCode(pool: UserPoolConfig, email: string): Promise<void> {
  await callUserPool(pool, 'ResendConfirmationCode', { ClientId: pool.clientId, Username: email });
}

/** Sends a password reset code to the user's email. */
export async function forgotPassword(pool: UserPoolConfig, email: string): Promise<void> {
  await callUserPool(pool, 'ForgotPassword', { ClientId: pool.clientId, Username: email });
}

export async function confirmForgotPassword(
  pool: UserPoolConfig,
  email: string,
  code: string,
  newPassword: string,
): Promise<void> {
  await callUserPool(pool, 'ConfirmForgotPassword', {
    ClientId: pool.clientId,
    Username: email,
    ConfirmationCode: code,
    Password: newPassword,
  });
}
