// Sign-in to the local pool as Cognito answers it: USER_SRP_AUTH and its PASSWORD_VERIFIER challenge (with our
// browser client and with amazon-cognito-identity-js, unchanged), USER_PASSWORD_AUTH, NEW_PASSWORD_REQUIRED, every
// refusal, and the tokens' claims.
import { AdminCreateUserCommand, AdminDisableUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChallengeRequiredError, signIn, signUp, startSrp, srpTimestamp } from '../../../client/src/auth';
import { startTestPool, type TestPool } from '../../helpers/cognito-pool';

const alice = { email: 'alice@example.com', password: 'Alice-pass-1', groups: ['admins', 'editors'] };
const carol = { email: 'carol@example.com', password: 'Carol-pass-1' };

let pool: TestPool;

beforeAll(async () => {
  pool = await startTestPool({ users: [alice, carol] });
});

afterAll(async () => {
  await pool?.close();
});

/** InitiateAuth USER_SRP_AUTH: the challenge and the SRP session that answers it. */
async function passwordVerifier(username: string) {
  const srp = startSrp(pool.userPoolId);
  const answer = await pool.call<{
    ChallengeName: string;
    ChallengeParameters: Record<string, string>;
    Session?: string;
  }>('InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: username, SRP_A: srp.A },
  });
  return { srp, answer };
}

async function claimFor(username: string, password: string, at?: Date | string) {
  const { srp, answer } = await passwordVerifier(username);
  const parameters = answer.ChallengeParameters as {
    SALT: string;
    SRP_B: string;
    SECRET_BLOCK: string;
    USER_ID_FOR_SRP: string;
  };
  return { claim: await srp.passwordClaim(password, parameters, at), parameters };
}

function respond(challengeResponses: object) {
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ClientId: pool.clientId,
    ChallengeResponses: challengeResponses,
  };
}

