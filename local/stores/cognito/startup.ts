// Opening the data folder's pool (creating it only in a folder that has none), bringing the app client in line with
// the options (as a deploy updates a client), and creating the configured local users that are missing.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PASSWORD_POLICY as DEPLOYED_POLICY, TEMPORARY_PASSWORD_VALIDITY_DAYS } from '../../../infra/password-policy';
import { writeFileAtomic } from '../shared';
import { checkPasswordPolicy, findUser, newUsername, passwordFor } from './context';
import type { PasswordPolicy, PoolDocument, StoredClient, StoredGroup, StoredUser, UserStatus } from './model';
import { createPasswordVerifier } from './srp';
import { isEmptyFolder, POOL_FILE, PoolStore } from './store';
import { KEYS_FILE, newKeysFile } from './tokens';

export const POOL_NAME = 'local-user-pool';
export const CLIENT_NAME = 'local-web-client';

/** The deployed pool's rules (infra/password-policy.ts), in the local pool's terms. */
export const PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: DEPLOYED_POLICY.minLength,
  requireLowercase: DEPLOYED_POLICY.requireLowercase,
  requireUppercase: DEPLOYED_POLICY.requireUppercase,
  requireNumbers: DEPLOYED_POLICY.requireDigits,
  requireSymbols: DEPLOYED_POLICY.requireSymbols,
  temporaryPasswordValidityDays: TEMPORARY_PASSWORD_VALIDITY_DAYS,
};

export interface ClientSettings {
  /** Issue a new refresh token on every GetTokensFromRefreshToken (Cognito's RefreshTokenRotation). Default off. */
  refreshTokenRotation?: boolean;
  /** Seconds a rotated-out refresh token stays usable (0 to 60, default 0). */
  refreshTokenRetryGracePeriodSeconds?: number;
}

/** Cognito's defaults for an app client, and the deployed client's settings (no secret, SRP and password flows). */
function clientFor(settings: ClientSettings, existing?: StoredClient): StoredClient {
  return {
    id: existing?.id ?? randomId(26, 'abcdefghijklmnopqrstuvwxyz0123456789'),
    name: CLIENT_NAME,
    explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    idTokenValiditySeconds: 3600,
    accessTokenValiditySeconds: 3600,
    refreshTokenValiditySeconds: 30 * 86_400,
    authSessionValiditySeconds: 180,
    preventUserExistenceErrors: true,
    refreshTokenRotation: {
      enabled: settings.refreshTokenRotation ?? false,
      retryGracePeriodSeconds: settings.refreshTokenRetryGracePeriodSeconds ?? 0,
    },
  };
}

function randomId(length: number, alphabet: string): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/**
 * The pool of `folder` (`<dataDir>/cognito`): opened if it exists, imported once from cognito-local's files (the
 * earlier local pool) if those are what the folder holds, created only when the folder is absent or empty.
 */
