// The administrator's calls on the local pool, made with the AWS SDK's Cognito client signing with the data folder's
// credentials: accepted only with a valid SigV4 signature (issue 8: `Signature=00` used to reset a victim's password),
// then answered as Cognito answers them.
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  DescribeUserPoolClientCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp } from '../../../client/src/auth';
import { generateLocalCredentials } from '../../../local/server/credentials';
import { startTestPool, type TestPool } from '../../helpers/cognito-pool';
import { createConfirmedUser, deleteUser } from '../../e2e/helpers/users';

const alice = { email: 'alice@example.com', password: 'Alice-pass-1' };

let pool: TestPool;

beforeAll(async () => {
  pool = await startTestPool({ users: [alice] });
});

afterAll(async () => {
  await pool?.close();
});

async function refusal(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!error) throw new Error('the call was not refused');
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

describe('IAM-signed calls', () => {
  const setPassword = () =>
    new AdminSetUserPasswordCommand({
      UserPoolId: pool.userPoolId,
      Username: alice.email,
      Password: 'Taken-over-123',
      Permanent: true,
    });

  it('are refused unsigned, with a forged signature, or signed with another key pair', async () => {
    const raw = (authorization?: string) =>
      fetch(pool.cognito.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.AdminSetUserPassword',
          ...(authorization ? { authorization, 'x-amz-date': '20260101T000000Z' } : {}),
        },
        body: JSON.stringify({
          UserPoolId: pool.userPoolId,
          Username: alice.email,
          Password: 'Taken-over-123',
          Permanent: true,
        }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as { __type: string } }));
    expect(await raw()).toEqual({
      status: 400,
      body: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
    });
    // The probe of issue 8: a plausible header with a meaningless signature.
    const forged = `AWS4-HMAC-SHA256 Credential=${pool.credentials.accessKeyId}/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00`;
    expect((await raw(forged)).body.__type).toMatch(/^InvalidSignatureException$/);

    const stranger = new CognitoIdentityProviderClient({
      endpoint: pool.endpoint,
      region: 'us-east-1',
      credentials: generateLocalCredentials(),
      maxAttempts: 1,
    });
    expect(await refusal(stranger.send(setPassword()))).toMatchObject({
      name: 'UnrecognizedClientException',
      status: 400,
    });
    const wrongSecret = new CognitoIdentityProviderClient({
      endpoint: pool.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: pool.credentials.accessKeyId,
        secretAccessKey: generateLocalCredentials().secretAccessKey,
      },
      maxAttempts: 1,
    });
    expect(await refusal(wrongSecret.send(setPassword()))).toMatchObject({
      name: 'InvalidSignatureException',
      status: 400,
    });
    stranger.destroy();
    wrongSecret.destroy();

    // Alice's password is untouched.
    await expect(signIn(pool, alice.email, alice.password)).resolves.toHaveProperty('idToken');
  });

  it('are answered when signed with the data folder credentials', async () => {
    const user = await pool.admin.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: alice.email }));
    expect(user).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED' });
    expect(user.UserCreateDate).toBeInstanceOf(Date);
    expect(user.UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe(alice.email);
  });

  it('name a pool that exists', async () => {
    expect(
      await refusal(
        pool.admin.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_nothere00', Username: alice.email })),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: 'User pool us-east-1_nothere00 does not exist.' });
  });
});

