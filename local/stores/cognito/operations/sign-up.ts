// SignUp, ConfirmSignUp, ResendConfirmationCode: self-service sign-up with an email address as username. The code
// that Cognito would email goes to the pool's message sink (the server log by default), valid 24 hours.
import { isEmailAddress, maskedEmail, readAttributes } from '../attributes';
import {
  checkClientId,
  checkPasswordPolicy,
  findUser,
  newConfirmationCode,
  newUsername,
  passwordFor,
  requireStrings,
  type ApiRequest,
  type PoolContext,
} from '../context';
import { CognitoError, invalidParameter, notAuthorized } from '../errors';
import type { StoredUser } from '../model';

const SIGN_UP_CODE_VALIDITY_MS = 24 * 60 * 60 * 1000;

export const CODE_MISMATCH = () =>
  new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
export const CODE_EXPIRED = () =>
  new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');

export function emailDelivery(email: string) {
  return { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: maskedEmail(email) };
}

export async function signUp(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['ClientId', 'Username', 'Password']);
  checkClientId(ctx, request.ClientId as string);
  const email = request.Username as string;
  const password = request.Password as string;
  // The pool signs in by email: the username must be one, and is the user's email attribute.
  if (!isEmailAddress(email)) throw invalidParameter('Username should be an email.');
  const attributes = readAttributes(request.UserAttributes, 'client');
  if (attributes.email !== undefined && attributes.email.toLowerCase() !== email.toLowerCase()) {
    throw invalidParameter('Username should be an email.');
  }
  checkPasswordPolicy(password, ctx.store.doc.pool.passwordPolicy);
  if (findUser(ctx.store.doc, email)) {
    throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
  }

  const now = ctx.now();
  const username = newUsername();
  const code = newConfirmationCode();
  const user: StoredUser = {
    username,
    attributes: { ...attributes, email, email_verified: 'false', sub: username },
    status: 'UNCONFIRMED',
    enabled: true,
    password: passwordFor(ctx.store.doc, username, password),
    createdAt: now,
    updatedAt: now,
    signUpCode: { code, expiresAt: now + SIGN_UP_CODE_VALIDITY_MS },
  };
  // Only once the user is on disk is the sign-up acknowledged, and the code sent.
  await ctx.store.update((doc) => {
    if (findUser(doc, email)) {
      throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
    }
    doc.users[username] = user;
  });
  ctx.deliver({ kind: 'SignUp', destination: email, code });
  return { UserConfirmed: false, UserSub: username, CodeDeliveryDetails: emailDelivery(email) };
}

export async function confirmSignUp(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['ClientId', 'Username', 'ConfirmationCode']);
  checkClientId(ctx, request.ClientId as string);
  const user = findUser(ctx.store.doc, request.Username as string);
  if (!user) {
    // With user existence errors prevented, an unknown user looks like a wrong code.
    if (ctx.store.doc.client.preventUserExistenceErrors) throw CODE_MISMATCH();
    throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
  }
  if (user.status !== 'UNCONFIRMED') {
    throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  }
  const expected = user.signUpCode;
  if (!expected || expected.code !== request.ConfirmationCode) throw CODE_MISMATCH();
  if (expected.expiresAt <= ctx.now()) throw CODE_EXPIRED();
  await ctx.store.update((doc) => {
    const stored = doc.users[user.username];
    stored.status = 'CONFIRMED';
    // The code went to the email address: confirming it verifies that address.
    stored.attributes.email_verified = 'true';
    stored.updatedAt = ctx.now();
    delete stored.signUpCode;
  });
  return {};
}

export async function resendConfirmationCode(ctx: PoolContext, request: ApiRequest) {
  requireStrings(request, ['ClientId', 'Username']);
  checkClientId(ctx, request.ClientId as string);
  const name = request.Username as string;
  const user = findUser(ctx.store.doc, name);
  if (!user) {
    // Prevented existence errors: answer as if a code went out, and send nothing.
    if (ctx.store.doc.client.preventUserExistenceErrors && isEmailAddress(name)) {
      return { CodeDeliveryDetails: emailDelivery(name) };
    }
    throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
  }
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
  const code = newConfirmationCode();
  await ctx.store.update((doc) => {
    doc.users[user.username].signUpCode = { code, expiresAt: ctx.now() + SIGN_UP_CODE_VALIDITY_MS };
  });
  const email = user.attributes.email;
  ctx.deliver({ kind: 'ResendCode', destination: email, code });
  return { CodeDeliveryDetails: emailDelivery(email) };
}
