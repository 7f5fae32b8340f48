// The administrator's calls (IAM-signed: the server checks SigV4 against the data folder's credentials before any of
// these runs): users, groups, and descriptions of the one pool and app client.
import { randomInt } from 'node:crypto';
import { isEmailAddress, readAttributes } from '../attributes';
import {
  checkPasswordPolicy,
  checkPoolId,
  describeUser,
  epochSeconds,
  findUser,
  groupsOf,
  newUsername,
  optionalString,
  passwordFor,
  requireStrings,
  userNotFound,
  type ApiRequest,
  type PoolContext,
} from '../context';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors';
import type { PasswordPolicy, StoredGroup, StoredUser } from '../model';

function userOf(ctx: PoolContext, request: ApiRequest): StoredUser {
  requireStrings(request, ['UserPoolId', 'Username']);
  checkPoolId(ctx, request.UserPoolId as string);
  const user = findUser(ctx.store.doc, request.Username as string);
  if (!user) throw userNotFound();
  return user;
}

/** A temporary password the policy accepts, for AdminCreateUser without one. */
function temporaryPassword(policy: PasswordPolicy): string {
  const pick = (chars: string) => chars[randomInt(chars.length)];
  const parts = [
    pick('abcdefghijkmnopqrstuvwxyz'),
    pick('ABCDEFGHJKLMNPQRSTUVWXYZ'),
    pick('23456789'),
    pick('^$*.!@#%&'),
  ];
  const all = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  while (parts.length < Math.max(policy.minimumLength, 12)) parts.push(pick(all));
  return parts.join('');
}

export async function adminCreateUser(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['UserPoolId', 'Username']);
  checkPoolId(ctx, request.UserPoolId as string);
  const { doc } = ctx.store;
  const email = request.Username as string;
  if (!isEmailAddress(email)) throw invalidParameter('Username should be an email.');
  // Admins may set the verified flags, never sub: "Cannot modify the non-mutable attribute sub", AWS's answer to
  // UpdateUserAttributes with sub (see attributes.ts), which users also report from AdminCreateUser when restoring
  // users with their old sub.
  const attributes = readAttributes(request.UserAttributes, 'admin');
  if (attributes.email !== undefined && attributes.email.toLowerCase() !== email.toLowerCase()) {
    throw invalidParameter('Username should be an email.');
  }
  const action = optionalString(request, 'MessageAction');
  if (action !== undefined && action !== 'SUPPRESS' && action !== 'RESEND') {
    throw invalidParameter(
      `1 validation error detected: Value '${action}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]`,
    );
  }
  const existing = findUser(doc, email);
  if (action === 'RESEND') {
    if (!existing) throw userNotFound();
    if (existing.status !== 'FORCE_CHANGE_PASSWORD') {
      throw new CognitoError(
        'UnsupportedUserStateException',
        `Resend not possible. ${existing.username} status is not FORCE_CHANGE_PASSWORD.`,
      );
    }
  } else if (existing) {
    throw new CognitoError('UsernameExistsException', 'User account already exists');
  }
  const password = optionalString(request, 'TemporaryPassword') ?? temporaryPassword(doc.pool.passwordPolicy);
  checkPasswordPolicy(password, doc.pool.passwordPolicy);
  const now = ctx.now();
  const username = existing?.username ?? newUsername();
  const user = await ctx.store.update((draft) => {
    const stored: StoredUser = {
      ...(existing ? structuredClone(existing) : {}),
      username,
      attributes: existing ? { ...existing.attributes } : { ...attributes, email, sub: username },
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: existing?.enabled ?? true,
      password: passwordFor(draft, username, password),
      temporaryPasswordExpiresAt: now + draft.pool.passwordPolicy.temporaryPasswordValidityDays * 86_400_000,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    draft.users[username] = stored;
    return stored;
  });
  if (action !== 'SUPPRESS') ctx.deliver({ kind: 'AdminCreateUser', destination: email, code: password });
  return { User: describeUser(user) };
}

export async function adminGetUser(ctx: PoolContext, request: ApiRequest) {
  return describeUser(userOf(ctx, request), 'UserAttributes');
}

export async function adminDeleteUser(ctx: PoolContext, request: ApiRequest) {
  const user = userOf(ctx, request);
  await ctx.store.update((draft) => {
    delete draft.users[user.username];
    for (const group of Object.values(draft.groups)) group.members = group.members.filter((m) => m !== user.username);
  });
  return {};
}

export async function adminConfirmSignUp(ctx: PoolContext, request: ApiRequest) {
  const user = userOf(ctx, request);
  if (user.status !== 'UNCONFIRMED') {
    throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
  }
  await ctx.store.update((draft) => {
    const stored = draft.users[user.username];
    stored.status = 'CONFIRMED';
    delete stored.signUpCode;
    stored.updatedAt = ctx.now();
  });
  return {};
}

