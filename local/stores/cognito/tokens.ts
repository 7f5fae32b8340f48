// The pool's keys and tokens. Each data folder has its own keys (`keys.json`, mode 0600): two RSA-2048 keys that sign
// ID and access tokens (the pool's JWKS publishes both, like a real pool's), and a secret that seals what the pool
// hands out and reads back later: refresh tokens and the SRP challenge's SECRET_BLOCK. Sealed, those need no server
// state, so a sign-in writes nothing to disk and survives a restart mid-way.
//
// Claims follow Cognito's (docs: "Understanding user pool JSON web tokens"): access tokens carry sub, cognito:groups,
// iss, client_id, origin_jti, event_id, token_use "access", scope "aws.cognito.signin.user.admin", auth_time, exp,
// iat, jti, username; ID tokens the user's attributes (`*_verified` as booleans), cognito:username, aud, and the same
// sub/iss/origin_jti/event_id/auth_time/exp/iat/jti. origin_jti names the session: every token refreshed from one
// sign-in shares it, which is what RevokeToken and GlobalSignOut end. It is a UUID version 7, whose first 48 bits are
// the session's start in milliseconds, so GlobalSignOut (which ends every session started before it) needs no list
// of sessions.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  calculateJwkThumbprint,
  EncryptJWT,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtDecrypt,
  jwtVerify,
  SignJWT,
  errors as joseErrors,
  type JWK,
  type JWTPayload,
} from 'jose';
import { writeFileAtomic } from '../shared';

export const KEYS_FILE = 'keys.json';

/** What jose imports an RSA JWK as (a WebCrypto key; the DOM type is not in our lib). */
type RsaKey = Exclude<Awaited<ReturnType<typeof importJWK>>, Uint8Array>;

export interface SigningKey {
  kid: string;
  privateKey: RsaKey;
  publicKey: RsaKey;
  publicJwk: JWK;
}

export interface PoolKeys {
  id: SigningKey;
  access: SigningKey;
  /** AES-256 keys derived from the folder's sealing secret: one for refresh tokens, one for sign-in challenges. */
  refreshTokenKey: Uint8Array;
  challengeKey: Buffer;
}

interface StoredKeys {
  id: JWK & { kid: string };
  access: JWK & { kid: string };
  /** base64, 32 bytes. Absent in folders from before sealed tokens: added on first start. */
  sealing?: string;
}

/** A new keys.json's content. */
export async function newKeysFile(): Promise<string> {
  const [id, access] = await Promise.all([newPrivateJwk(), newPrivateJwk()]);
  const stored: StoredKeys = { id, access, sealing: randomBytes(32).toString('base64') };
  return `${JSON.stringify(stored, null, 2)}\n`;
}

export async function loadKeys(file: string): Promise<PoolKeys> {
  let stored: unknown;
  try {
    stored = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the local user pool's keys ${file}: ${(error as Error).message}`, { cause: error });
  }
  const keys = stored as Partial<StoredKeys> | null;
  if (!keys || !isPrivateRsaJwk(keys.id) || !isPrivateRsaJwk(keys.access)) {
    throw new Error(
      `${file} does not hold the pool's two private RSA keys; restore it (tokens it signed stop working)`,
    );
  }
  let sealing = keys.sealing;
  if (typeof sealing !== 'string' || Buffer.from(sealing, 'base64').length !== 32) {
    sealing = randomBytes(32).toString('base64');
    await writeFileAtomic(file, `${JSON.stringify({ ...keys, sealing }, null, 2)}\n`, { mode: 0o600 });
  }
  const secret = Buffer.from(sealing, 'base64');
  const derive = (purpose: string) => createHmac('sha256', secret).update(purpose).digest();
  return {
    id: await signingKey(keys.id),
    access: await signingKey(keys.access),
    refreshTokenKey: new Uint8Array(derive('refresh-token')),
    challengeKey: derive('sign-in-challenge'),
  };
}

async function newPrivateJwk(): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

function isPrivateRsaJwk(value: unknown): value is JWK & { kid: string } {
  const jwk = value as Partial<JWK> | null;
  return !!jwk && jwk.kty === 'RSA' && typeof jwk.kid === 'string' && typeof jwk.d === 'string';
}

async function signingKey(jwk: JWK & { kid: string }): Promise<SigningKey> {
  const publicJwk: JWK = { alg: 'RS256', e: jwk.e, kid: jwk.kid, kty: 'RSA', n: jwk.n, use: 'sig' };
  const [privateKey, publicKey] = await Promise.all([importJWK(jwk, 'RS256'), importJWK(publicJwk, 'RS256')]);
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) throw new Error('RSA JWK imported as bytes');
  return { kid: jwk.kid, privateKey, publicKey, publicJwk };
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions: origin_jti as a UUID v7.

