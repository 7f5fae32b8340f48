// A minimal web app built on Amplify JS v6 as an app author writes one, bundled by esbuild for the browser test
// (test/e2e/amplify.browser.test.ts). It exposes its steps on `window.amplifyApp` for the test to drive.
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { confirmSignUp, fetchAuthSession, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { parseAmplifyConfig } from 'aws-amplify/utils';

const LIST_NOTES = 'query ListNotes { listNotes(limit: 10) { items { noteId content } } }';
const CREATE_NOTE = 'mutation CreateNote($input: CreateNoteInput!) { createNote(input: $input) { noteId content } }';

interface GraphQLAnswer<T> {
  data: T;
}

const app = {
  /** The outputs file as `npm start` writes it; the local pool's address is the one line an app on AWS lacks. */
  configure(outputs: Record<string, unknown>): void {
    const config = parseAmplifyConfig(outputs);
    const userPoolEndpoint = (outputs.custom as { user_pool_endpoint: string }).user_pool_endpoint;
    Amplify.configure({
      ...config,
      Auth: { Cognito: { ...config.Auth!.Cognito, userPoolEndpoint } },
    } as ResourcesConfig);
  },
  async signUp(email: string, password: string): Promise<string> {
    const { nextStep } = await signUp({ username: email, password, options: { userAttributes: { email } } });
    return nextStep.signUpStep;
  },
  async confirm(email: string, code: string): Promise<boolean> {
    return (await confirmSignUp({ username: email, confirmationCode: code })).isSignUpComplete;
  },
  async signIn(email: string, password: string): Promise<string> {
    return (await signIn({ username: email, password })).nextStep.signInStep;
  },
  async createNote(content: string): Promise<string> {
    const answer = (await generateClient().graphql({
      query: CREATE_NOTE,
      variables: { input: { content } },
    })) as GraphQLAnswer<{
      createNote: { noteId: string };
    }>;
    return answer.data.createNote.noteId;
  },
  async listNotes(): Promise<string[]> {
    const answer = (await generateClient().graphql({ query: LIST_NOTES })) as GraphQLAnswer<{
      listNotes: { items: Array<{ noteId: string }> };
    }>;
    return answer.data.listNotes.items.map((note) => note.noteId);
  },
  async tokens(): Promise<{ accessToken: string; idToken: string }> {
    const { tokens } = await fetchAuthSession();
    return { accessToken: tokens!.accessToken.toString(), idToken: tokens!.idToken!.toString() };
  },
  async signOutEverywhere(): Promise<void> {
    await signOut({ global: true });
  },
  /** The signed-in user's id, or the error's name when nobody is signed in. */
  async currentUser(): Promise<string> {
    return getCurrentUser().then(
      (user) => user.userId,
      (error: { name?: string }) => `error: ${String(error.name)}`,
    );
  },
};

(globalThis as unknown as { amplifyApp: typeof app }).amplifyApp = app;