export async function adminUpdateUserAttributes(ctx: PoolContext, request: ApiRequest) {
  const user = userOf(ctx, request);
  const changes = readAttributes(request.UserAttributes, 'admin');
  if (changes.email !== undefined) {
    if (changes.email === '')
      throw invalidParameter('Attributes did not conform to the schema: email: The attribute is required');
    const holder = findUser(ctx.store.doc, changes.email);
    if (holder && holder.username !== user.username) {
      throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
    }
  }
  await ctx.store.update((draft) => {
    const stored = draft.users[user.username];
    for (const [name, value] of Object.entries(changes)) {
      if (value === '') delete stored.attributes[name];
      else stored.attributes[name] = value;
    }
    // A changed address is unverified unless the same call says otherwise.
    if (
      changes.email !== undefined &&
      changes.email_verified === undefined &&
      changes.email !== user.attributes.email
    ) {
      stored.attributes.email_verified = 'false';
    }
    stored.updatedAt = ctx.now();
  });
  return {};
}

async function setEnabled(ctx: PoolContext, request: ApiRequest, enabled: boolean) {
  const user = userOf(ctx, request);
  await ctx.store.update((draft) => {
    draft.users[user.username].enabled = enabled;
    draft.users[user.username].updatedAt = ctx.now();
  });
  return {};
}

export const adminDisableUser = (ctx: PoolContext, request: ApiRequest) => setEnabled(ctx, request, false);
export const adminEnableUser = (ctx: PoolContext, request: ApiRequest) => setEnabled(ctx, request, true);

/** Filters `attribute = "value"` and `attribute ^= "prefix"` on the attributes ListUsers can filter by. */
const FILTERABLE: Record<string, (user: StoredUser) => string | undefined> = {
  username: (user) => user.username,
  email: (user) => user.attributes.email,
  phone_number: (user) => user.attributes.phone_number,
  name: (user) => user.attributes.name,
  given_name: (user) => user.attributes.given_name,
  family_name: (user) => user.attributes.family_name,
  preferred_username: (user) => user.attributes.preferred_username,
  'cognito:user_status': (user) => user.status,
  status: (user) => (user.enabled ? 'Enabled' : 'Disabled'),
  sub: (user) => user.attributes.sub,
};

export async function listUsers(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['UserPoolId']);
  checkPoolId(ctx, request.UserPoolId as string);
  const filter = optionalString(request, 'Filter');
  let matches: (user: StoredUser) => boolean = () => true;
  if (filter !== undefined && filter.trim() !== '') {
    const parsed = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
    const read = parsed && FILTERABLE[parsed[1]];
    if (!parsed || !read) throw invalidParameter('Invalid search filter.');
    const [, , operator, value] = parsed;
    matches = (user) => {
      const actual = read(user);
      return actual !== undefined && (operator === '=' ? actual === value : actual.startsWith(value));
    };
  }
  const limit = request.Limit === undefined ? 60 : Number(request.Limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > 60) throw invalidParameter('Limit must be between 0 and 60.');
  const users = Object.values(ctx.store.doc.users)
    .filter(matches)
    .sort((a, b) => a.createdAt - b.createdAt || a.username.localeCompare(b.username));
  const start = Number(optionalString(request, 'PaginationToken') ?? '0');
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid pagination token.');
  const page = users.slice(start, start + limit);
  return {
    Users: page.map((user) => describeUser(user)),
    ...(start + limit < users.length ? { PaginationToken: String(start + limit) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Groups.

function describeGroup(ctx: PoolContext, group: StoredGroup) {
  return {
    GroupName: group.name,
    UserPoolId: ctx.store.doc.pool.id,
    ...(group.description !== undefined ? { Description: group.description } : {}),
    ...(group.precedence !== undefined ? { Precedence: group.precedence } : {}),
    CreationDate: epochSeconds(group.createdAt),
    LastModifiedDate: epochSeconds(group.updatedAt),
  };
}

function groupOf(ctx: PoolContext, request: ApiRequest): StoredGroup {
  requireStrings(request, ['UserPoolId', 'GroupName']);
  checkPoolId(ctx, request.UserPoolId as string);
  const group = ctx.store.doc.groups[request.GroupName as string];
  if (!group) throw resourceNotFound('Group not found.');
  return group;
}

export async function createGroup(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['UserPoolId', 'GroupName']);
  checkPoolId(ctx, request.UserPoolId as string);
  const name = request.GroupName as string;
  if (ctx.store.doc.groups[name])
    throw new CognitoError('GroupExistsException', 'A group with the name already exists.');
  const precedence = request.Precedence === undefined ? undefined : Number(request.Precedence);
  const now = ctx.now();
  const group = await ctx.store.update((draft) => {
    const created: StoredGroup = {
      name,
      ...(typeof request.Description === 'string' ? { description: request.Description } : {}),
      ...(precedence !== undefined && Number.isInteger(precedence) ? { precedence } : {}),
      createdAt: now,
      updatedAt: now,
      members: [],
    };
    draft.groups[name] = created;
    return created;
  });
  return { Group: describeGroup(ctx, group) };
}

export async function getGroup(ctx: PoolContext, request: ApiRequest) {
  return { Group: describeGroup(ctx, groupOf(ctx, request)) };
}

export async function listGroups(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['UserPoolId']);
  checkPoolId(ctx, request.UserPoolId as string);
  return { Groups: Object.values(ctx.store.doc.groups).map((group) => describeGroup(ctx, group)) };
}

export async function deleteGroup(ctx: PoolContext, request: ApiRequest) {
  const group = groupOf(ctx, request);
  await ctx.store.update((draft) => {
    delete draft.groups[group.name];
  });
  return {};
}

export async function adminAddUserToGroup(ctx: PoolContext, request: ApiRequest) {
  const group = groupOf(ctx, request);
  const user = userOf(ctx, request);
  if (!group.members.includes(user.username)) {
    await ctx.store.update((draft) => {
      draft.groups[group.name].members.push(user.username);
      draft.groups[group.name].updatedAt = ctx.now();
    });
  }
  return {};
}

export async function adminRemoveUserFromGroup(ctx: PoolContext, request: ApiRequest) {
  const group = groupOf(ctx, request);
  const user = userOf(ctx, request);
  await ctx.store.update((draft) => {
    draft.groups[group.name].members = draft.groups[group.name].members.filter((m) => m !== user.username);
    draft.groups[group.name].updatedAt = ctx.now();
  });
  return {};
}

export async function adminListGroupsForUser(ctx: PoolContext, request: ApiRequest) {
  const user = userOf(ctx, request);
  const { doc } = ctx.store;
  return { Groups: groupsOf(doc, user.username).map((name) => describeGroup(ctx, doc.groups[name])) };
}

export async function listUsersInGroup(ctx: PoolContext, request: ApiRequest) {
  const group = groupOf(ctx, request);
  const { doc } = ctx.store;
  return { Users: group.members.flatMap((name) => (doc.users[name] ? [describeUser(doc.users[name])] : [])) };
}

// ---------------------------------------------------------------------------------------------------------------
// The pool and its client.

export async function describeUserPool(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['UserPoolId']);
  checkPoolId(ctx, request.UserPoolId as string);
  const { pool, users } = ctx.store.doc;
  const policy = pool.passwordPolicy;
  return {
    UserPool: {
      Id: pool.id,
      Name: pool.name,
      Arn: `arn:aws:cognito-idp:${pool.id.split('_')[0]}:000000000000:userpool/${pool.id}`,
      CreationDate: epochSeconds(pool.createdAt),
      LastModifiedDate: epochSeconds(pool.createdAt),
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      Policies: {
        PasswordPolicy: {
          MinimumLength: policy.minimumLength,
          RequireUppercase: policy.requireUppercase,
          RequireLowercase: policy.requireLowercase,
          RequireNumbers: policy.requireNumbers,
          RequireSymbols: policy.requireSymbols,
          TemporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
        },
      },
      MfaConfiguration: 'OFF',
      EstimatedNumberOfUsers: Object.keys(users).length,
      UsernameConfiguration: { CaseSensitive: false },
    },
  };
}