describe('USER_SRP_AUTH', () => {
  // Measured on AWS (ministackorg/ministack#1758): the challenge names the internal username (a UUID for an email
  // pool) in USER_ID_FOR_SRP and USERNAME, and comes without a Session.
  it('answers with the PASSWORD_VERIFIER challenge, naming the internal username, without a Session', async () => {
    const { answer } = await passwordVerifier(alice.email);
    expect(answer.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(answer.Session).toBeUndefined();
    const parameters = answer.ChallengeParameters;
    expect(Object.keys(parameters).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    expect(parameters.USER_ID_FOR_SRP).toMatch(/^[0-9a-f-]{36}$/);
    expect(parameters.USERNAME).toBe(parameters.USER_ID_FOR_SRP);
    expect(parameters.SALT).toMatch(/^[0-9a-f]+$/);
    expect(parameters.SRP_B).toMatch(/^[0-9a-f]+$/);
    // Standard base64, as both clients decode it.
    expect(Buffer.from(parameters.SECRET_BLOCK, 'base64').toString('base64')).toBe(parameters.SECRET_BLOCK);
  });

  it('signs in with the right password, case-insensitively by email', async () => {
    const tokens = await signIn(pool, 'Alice@Example.com', alice.password);
    expect(decodeJwt(tokens.idToken).email).toBe(alice.email);
    expect(tokens.refreshToken).toBeDefined();
    expect(tokens.expiresIn).toBe(3600);
  });

  it('signs in through amazon-cognito-identity-js, unchanged', async () => {
    const userPool = new CognitoUserPool({
      UserPoolId: pool.userPoolId,
      ClientId: pool.clientId,
      endpoint: pool.endpoint,
    });
    const user = new CognitoUser({ Username: carol.email, Pool: userPool });
    const session = await new Promise<CognitoUserSession>((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: carol.email, Password: carol.password }), {
        onSuccess: resolve,
        onFailure: reject,
      });
    });
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().decodePayload().email).toBe(carol.email);
    // And refreshes with it (REFRESH_TOKEN_AUTH).
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) => {
      user.refreshSession(session.getRefreshToken(), (error: unknown, result: CognitoUserSession) =>
        error ? reject(error) : resolve(result),
      );
    });
    expect(refreshed.getAccessToken().decodePayload().origin_jti).toBe(
      session.getAccessToken().decodePayload().origin_jti,
    );
  });

  it('refuses a wrong password with "Incorrect username or password."', async () => {
    await expect(signIn(pool, alice.email, 'Alice-pass-2')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('answers an unknown user like a wrong password (existence errors prevented)', async () => {
    // The challenge looks like a real one; only the answer is refused, with the wrong-password message
    // (PreventUserExistenceErrors ENABLED, as the deployed app client has it).
    const { answer } = await passwordVerifier('nobody@example.com');
    expect(answer.ChallengeName).toBe('PASSWORD_VERIFIER');
    const again = await passwordVerifier('nobody@example.com');
    expect(again.answer.ChallengeParameters.SALT).toBe(answer.ChallengeParameters.SALT);
    await expect(signIn(pool, 'nobody@example.com', 'Whatever-pass-1')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  // A zero-padded day or a wrong weekday fail as a wrong password does, signed or not (measured on AWS,
  // ministackorg/ministack#1758; the zero-padded day also in qwigo/warrant#12).
  it('refuses a TIMESTAMP with a zero-padded day or a wrong weekday', async () => {
    const canonical = srpTimestamp(new Date(pool.clock()));
    const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const otherDay = canonical.replace(/^\w{3}/, (day) => weekdays[(weekdays.indexOf(day) + 1) % 7]);
    const padded = canonical.replace(
      /^(\w{3} \w{3}) (\d{1,2}) /,
      (_, start: string, day: string) => `${start} ${day.padStart(2, '0')} `,
    );
    for (const timestamp of [otherDay, padded]) {
      // The client signs the string it sends...
      const signed = await claimFor(alice.email, alice.password, timestamp);
      // ...or signs the right form and sends another.
      const swapped = await claimFor(alice.email, alice.password);
      for (const claim of [signed.claim, { ...swapped.claim, TIMESTAMP: timestamp }]) {
        if (claim.TIMESTAMP === canonical) continue;
        const error = await pool.refusal('RespondToAuthChallenge', respond(claim));
        expect(error).toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
      }
    }
    // The day is zero-padded only when it has one digit: check the case is really exercised on some day.
    expect(srpTimestamp(new Date(Date.UTC(2025, 2, 4, 9, 5, 1)))).toBe('Tue Mar 4 09:05:01 UTC 2025');
  });

  // amazon-archives/amazon-cognito-identity-js#683: a TIMESTAMP in another pattern is an invalid parameter.
  it('refuses a TIMESTAMP in another pattern as an invalid parameter', async () => {
    const { claim } = await claimFor(alice.email, alice.password);
    const error = await pool.refusal(
      'RespondToAuthChallenge',
      respond({ ...claim, TIMESTAMP: 'Mon Feb 12 15:26:37 +05:30 2018' }),
    );
    expect(error).toMatchObject({
      code: 'InvalidParameterException',
      message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.',
    });
  });

  // A client whose clock is wrong fails with the wrong-password message (amazon-cognito-identity-js#58).
  it('refuses a claim signed more than 5 minutes away from the pool clock', async () => {
    const { claim } = await claimFor(alice.email, alice.password, new Date(Date.now() - 6 * 60 * 1000));
    const error = await pool.refusal('RespondToAuthChallenge', respond(claim));
    expect(error).toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('refuses a claim with an altered signature, secret block or username', async () => {
    const { claim } = await claimFor(alice.email, alice.password);
    const flipped = claim.PASSWORD_CLAIM_SIGNATURE.startsWith('A')
      ? `B${claim.PASSWORD_CLAIM_SIGNATURE.slice(1)}`
      : `A${claim.PASSWORD_CLAIM_SIGNATURE.slice(1)}`;
    const block = Buffer.from(claim.PASSWORD_CLAIM_SECRET_BLOCK, 'base64');
    block[block.length - 1] ^= 1;
    const carolId = (await passwordVerifier(carol.email)).answer.ChallengeParameters.USER_ID_FOR_SRP;
    for (const altered of [
      { ...claim, PASSWORD_CLAIM_SIGNATURE: flipped },
      { ...claim, PASSWORD_CLAIM_SECRET_BLOCK: block.toString('base64') },
      { ...claim, USERNAME: carolId },
    ]) {
      const error = await pool.refusal('RespondToAuthChallenge', respond(altered));
      expect(error).toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    }
    // The unaltered claim still passes: only the alterations were refused.
    await expect(pool.call('RespondToAuthChallenge', respond(claim))).resolves.toHaveProperty('AuthenticationResult');
  });

  it('accepts each challenge answer once', async () => {
    const { claim } = await claimFor(alice.email, alice.password);
    await pool.call('RespondToAuthChallenge', respond(claim));
    const replay = await pool.refusal('RespondToAuthChallenge', respond(claim));
    expect(replay).toMatchObject({ code: 'NotAuthorizedException' });
  });

  it('refuses an answer after the challenge expired (3 minutes, the app client default)', async () => {
    const { srp, answer } = await passwordVerifier(alice.email);
    pool.clock.advance(181_000);
    try {
      const parameters = answer.ChallengeParameters as unknown as Parameters<typeof srp.passwordClaim>[1];
      const late = await srp.passwordClaim(alice.password, parameters, new Date(pool.clock()));
      const error = await pool.refusal('RespondToAuthChallenge', respond(late));
      expect(error).toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Invalid session for the user, session is expired.',
      });
    } finally {
      pool.clock.advance(-181_000);
    }
  });

  // Devices are not tracked: a DEVICE_KEY names no device, which both clients handle by forgetting it and answering
  // again (amplify-js retryOnResourceNotFoundException; amazon-cognito-identity-js authenticateUserDefaultAuth).
  it('answers a DEVICE_KEY with "Device does not exist."', async () => {
    const { claim } = await claimFor(alice.email, alice.password);
    const error = await pool.refusal('RespondToAuthChallenge', respond({ ...claim, DEVICE_KEY: 'us-east-1_0a1b2c3d' }));
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', message: 'Device does not exist.' });
  });

  it('refuses an SRP_A that is zero modulo N or not hex', async () => {
    for (const A of ['0', 'not-hex']) {
      const error = await pool.refusal('InitiateAuth', {
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: pool.clientId,
        AuthParameters: { USERNAME: alice.email, SRP_A: A },
      });
      expect(error.code).toBe('InvalidParameterException');
    }
  });

  it('refuses a correct proof of an unconfirmed user with UserNotConfirmedException', async () => {
    await signUp(pool, 'dora@example.com', 'Dora-pass-123');
    await expect(signIn(pool, 'dora@example.com', 'Dora-pass-123')).rejects.toMatchObject({
      code: 'UserNotConfirmedException',
      message: 'User is not confirmed.',
    });
    // A wrong password for the same user stays "Incorrect username or password.".
    await expect(signIn(pool, 'dora@example.com', 'Dora-pass-124')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
  });

  it('refuses a disabled user with "User is disabled."', async () => {
    await pool.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: 'erin@example.com',
        TemporaryPassword: 'Erin-temp-123',
        MessageAction: 'SUPPRESS',
      }),
    );
    await pool.admin.send(new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: 'erin@example.com' }));
    await expect(signIn(pool, 'erin@example.com', 'Erin-temp-123')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  it('follows a temporary password, then signs in with the new one', async () => {
    await pool.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: 'fay@example.com',
        TemporaryPassword: 'Fay-temp-1234',
        MessageAction: 'SUPPRESS',
      }),
    );
    const challenge = await signIn(pool, 'fay@example.com', 'Fay-temp-1234').catch((error: unknown) => error);
    expect(challenge).toBeInstanceOf(ChallengeRequiredError);
    const { challengeName, parameters, session } = challenge as ChallengeRequiredError;
    expect(challengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(JSON.parse(parameters.userAttributes)).toEqual({ email: 'fay@example.com' });
    const answer = {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: pool.clientId,
      ChallengeResponses: { USERNAME: parameters.USER_ID_FOR_SRP, NEW_PASSWORD: 'Fay-final-1234' },
    };
    // Without the session the answer is refused: a session binds the answer to the sign-in that asked for it.
    await expect(pool.refusal('RespondToAuthChallenge', answer)).resolves.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await expect(pool.call('RespondToAuthChallenge', { ...answer, Session: session })).resolves.toHaveProperty(
      'AuthenticationResult.IdToken',
    );
    await expect(signIn(pool, 'fay@example.com', 'Fay-final-1234')).resolves.toHaveProperty('idToken');
    await expect(signIn(pool, 'fay@example.com', 'Fay-temp-1234')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
  });

  it('takes the attributes a client may write with the new password, and refuses the others', async () => {
    await pool.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: 'gil@example.com',
        TemporaryPassword: 'Gil-temp-12345',
        MessageAction: 'SUPPRESS',
      }),
    );
    const { parameters, session } = (await signIn(pool, 'gil@example.com', 'Gil-temp-12345').catch(
      (error: unknown) => error,
    )) as ChallengeRequiredError;
    const answer = (attributes: Record<string, string>) => ({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: pool.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: parameters.USER_ID_FOR_SRP, NEW_PASSWORD: 'Gil-final-12345', ...attributes },
    });
    // An app echoing back the attributes it was shown, verified flag included, gets this from Cognito
    // (aws-amplify/aws-sdk-ios#2203).
    await expect(
      pool.refusal('RespondToAuthChallenge', answer({ 'userAttributes.email_verified': 'true' })),
    ).resolves.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Cannot modify the non-mutable attribute email_verified',
    });
    await expect(
      pool.refusal('RespondToAuthChallenge', answer({ 'userAttributes.sub': 'someone-elses-sub' })),
    ).resolves.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Cannot modify the non-mutable attribute sub',
    });
    // The same address sent back (aws-samples/aws-saas-factory-bootcamp#67), and so any address.
    await expect(
      pool.refusal('RespondToAuthChallenge', answer({ 'userAttributes.email': 'gil@example.com' })),
    ).resolves.toMatchObject({ code: 'NotAuthorizedException', message: 'Cannot modify an already provided email' });
    await expect(
      pool.refusal('RespondToAuthChallenge', answer({ 'userAttributes.custom:role': 'admin' })),
    ).resolves.toMatchObject({ code: 'NotAuthorizedException' });

    // Refusals leave the challenge open; a writable attribute is stored with the new password.
    const tokens = await pool.call<{ AuthenticationResult: { AccessToken: string; IdToken: string } }>(
      'RespondToAuthChallenge',
      answer({ 'userAttributes.name': 'Gil Grissom' }),
    );
    const { sub } = decodeJwt(tokens.AuthenticationResult.IdToken);
    const user = await pool.call<{ UserAttributes: Array<{ Name: string; Value: string }> }>('GetUser', {
      AccessToken: tokens.AuthenticationResult.AccessToken,
    });
    expect(Object.fromEntries(user.UserAttributes.map((a) => [a.Name, a.Value]))).toMatchObject({
      name: 'Gil Grissom',
      email: 'gil@example.com',
      sub,
    });
  });
});

