// The user set-up of `npm run test:deployed`, run against the local server: two confirmed users created with IAM-signed
// admin calls (AdminCreateUser, AdminSetUserPassword --permanent), signed in with SRP, using the API as themselves,
// then deleted (AdminDeleteUser). Locally the admin calls are checked against the data folder's credentials, as AWS
// checks them against IAM, so the same code path is exercised here on every `npm test`.
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  type CognitoIdentityProviderClientConfig,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../client/src/auth';
import { generateLocalCredentials } from '../../../local/server/credentials';
import { useLocalTarget } from '../helpers/fixture';
import { provisionTestUsers, type ProvisionedUsers, type UserPool } from '../helpers/users';

describe('test users made with admin calls, as npm run test:deployed makes them', () => {
  const target = useLocalTarget();
  let pool: UserPool;
  let admin: CognitoIdentityProviderClient;
  let users: ProvisionedUsers;

  const adminClient = (credentials: CognitoIdentityProviderClientConfig['credentials']) =>
    new CognitoIdentityProviderClient({
      endpoint: pool.endpoint,
      region: target().api.cognito!.region,
      credentials,
      maxAttempts: 1,
    });

  beforeAll(async () => {
    const { api } = target();
    const cognito = api.cognito!;
    pool = { endpoint: cognito.endpoint, userPoolId: cognito.userPoolId, clientId: cognito.clientId };
    admin = adminClient(api.credentials);
    users = await provisionTestUsers(admin, pool, api.graphqlUrl);
  });
  afterAll(async () => {
    await users?.remove();
    admin?.destroy();
  });

  it('are confirmed, with a verified email, and signed in with their own subs', () => {
    const { alice, bob } = users;
    expect(alice.sub).not.toBe(bob.sub);
    for (const user of [alice, bob]) {
      expect(decodeJwt(user.idToken)).toMatchObject({ email: user.email, email_verified: true, token_use: 'id' });
      expect(decodeJwt(user.accessToken)).toMatchObject({ sub: user.sub, token_use: 'access' });
    }
  });

  it('use the API as themselves: a note of one is not visible to the other', async () => {
    const { alice, bob } = users;
    const note = await alice.client.createNote({ input: { content: 'made by a provisioned user' } });
    expect(await alice.client.getNote({ noteId: note.noteId })).toMatchObject({ noteId: note.noteId });
    expect(await bob.client.getNote({ noteId: note.noteId })).toBeNull();
    await alice.client.deleteNote({ noteId: note.noteId });
  });

  it('cannot be made with credentials other than the data folder own', async () => {
    const stranger = adminClient(generateLocalCredentials());
    try {
      await expect(provisionTestUsers(stranger, pool, target().api.graphqlUrl)).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
      });
    } finally {
      stranger.destroy();
    }
  });

  it('are gone after remove: no sign-in, no user, and a second remove is harmless', async () => {
    const { alice, bob } = users;
    await users.remove();
    for (const email of [alice.email, bob.email]) {
      await expect(
        admin.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email })),
      ).rejects.toMatchObject({ name: 'UserNotFoundException' });
      // With prevented user-existence errors (the pool's default), a deleted user's sign-in is refused as a wrong
      // password would be.
      await expect(signIn(pool, email, 'Any-password-1!')).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    }
    await users.remove();
  });
});