describe('admin user management', () => {
  // AdminCreateUser with sub is refused with "Cannot modify the non-mutable attribute sub" (the message AWS gives for
  // sub on an update; see cognito-sign-up.test.ts); admins may set email_verified.
  it('refuses AdminCreateUser and AdminUpdateUserAttributes with sub', async () => {
    const aliceSub = String(decodeJwt((await signIn(pool, alice.email, alice.password)).idToken).sub);
    expect(
      await refusal(
        pool.admin.send(
          new AdminCreateUserCommand({
            UserPoolId: pool.userPoolId,
            Username: 'mallory@example.com',
            UserAttributes: [{ Name: 'sub', Value: aliceSub }],
            MessageAction: 'SUPPRESS',
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException', message: 'Cannot modify the non-mutable attribute sub' });
    expect(
      await refusal(
        pool.admin.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: pool.userPoolId,
            Username: alice.email,
            UserAttributes: [{ Name: 'sub', Value: 'another' }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException', message: 'Cannot modify the non-mutable attribute sub' });
  });

  it('creates a user with a temporary password sent by email, or suppressed', async () => {
    const created = await pool.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: 'gus@example.com',
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(created.User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    const temporary = pool.codeFor('gus@example.com', 'AdminCreateUser');
    await expect(signIn(pool, 'gus@example.com', temporary)).rejects.toMatchObject({
      challengeName: 'NEW_PASSWORD_REQUIRED',
    });
    expect(
      await refusal(
        pool.admin.send(
          new AdminCreateUserCommand({
            UserPoolId: pool.userPoolId,
            Username: 'gus@example.com',
            MessageAction: 'SUPPRESS',
          }),
        ),
      ),
    ).toMatchObject({ name: 'UsernameExistsException' });
  });

  it('confirms a sign-up, lists and filters users, and manages groups', async () => {
    await signUp(pool, 'hal@example.com', 'Hal-pass-12345');
    await pool.admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.userPoolId, Username: 'hal@example.com' }));
    await expect(signIn(pool, 'hal@example.com', 'Hal-pass-12345')).resolves.toHaveProperty('idToken');

    const listed = await pool.admin.send(
      new ListUsersCommand({ UserPoolId: pool.userPoolId, Filter: 'email = "hal@example.com"' }),
    );
    expect(listed.Users?.map((user) => user.Attributes?.find((a) => a.Name === 'email')?.Value)).toEqual([
      'hal@example.com',
    ]);
    const prefixed = await pool.admin.send(
      new ListUsersCommand({ UserPoolId: pool.userPoolId, Filter: 'email ^= "ha"' }),
    );
    expect(prefixed.Users).toHaveLength(1);

    await pool.admin.send(new CreateGroupCommand({ UserPoolId: pool.userPoolId, GroupName: 'staff', Precedence: 1 }));
    await pool.admin.send(
      new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: 'hal@example.com', GroupName: 'staff' }),
    );
    const groups = await pool.admin.send(
      new AdminListGroupsForUserCommand({ UserPoolId: pool.userPoolId, Username: 'hal@example.com' }),
    );
    expect(groups.Groups?.map((group) => group.GroupName)).toEqual(['staff']);
    expect(decodeJwt((await signIn(pool, 'hal@example.com', 'Hal-pass-12345')).idToken)['cognito:groups']).toEqual([
      'staff',
    ]);
  });

  it('describes the app client as the deployed one is configured', async () => {
    const { UserPoolClient } = await pool.admin.send(
      new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId }),
    );
    expect(UserPoolClient).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('deletes a user, whose tokens the pool then refuses', async () => {
    const { accessToken } = await signIn(pool, 'hal@example.com', 'Hal-pass-12345');
    await pool.admin.send(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: 'hal@example.com' }));
    await expect(pool.refusal('GetUser', { AccessToken: accessToken })).resolves.toMatchObject({
      code: 'UserNotFoundException',
    });
    expect(
      await refusal(
        pool.admin.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: 'hal@example.com' })),
      ),
    ).toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });
});

describe('the admin helpers of the test suites (npm run test:deployed uses them on AWS)', () => {
  it('create a confirmed user who signs in with SRP, and delete it', async () => {
    const user = await createConfirmedUser(pool.admin, pool.userPoolId, { email: 'e2e-user@example.com' });
    expect(user.password.length).toBeGreaterThanOrEqual(20);
    const { idToken } = await signIn(pool, user.email, user.password);
    expect(decodeJwt(idToken)).toMatchObject({ email: user.email, email_verified: true });
    await deleteUser(pool.admin, pool.userPoolId, user.email);
    await expect(signIn(pool, user.email, user.password)).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });
});
