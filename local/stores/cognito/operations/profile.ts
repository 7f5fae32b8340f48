// What a signed-in user does with their own access token: GetUser, UpdateUserAttributes, VerifyUserAttribute,
// DeleteUser. A new email address waits until it is verified, as in the deployed pool (keepOriginal: email,
// Cognito's AttributesRequireVerificationBeforeUpdate): the old address stays the one to sign in with until then.
import { readAttributes } from '../attributes';
import {
  authenticate,
  describeUser,
  findUser,
  newConfirmationCode,
  requireStrings,
  type ApiRequest,
  type PoolContext,
} from '../context';
import { CognitoError, invalidParameter } from '../errors';
import { CODE_EXPIRED, CODE_MISMATCH, emailDelivery } from './sign-up';

const VERIFICATION_CODE_VALIDITY_MS = 24 * 60 * 60 * 1000;

export async function getUser(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['AccessToken']);
  const user = await authenticate(ctx, request.AccessToken as string);
  const { Username, UserAttributes } = describeUser(user, 'UserAttributes');
  return { Username, UserAttributes };
}

export async function updateUserAttributes(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['AccessToken']);
  if (!Array.isArray(request.UserAttributes)) {
    throw invalidParameter(
      "1 validation error detected: Value null at 'userAttributes' failed to satisfy constraint: Member must not be null",
    );
  }
  const user = await authenticate(ctx, request.AccessToken as string);
  // Cognito answers sub with "Cannot modify the non-mutable attribute sub" here, before the client's write rules.
  const changes = readAttributes(request.UserAttributes, 'client', { checkSubFirst: true });
  const { email, ...others } = changes;
  if (email === '')
    throw invalidParameter('Attributes did not conform to the schema: email: The attribute is required');
  const newEmail =
    email !== undefined && email.toLowerCase() !== user.attributes.email?.toLowerCase() ? email : undefined;
  if (newEmail) {
    const holder = findUser(ctx.store.doc, newEmail);
    if (holder && holder.username !== user.username) {
      // Recorded from AWS (iampanupat/CS499-AlphanahBackend AccountServiceUnitTest).
      throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
    }
  }
  const code = newConfirmationCode();
  await ctx.store.update((draft) => {
    const stored = draft.users[user.username];
    for (const [name, value] of Object.entries(others)) {
      // An empty value removes the attribute (same source).
      if (value === '') delete stored.attributes[name];
      else stored.attributes[name] = value;
    }
    if (newEmail) stored.pendingEmail = { value: newEmail, code, expiresAt: ctx.now() + VERIFICATION_CODE_VALIDITY_MS };
    stored.updatedAt = ctx.now();
  });
  if (!newEmail) return { CodeDeliveryDetailsList: [] };
  ctx.deliver({ kind: 'VerifyUserAttribute', destination: newEmail, code });
  return { CodeDeliveryDetailsList: [emailDelivery(newEmail)] };
}

export async function verifyUserAttribute(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['AccessToken', 'AttributeName', 'Code']);
  const user = await authenticate(ctx, request.AccessToken as string);
  if (request.AttributeName !== 'email')
    throw invalidParameter(`There is no ${String(request.AttributeName)} to verify.`);
  const pending = user.pendingEmail;
  if (!pending) {
    if (user.attributes.email_verified === 'true') return {};
    throw CODE_MISMATCH();
  }
  if (pending.code !== request.Code) throw CODE_MISMATCH();
  if (pending.expiresAt <= ctx.now()) throw CODE_EXPIRED();
  const holder = findUser(ctx.store.doc, pending.value);
  if (holder && holder.username !== user.username) {
    throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
  }
  await ctx.store.update((draft) => {
    const stored = draft.users[user.username];
    stored.attributes.email = pending.value;
    stored.attributes.email_verified = 'true';
    delete stored.pendingEmail;
    stored.updatedAt = ctx.now();
  });
  return {};
}

export async function deleteUser(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['AccessToken']);
  const user = await authenticate(ctx, request.AccessToken as string);
  await ctx.store.update((draft) => {
    delete draft.users[user.username];
    for (const group of Object.values(draft.groups)) group.members = group.members.filter((m) => m !== user.username);
  });
  return {};
}
