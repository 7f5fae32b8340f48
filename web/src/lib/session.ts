// Who is signed in, kept in localStorage so every tab of the app shares one session (and signing out in one tab signs
// out all of them). Hands the API client a fresh ID token, refreshing it shortly before it expires.
import type { AppConfig } from '../config';
import { CognitoError, refresh, revoke, signIn, type Tokens } from './cognito';

export interface SignedIn {
  email: string;
  tokens: Tokens;
}

const STORAGE_KEY = 'notes:session';
// Refresh this long before the ID token expires, so no request goes out with a token about to lapse.
const REFRESH_MARGIN_MS = 60_000;

export interface Session {
  current(): SignedIn | null;
  subscribe(listener: () => void): () => void;
  signIn(email: string, password: string): Promise<void>;
  signOut(): void;
  /** The ID token for the Authorization header, refreshed when due; throws when the session has ended. */
  idToken(): Promise<string>;
}

function read(): SignedIn | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as SignedIn | null;
    return value && typeof value.email === 'string' && typeof value.tokens?.idToken === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function createSession(pool: AppConfig['userPool']): Session {
  let state = read();
  const listeners = new Set<() => void>();
  let refreshing: Promise<Tokens> | null = null;

  const publish = (next: SignedIn | null) => {
    state = next;
    if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(STORAGE_KEY);
    for (const listener of listeners) listener();
  };
  // Another tab signed in, out, or refreshed.
  window.addEventListener('storage', (event) => {
    if (event.key !== STORAGE_KEY) return;
    state = read();
    for (const listener of listeners) listener();
  });

  return {
    current: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async signIn(email, password) {
      publish({ email, tokens: await signIn(pool, email, password) });
    },
    signOut() {
      const ended = state;
      publish(null);
      // Signing out must work offline too, so the pool is told afterwards and a failure only leaves the refresh
      // token valid until it expires (Amplify's signOut does the same).
      if (ended) void revoke(pool, ended.tokens.refreshToken).catch(() => {});
    },
    async idToken() {
      const signedIn = state;
      if (!signedIn) throw new CognitoError('NotSignedIn', 'You are signed out. Sign in again.');
      if (signedIn.tokens.expiresAt - Date.now() > REFRESH_MARGIN_MS) return signedIn.tokens.idToken;
      refreshing ??= refresh(pool, signedIn.tokens.refreshToken).finally(() => (refreshing = null));
      try {
        const tokens = await refreshing;
        if (state?.email === signedIn.email) publish({ email: signedIn.email, tokens });
        return tokens.idToken;
      } catch (error) {
        if (error instanceof CognitoError && error.code === 'NotAuthorizedException') publish(null);
        throw error;
      }
    },
  };
}
