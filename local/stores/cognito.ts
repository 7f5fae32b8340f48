// Local Cognito user pool: the identity provider behind `npm start`.
//
// Choice: cognito-local (npm, MIT, maintained: 5.3.0 published 2026-08) supplies the Cognito API itself: its
// targets (SignUp, ConfirmSignUp, InitiateAuth USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, RespondToAuthChallenge,
// GetUser, ForgotPassword, Admin*, groups, ...), its user and pool model, and its JSON-file store. It runs on Node 20
// and we start it in-process (no child process), composing its modules rather than its `createDefaultServer`.
// Used as shipped it falls short in ways that matter for "real sign-in", so this file closes each gap:
// - It signs every token with one RSA key pair published inside the npm package (lib/keys), so anyone can mint a
//   token our verifier would accept. Here each data folder gets its own two RSA-2048 keys (one for ID tokens, one
//   for access tokens, like a real pool's JWKS), created on first start and kept in `keys.json`.
// - Its GetUser, ChangePassword, DeleteUser, UpdateUserAttributes... only *decode* the access token. Here every
//   request carrying an AccessToken is verified first (signature, issuer, expiry, token_use) and refused with
//   NotAuthorizedException as Cognito does.
// - Its server pins the data folder to `./.cognito` (cwd), hard-codes `http://localhost:9229` in the OpenID
//   configuration, pulls in the end-of-support aws-sdk v2 (+0.5 s startup, a warning on every start), and its JSON
//   store lets two concurrent requests interleave writes to one file. Here a small HTTP front serves the API, the
//   JWKS and the OpenID configuration for the real address, stores data under the folder we are given, loads no
//   aws-sdk, and runs one API call at a time.
// - Fidelity fixes on the way through: the pool's password policy is enforced (cognito-local ignores it), a wrong
//   password is `NotAuthorizedException: Incorrect username or password.`, the client's ExplicitAuthFlows are
//   honoured, missing parameters get Cognito's validation error instead of a 500, sign-in results carry ExpiresIn
//   and TokenType, confirming a sign-up verifies the email, and token claims follow Cognito's (origin_jti, aud,
//   email_verified as a boolean). Unsigned Admin*/pool-management calls get MissingAuthenticationTokenException as on
//   AWS (a signature is not checked: there is no IAM locally). One process per data folder.
// Not emulated: SRP sign-in (web clients must use USER_PASSWORD_AUTH locally), hosted UI/OAuth, Lambda triggers,
// refresh-token expiry, case-insensitive usernames. Passwords are stored in plain text in the data folder (as
// cognito-local does): local development only. Usernames must be emails (the pool signs in by email).

import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  errors as joseErrors,
  type JWK,
  type JWTPayload,
} from 'jose';
import { CognitoError, InvalidParameterError, NotAuthorizedError, UnsupportedError } from 'cognito-local/lib/errors.js';
import { DefaultConfig, type Config } from 'cognito-local/lib/server/config.js';
import type { Router as Routes } from 'cognito-local/lib/server/Router.js';
import type { Services } from 'cognito-local/lib/services/index.js';
import type { AppClient } from 'cognito-local/lib/services/appClient.js';
import { DateClock } from 'cognito-local/lib/services/clock.js';
import { CognitoServiceFactoryImpl, type CognitoService } from 'cognito-local/lib/services/cognitoService.js';
import type { Context } from 'cognito-local/lib/services/context.js';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js';
import type { LogService } from 'cognito-local/lib/services/LogService.js';
import type { Messages } from 'cognito-local/lib/services/messages.js';
import type { TokenGenerator, Tokens } from 'cognito-local/lib/services/tokenGenerator.js';
import type { Triggers } from 'cognito-local/lib/services/triggers/index.js';
import {
  attributeValue,
  UserPoolServiceFactoryImpl,
  type User,
  type UserPoolService,
} from 'cognito-local/lib/services/userPoolService.js';
import { BodyTooLargeError, closeServer, endpointUrl, listen, readBodyWithin, writeFileAtomic } from './shared';

export interface LocalUser {
  email: string;
  password: string;
  groups?: string[];
}

/** A message Cognito would email (sign-up confirmation code, forgot-password code, ...). */
export interface CognitoMessage {
  kind: string;
  destination: string;
  code: string;
}

