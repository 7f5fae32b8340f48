// The local user pool through AWS's own SDK, as an app (SignUp; sign-in with SRP) and as an operator (IAM-signed Admin*
// calls with the data folder's key pair) would use Cognito.
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { signIn as srpSignIn } from '../../../client/src/auth';
import type { ServerProcess, UserPoolAddress } from './server';

export interface UserCredentials {
  email: string;
  password: string;
}

export interface SignedInUser extends UserCredentials {
  sub: string;
  idToken: string;
  accessToken: string;
}

/** The users appsync-local.config.ts creates (copied here: the suite checks the server, not its config). */
export const ALICE: UserCredentials = { email: 'alice@example.com', password: 'Passw0rd!alice' };
export const BOB: UserCredentials = { email: 'bob@example.com', password: 'Passw0rd!bob' };

/** An SDK client for the server's pool, signing Admin* calls with the data folder's credentials. */
export function poolClient(server: Pick<ServerProcess, 'pool' | 'credentials'>): CognitoIdentityProviderClient {
  if (!server.pool) throw new Error('this server has no user pool');
  return new CognitoIdentityProviderClient({
    region: server.pool.region,
    endpoint: server.pool.endpoint,
    credentials: server.credentials,
    maxAttempts: 1,
  });
}

export function subOf(token: string): string {
  const { sub } = decodeJwt(token);
  if (typeof sub !== 'string') throw new Error('the token carries no sub');
  return sub;
}

/** Cognito's SRP (USER_SRP_AUTH, then PASSWORD_VERIFIER) through the SDK's sign-in module: the flow apps use. */
export async function signIn(pool: UserPoolAddress, user: UserCredentials): Promise<SignedInUser> {
  const tokens = await srpSignIn(pool, user.email, user.password);
  return { ...user, sub: subOf(tokens.idToken), idToken: tokens.idToken, accessToken: tokens.accessToken };
}

/** SignUp as an app does (unsigned, with whatever attributes it is given); resolves to the new user's sub. */
export async function signUp(
  client: CognitoIdentityProviderClient,
  pool: UserPoolAddress,
  user: UserCredentials,
  extraAttributes: AttributeType[] = [],
): Promise<string> {
  const answer = await client.send(
    new SignUpCommand({
      ClientId: pool.clientId,
      Username: user.email,
      Password: user.password,
      UserAttributes: [{ Name: 'email', Value: user.email }, ...extraAttributes],
    }),
  );
  if (!answer.UserSub) throw new Error(`sign-up of ${user.email} returned no UserSub`);
  return answer.UserSub;
}

/** The operator's confirmation (IAM-signed), so no emailed code is needed. */
export async function adminConfirm(
  client: CognitoIdentityProviderClient,
  pool: UserPoolAddress,
  email: string,
): Promise<void> {
  await client.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.userPoolId, Username: email }));
}

/** A user's sub and status as the pool reports them to its operator; undefined when the pool has no such user. */
export async function adminLookup(
  client: CognitoIdentityProviderClient,
  pool: UserPoolAddress,
  email: string,
): Promise<{ sub: string | undefined; status: string | undefined } | undefined> {
  try {
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }));
    return {
      sub: user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value,
      status: user.UserStatus,
    };
  } catch (error) {
    if ((error as { name?: string }).name === 'UserNotFoundException') return undefined;
    throw error;
  }
}

/** A new confirmed user, signed in. */
export async function newUser(
  client: CognitoIdentityProviderClient,
  pool: UserPoolAddress,
  label: string,
): Promise<SignedInUser> {
  const user = {
    email: `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: 'Passw0rd!rel',
  };
  await signUp(client, pool, user);
  await adminConfirm(client, pool, user.email);
  return signIn(pool, user);
}
