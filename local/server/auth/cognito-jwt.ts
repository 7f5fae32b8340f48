// Cognito user-pool tokens as AppSync checks them: the raw JWT from the Authorization header (AppSync refuses a
// "Bearer " prefix with "Unable to parse JWT token.", aws/aws-appsync-community#198), RS256 signature against the
// pool's JWKS, issuer, expiry, token_use, and the app client (aud for ID tokens, client_id for access tokens).
// Both ID and access tokens are accepted, as AppSync does.

import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { poolKeys } from './pool-keys';

export interface CognitoVerifierOptions {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>` on AWS; the local pool's URL locally. */
  issuer: string;
  jwksUrl: string;
  /** App clients whose tokens are accepted. */
  clientIds: string[];
  /** The clock expiry is checked against, in ms (default Date.now): tests move it with the pool's. */
  now?: () => number;
}

export interface CognitoClaims extends JWTPayload {
  sub: string;
  iss: string;
  exp: number;
  iat: number;
  token_use: 'id' | 'access';
  'cognito:username'?: string;
  'cognito:groups'?: string[];
  username?: string;
  client_id?: string;
  email?: string;
  [claim: string]: unknown;
}

/** `ctx.identity` for AMAZON_COGNITO_USER_POOLS (AppSyncIdentityCognito in @aws-appsync/utils). */
export interface AppSyncCognitoIdentity {
  sub: string;
  issuer: string;
  username: string;
  claims: CognitoClaims;
  sourceIp: string[];
  defaultAuthStrategy: 'ALLOW' | 'DENY';
  groups: string[] | null;
}

export type AuthFailure =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'bad_signature'
  | 'unknown_key'
  | 'wrong_issuer'
  | 'wrong_token_use'
  | 'wrong_client'
  | 'bad_claims'
  | 'jwks_unavailable';

// The messages AppSync answers with (errorType UnauthorizedException, HTTP 401). Missing, unparseable and expired
// tokens are as observed from AppSync; for the other failures AppSync documents no wording, and "Unable to parse
// JWT token." is our best knowledge of what it says for a token it cannot verify.
const APPSYNC_MESSAGES: Record<AuthFailure, string> = {
  missing: 'Valid authorization header not provided.',
  malformed: 'Unable to parse JWT token.',
  expired: 'Token has expired.',
  bad_signature: 'Unable to parse JWT token.',
  unknown_key: 'Unable to parse JWT token.',
  wrong_issuer: 'Unable to parse JWT token.',
  wrong_token_use: 'Unable to parse JWT token.',
  wrong_client: 'Unable to parse JWT token.',
  bad_claims: 'Unable to parse JWT token.',
  jwks_unavailable: 'Unable to parse JWT token.',
};

/** A refused token. `message` is what AppSync tells the caller; `detail` is for the server log. */
export class AuthError extends Error {
  readonly errorType = 'UnauthorizedException';

  constructor(
    readonly reason: AuthFailure,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(APPSYNC_MESSAGES[reason], options);
    this.name = 'AuthError';
  }
}

// Cognito caps ID and access token validity at one day, so an older iat (or one in the future) is not Cognito's.
const MAX_TOKEN_AGE_SECONDS = 24 * 60 * 60;

export function createCognitoVerifier(opts: CognitoVerifierOptions): (token: string) => Promise<CognitoClaims> {
  if (typeof opts.issuer !== 'string' || opts.issuer === '')
    throw new TypeError('createCognitoVerifier: issuer is required');
  if (
    !Array.isArray(opts.clientIds) ||
    opts.clientIds.length === 0 ||
    opts.clientIds.some((id) => typeof id !== 'string' || id === '')
  ) {
    throw new TypeError('createCognitoVerifier: clientIds must list at least one app client id');
  }
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(opts.jwksUrl);
  } catch {
    throw new TypeError(`createCognitoVerifier: jwksUrl is not a URL: ${String(opts.jwksUrl)}`);
  }
  // Fetched on first use, cached, refetched (at most every 30 s) when a token names an unknown kid: key rotation.
  const keys: JWTVerifyGetKey = poolKeys(jwksUrl);
  const clientIds = new Set(opts.clientIds);
  const { issuer, now } = opts;

  return async (token) => {
    if (typeof token !== 'string' || token.trim() === '') throw new AuthError('missing', 'no token');
    if (/^bearer\s/i.test(token)) {
      throw new AuthError('malformed', 'AppSync takes the raw JWT in the Authorization header, without "Bearer "');
    }
    const { alg } = readHeader(token);
    if (alg !== 'RS256')
      throw new AuthError('bad_signature', `alg ${String(alg)} is refused: Cognito signs with RS256`);

    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer,
        requiredClaims: ['sub', 'exp', 'iat', 'token_use'],
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
        ...(now ? { currentDate: new Date(now()) } : {}),
      }));
    } catch (error) {
      throw asAuthError(error, issuer);
    }
    return checkCognitoClaims(claims, clientIds);
  };
}

/** AppSync's `ctx.identity` for a verified user-pool token. */
export function cognitoIdentity(
  claims: CognitoClaims,
  sourceIp: string | readonly string[],
  defaultAuthStrategy: 'ALLOW' | 'DENY' = 'ALLOW',
): AppSyncCognitoIdentity {
  // AppSync's username is cognito:username; an access token carries the same value as `username`.
  const username = claims.token_use === 'access' ? claims.username : claims['cognito:username'];
  const groups = claims['cognito:groups'];
  return {
    sub: claims.sub,
    issuer: claims.iss,
    username: username ?? '',
    claims,
    sourceIp: typeof sourceIp === 'string' ? [sourceIp] : [...sourceIp],
    defaultAuthStrategy,
    groups: Array.isArray(groups) ? [...groups] : null,
  };
}

function readHeader(token: string): { alg?: unknown } {
  if (token.split('.').length !== 3) throw new AuthError('malformed', 'not a signed JWT (three dot-separated parts)');
  try {
    return decodeProtectedHeader(token);
  } catch (error) {
    throw new AuthError('malformed', 'the JWT header is not base64url JSON', { cause: error });
  }
}

function checkCognitoClaims(claims: JWTPayload, clientIds: Set<string>): CognitoClaims {
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new AuthError('bad_claims', 'sub is not a string');
  const groups = claims['cognito:groups'];
  if (groups !== undefined && (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string'))) {
    throw new AuthError('bad_claims', 'cognito:groups is not a list of strings');
  }
  if (claims.token_use === 'id') {
    // Cognito's ID tokens name one client in aud.
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audience.some((aud) => typeof aud === 'string' && clientIds.has(aud))) {
      throw new AuthError('wrong_client', `aud ${JSON.stringify(claims.aud)} is not an accepted app client`);
    }
    if (typeof claims['cognito:username'] !== 'string')
      throw new AuthError('bad_claims', 'cognito:username is missing');
  } else if (claims.token_use === 'access') {
    if (typeof claims.client_id !== 'string' || !clientIds.has(claims.client_id)) {
      throw new AuthError(
        'wrong_client',
        `client_id ${JSON.stringify(claims.client_id)} is not an accepted app client`,
      );
    }
    if (typeof claims.username !== 'string') throw new AuthError('bad_claims', 'username is missing');
  } else {
    throw new AuthError('wrong_token_use', `token_use ${JSON.stringify(claims.token_use)} is neither id nor access`);
  }
  return claims as CognitoClaims;
}

function asAuthError(error: unknown, issuer: string): AuthError {
  if (error instanceof AuthError) return error;
  const because = { cause: error };
  if (error instanceof joseErrors.JWTExpired) return new AuthError('expired', error.message, because);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss')
      return new AuthError('wrong_issuer', `iss ${JSON.stringify(error.payload.iss)} is not ${issuer}`, because);
    return new AuthError('bad_claims', error.message, because);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return new AuthError('bad_signature', error.message, because);
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new AuthError('unknown_key', 'no single key in the pool JWKS matches the token kid', because);
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return new AuthError('jwks_unavailable', error.message, because);
  }
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return new AuthError('malformed', error.message, because);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) {
    return new AuthError('bad_signature', error.message, because);
  }
  // Anything else is the JWKS fetch failing (connection refused, a non-200 answer).
  return new AuthError('jwks_unavailable', error instanceof Error ? error.message : String(error), because);
}