export interface StartCognitoOptions {
  /** The persisted data folder (DATA_DIR); Cognito keeps its files in `<dir>/cognito`. */
  dir: string;
  /** 0 = ephemeral. The issuer contains the port, so tokens outlive a restart only on the same port. */
  port?: number;
  host?: string;
  /**
   * The host devices reach the pool at (a LAN address, 10.0.2.2 for the Android emulator); token issuers and
   * `publicEndpoint` carry it. Default: the bound address (loopback for a wildcard bind).
   */
  publicHost?: string;
  /** Created and confirmed if absent; their groups are created and joined. */
  users?: LocalUser[];
  /** Where confirmation codes go (Cognito would email them). Default: one line on stdout. */
  onMessage?: (message: CognitoMessage) => void;
  /** Unexpected internal errors (never client mistakes). Default: console.error. */
  onError?: (error: unknown) => void;
}

export interface LocalCognito {
  /** Where this machine reaches the pool. */
  endpoint: string;
  /** Where devices reach the pool: the issuer's base. Equal to `endpoint` unless a public host was given. */
  publicEndpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
  jwksUrl: string;
  /** The pool's password policy, as Cognito's DescribeUserPool reports it. */
  passwordPolicy: {
    MinimumLength?: number;
    RequireLowercase?: boolean;
    RequireUppercase?: boolean;
    RequireNumbers?: boolean;
    RequireSymbols?: boolean;
  };
  close(): Promise<void>;
}

/** What `startCognito` writes to `<dir>/cognito/endpoint.json` while it runs, for tools such as `npm run token`. */
export interface LocalCognitoState {
  endpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
  jwksUrl: string;
  /** The configured local users and their passwords (the same folder already holds them in plain text). */
  users: Array<{ email: string; password: string }>;
}

export interface SignInResult {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
}

/** An error answer from the Cognito API (`__type` and `message`, as AWS SDKs report them). */
export class CognitoApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(`${code}: ${message}`);
    this.name = 'CognitoApiError';
  }
}

const POOL_NAME = 'local-user-pool';
const CLIENT_NAME = 'local-web-client';
const SERVICE = 'AWSCognitoIdentityProviderService';
const MAX_BODY_BYTES = 1024 * 1024;
const COGNITO_FOLDER = 'cognito';
const STATE_FILE = 'endpoint.json';

export function cognitoFolder(dataDir: string): string {
  return join(dataDir, COGNITO_FOLDER);
}

export async function startCognito(opts: StartCognitoOptions): Promise<LocalCognito> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`startCognito: port must be an integer from 0 to 65535, got ${String(opts.port)}`);
  }
  const users = opts.users ?? [];
  users.forEach(checkLocalUser);
  const onError = opts.onError ?? ((error: unknown) => console.error('[cognito]', error));

  const folder = cognitoFolder(opts.dir);
  await refuseIfRunning(opts.dir);
  await mkdir(folder, { recursive: true });
  const keys = await loadSigningKeys(join(folder, 'keys.json'));

  // The issuer contains the public address, known only once listening: tokens read it through this closure.
  let endpoint = '';
  let publicEndpoint = '';
  const issuerFor = (userPoolId: string) => `${publicEndpoint}/${userPoolId}`;

  const ctx: Context = { logger: silentLogger };
  const clock = new DateClock();
  const dataFolder = join(folder, 'db');
  const dataStores = new StormDBDataStoreFactory(dataFolder);
  const cognito = await new CognitoServiceFactoryImpl(
    dataFolder,
    dataStores,
    new UserPoolServiceFactoryImpl(clock, dataStores),
  ).create(ctx, { UsernameAttributes: ['email'] });
  const config: Config = {
    ...DefaultConfig,
    TriggerFunctions: {},
    UserPoolDefaults: { UsernameAttributes: ['email'] },
    TokenConfig: {},
  };
  const services: Services = {
    clock,
    cognito,
    config,
    messages: messagesTo(opts.onMessage ?? printMessage),
    otp: () => randomInt(0, 1_000_000).toString().padStart(6, '0'),
    tokenGenerator: tokenGenerator(keys, issuerFor),
    triggers: noTriggers,
  };
  const api = oneAtATime(cognitoApi(services, ctx, keys, issuerFor));

  const server = createServer();
  server.on('request', (req, res) => {
    handleHttp(req, res, { api, cognito, ctx, keys, issuerFor, onError }).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) sendJson(res, 500, { __type: 'InternalErrorException', message: 'Internal error' });
      else res.destroy();
    });
  });
  const boundPort = await listen(server, port, host);
  endpoint = endpointUrl(host, boundPort);
  publicEndpoint = opts.publicHost ? endpointUrl(opts.publicHost, boundPort) : endpoint;

  try {
    const { userPoolId, clientId } = await ensurePoolAndClient(api, cognito, ctx);
    const pool = await cognito.getUserPool(ctx, userPoolId);
    await ensureUsers(api, pool, ctx, userPoolId, users);
    const local = {
      endpoint,
      region: userPoolId.split('_')[0],
      userPoolId,
      clientId,
      issuer: issuerFor(userPoolId),
      // Fetched from this machine, so at the local endpoint even when the issuer names a public one.
      jwksUrl: `${endpoint}/${userPoolId}/.well-known/jwks.json`,
    };
    const stateFile = join(folder, STATE_FILE);
    const state: LocalCognitoState = { ...local, users: users.map(({ email, password }) => ({ email, password })) };
    await writeFileAtomic(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    let closing: Promise<void> | undefined;
    return {
      ...local,
      publicEndpoint,
      passwordPolicy: { ...pool.options.Policies?.PasswordPolicy },
      close() {
        closing ??= (async () => {
          await rm(stateFile, { force: true });
          await closeServer(server);
        })();
        return closing;
      },
    };
  } catch (error) {
    await closeServer(server);
    throw error;
  }
}