/** A session id that records when the session started (UUID version 7, RFC 9562). */
export function newSessionId(startedAtMs: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.floor(startedAtMs), 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** When the session started, in ms; undefined for an id that is not one of ours. */
export function sessionStartedAt(sessionId: unknown): number | undefined {
  if (
    typeof sessionId !== 'string' ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(sessionId)
  ) {
    return undefined;
  }
  return parseInt(sessionId.replace(/-/g, '').slice(0, 12), 16);
}

// ---------------------------------------------------------------------------------------------------------------
// ID and access tokens.

export interface TokenSubject {
  username: string;
  attributes: Record<string, string>;
  groups: string[];
}

export interface IssuedTokens {
  IdToken: string;
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

export interface TokenContext {
  issuer: string;
  clientId: string;
  idTokenValiditySeconds: number;
  accessTokenValiditySeconds: number;
  /** Now, in ms. */
  now: number;
  sessionId: string;
  /** When the user signed in (the session's start), in ms. */
  authTime: number;
}

export async function issueTokens(keys: PoolKeys, user: TokenSubject, at: TokenContext): Promise<IssuedTokens> {
  const now = Math.floor(at.now / 1000);
  const shared = {
    sub: user.attributes.sub,
    ...(user.groups.length > 0 ? { 'cognito:groups': [...user.groups] } : {}),
    iss: at.issuer,
    origin_jti: at.sessionId,
    event_id: randomUUID(),
    auth_time: Math.floor(at.authTime / 1000),
    iat: now,
  };
  const accessClaims = {
    ...shared,
    client_id: at.clientId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    exp: now + at.accessTokenValiditySeconds,
    jti: randomUUID(),
    username: user.username,
  };
  const idClaims = {
    ...attributeClaims(user.attributes),
    ...shared,
    'cognito:username': user.username,
    aud: at.clientId,
    token_use: 'id',
    exp: now + at.idTokenValiditySeconds,
    jti: randomUUID(),
  };
  return {
    IdToken: await sign(idClaims, keys.id),
    AccessToken: await sign(accessClaims, keys.access),
    ExpiresIn: at.accessTokenValiditySeconds,
    TokenType: 'Bearer',
  };
}

/** The user's attributes as ID-token claims: `*_verified` flags are booleans there. */
function attributeClaims(attributes: Record<string, string>): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(attributes)) {
    claims[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  return claims;
}

function sign(claims: JWTPayload, key: SigningKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey);
}

export type AccessTokenProblem = 'expired' | 'invalid';

/** The claims of an access token this pool signed, or why it is not one. Expiry is checked against `nowMs`. */
export async function verifyAccessToken(
  keys: PoolKeys,
  token: string,
  expected: { issuer: string; nowMs: number },
): Promise<JWTPayload | AccessTokenProblem> {
  try {
    const { payload } = await jwtVerify(token, keys.access.publicKey, {
      algorithms: ['RS256'],
      issuer: expected.issuer,
      currentDate: new Date(expected.nowMs),
      requiredClaims: ['exp', 'iat', 'sub', 'client_id', 'token_use', 'username', 'origin_jti'],
    });
    return payload.token_use === 'access' ? payload : 'invalid';
  } catch (error) {
    return error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Refresh tokens: an encrypted JWT (JWE, A256GCM), as Cognito's are, holding what a refresh needs.

export interface RefreshTokenClaims {
  /** Internal username. */
  username: string;
  clientId: string;
  sessionId: string;
  /** The session's start (ms). */
  authTime: number;
  /** This token's own id (rotation retires tokens one by one). */
  tokenId: string;
  /** ms */
  expiresAt: number;
}

export async function sealRefreshToken(keys: PoolKeys, claims: RefreshTokenClaims): Promise<string> {
  return new EncryptJWT({
    username: claims.username,
    client_id: claims.clientId,
    origin_jti: claims.sessionId,
    auth_time_ms: claims.authTime,
    exp_ms: claims.expiresAt,
  })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
    .setJti(claims.tokenId)
    .encrypt(keys.refreshTokenKey);
}

/** The claims of a refresh token this pool issued (expired or not), or undefined. */
export async function openRefreshToken(keys: PoolKeys, token: string): Promise<RefreshTokenClaims | undefined> {
  try {
    const { payload } = await jwtDecrypt(token, keys.refreshTokenKey, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    const { username, client_id, origin_jti, auth_time_ms, exp_ms, jti } = payload;
    if (
      typeof username !== 'string' ||
      typeof client_id !== 'string' ||
      typeof origin_jti !== 'string' ||
      typeof auth_time_ms !== 'number' ||
      typeof exp_ms !== 'number' ||
      typeof jti !== 'string'
    ) {
      return undefined;
    }
    return {
      username,
      clientId: client_id,
      sessionId: origin_jti,
      authTime: auth_time_ms,
      expiresAt: exp_ms,
      tokenId: jti,
    };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-in state handed to the client and read back: the SRP challenge's SECRET_BLOCK, and the Session of a
// follow-up challenge (NEW_PASSWORD_REQUIRED). AES-256-GCM in standard base64 (clients decode SECRET_BLOCK as base64
// and sign its bytes).

export interface PasswordVerifierState {
  kind: 'PASSWORD_VERIFIER';
  username: string;
  clientId: string;
  /** SRP's A (the client does not send it again) and the server's b and B, hex. */
  A: string;
  b: string;
  B: string;
  /** ms */
  expiresAt: number;
  /** Random, so each challenge can be answered once. */
  nonce: string;
}

export interface NewPasswordState {
  kind: 'NEW_PASSWORD_REQUIRED';
  username: string;
  clientId: string;
  expiresAt: number;
  nonce: string;
}

export type ChallengeState = PasswordVerifierState | NewPasswordState;

export function sealChallenge(keys: PoolKeys, state: ChallengeState): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.challengeKey, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** The state sealed in `text`, if this pool sealed it and it is of `kind`. */
export function openChallenge<K extends ChallengeState['kind']>(
  keys: PoolKeys,
  text: string,
  kind: K,
): Extract<ChallengeState, { kind: K }> | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < 29) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.challengeKey, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    const state = JSON.parse(plain) as ChallengeState;
    return state.kind === kind ? (state as Extract<ChallengeState, { kind: K }>) : undefined;
  } catch {
    return undefined;
  }
}