export async function openPool(
  folder: string,
  options: { region: string; now: number; client: ClientSettings },
): Promise<PoolStore> {
  let store: PoolStore;
  if (await isEmptyFolder(folder)) {
    const poolId = `${options.region}_${randomId(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
    const doc: PoolDocument = {
      format: 'appsync-local-user-pool',
      version: 1,
      pool: { id: poolId, name: POOL_NAME, createdAt: options.now, passwordPolicy: PASSWORD_POLICY },
      client: clientFor(options.client),
      users: {},
      groups: {},
      revokedSessions: {},
      retiredRefreshTokens: {},
    };
    store = await PoolStore.create(folder, doc, { [KEYS_FILE]: await newKeysFile() });
  } else {
    const entries = await readdir(folder);
    if (!entries.includes(POOL_FILE) && entries.includes('db')) await importCognitoLocal(folder, options.now);
    store = await PoolStore.open(folder);
  }
  const wanted = clientFor(options.client, store.doc.client);
  if (JSON.stringify(wanted) !== JSON.stringify(store.doc.client)) {
    await store.update((draft) => {
      draft.client = wanted;
    });
  }
  return store;
}

export interface LocalUser {
  email: string;
  password: string;
  groups?: string[];
}

/** Creates the configured users that are missing (confirmed, email verified) and puts them in their groups. */
export async function ensureUsers(store: PoolStore, users: LocalUser[], now: () => number): Promise<void> {
  for (const local of users) {
    try {
      checkPasswordPolicy(local.password, store.doc.pool.passwordPolicy);
    } catch (error) {
      throw new Error(
        `startCognito: cannot set up local user ${local.email}: ${(error as Error).name}: ${(error as Error).message}`,
      );
    }
    const existing = findUser(store.doc, local.email);
    const missingGroups = (local.groups ?? []).filter(
      (group) => !existing || !store.doc.groups[group]?.members.includes(existing.username),
    );
    if (existing && missingGroups.length === 0) continue;
    await store.update((draft) => {
      let user = existing ? draft.users[existing.username] : undefined;
      if (!user) {
        const username = newUsername();
        user = {
          username,
          attributes: { sub: username, email: local.email, email_verified: 'true' },
          status: 'CONFIRMED',
          enabled: true,
          password: passwordFor(draft, username, local.password),
          createdAt: now(),
          updatedAt: now(),
        };
        draft.users[username] = user;
      }
      for (const name of missingGroups) {
        const group: StoredGroup = (draft.groups[name] ??= {
          name,
          createdAt: now(),
          updatedAt: now(),
          members: [],
        });
        if (!group.members.includes(user.username)) group.members.push(user.username);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The earlier local pool kept its data with cognito-local (`db/<poolId>.json`, `db/clients.json`, plain-text
// passwords). Imported once, keeping the pool id, client id, usernames and subs, so every user keeps their data.

interface LegacyUser {
  Username: string;
  Password?: string;
  Attributes?: Array<{ Name: string; Value?: string }>;
  UserStatus?: string;
  Enabled?: boolean;
  UserCreateDate?: string;
  UserLastModifiedDate?: string;
}

async function importCognitoLocal(folder: string, now: number): Promise<void> {
  const db = path.join(folder, 'db');
  const readJson = async (file: string): Promise<Record<string, unknown>> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(
        `Cannot import the earlier local user pool: ${file} is unreadable (${(error as Error).message}). Restore it, ` +
          `or delete ${folder} to start over with an empty pool.`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file} is not a cognito-local data file`);
    return parsed as Record<string, unknown>;
  };
  const clients = Object.values(
    ((await readJson(path.join(db, 'clients.json'))).Clients ?? {}) as Record<string, Record<string, unknown>>,
  );
  const client = clients.find((candidate) => candidate.ClientName === CLIENT_NAME);
  if (!client || typeof client.ClientId !== 'string' || typeof client.UserPoolId !== 'string') {
    throw new Error(
      `Cannot import the earlier local user pool: ${path.join(db, 'clients.json')} has no ${CLIENT_NAME}`,
    );
  }
  const poolId = client.UserPoolId;
  const legacy = await readJson(path.join(db, `${poolId}.json`));
  const doc: PoolDocument = {
    format: 'appsync-local-user-pool',
    version: 1,
    pool: { id: poolId, name: POOL_NAME, createdAt: now, passwordPolicy: PASSWORD_POLICY },
    client: { ...clientFor({}), id: client.ClientId },
    users: {},
    groups: {},
    revokedSessions: {},
    retiredRefreshTokens: {},
  };
  const poolName = poolId.split('_')[1] ?? poolId;
  for (const user of Object.values((legacy.Users ?? {}) as Record<string, LegacyUser>)) {
    const attributes = Object.fromEntries(
      (user.Attributes ?? []).flatMap(({ Name, Value }) => (Value === undefined ? [] : [[Name, Value]])),
    );
    if (typeof attributes.sub !== 'string') continue;
    const status: UserStatus =
      (['UNCONFIRMED', 'CONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED'] as const).find(
        (known) => known === user.UserStatus,
      ) ?? 'CONFIRMED';
    const stored: StoredUser = {
      username: user.Username,
      attributes,
      status,
      enabled: user.Enabled !== false,
      // No password: a user that cannot sign in until an administrator sets one.
      password: createPasswordVerifier(poolName, user.Username, user.Password ?? randomBytes(32).toString('hex')),
      createdAt: Date.parse(user.UserCreateDate ?? '') || now,
      updatedAt: Date.parse(user.UserLastModifiedDate ?? '') || now,
    };
    doc.users[user.Username] = stored;
  }
  for (const group of Object.values((legacy.Groups ?? {}) as Record<string, Record<string, unknown>>)) {
    if (typeof group.GroupName !== 'string') continue;
    doc.groups[group.GroupName] = {
      name: group.GroupName,
      createdAt: now,
      updatedAt: now,
      members: Array.isArray(group.members) ? group.members.filter((m): m is string => typeof m === 'string') : [],
      ...(typeof group.Precedence === 'number' ? { precedence: group.Precedence } : {}),
      ...(typeof group.Description === 'string' ? { description: group.Description } : {}),
    };
  }
  // Keys first: a pool file is only ever written next to the keys its tokens need.
  if (!(await readdir(folder)).includes(KEYS_FILE)) {
    await writeFileAtomic(path.join(folder, KEYS_FILE), await newKeysFile(), { mode: 0o600 });
  }
  await writeFileAtomic(path.join(folder, POOL_FILE), `${JSON.stringify(doc, null, 1)}\n`, { mode: 0o600 });
}
