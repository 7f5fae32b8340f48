// The local Cognito user pool behind `npm start`: one pool with one public app client per data folder, answering the
// Cognito API as the AWS SDKs, Amplify and amazon-cognito-identity-js call it.
//
// Why our own and not cognito-local (which this replaced): it lacks USER_SRP_AUTH (the default sign-in of Amplify and
// the Cognito SDKs), GetTokensFromRefreshToken (Amplify 6.15+'s only refresh), GlobalSignOut and
// ResendConfirmationCode; it accepted `sub` and `email_verified` from SignUp (account takeover, issue 8), accepted any
// Session for NEW_PASSWORD_REQUIRED, shared one code between sign-up and password reset with no expiry, only decoded
// access tokens, kept plain-text passwords, and rewrote its pool file in place on every sign-in (a SIGKILL left it
// empty and a new pool was created with new subs). Wrapped, we had replaced its store, tokens, sign-in, refresh,
// sign-out and attribute checks: what remained was a thin layer of user CRUD that is shorter to own than to wrap.
//
// What it does, by file: server.ts (HTTP, SigV4 for IAM-only calls), operations/ (the API), srp.ts (Cognito's SRP),
// tokens.ts (keys, JWTs, sealed refresh tokens and challenges), attributes.ts (who may write what), store.ts (the
// crash-safe pool file), startup.ts (open or create the pool, local users). Not emulated: MFA, devices, hosted UI and
// OAuth, Lambda triggers, custom attributes, app client secrets. Usernames are email addresses (the pool signs in by
// email, case-insensitively, as the deployed one does).
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LocalCredentials } from '../../server/credentials';
import { closeServer, endpointUrl, listen, writeFileAtomic } from '../shared';
import type { CognitoMessage, PoolContext } from './context';
import { createPoolServer } from './server';
import { ensureUsers, openPool, type ClientSettings, type LocalUser } from './startup';
import { KEYS_FILE, loadKeys } from './tokens';

export type { CognitoMessage } from './context';
export type { ClientSettings, LocalUser } from './startup';

export interface StartCognitoOptions {
  /** The persisted data folder (DATA_DIR); the pool keeps its files in `<dir>/cognito`. */
  dir: string;
  /** The key pair IAM-signed (Admin*) calls must be signed with: the data folder's local credentials. */
  credentials: LocalCredentials;
  /** The region new pool ids carry and IAM-signed calls are scoped to. Default us-east-1. */
  region?: string;
  /** 0 = ephemeral. The issuer contains the port, so tokens outlive a restart only on the same port. */
  port?: number;
  host?: string;
  /**
   * The host devices reach the pool at (a LAN address, 10.0.2.2 for the Android emulator); token issuers and
   * `publicEndpoint` carry it. Default: the bound address (loopback for a wildcard bind).
   */
  publicHost?: string;
  /** Created confirmed (email verified) if absent; their groups are created and joined. */
  users?: LocalUser[];
  /** App client settings (refresh token rotation). */
  client?: ClientSettings;
  /** The pool's clock in ms (default Date.now): tokens, codes and sign-in challenges expire by it. */
  clock?: () => number;
  /** Where codes go that Cognito would email. Default: one line on stdout. */
  onMessage?: (message: CognitoMessage) => void;
  /** Unexpected internal errors (never client mistakes). Default: console.error. */
  onError?: (error: unknown) => void;
}

export interface LocalCognito {
  /** Where this machine reaches the pool. */
  endpoint: string;
  /** Where devices reach the pool: the issuer's base. Equal to `endpoint` unless a public host was given. */
  publicEndpoint: string;
  /** The pool's password policy, as Cognito's DescribeUserPool reports it. */
  passwordPolicy: {
    MinimumLength?: number;
    RequireLowercase?: boolean;
    RequireUppercase?: boolean;
    RequireNumbers?: boolean;
    RequireSymbols?: boolean;
  };
  region: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
  jwksUrl: string;
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
  /** The configured local users and their passwords (from the server's configuration, for `npm run token`). */
  users: Array<{ email: string; password: string }>;
}

