// An app built with Amplify JS v6 in its default configuration, against the local notes API: configured from the
// outputs file with the one local difference (Auth.Cognito.userPoolEndpoint), it signs up, confirms with the code from
// the server log, signs in with its default flow (SRP), calls the API through generateClient(), refreshes its tokens
// once they have expired (Amplify's clock moved with fake timers, the pool's with its injectable clock), and signs out
// with GlobalSignOut. Every call Amplify makes to the pool is recorded, so the test sees the flows it used.
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { confirmSignUp, fetchAuthSession, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callUserPool } from '../../../client/src/auth';
import { amplifyOutputsOf, startLocalTarget, type LocalTarget } from '../helpers/local-target';

/** Wall time that fake timers do not move: the server's clock is this plus its own offset. */
const realNow = () => Math.round(performance.timeOrigin + performance.now());
let serverOffset = 0;
const serverClock = () => realNow() + serverOffset;

const email = `amplify-${Date.now()}@example.com`;
const password = 'Amplify-pass-123';

interface PoolCall {
  operation: string;
  flow?: string;
}

let target: LocalTarget;
const poolCalls: PoolCall[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  target = await startLocalTarget({ temporaryDataDir: true, clock: serverClock });
  const endpoint = target.api.cognito!.endpoint;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(endpoint) && init?.method === 'POST') {
      const headers = new Headers(init.headers);
      const body = JSON.parse(String(init.body ?? '{}')) as { AuthFlow?: string; ChallengeName?: string };
      poolCalls.push({
        operation: String(headers.get('x-amz-target')).split('.')[1],
        flow: body.AuthFlow ?? body.ChallengeName,
      });
    }
    return realFetch(input, init);
  };
  const outputs = amplifyOutputsOf(target);
  const config = parseAmplifyConfig(outputs);
  // The one line that differs from an app on AWS: where the user pool is.
  const userPoolEndpoint = (outputs.custom as { user_pool_endpoint: string }).user_pool_endpoint;
  Amplify.configure({ ...config, Auth: { Cognito: { ...config.Auth!.Cognito, userPoolEndpoint } } } as ResourcesConfig);
});

afterAll(async () => {
  vi.useRealTimers();
  globalThis.fetch = realFetch;
  await target?.close();
});

const CREATE_NOTE = /* GraphQL */ `
  mutation CreateNote($input: CreateNoteInput!) {
    createNote(input: $input) {
      noteId
      content
    }
  }
`;
const LIST_NOTES = /* GraphQL */ `
  query ListNotes {
    listNotes(limit: 10) {
      items {
        noteId
        content
      }
    }
  }
`;

/** The calls without repeats of the one before: Amplify retries a call whose connection failed, which is not a step. */
function distinct(calls: PoolCall[]): PoolCall[] {
  return calls.filter((call, index) => index === 0 || JSON.stringify(call) !== JSON.stringify(calls[index - 1]));
}

function codeFromServerLog(address: string): string {
  const line = target.log.filter((entry) => entry.includes(`confirmation code for ${address}:`)).at(-1);
  const code = line?.match(/: (\d{6})$/)?.[1];
  if (!code) throw new Error(`no confirmation code for ${address} in the server log`);
  return code;
}

describe('Amplify JS v6 (aws-amplify) in Node, unchanged, against the local notes API', () => {
  it('signs up, and confirms with the code printed in the server log', async () => {
    const result = await signUp({ username: email, password, options: { userAttributes: { email } } });
    expect(result).toMatchObject({ isSignUpComplete: false, nextStep: { signUpStep: 'CONFIRM_SIGN_UP' } });
    const confirmed = await confirmSignUp({ username: email, confirmationCode: codeFromServerLog(email) });
    expect(confirmed.isSignUpComplete).toBe(true);
  });

  it('signs in with its default flow, SRP', async () => {
    poolCalls.length = 0;
    const result = await signIn({ username: email, password });
    expect(result).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(distinct(poolCalls)).toEqual([
      { operation: 'InitiateAuth', flow: 'USER_SRP_AUTH' },
      { operation: 'RespondToAuthChallenge', flow: 'PASSWORD_VERIFIER' },
    ]);
    const user = await getCurrentUser();
    expect(user.signInDetails?.loginId).toBe(email);
  });

  it('calls the API through generateClient() as the signed-in user', async () => {
    const client = generateClient();
    const created = (await client.graphql({
      query: CREATE_NOTE,
      variables: { input: { content: 'from Amplify' } },
    })) as {
      data: { createNote: { noteId: string; content: string } };
    };
    expect(created.data.createNote.content).toBe('from Amplify');
    const listed = (await client.graphql({ query: LIST_NOTES })) as {
      data: { listNotes: { items: Array<{ noteId: string }> } };
    };
    expect(listed.data.listNotes.items.map((note) => note.noteId)).toContain(created.data.createNote.noteId);
  });

  it('refreshes its tokens with GetTokensFromRefreshToken once they have expired, and keeps calling the API', async () => {
    const before = await fetchAuthSession();
    const oldAccess = before.tokens!.accessToken.toString();
    poolCalls.length = 0;
    // 61 minutes later for both: Amplify's Date (fake timers) and the pool's clock.
    const skip = 61 * 60 * 1000;
    vi.useFakeTimers({ toFake: ['Date'], now: realNow() + skip });
    serverOffset = skip;
    const after = await fetchAuthSession();
    const newAccess = after.tokens!.accessToken.toString();
    expect(newAccess).not.toBe(oldAccess);
    expect(distinct(poolCalls)).toEqual([{ operation: 'GetTokensFromRefreshToken', flow: undefined }]);
    expect(decodeJwt(newAccess).exp! * 1000).toBeGreaterThan(serverClock());
    expect(decodeJwt(newAccess).origin_jti).toBe(decodeJwt(oldAccess).origin_jti);

    const listed = (await generateClient().graphql({ query: LIST_NOTES })) as {
      data: { listNotes: { items: unknown[] } };
    };
    expect(listed.data.listNotes.items).toHaveLength(1);
  });

  it('signs out with GlobalSignOut: the pool refuses its tokens, the API still accepts an unexpired one', async () => {
    const { tokens } = await fetchAuthSession();
    const accessToken = tokens!.accessToken.toString();
    const idToken = tokens!.idToken!.toString();
    poolCalls.length = 0;
    await signOut({ global: true });
    expect(distinct(poolCalls).map((call) => call.operation)).toEqual(['GlobalSignOut']);
    await expect(getCurrentUser()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });

    const cognito = target.api.cognito!;
    const pool = { userPoolId: cognito.userPoolId, clientId: cognito.clientId, endpoint: cognito.endpoint };
    await expect(callUserPool(pool, 'GetUser', { AccessToken: accessToken })).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    // AppSync checks only a token's signature and claims (aws/aws-appsync-community#298), as the local API does.
    const response = await realFetch(target.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: idToken },
      body: JSON.stringify({ query: '{ listNotes { items { noteId } } }' }),
    });
    expect(response.status).toBe(200);
    expect(
      ((await response.json()) as { data: { listNotes: { items: unknown[] } } }).data.listNotes.items,
    ).toHaveLength(1);
  });
});
