// Sign-up, confirmation, password reset and profile changes on the local pool, with the codes it would email, and
// the attributes nobody may set for themselves (issue 8: SignUp with someone else's `sub` took over their account).
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  confirmForgotPassword,
  confirmSignUp,
  forgotPassword,
  resendSignUpCode,
  signIn,
  signUp,
} from '../../../client/src/auth';
import { startTestPool, type TestPool } from '../../helpers/cognito-pool';

const alice = { email: 'alice@example.com', password: 'Alice-pass-1' };

let pool: TestPool;
let aliceSub: string;

beforeAll(async () => {
  pool = await startTestPool({ users: [alice] });
  aliceSub = String(decodeJwt((await signIn(pool, alice.email, alice.password)).idToken).sub);
});

afterAll(async () => {
  await pool?.close();
});

let counter = 0;
const newEmail = () => `user${++counter}-${Date.now()}@example.com`;
const password = 'Good-pass-123';

async function signedUp(email = newEmail()) {
  await signUp(pool, email, password);
  await confirmSignUp(pool, email, pool.codeFor(email, 'SignUp'));
  return { email, tokens: await signIn(pool, email, password) };
}

describe('SignUp and ConfirmSignUp', () => {
  it('signs up unconfirmed, emails a code, confirms it, and signs in with a verified email', async () => {
    const email = newEmail();
    const result = await signUp(pool, email, password, { name: 'Dora' });
    expect(result.userConfirmed).toBe(false);
    expect(result.userSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.codeDestination).toMatch(/^u\*\*\*@e\*\*\*$/);
    const code = pool.codeFor(email, 'SignUp');
    expect(code).toMatch(/^\d{6}$/);
    await confirmSignUp(pool, email, code);
    const claims = decodeJwt((await signIn(pool, email, password)).idToken);
    expect(claims).toMatchObject({ sub: result.userSub, email, email_verified: true, name: 'Dora' });
  });

  it('refuses a wrong code, an expired code, and a second confirmation', async () => {
    const email = newEmail();
    await signUp(pool, email, password);
    await expect(confirmSignUp(pool, email, '000000')).rejects.toMatchObject({
      code: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
    const code = pool.codeFor(email, 'SignUp');
    pool.clock.advance(24 * 3600_000 + 1000);
    try {
      await expect(confirmSignUp(pool, email, code)).rejects.toMatchObject({
        code: 'ExpiredCodeException',
        message: 'Invalid code provided, please request a code again.',
      });
    } finally {
      pool.clock.advance(-(24 * 3600_000 + 1000));
    }
    await resendSignUpCode(pool, email);
    const fresh = pool.codeFor(email, 'ResendCode');
    await confirmSignUp(pool, email, fresh);
    await expect(confirmSignUp(pool, email, fresh)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });

  it('refuses a second sign-up with the same email, whatever its case', async () => {
    await expect(signUp(pool, 'ALICE@example.com', password)).rejects.toMatchObject({
      code: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
  });

  it('refuses a username that is not an email, and a password the policy does not allow', async () => {
    await expect(signUp(pool, 'dora', password)).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Username should be an email.',
    });
    await expect(signUp(pool, newEmail(), 'short-1A')).rejects.toMatchObject({
      code: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    await expect(signUp(pool, newEmail(), 'no-digits-here-A')).rejects.toMatchObject({
      message: 'Password did not conform with policy: Password must have numeric characters',
    });
  });

  it('answers an unknown user like a wrong code, and resends to nobody (existence errors prevented)', async () => {
    await expect(confirmSignUp(pool, 'nobody@example.com', '123456')).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
    const before = pool.messages.length;
    await expect(resendSignUpCode(pool, 'nobody@example.com')).resolves.toBeUndefined();
    expect(pool.messages.length).toBe(before);
  });
});

describe('attributes a client may not set', () => {
  // NotAuthorizedException "A client attempted to write unauthorized attribute" is Cognito's answer to SignUp with
  // email_verified (aws/aws-sdk-js#3603) and with a name outside the schema (aws-amplify/amplify-js#5345); sub is
  // never client-writable either.
  it.each([
    ['sub', () => aliceSub],
    ['email_verified', () => 'true'],
    ['phone_number_verified', () => 'true'],
    ['custom:role', () => 'admin'],
    ['phonenumber', () => '+15555550100'],
  ])('refuses SignUp with %s and creates no user', async (name, value) => {
    const email = newEmail();
    const error = await pool.refusal('SignUp', {
      ClientId: pool.clientId,
      Username: email,
      Password: password,
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: name, Value: value() },
      ],
    });
    expect(error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    await expect(signIn(pool, email, password)).rejects.toMatchObject({ message: 'Incorrect username or password.' });
  });

  it('never gives a new user the sub of another (the takeover of issue 8)', async () => {
    const { tokens } = await signedUp();
    expect(decodeJwt(tokens.idToken).sub).not.toBe(aliceSub);
  });

  // Recorded from AWS for UpdateUserAttributes with an access token (iampanupat/CS499-AlphanahBackend,
  // src/test/java/com/alphanah/alphanahbackend/old/AccountServiceUnitTest.java): InvalidParameterException
  // "Cannot modify the non-mutable attribute sub", "Attribute value for name must not be null", "Invalid email address
  // format.", AliasExistsException for another user's email, and "" removing an attribute.
  it('refuses UpdateUserAttributes of sub, a verified flag, a null value or a malformed email', async () => {
    const { tokens } = await signedUp();
    const update = (attributes: object[]) =>
      pool.refusal('UpdateUserAttributes', { AccessToken: tokens.accessToken, UserAttributes: attributes });
    await expect(update([{ Name: 'sub', Value: aliceSub }])).resolves.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Cannot modify the non-mutable attribute sub',
    });
    await expect(update([{ Name: 'email_verified', Value: 'true' }])).resolves.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    await expect(update([{ Name: 'name', Value: null }])).resolves.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Attribute value for name must not be null',
    });
    await expect(update([{ Name: 'email', Value: 'not-an-address' }])).resolves.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Invalid email address format.',
    });
    await expect(update([{ Name: 'email', Value: alice.email }])).resolves.toMatchObject({
      code: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
    // Nothing of the refused calls was applied.
    const { UserAttributes } = await pool.call<{ UserAttributes: Array<{ Name: string; Value: string }> }>('GetUser', {
      AccessToken: tokens.accessToken,
    });
    expect(UserAttributes.find((a) => a.Name === 'sub')?.Value).not.toBe(aliceSub);
  });

  it('updates and removes attributes a client may write', async () => {
    const { tokens } = await signedUp();
    await pool.call('UpdateUserAttributes', {
      AccessToken: tokens.accessToken,
      UserAttributes: [
        { Name: 'name', Value: 'Eve' },
        { Name: 'locale', Value: 'fr' },
      ],
    });
    await pool.call('UpdateUserAttributes', {
      AccessToken: tokens.accessToken,
      UserAttributes: [{ Name: 'locale', Value: '' }],
    });
    const { UserAttributes } = await pool.call<{ UserAttributes: Array<{ Name: string; Value: string }> }>('GetUser', {
      AccessToken: tokens.accessToken,
    });
    const attributes = Object.fromEntries(UserAttributes.map(({ Name, Value }) => [Name, Value]));
    expect(attributes).toMatchObject({ name: 'Eve', email_verified: 'true' });
    expect(attributes).not.toHaveProperty('locale');
    expect(UserAttributes[0].Name).toBe('sub');
  });

  // keepOriginal: email in the deployed pool (AttributesRequireVerificationBeforeUpdate): the new address takes
  // effect once its code is confirmed.
  it('keeps the old email until the new one is verified', async () => {
    const { email, tokens } = await signedUp();
    const next = newEmail();
    const answer = await pool.call<{ CodeDeliveryDetailsList: unknown[] }>('UpdateUserAttributes', {
      AccessToken: tokens.accessToken,
      UserAttributes: [{ Name: 'email', Value: next }],
    });
    expect(answer.CodeDeliveryDetailsList).toHaveLength(1);
    await expect(signIn(pool, email, password)).resolves.toHaveProperty('idToken');
    await pool.call('VerifyUserAttribute', {
      AccessToken: tokens.accessToken,
      AttributeName: 'email',
      Code: pool.codeFor(next, 'VerifyUserAttribute'),
    });
    const claims = decodeJwt((await signIn(pool, next, password)).idToken);
    expect(claims).toMatchObject({ email: next, email_verified: true });
    await expect(signIn(pool, email, password)).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });
});