/** Reads what a running `startCognito` wrote for the data folder; a clear error when none is running. */
export async function readLocalCognito(dataDir: string): Promise<LocalCognitoState> {
  const file = join(cognitoFolder(dataDir), STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') {
      throw new Error(
        `No local Cognito is running for data folder ${dataDir} (${file} is missing): start it with npm start`,
      );
    }
    throw error;
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON; delete it and restart npm start`);
  }
  const fields = ['endpoint', 'region', 'userPoolId', 'clientId', 'issuer', 'jwksUrl'] as const;
  if (!isRecord(state) || fields.some((field) => typeof state[field] !== 'string') || !Array.isArray(state.users)) {
    throw new Error(`${file} is not a local Cognito state file`);
  }
  return state as unknown as LocalCognitoState;
}

/** Signs in through the Cognito API with USER_PASSWORD_AUTH, as a web client does. */
export async function signIn(
  cognito: { endpoint: string; clientId: string; region: string },
  email: string,
  password: string,
): Promise<SignInResult> {
  const response = await callCognito(cognito.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: cognito.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  const result = isRecord(response) ? response.AuthenticationResult : undefined;
  if (!isRecord(result) || typeof result.IdToken !== 'string' || typeof result.AccessToken !== 'string') {
    const challenge = isRecord(response) ? response.ChallengeName : undefined;
    throw new Error(
      `Sign-in for ${email} did not return tokens${challenge ? ` (challenge ${String(challenge)})` : ''}`,
    );
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: typeof result.RefreshToken === 'string' ? result.RefreshToken : undefined,
    expiresIn: typeof result.ExpiresIn === 'number' ? result.ExpiresIn : 0,
  };
}

/** One Cognito API call over HTTP (the JSON protocol AWS SDKs and amazon-cognito-identity-js speak). */
export async function callCognito(endpoint: string, operation: string, request: object): Promise<unknown> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${SERVICE}.${operation}` },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new CognitoApiError('InvalidResponse', `not JSON: ${text.slice(0, 200)}`, response.status);
  }
  if (!response.ok) {
    const error = isRecord(body) ? body : {};
    throw new CognitoApiError(String(error.__type ?? 'UnknownError'), String(error.message ?? ''), response.status);
  }
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Signing keys: two RSA keys per data folder, like a real pool's JWKS (one signs ID tokens, one access tokens).

/** What jose imports an RSA JWK as (a WebCrypto key; the DOM type is not in our lib). */
type RsaKey = Exclude<Awaited<ReturnType<typeof importJWK>>, Uint8Array>;

interface SigningKey {
  kid: string;
  privateKey: RsaKey;
  publicKey: RsaKey;
  publicJwk: JWK;
}

interface SigningKeys {
  id: SigningKey;
  access: SigningKey;
}