describe('USER_PASSWORD_AUTH', () => {
  const passwordAuth = (username: string, password: string) => ({
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: pool.clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });

  it('signs in with the right password, with ExpiresIn and TokenType', async () => {
    const answer = await pool.call<{ AuthenticationResult: Record<string, unknown> }>(
      'InitiateAuth',
      passwordAuth(alice.email, alice.password),
    );
    expect(answer.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const [username, password] of [
      [alice.email, 'Wrong-pass-123'],
      ['nobody@example.com', 'Wrong-pass-123'],
    ]) {
      await expect(pool.refusal('InitiateAuth', passwordAuth(username, password))).resolves.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
    }
  });

  it('refuses a missing PASSWORD', async () => {
    const error = await pool.refusal('InitiateAuth', {
      ...passwordAuth(alice.email, ''),
      AuthParameters: { USERNAME: alice.email },
    });
    expect(error).toMatchObject({ code: 'InvalidParameterException', message: 'Missing required parameter PASSWORD' });
  });
});

describe('tokens', () => {
  let tokens: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    tokens = await signIn(pool, alice.email, alice.password);
  });

  // Claims as Cognito issues them (developer guide, "Understanding the identity (ID) token" / "access token").
  it('issues an ID token with Cognito claims', () => {
    const claims = decodeJwt(tokens.idToken);
    expect(claims).toMatchObject({
      iss: pool.cognito.issuer,
      aud: pool.clientId,
      token_use: 'id',
      email: alice.email,
      email_verified: true,
      'cognito:groups': ['admins', 'editors'],
    });
    expect(claims['cognito:username']).toBe(claims.sub);
    for (const name of ['origin_jti', 'event_id', 'jti', 'auth_time', 'iat', 'exp'])
      expect(claims).toHaveProperty(name);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
  });

  it('issues an access token with Cognito claims and no audience', () => {
    const claims = decodeJwt(tokens.accessToken);
    expect(claims).toMatchObject({
      iss: pool.cognito.issuer,
      client_id: pool.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': ['admins', 'editors'],
    });
    expect(claims.aud).toBeUndefined();
    expect(claims.username).toBe(decodeJwt(tokens.idToken).sub);
    expect(claims.origin_jti).toBe(decodeJwt(tokens.idToken).origin_jti);
  });

  it('signs ID and access tokens with different keys of the JWKS', () => {
    expect(decodeProtectedHeader(tokens.idToken).kid).not.toBe(decodeProtectedHeader(tokens.accessToken).kid);
  });

  it('leaves cognito:groups out for a user in no group', async () => {
    const { idToken } = await signIn(pool, carol.email, carol.password);
    expect(decodeJwt(idToken)).not.toHaveProperty('cognito:groups');
  });

  it('hands out an opaque, encrypted refresh token', () => {
    // Five dot-separated parts: a JWE, as Cognito's refresh tokens are; nothing readable inside.
    expect(tokens.refreshToken?.split('.')).toHaveLength(5);
    expect(tokens.refreshToken).not.toContain(Buffer.from(alice.email).toString('base64url').slice(0, 8));
  });
});
