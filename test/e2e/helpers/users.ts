// Signing a user in as a web client does (Cognito InitiateAuth, USER_PASSWORD_AUTH) and handing out the SDK for it.
import { decodeJwt } from 'jose';
import { createNotesClient, NotesApiError, type NotesClient } from '../../../client/src/index';
import { signIn } from '../../../local/stores/cognito';
import type { SignedInUser } from './target';

export interface UserPool {
  /** The Cognito API: the local pool's address, or `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint: string;
  clientId: string;
  region: string;
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
