// What every operation of the local pool works with, and the checks they share: reading parameters, finding users,
// the password policy, authenticating an access token, and starting a session (tokens plus a refresh token).
import { randomInt, randomUUID } from 'node:crypto';
import { CognitoError, invalidParameter, notAuthorized, validationErrors } from './errors';
import type { PasswordPolicy, PoolDocument, StoredUser } from './model';
import { createPasswordVerifier, passwordVerifierFor } from './srp';
import type { PoolStore } from './store';
import {
  issueTokens,
  newSessionId,
  sealRefreshToken,
  sessionStartedAt,
  verifyAccessToken,
  type IssuedTokens,
  type PoolKeys,
} from './tokens';

/** A message Cognito would email (sign-up confirmation code, password reset code, temporary password). */
export interface CognitoMessage {
  kind: 'SignUp' | 'ResendCode' | 'ForgotPassword' | 'AdminCreateUser' | 'VerifyUserAttribute';
  destination: string;
  code: string;
}

export interface PoolContext {
  store: PoolStore;
  keys: PoolKeys;
  /** `<endpoint>/<poolId>`: known once the server listens. */
  issuer(): string;
  /** The pool's clock, in ms: tokens, codes and challenges expire by it (tests move it). */
  now(): number;
  deliver(message: CognitoMessage): void;
  /** SRP secret blocks already answered, until they expire (each may be answered once). */
  answeredChallenges: Map<string, number>;
}

export type ApiRequest = Record<string, unknown>;