describe('forgotten password', () => {
  it('emails a reset code, sets the new password with it, and refuses the old one', async () => {
    const { email } = await signedUp();
    await forgotPassword(pool, email);
    const code = pool.codeFor(email, 'ForgotPassword');
    await expect(confirmForgotPassword(pool, email, '000000', 'Newer-pass-123')).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
    await confirmForgotPassword(pool, email, code, 'Newer-pass-123');
    await expect(signIn(pool, email, 'Newer-pass-123')).resolves.toHaveProperty('idToken');
    await expect(signIn(pool, email, password)).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    // A code works once.
    await expect(confirmForgotPassword(pool, email, code, 'Other-pass-1234')).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
  });

  it('keeps sign-up and reset codes apart', async () => {
    const email = newEmail();
    await signUp(pool, email, password);
    const signUpCode = pool.codeFor(email, 'SignUp');
    // An unconfirmed user has no verified address to reset through.
    await expect(forgotPassword(pool, email)).rejects.toMatchObject({ code: 'InvalidParameterException' });
    await expect(confirmForgotPassword(pool, email, signUpCode, 'Newer-pass-123')).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
  });

  it('refuses a reset code after an hour', async () => {
    const { email } = await signedUp();
    await forgotPassword(pool, email);
    pool.clock.advance(3600_000 + 1000);
    try {
      await expect(
        confirmForgotPassword(pool, email, pool.codeFor(email, 'ForgotPassword'), 'Newer-pass-123'),
      ).rejects.toMatchObject({ code: 'ExpiredCodeException' });
    } finally {
      pool.clock.advance(-(3600_000 + 1000));
    }
  });

  it('answers an unknown user as if a code went out, sending none', async () => {
    const before = pool.messages.length;
    await expect(forgotPassword(pool, 'nobody@example.com')).resolves.toBeUndefined();
    expect(pool.messages.length).toBe(before);
  });

  it('changes a password with the access token and the old password', async () => {
    const { email, tokens } = await signedUp();
    await expect(
      pool.refusal('ChangePassword', {
        AccessToken: tokens.accessToken,
        PreviousPassword: 'Wrong-pass-123',
        ProposedPassword: 'Newest-pass-123',
      }),
    ).resolves.toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await pool.call('ChangePassword', {
      AccessToken: tokens.accessToken,
      PreviousPassword: password,
      ProposedPassword: 'Newest-pass-123',
    });
    await expect(signIn(pool, email, 'Newest-pass-123')).resolves.toHaveProperty('idToken');
  });
});

describe('access tokens the pool refuses', () => {
  it('refuses an ID token, an unsigned token and a token signed by another key', async () => {
    const { tokens } = await signedUp();
    const [header, payload] = tokens.accessToken.split('.');
    for (const token of [tokens.idToken, `${header}.${payload}.`, `${header}.${payload}.${'A'.repeat(342)}`]) {
      await expect(pool.refusal('GetUser', { AccessToken: token })).resolves.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Invalid Access Token',
      });
    }
  });

  it('refuses the token of a deleted user', async () => {
    const { tokens } = await signedUp();
    await pool.call('DeleteUser', { AccessToken: tokens.accessToken });
    await expect(pool.refusal('GetUser', { AccessToken: tokens.accessToken })).resolves.toMatchObject({
      code: 'UserNotFoundException',
    });
  });
});