async function loadSigningKeys(file: string): Promise<SigningKeys> {
  let stored: unknown;
  try {
    stored = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (!(isNodeError(error) && error.code === 'ENOENT')) {
      throw new Error(`Cannot read the local Cognito signing keys ${file}: ${String(error)}`);
    }
    const [id, access] = await Promise.all([newPrivateJwk(), newPrivateJwk()]);
    stored = { id, access };
    await writeFileAtomic(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  if (!isRecord(stored) || !isPrivateRsaJwk(stored.id) || !isPrivateRsaJwk(stored.access)) {
    throw new Error(
      `${file} does not hold two private RSA JWKs; delete it to create new keys (old tokens stop working)`,
    );
  }
  return { id: await signingKey(stored.id), access: await signingKey(stored.access) };
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

function isPrivateRsaJwk(value: unknown): value is JWK & { kid: string } {
  return isRecord(value) && value.kty === 'RSA' && typeof value.kid === 'string' && typeof value.d === 'string';
}

async function signingKey(jwk: JWK & { kid: string }): Promise<SigningKey> {
  const publicJwk: JWK = { alg: 'RS256', e: jwk.e, kid: jwk.kid, kty: 'RSA', n: jwk.n, use: 'sig' };
  const [privateKey, publicKey] = await Promise.all([importJWK(jwk, 'RS256'), importJWK(publicJwk, 'RS256')]);
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array)
    throw new Error('RSA JWK imported as raw bytes');
  return { kid: jwk.kid, privateKey, publicKey, publicJwk };
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens shaped like Cognito's.

const TOKEN_VALIDITY_DEFAULTS = {
  IdToken: { value: 60, unit: 'minutes' },
  AccessToken: { value: 60, unit: 'minutes' },
  RefreshToken: { value: 30, unit: 'days' },
} as const;
const SECONDS_PER_UNIT: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

function validitySeconds(client: AppClient, token: keyof typeof TOKEN_VALIDITY_DEFAULTS): number {
  const value = client[`${token}Validity`] ?? TOKEN_VALIDITY_DEFAULTS[token].value;
  const unit = client.TokenValidityUnits?.[token] ?? TOKEN_VALIDITY_DEFAULTS[token].unit;
  return value * (SECONDS_PER_UNIT[unit] ?? 3600);
}

function tokenGenerator(keys: SigningKeys, issuerFor: (userPoolId: string) => string): TokenGenerator {
  return {
    async generate(_ctx, user, userGroups, client): Promise<Tokens> {
      const sub = attributeValue('sub', user.Attributes);
      if (!sub) throw new CognitoError('InternalErrorException', `User ${user.Username} has no sub attribute`);
      const now = Math.floor(Date.now() / 1000);
      const shared = {
        sub,
        ...(userGroups.length > 0 ? { 'cognito:groups': [...userGroups] } : {}),
        iss: issuerFor(client.UserPoolId),
        origin_jti: randomUUID(),
        event_id: randomUUID(),
        auth_time: now,
        iat: now,
      };
      const accessClaims = {
        ...shared,
        client_id: client.ClientId,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        exp: now + validitySeconds(client, 'AccessToken'),
        jti: randomUUID(),
        username: user.Username,
      };
      const idClaims = {
        ...attributeClaims(user),
        ...shared,
        'cognito:username': user.Username,
        aud: client.ClientId,
        token_use: 'id',
        exp: now + validitySeconds(client, 'IdToken'),
        jti: randomUUID(),
      };
      return {
        AccessToken: await sign(accessClaims, keys.access),
        IdToken: await sign(idClaims, keys.id),
        // Opaque, as Cognito's (an encrypted JWT there); cognito-local looks it up in the user's record.
        RefreshToken: randomBytes(48).toString('base64url'),
      };
    },
  };
}

/** The user's attributes as ID-token claims; `*_verified` flags are booleans there. */
function attributeClaims(user: User): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {};
  for (const { Name, Value } of user.Attributes ?? []) {
    if (!Name || Value === undefined) continue;
    claims[Name] = Name.endsWith('_verified') ? Value === 'true' : Value;
  }
  return claims;
}

function sign(claims: JWTPayload, key: SigningKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey);
}

// ---------------------------------------------------------------------------------------------------------------
// The Cognito API: cognito-local's targets behind the checks it lacks.

type CognitoApi = (operation: string, request: unknown) => Promise<unknown>;
type ApiRequest = Record<string, unknown>;

/** String parameters Cognito requires, for the operations a web client uses. */
const REQUIRED_PARAMETERS: Record<string, string[]> = {
  SignUp: ['ClientId', 'Username', 'Password'],
  ConfirmSignUp: ['ClientId', 'Username', 'ConfirmationCode'],
  InitiateAuth: ['ClientId', 'AuthFlow'],
  RespondToAuthChallenge: ['ClientId', 'ChallengeName'],
  ForgotPassword: ['ClientId', 'Username'],
  ConfirmForgotPassword: ['ClientId', 'Username', 'ConfirmationCode', 'Password'],
  GetUser: ['AccessToken'],
  ChangePassword: ['AccessToken', 'PreviousPassword', 'ProposedPassword'],
  DeleteUser: ['AccessToken'],
  RevokeToken: ['ClientId', 'Token'],
};

/** Where each operation carries a password the pool's policy applies to. */
const NEW_PASSWORDS: Record<string, (request: ApiRequest) => unknown> = {
  SignUp: (request) => request.Password,
  ConfirmForgotPassword: (request) => request.Password,
  ChangePassword: (request) => request.ProposedPassword,
  AdminSetUserPassword: (request) => request.Password,
  AdminCreateUser: (request) => request.TemporaryPassword,
  RespondToAuthChallenge: (request) =>
    isRecord(request.ChallengeResponses) ? request.ChallengeResponses.NEW_PASSWORD : undefined,
};

const AUTH_FLOW_PERMISSIONS: Record<string, string> = {
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
  CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
};
/** Cognito's flows for a client created without ExplicitAuthFlows. */
const DEFAULT_AUTH_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH'];

function cognitoApi(
  services: Services,
  ctx: Context,
  keys: SigningKeys,
  issuerFor: (userPoolId: string) => string,
): CognitoApi {
  // Loaded on first use: the targets pull in jsonwebtoken and otplib, and a restart with an existing pool and
  // users needs none of them before the first sign-in.
  let routes: Promise<Routes> | undefined;
  const route = async (operation: string) => {
    routes ??= import('cognito-local/lib/server/Router.js').then(({ Router }) => Router(services));
    return (await routes)(operation);
  };
  const { cognito } = services;

  async function verifyAccessToken(token: unknown): Promise<{ clientId: string }> {
    if (typeof token !== 'string') throw new NotAuthorizedError('Invalid Access Token');
    try {
      const { payload } = await jwtVerify(token, keys.access.publicKey, {
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'sub', 'client_id', 'token_use'],
      });
      const client = typeof payload.client_id === 'string' ? await cognito.getAppClient(ctx, payload.client_id) : null;
      if (payload.token_use !== 'access' || !client || payload.iss !== issuerFor(client.UserPoolId)) {
        throw new NotAuthorizedError('Invalid Access Token');
      }
      return { clientId: client.ClientId };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new NotAuthorizedError('Access Token has expired');
      if (error instanceof CognitoError) throw error;
      throw new NotAuthorizedError('Invalid Access Token');
    }
  }

  async function poolOf(request: ApiRequest, verifiedClientId?: string): Promise<UserPoolService | undefined> {
    const clientId = verifiedClientId ?? request.ClientId;
    if (typeof clientId === 'string') return cognito.getUserPoolForClientId(ctx, clientId);
    if (typeof request.UserPoolId === 'string') return cognito.getUserPool(ctx, request.UserPoolId);
    return undefined;
  }

  async function checkAuthFlow(request: ApiRequest): Promise<AppClient | null> {
    const client = await cognito.getAppClient(ctx, String(request.ClientId));
    if (!client)
      throw new CognitoError(
        'ResourceNotFoundException',
        `User pool client ${String(request.ClientId)} does not exist.`,
      );
    const flow = String(request.AuthFlow);
    const permission = AUTH_FLOW_PERMISSIONS[flow];
    if (!permission) throw new InvalidParameterError(`Unknown auth flow ${flow}`);
    if (!(client.ExplicitAuthFlows ?? DEFAULT_AUTH_FLOWS).includes(permission)) {
      throw new InvalidParameterError(
        `${flow.replace(/^REFRESH_TOKEN$/, 'REFRESH_TOKEN_AUTH')} flow not enabled for this client`,
      );
    }
    const parameters = isRecord(request.AuthParameters) ? request.AuthParameters : {};
    const needed =
      flow === 'USER_PASSWORD_AUTH'
        ? ['USERNAME', 'PASSWORD']
        : flow.startsWith('REFRESH_TOKEN')
          ? ['REFRESH_TOKEN']
          : [];
    for (const name of needed) {
      if (typeof parameters[name] !== 'string') throw new InvalidParameterError(`Missing required parameter ${name}`);
    }
    return client;
  }

  return async (operation, request) => {
    if (!isRecord(request)) throw new CognitoError('SerializationException', 'The request body must be a JSON object');
    checkRequired(operation, request);
    const verified = 'AccessToken' in request ? await verifyAccessToken(request.AccessToken) : undefined;
    const newPassword = NEW_PASSWORDS[operation]?.(request);
    if (newPassword !== undefined) {
      const pool = await poolOf(request, verified?.clientId);
      if (pool) checkPasswordPolicy(newPassword, pool);
    }
    if (operation === 'InitiateAuth') await checkAuthFlow(request);

    let result: unknown;
    try {
      result = await (await route(operation))(ctx, request);
    } catch (error) {
      throw translateError(operation, request, error);
    }

    if (operation === 'ConfirmSignUp') await markContactVerified(request);
    if (isRecord(result) && isRecord(result.AuthenticationResult)) {
      const access = result.AuthenticationResult.AccessToken;
      if (typeof access === 'string') {
        const { exp, iat } = decodeJwt(access);
        result.AuthenticationResult.ExpiresIn = (exp ?? 0) - (iat ?? 0);
        result.AuthenticationResult.TokenType = 'Bearer';
      }
    }
    return result;
  };

  // Cognito marks the address a confirmation code was sent to as verified; cognito-local does not.
  async function markContactVerified(request: ApiRequest): Promise<void> {
    const pool = await cognito.getUserPoolForClientId(ctx, String(request.ClientId));
    if (!(pool.options.AutoVerifiedAttributes ?? []).includes('email')) return;
    const user = await pool.getUserByUsername(ctx, String(request.Username));
    if (!user || attributeValue('email', user.Attributes) === undefined) return;
    const others = user.Attributes.filter((attribute) => attribute.Name !== 'email_verified');
    await pool.saveUser(ctx, { ...user, Attributes: [...others, { Name: 'email_verified', Value: 'true' }] });
  }
}