/** The pool id's part after "_": what SRP hashes. */
export function poolName(doc: Readonly<PoolDocument>): string {
  return doc.pool.id.split('_')[1] ?? doc.pool.id;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters.

/** Required string parameters, refused together as the AWS JSON protocol's validation does. */
export function requireStrings(request: ApiRequest, names: string[]): void {
  const problems = names
    .filter((name) => request[name] === undefined || request[name] === null)
    .map(
      (name) =>
        `Value null at '${name[0].toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  if (problems.length > 0) throw validationErrors(problems);
  const wrongType = names.find((name) => typeof request[name] !== 'string');
  if (wrongType) throw new CognitoError('SerializationException', `${wrongType} must be a string`);
}

/** A string inside a map parameter (AuthParameters, ChallengeResponses): Cognito's "Missing required parameter". */
export function requireMapString(map: unknown, name: string): string {
  const value = typeof map === 'object' && map !== null ? (map as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string' || value === '') throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

export function optionalString(request: ApiRequest, name: string): string | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new CognitoError('SerializationException', `${name} must be a string`);
  return value;
}

export function checkClientId(ctx: PoolContext, clientId: string): void {
  if (clientId !== ctx.store.doc.client.id) {
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }
}

export function checkPoolId(ctx: PoolContext, userPoolId: string): void {
  if (userPoolId !== ctx.store.doc.pool.id) {
    throw new CognitoError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Users.

/**
 * The user a request names: by internal username, or by email (the pool signs in by email), case-insensitively
 * (the deployed pool is created with signInCaseSensitive: false).
 */
export function findUser(doc: Readonly<PoolDocument>, name: string): StoredUser | undefined {
  const exact = doc.users[name];
  if (exact) return exact;
  const folded = name.toLowerCase();
  return Object.values(doc.users).find(
    (user) => user.username.toLowerCase() === folded || user.attributes.email?.toLowerCase() === folded,
  );
}

export function userNotFound(): CognitoError {
  return new CognitoError('UserNotFoundException', 'User does not exist.');
}

export function groupsOf(doc: Readonly<PoolDocument>, username: string): string[] {
  return Object.values(doc.groups)
    .filter((group) => group.members.includes(username))
    .sort((a, b) => (a.precedence ?? Infinity) - (b.precedence ?? Infinity) || a.name.localeCompare(b.name))
    .map((group) => group.name);
}

export function newConfirmationCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function newUsername(): string {
  return randomUUID();
}

// ---------------------------------------------------------------------------------------------------------------
// Passwords.

/** Cognito's symbol set for password policies. */
const PASSWORD_SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

export function checkPasswordPolicy(password: string, policy: PasswordPolicy): void {
  const chars = [...password];
  const failures: Array<[boolean, string]> = [
    [password.length < policy.minimumLength, 'Password not long enough'],
    [policy.requireLowercase && !chars.some((c) => c >= 'a' && c <= 'z'), 'Password must have lowercase characters'],
    [policy.requireUppercase && !chars.some((c) => c >= 'A' && c <= 'Z'), 'Password must have uppercase characters'],
    [policy.requireNumbers && !chars.some((c) => c >= '0' && c <= '9'), 'Password must have numeric characters'],
    [policy.requireSymbols && !chars.some((c) => PASSWORD_SYMBOLS.has(c)), 'Password must have symbol characters'],
  ];
  const failure = failures.find(([failed]) => failed);
  if (failure)
    throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${failure[1]}`);
  if (password.length > 256) throw invalidParameter('Password must be at most 256 characters');
}

export function passwordFor(doc: Readonly<PoolDocument>, username: string, password: string) {
  return createPasswordVerifier(poolName(doc), username, password);
}

export function passwordMatches(doc: Readonly<PoolDocument>, user: StoredUser, password: string): boolean {
  const candidate = passwordVerifierFor(poolName(doc), user.username, password, user.password.salt);
  return candidate === user.password.verifier;
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions and tokens.

export interface SessionTokens extends IssuedTokens {
  RefreshToken: string;
}

/** ID and access tokens for `user` in one session, with the user's current attributes and groups. */
export function userTokens(
  ctx: PoolContext,
  user: StoredUser,
  session: { now: number; sessionId: string; authTime: number },
): ReturnType<typeof issueTokens> {
  const { doc } = ctx.store;
  return issueTokens(
    ctx.keys,
    { username: user.username, attributes: user.attributes, groups: groupsOf(doc, user.username) },
    {
      issuer: ctx.issuer(),
      clientId: doc.client.id,
      idTokenValiditySeconds: doc.client.idTokenValiditySeconds,
      accessTokenValiditySeconds: doc.client.accessTokenValiditySeconds,
      ...session,
    },
  );
}

/** A new sign-in: ID and access tokens and a refresh token, all naming one new session. */
export async function startSession(ctx: PoolContext, user: StoredUser): Promise<SessionTokens> {
  const { doc } = ctx.store;
  const now = ctx.now();
  // Never dated before the user's last GlobalSignOut, which ends sessions started before it.
  const sessionId = newSessionId(Math.max(now, user.signedOutAt ?? 0));
  const tokens = await userTokens(ctx, user, { now, sessionId, authTime: now });
  const RefreshToken = await sealRefreshToken(ctx.keys, {
    username: user.username,
    clientId: doc.client.id,
    sessionId,
    authTime: now,
    tokenId: randomUUID(),
    expiresAt: now + doc.client.refreshTokenValiditySeconds * 1000,
  });
  return { ...tokens, RefreshToken };
}

/** True when GlobalSignOut or RevokeToken ended the session. */
export function sessionEnded(doc: Readonly<PoolDocument>, user: StoredUser, sessionId: string): boolean {
  if (doc.revokedSessions[sessionId] !== undefined) return true;
  const startedAt = sessionStartedAt(sessionId);
  return startedAt === undefined || (user.signedOutAt !== undefined && startedAt < user.signedOutAt);
}

/**
 * The user an access token belongs to, for the operations a signed-in user authorises with it (GetUser,
 * GlobalSignOut, ...). Refused as Cognito refuses: "Invalid Access Token", "Access Token has expired", "Access Token
 * has been revoked" (after GlobalSignOut or RevokeToken; the GlobalSignOut API reference documents this message).
 */
export async function authenticate(ctx: PoolContext, accessToken: string): Promise<StoredUser> {
  const { doc } = ctx.store;
  const claims = await verifyAccessToken(ctx.keys, accessToken, { issuer: ctx.issuer(), nowMs: ctx.now() });
  if (claims === 'expired') throw notAuthorized('Access Token has expired');
  if (claims === 'invalid' || claims.client_id !== doc.client.id) throw notAuthorized('Invalid Access Token');
  const user = doc.users[String(claims.username)];
  if (!user || user.attributes.sub !== claims.sub) throw userNotFound();
  if (sessionEnded(doc, user, String(claims.origin_jti))) throw notAuthorized('Access Token has been revoked');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return user;
}

/** Seconds since the epoch, with milliseconds, as the AWS JSON protocol sends timestamps. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** A user as AdminGetUser / ListUsers / AdminCreateUser describe one (dates in epoch seconds). */
export function describeUser(user: StoredUser, attributesKey: 'Attributes' | 'UserAttributes' = 'Attributes') {
  return {
    Username: user.username,
    [attributesKey]: Object.entries(user.attributes)
      .sort(([a], [b]) => (a === 'sub' ? -1 : b === 'sub' ? 1 : a.localeCompare(b)))
      .map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
