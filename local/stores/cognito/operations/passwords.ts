// ForgotPassword, ConfirmForgotPassword, ChangePassword, AdminSetUserPassword. Reset codes go to the message sink
// (the server log by default) and are valid one hour, separate from sign-up codes.
import { isEmailAddress } from '../attributes';
import {
  authenticate,
  checkClientId,
  checkPasswordPolicy,
  checkPoolId,
  findUser,
  newConfirmationCode,
  passwordFor,
  passwordMatches,
  requireStrings,
  userNotFound,
  type ApiRequest,
  type PoolContext,
} from '../context';
import { INCORRECT_CREDENTIALS, invalidParameter, notAuthorized } from '../errors';
import { CODE_EXPIRED, CODE_MISMATCH, emailDelivery } from './sign-up';

const RESET_CODE_VALIDITY_MS = 60 * 60 * 1000;

export async function forgotPassword(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['ClientId', 'Username']);
  checkClientId(ctx, request.ClientId as string);
  const name = request.Username as string;
  const user = findUser(ctx.store.doc, name);
  if (!user) {
    // Prevented existence errors: answer as if a code went out, and send nothing.
    if (ctx.store.doc.client.preventUserExistenceErrors && isEmailAddress(name)) {
      return { CodeDeliveryDetails: emailDelivery(name) };
    }
    throw userNotFound();
  }
  if (!user.enabled) throw notAuthorized('User is disabled.');
  const email = user.attributes.email;
  if (!email || user.attributes.email_verified !== 'true') {
    throw invalidParameter(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  }
  const code = newConfirmationCode();
  await ctx.store.update((doc) => {
    doc.users[user.username].passwordResetCode = { code, expiresAt: ctx.now() + RESET_CODE_VALIDITY_MS };
  });
  ctx.deliver({ kind: 'ForgotPassword', destination: email, code });
  return { CodeDeliveryDetails: emailDelivery(email) };
}

export async function confirmForgotPassword(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['ClientId', 'Username', 'ConfirmationCode', 'Password']);
  checkClientId(ctx, request.ClientId as string);
  const { doc } = ctx.store;
  const user = findUser(doc, request.Username as string);
  if (!user) {
    if (doc.client.preventUserExistenceErrors) throw CODE_MISMATCH();
    throw userNotFound();
  }
  const expected = user.passwordResetCode;
  if (!expected || expected.code !== request.ConfirmationCode) throw CODE_MISMATCH();
  if (expected.expiresAt <= ctx.now()) throw CODE_EXPIRED();
  const password = request.Password as string;
  checkPasswordPolicy(password, doc.pool.passwordPolicy);
  await ctx.store.update((draft) => {
    const stored = draft.users[user.username];
    stored.password = passwordFor(draft, user.username, password);
    delete stored.passwordResetCode;
    delete stored.temporaryPasswordExpiresAt;
    if (stored.status === 'RESET_REQUIRED' || stored.status === 'FORCE_CHANGE_PASSWORD') stored.status = 'CONFIRMED';
    stored.updatedAt = ctx.now();
  });
  return {};
}

export async function changePassword(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['AccessToken', 'PreviousPassword', 'ProposedPassword']);
  const user = await authenticate(ctx, request.AccessToken as string);
  const { doc } = ctx.store;
  if (!passwordMatches(doc, user, request.PreviousPassword as string)) throw notAuthorized(INCORRECT_CREDENTIALS);
  const proposed = request.ProposedPassword as string;
  checkPasswordPolicy(proposed, doc.pool.passwordPolicy);
  await ctx.store.update((draft) => {
    const stored = draft.users[user.username];
    stored.password = passwordFor(draft, user.username, proposed);
    stored.updatedAt = ctx.now();
  });
  return {};
}

export async function adminSetUserPassword(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['UserPoolId', 'Username', 'Password']);
  checkPoolId(ctx, request.UserPoolId as string);
  const { doc } = ctx.store;
  const user = findUser(doc, request.Username as string);
  if (!user) throw userNotFound();
  const password = request.Password as string;
  checkPasswordPolicy(password, doc.pool.passwordPolicy);
  const permanent = request.Permanent === true;
  await ctx.store.update((draft) => {
    const stored = draft.users[user.username];
    stored.password = passwordFor(draft, user.username, password);
    stored.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    if (permanent) delete stored.temporaryPasswordExpiresAt;
    else
      stored.temporaryPasswordExpiresAt =
        ctx.now() + draft.pool.passwordPolicy.temporaryPasswordValidityDays * 86_400_000;
    stored.updatedAt = ctx.now();
  });
  return {};
}