function checkRequired(operation: string, request: ApiRequest): void {
  const missing = (REQUIRED_PARAMETERS[operation] ?? []).filter(
    (name) => request[name] === undefined || request[name] === null,
  );
  if (missing.length > 0) {
    const details = missing.map(
      (name) =>
        `Value null at '${name[0].toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
    const count = `${missing.length} validation error${missing.length > 1 ? 's' : ''} detected`;
    throw new InvalidParameterError(`${count}: ${details.join('; ')}`);
  }
  const wrongType = (REQUIRED_PARAMETERS[operation] ?? []).find((name) => typeof request[name] !== 'string');
  if (wrongType) throw new CognitoError('SerializationException', `${wrongType} must be a string`);
}

/** Cognito's symbol set for password policies. */
const PASSWORD_SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

function checkPasswordPolicy(password: unknown, pool: UserPoolService): void {
  if (typeof password !== 'string') throw new CognitoError('SerializationException', 'A password must be a string');
  const policy = pool.options.Policies?.PasswordPolicy ?? {};
  const chars = [...password];
  const failures: Array<[boolean | undefined, string]> = [
    [password.length < (policy.MinimumLength ?? 8), 'Password not long enough'],
    [policy.RequireLowercase && !chars.some((c) => c >= 'a' && c <= 'z'), 'Password must have lowercase characters'],
    [policy.RequireUppercase && !chars.some((c) => c >= 'A' && c <= 'Z'), 'Password must have uppercase characters'],
    [policy.RequireNumbers && !chars.some((c) => c >= '0' && c <= '9'), 'Password must have numeric characters'],
    [policy.RequireSymbols && !chars.some((c) => PASSWORD_SYMBOLS.has(c)), 'Password must have symbol characters'],
  ];
  const failure = failures.find(([failed]) => failed);
  if (failure)
    throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${failure[1]}`);
  if (password.length > 256) throw new InvalidParameterError('Password must be at most 256 characters');
}

function translateError(operation: string, request: ApiRequest, error: unknown): unknown {
  if (error instanceof UnsupportedError) {
    return new CognitoError(
      'UnsupportedOperationException',
      `The local Cognito (cognito-local) does not support ${error.message}`,
    );
  }
  const signIn = operation === 'InitiateAuth' || operation === 'AdminInitiateAuth';
  if (
    signIn &&
    error instanceof CognitoError &&
    ['InvalidPasswordException', 'NotAuthorizedException'].includes(error.code)
  ) {
    const refresh = String(request.AuthFlow).startsWith('REFRESH_TOKEN');
    return new NotAuthorizedError(refresh ? 'Invalid Refresh Token' : 'Incorrect username or password.');
  }
  return error;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: the API on POST /, the pool's JWKS and OpenID configuration, CORS for browser clients.

interface HttpContext {
  api: CognitoApi;
  cognito: CognitoService;
  ctx: Context;
  keys: SigningKeys;
  issuerFor: (userPoolId: string) => string;
  onError: (error: unknown) => void;
}

/** cognito-local's JSON store rewrites whole files without locking: one API call at a time keeps them whole. */
function oneAtATime(api: CognitoApi): CognitoApi {
  let queue: Promise<unknown> = Promise.resolve();
  return (operation, request) => {
    const run = queue.then(() => api(operation, request));
    queue = run.catch(() => undefined);
    return run;
  };
}

async function handleHttp(req: IncomingMessage, res: ServerResponse, http: HttpContext): Promise<void> {
  res.setHeader('access-control-allow-origin', '*');
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
    res.setHeader('access-control-max-age', '86400');
    res.writeHead(204).end();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  if (req.method === 'GET') {
    const wellKnown = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(path);
    if (wellKnown) return serveWellKnown(res, http, wellKnown[1], wellKnown[2]);
    if (path === '/health') return sendJson(res, 200, { ok: true });
  }
  if (req.method === 'POST' && path === '/') return serveApi(req, res, http);
  sendJson(res, 404, { message: `No route for ${req.method ?? ''} ${path}` });
}

async function serveWellKnown(
  res: ServerResponse,
  http: HttpContext,
  userPoolId: string,
  document: string,
): Promise<void> {
  const pools = await http.cognito.listUserPools(http.ctx);
  if (!pools.some((pool) => pool.Id === userPoolId)) {
    return sendJson(res, 404, { message: `User pool ${userPoolId} does not exist.` });
  }
  const issuer = http.issuerFor(userPoolId);
  if (document === 'jwks.json') {
    return sendJson(res, 200, { keys: [http.keys.id.publicJwk, http.keys.access.publicJwk] });
  }
  sendJson(res, 200, {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    response_types_supported: ['code', 'token'],
  });
}

// Operations Cognito serves without AWS credentials (the ones a web client calls). Every other one (Admin*,
// CreateUserPool, ListUsers...) needs a SigV4-signed request on AWS; locally the signature is not checked (there is no
// IAM), but an unsigned call is refused as AWS refuses it, so a browser client cannot come to rely on one.
const PUBLIC_OPERATIONS = new Set([
  'AssociateSoftwareToken',
  'ChangePassword',
  'ConfirmDevice',
  'ConfirmForgotPassword',
  'ConfirmSignUp',
  'DeleteUser',
  'DeleteUserAttributes',
  'ForgetDevice',
  'ForgotPassword',
  'GetDevice',
  'GetUser',
  'GetUserAttributeVerificationCode',
  'GlobalSignOut',
  'InitiateAuth',
  'ListDevices',
  'ResendConfirmationCode',
  'RespondToAuthChallenge',
  'RevokeToken',
  'SetUserMFAPreference',
  'SetUserSettings',
  'SignUp',
  'UpdateDeviceStatus',
  'UpdateUserAttributes',
  'VerifySoftwareToken',
  'VerifyUserAttribute',
]);

async function serveApi(req: IncomingMessage, res: ServerResponse, http: HttpContext): Promise<void> {
  const fail = (status: number, code: string, message: string) => {
    res.setHeader('x-amzn-errortype', code);
    sendJson(res, status, { __type: code, message }, 'application/x-amz-json-1.1');
  };
  const target = req.headers['x-amz-target'];
  const [service, operation] = typeof target === 'string' ? target.split('.') : [];
  if (service !== SERVICE || !operation) {
    req.resume();
    return fail(400, 'UnknownOperationException', `Missing or unknown x-amz-target header: ${String(target)}`);
  }
  if (!PUBLIC_OPERATIONS.has(operation) && !/^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? '')) {
    req.resume();
    return fail(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  let body: string;
  try {
    body = (await readBodyWithin(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return fail(413, 'SerializationException', `Request body is over ${MAX_BODY_BYTES} bytes`);
    }
    throw error;
  }
  let request: unknown;
  try {
    request = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    return fail(400, 'SerializationException', 'The request body is not valid JSON');
  }
  try {
    const result = await http.api(operation, request);
    sendJson(res, 200, result ?? {}, 'application/x-amz-json-1.1');
  } catch (error) {
    if (error instanceof CognitoError) return fail(400, error.code, error.message);
    http.onError(error);
    fail(500, 'InternalErrorException', error instanceof Error ? error.message : String(error));
  }
}

/** Dates as epoch seconds, as the AWS JSON protocol sends them. */
function awsJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, converted: unknown) {
    const original = this[key];
    return original instanceof Date ? Math.floor(original.getTime() / 1000) : converted;
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType }).end(awsJson(body));
}

// ---------------------------------------------------------------------------------------------------------------
// Startup: the one pool and web client (found by name, so ids survive restarts), and the configured users.

async function ensurePoolAndClient(
  api: CognitoApi,
  cognito: CognitoService,
  ctx: Context,
): Promise<{ userPoolId: string; clientId: string }> {
  const pools = await cognito.listUserPools(ctx);
  let userPoolId = pools.find((pool) => pool.Name === POOL_NAME)?.Id;
  if (!userPoolId) {
    const created = await api('CreateUserPool', {
      PoolName: POOL_NAME,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
    });
    userPoolId = readPath(created, ['UserPool', 'Id']);
  }
  const clients = await cognito.listAppClients(ctx, userPoolId);
  let clientId = clients.find((client) => client.ClientName === CLIENT_NAME)?.ClientId;
  if (!clientId) {
    const created = await api('CreateUserPoolClient', {
      UserPoolId: userPoolId,
      ClientName: CLIENT_NAME,
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' },
    });
    clientId = readPath(created, ['UserPoolClient', 'ClientId']);
  }
  return { userPoolId, clientId };
}

async function ensureUsers(
  api: CognitoApi,
  pool: UserPoolService,
  ctx: Context,
  userPoolId: string,
  users: LocalUser[],
): Promise<void> {
  for (const user of users) {
    try {
      // Only what is missing goes through the API: a restart then loads none of cognito-local's targets.
      let existing = await pool.getUserByUsername(ctx, user.email);
      if (!existing) {
        await api('AdminCreateUser', {
          UserPoolId: userPoolId,
          Username: user.email,
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
          TemporaryPassword: user.password,
        });
        await api('AdminSetUserPassword', {
          UserPoolId: userPoolId,
          Username: user.email,
          Password: user.password,
          Permanent: true,
        });
        existing = await pool.getUserByUsername(ctx, user.email);
      }
      const memberOf = existing ? await pool.listUserGroupMembership(ctx, existing) : [];
      for (const group of (user.groups ?? []).filter((name) => !memberOf.includes(name))) {
        // listGroups, not getGroupByGroupName: the latter throws while the pool has no group at all.
        if (!(await pool.listGroups(ctx)).some((known) => known.GroupName === group)) {
          await api('CreateGroup', { UserPoolId: userPoolId, GroupName: group });
        }
        await api('AdminAddUserToGroup', { UserPoolId: userPoolId, Username: user.email, GroupName: group });
      }
    } catch (error) {
      const reason = error instanceof CognitoError ? `${error.code}: ${error.message}` : String(error);
      throw new Error(`startCognito: cannot set up local user ${user.email}: ${reason}`, { cause: error });
    }
  }
}

function checkLocalUser(user: LocalUser): void {
  if (!isRecord(user) || typeof user.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(user.email)) {
    throw new Error(
      `startCognito: each local user needs an email address as its username, got ${JSON.stringify(user)}`,
    );
  }
  if (typeof user.password !== 'string' || user.password === '') {
    throw new Error(`startCognito: local user ${user.email} needs a password`);
  }
  if (
    user.groups !== undefined &&
    (!Array.isArray(user.groups) || user.groups.some((group) => typeof group !== 'string' || group === ''))
  ) {
    throw new Error(`startCognito: groups of local user ${user.email} must be non-empty strings`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pieces cognito-local expects that we keep quiet or switch off.

const noop = () => undefined;
const silentLogger: LogService = { child: () => silentLogger, debug: noop, info: noop, warn: noop, error: noop };

const triggerNotConfigured = () => Promise.reject(new UnsupportedError('Lambda triggers'));
const noTriggers: Triggers = {
  enabled: () => false,
  customMessage: triggerNotConfigured,
  customEmailSender: triggerNotConfigured,
  postAuthentication: triggerNotConfigured,
  postConfirmation: triggerNotConfigured,
  preSignUp: triggerNotConfigured,
  preTokenGeneration: triggerNotConfigured,
  userMigration: triggerNotConfigured,
};

function messagesTo(deliver: (message: CognitoMessage) => void): Messages {
  return {
    async deliver(_ctx, source, _clientId, _userPoolId, _user, code, _metadata, details) {
      deliver({ kind: source, destination: details.Destination, code });
    },
  };
}

function printMessage({ kind, destination, code }: CognitoMessage): void {
  console.log(`[cognito] ${kind} code for ${destination}: ${code}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers.

/** Two processes on one folder would overwrite each other's files: refuse when the recorded one still answers. */
async function refuseIfRunning(dataDir: string): Promise<void> {
  let running: LocalCognitoState;
  try {
    running = await readLocalCognito(dataDir);
  } catch {
    return;
  }
  const answers = await fetch(`${running.endpoint}/health`, { signal: AbortSignal.timeout(1000) }).then(
    (response) => response.ok,
    () => false,
  );
  if (answers)
    throw new Error(`startCognito: a local Cognito for ${dataDir} is already running at ${running.endpoint}`);
}

function readPath(value: unknown, path: string[]): string {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  if (typeof current !== 'string') throw new Error(`Unexpected Cognito answer: no ${path.join('.')}`);
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