const COGNITO_FOLDER = 'cognito';
const STATE_FILE = 'endpoint.json';

export function cognitoFolder(dataDir: string): string {
  return path.join(dataDir, COGNITO_FOLDER);
}

export async function startCognito(opts: StartCognitoOptions): Promise<LocalCognito> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`startCognito: port must be an integer from 0 to 65535, got ${String(opts.port)}`);
  }
  const users = opts.users ?? [];
  users.forEach(checkLocalUser);
  const region = opts.region ?? 'us-east-1';
  const clock = opts.clock ?? Date.now;
  const onError = opts.onError ?? ((error: unknown) => console.error('[cognito]', error));
  const deliver = opts.onMessage ?? printMessage;

  const folder = cognitoFolder(opts.dir);
  await refuseIfRunning(opts.dir);
  const store = await openPool(folder, { region, now: clock(), client: opts.client ?? {} });
  await ensureUsers(store, users, clock);
  const keys = await loadKeys(path.join(folder, KEYS_FILE));

  // The issuer contains the public address, known only once listening: tokens read it through this closure.
  let endpoint = '';
  let publicEndpoint = '';
  const userPoolId = store.doc.pool.id;
  const issuer = () => `${publicEndpoint}/${userPoolId}`;
  const ctx: PoolContext = {
    store,
    keys,
    issuer,
    now: clock,
    deliver: (message) => {
      try {
        deliver(message);
      } catch (error) {
        onError(error);
      }
    },
    answeredChallenges: new Map(),
  };
  const server = createPoolServer({ ctx, credentials: opts.credentials, region, onError });
  const boundPort = await listen(server, port, host);
  endpoint = endpointUrl(host, boundPort);
  publicEndpoint = opts.publicHost ? endpointUrl(opts.publicHost, boundPort) : endpoint;

  try {
    const local = {
      endpoint,
      region,
      userPoolId,
      clientId: store.doc.client.id,
      issuer: issuer(),
      // Fetched from this machine, so at the local endpoint even when the issuer names a public one.
      jwksUrl: `${endpoint}/${userPoolId}/.well-known/jwks.json`,
    };
    const stateFile = path.join(folder, STATE_FILE);
    const state: LocalCognitoState = { ...local, users: users.map(({ email, password }) => ({ email, password })) };
    await writeFileAtomic(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    let closing: Promise<void> | undefined;
    return {
      ...local,
      publicEndpoint,
      passwordPolicy: {
        MinimumLength: store.doc.pool.passwordPolicy.minimumLength,
        RequireLowercase: store.doc.pool.passwordPolicy.requireLowercase,
        RequireUppercase: store.doc.pool.passwordPolicy.requireUppercase,
        RequireNumbers: store.doc.pool.passwordPolicy.requireNumbers,
        RequireSymbols: store.doc.pool.passwordPolicy.requireSymbols,
      },
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
  const file = path.join(cognitoFolder(dataDir), STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
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
  const record = state as Record<string, unknown> | null;
  if (!record || fields.some((field) => typeof record[field] !== 'string') || !Array.isArray(record.users)) {
    throw new Error(`${file} is not a local Cognito state file`);
  }
  return record as unknown as LocalCognitoState;
}

function checkLocalUser(user: LocalUser): void {
  if (
    typeof user !== 'object' ||
    user === null ||
    typeof user.email !== 'string' ||
    !/^[^@\s]+@[^@\s]+$/.test(user.email)
  ) {
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

/** One log line for a code Cognito would email: `[cognito] confirmation code for a@example.com: 123456`. */
export function describeMessage({ kind, destination, code }: CognitoMessage): string {
  const what =
    kind === 'AdminCreateUser'
      ? 'temporary password'
      : kind === 'ForgotPassword'
        ? 'password reset code'
        : kind === 'VerifyUserAttribute'
          ? 'email verification code'
          : 'confirmation code';
  return `[cognito] ${what} for ${destination}: ${code}`;
}

function printMessage(message: CognitoMessage): void {
  console.log(describeMessage(message));
}

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
