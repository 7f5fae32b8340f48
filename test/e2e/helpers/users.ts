// Signing a user in as a web client does (Cognito's SRP: InitiateAuth USER_SRP_AUTH, then PASSWORD_VERIFIER, the only
// flow the production app client allows) and handing out the SDK for it.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { createNotesClient, NotesApiError, type NotesClient } from '../../../client/src/index';
import { signIn } from '../../../client/src/auth';
import type { SignedInUser } from './target';

export interface UserPool {
  /** The Cognito API: the local pool's address, or `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint: string;
  userPoolId: string;
  clientId: string;
}

export interface Credentials {
  email: string;
  password: string;
}

/** The SDK sending `token` as it is, whatever it is: how the auth tests present crafted tokens. */
export function clientWithToken(graphqlUrl: string, token: string): NotesClient {
  return createNotesClient({ url: graphqlUrl, getToken: () => token });
}

export async function signInUser(pool: UserPool, graphqlUrl: string, user: Credentials): Promise<SignedInUser> {
  const tokens = await signIn(pool, user.email, user.password);
  const { sub } = decodeJwt(tokens.idToken);
  if (typeof sub !== 'string') throw new Error(`The ID token of ${user.email} carries no sub`);
  return {
    email: user.email,
    sub,
    idToken: tokens.idToken,
    accessToken: tokens.accessToken,
    client: clientWithToken(graphqlUrl, tokens.idToken),
  };
}

/**
 * The same SDK, remembering every note it creates so they can be deleted afterwards: a deployed run leaves the test
 * users' accounts as it found them (their attachment files go with the notes).
 */
export function withCleanup(client: NotesClient): { client: NotesClient; deleteCreated(): Promise<void> } {
  const created = new Set<string>();
  return {
    client: {
      ...client,
      async createNote(variables) {
        const note = await client.createNote(variables);
        created.add(note.noteId);
        return note;
      },
    },
    async deleteCreated() {
      for (const noteId of created) {
        // Notes a test already deleted answer NotFound: nothing left to do for them.
        await client.deleteNote({ noteId }).catch((error: unknown) => {
          if (!(error instanceof NotesApiError && error.errorType === 'NotFound')) throw error;
        });
      }
      created.clear();
    },
  };
}

/**
 * A confirmed user with a verified email and a random strong password, created with IAM-signed admin calls (as an
 * operator would; `client` carries the credentials: the data folder's locally, the default chain on AWS). Nothing is
 * emailed. The deployed run creates its two users this way and removes them with `deleteUser`.
 */
export async function createConfirmedUser(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  options: { email?: string } = {},
): Promise<Credentials> {
  const email = options.email ?? `e2e-${randomUUID()}@example.com`;
  // Four kinds of character, well over any policy's minimum length.
  const password = `E2e-${randomBytes(18).toString('base64url')}-1a!`;
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
      MessageAction: 'SUPPRESS',
    }),
  );
  await client.send(
    new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: email, Password: password, Permanent: true }),
  );
  return { email, password };
}

/** Two users a run created for itself, signed in, and how to remove them again. */
export interface ProvisionedUsers {
  alice: SignedInUser;
  bob: SignedInUser;
  /** Deletes both users (AdminDeleteUser); safe to call twice. */
  remove(): Promise<void>;
}

/**
 * Two new confirmed users made with admin calls (`createConfirmedUser`) and signed in with SRP: what
 * `npm run test:deployed` does on AWS, and what a local test does against the local pool, whose admin calls check
 * SigV4 the same way. If anything fails on the way, the users made so far are removed before the error is thrown.
 */
export async function provisionTestUsers(
  admin: CognitoIdentityProviderClient,
  pool: UserPool,
  graphqlUrl: string,
): Promise<ProvisionedUsers> {
  const created: string[] = [];
  const remove = async () => {
    const emails = created.splice(0);
    await Promise.all(emails.map((email) => deleteUser(admin, pool.userPoolId, email)));
  };
  try {
    const users: Credentials[] = [];
    for (const name of ['alice', 'bob']) {
      const user = await createConfirmedUser(admin, pool.userPoolId, {
        email: `e2e-${name}-${randomUUID()}@example.com`,
      });
      created.push(user.email);
      users.push(user);
    }
    const [alice, bob] = await Promise.all(users.map((user) => signInUser(pool, graphqlUrl, user)));
    return { alice: alice!, bob: bob!, remove };
  } catch (error) {
    await remove().catch(() => {});
    throw error;
  }
}

/** Removes a user created by `createConfirmedUser`; a user already gone is not an error. */
export async function deleteUser(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
): Promise<void> {
  await client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: email })).catch((error: unknown) => {
    if ((error as { name?: string }).name !== 'UserNotFoundException') throw error;
  });
}