function describeClient(ctx: PoolContext) {
  const { pool, client } = ctx.store.doc;
  return {
    UserPoolId: pool.id,
    ClientName: client.name,
    ClientId: client.id,
    ExplicitAuthFlows: client.explicitAuthFlows,
    IdTokenValidity: client.idTokenValiditySeconds,
    AccessTokenValidity: client.accessTokenValiditySeconds,
    RefreshTokenValidity: client.refreshTokenValiditySeconds,
    TokenValidityUnits: { IdToken: 'seconds', AccessToken: 'seconds', RefreshToken: 'seconds' },
    AuthSessionValidity: Math.round(client.authSessionValiditySeconds / 60),
    PreventUserExistenceErrors: client.preventUserExistenceErrors ? 'ENABLED' : 'LEGACY',
    EnableTokenRevocation: true,
    RefreshTokenRotation: {
      Feature: client.refreshTokenRotation.enabled ? 'ENABLED' : 'DISABLED',
      RetryGracePeriodSeconds: client.refreshTokenRotation.retryGracePeriodSeconds,
    },
  };
}

export async function describeUserPoolClient(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['UserPoolId', 'ClientId']);
  checkPoolId(ctx, request.UserPoolId as string);
  if (request.ClientId !== ctx.store.doc.client.id) {
    throw resourceNotFound(`User pool client ${String(request.ClientId)} does not exist.`);
  }
  return { UserPoolClient: describeClient(ctx) };
}

export async function listUserPoolClients(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['UserPoolId']);
  checkPoolId(ctx, request.UserPoolId as string);
  const { pool, client } = ctx.store.doc;
  return { UserPoolClients: [{ ClientId: client.id, UserPoolId: pool.id, ClientName: client.name }] };
}

export async function listUserPools(ctx: PoolContext) {
  const { pool } = ctx.store.doc;
  return {
    UserPools: [
      {
        Id: pool.id,
        Name: pool.name,
        CreationDate: epochSeconds(pool.createdAt),
        LastModifiedDate: epochSeconds(pool.createdAt),
      },
    ],
  };
}
