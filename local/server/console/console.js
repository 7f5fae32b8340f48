/* global React, ReactDOM, GraphiQL, GraphiQLPluginExplorer, CognitoAuth, document, location, sessionStorage */
// The console app in the browser: GraphiQL under a sign-in bar. Plain script on the UMD globals of React 18 and
// GraphiQL 3 (served by the local server), so there is no build step. Signing in uses the SDK's sign-in module
// (CognitoAuth, from client/src/auth): Cognito's SRP from the page, as a web client does and as production allows;
// the ID token is kept for the tab in sessionStorage and sent raw in `Authorization`, as AppSync takes it (no
// "Bearer").
(() => {
  'use strict';

  const root = document.getElementById('console-root');
  if (
    typeof React === 'undefined' ||
    typeof ReactDOM === 'undefined' ||
    typeof GraphiQL === 'undefined' ||
    typeof GraphiQLPluginExplorer === 'undefined' ||
    typeof CognitoAuth === 'undefined'
  ) {
    root.textContent =
      'The console could not load its scripts (React, ReactDOM, GraphiQL, its explorer, sign-in); see the browser console.';
    return;
  }

  const h = React.createElement;
  const { useEffect, useMemo, useState } = React;
  const config = JSON.parse(document.getElementById('console-config').textContent);

  const USER_POOL = 'userPool';
  const API_KEY = 'apiKey';
  const MODES = [...(config.cognito ? [USER_POOL] : []), ...(config.apiKey ? [API_KEY] : [])];
  const SESSION_KEY = `appsync-local:${config.apiName}:session`;
  const OTHER_EMAIL = '';
  // setTimeout's ceiling; a longer wait fires at once.
  const MAX_TIMER_MS = 2 ** 31 - 1;
  // The explorer (a sidebar that builds a query from the schema by ticking fields): made once, as GraphiQL asks of
  // its plugins.
  const PLUGINS = [GraphiQLPluginExplorer.explorerPlugin()];

  // ---------------------------------------------------------------------------------------------------------------
  // Sign-in with the local user pool.

  function isLoopback(hostname) {
    return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]';
  }

  /** The pool's address as this page reaches it: a page opened from another machine cannot reach its 127.0.0.1. */
  function cognitoEndpoint() {
    const endpoint = new URL(config.cognito.endpoint);
    if (isLoopback(endpoint.hostname) && !isLoopback(location.hostname)) endpoint.hostname = location.hostname;
    return endpoint.href;
  }

  function jwtClaims(token) {
    const part = token.split('.')[1];
    if (!part) throw new Error('The user pool answered with an ID token that is not a JWT.');
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  async function signIn(email, password) {
    const endpoint = cognitoEndpoint();
    const pool = { userPoolId: config.cognito.userPoolId, clientId: config.cognito.clientId, endpoint };
    let idToken;
    try {
      ({ idToken } = await CognitoAuth.signIn(pool, email, password));
    } catch (error) {
      if (error instanceof CognitoAuth.CognitoNetworkError) {
        throw new Error(`Cannot reach the local user pool at ${endpoint}: is the server still running?`);
      }
      if (error instanceof CognitoAuth.ChallengeRequiredError) {
        throw new Error(`The user pool asks for ${error.challengeName}, which this console cannot answer.`);
      }
      if (error instanceof CognitoAuth.CognitoAuthError) throw new Error(`${error.code}: ${error.message}`);
      throw error;
    }
    const claims = jwtClaims(idToken);
    if (typeof claims.exp !== 'number') throw new Error('The ID token has no expiry (exp).');
    return { email: typeof claims.email === 'string' ? claims.email : email, idToken, expiresAt: claims.exp * 1000 };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Who the requests go out as: the mode, the signed-in user, and a notice when a sign-in ended on its own.

  function clockTime(ms) {
    return new Date(ms).toLocaleTimeString();
  }

  function expiredNotice(user) {
    return {
      kind: 'warning',
      text: `Your sign-in as ${user.email} expired at ${clockTime(user.expiresAt)}. Sign in again to keep querying.`,
    };
  }

  function isUser(value) {
    return (
      value !== null &&
      typeof value === 'object' &&
      typeof value.email === 'string' &&
      typeof value.idToken === 'string' &&
      typeof value.expiresAt === 'number'
    );
  }

  function initialAuth() {
    let stored = null;
    try {
      stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    } catch {
      stored = null;
    }
    const mode = stored && MODES.includes(stored.mode) ? stored.mode : (MODES[0] ?? null);
    const user = stored && isUser(stored.user) ? stored.user : null;
    if (user && Date.now() >= user.expiresAt) return { mode, user: null, notice: expiredNotice(user) };
    return { mode, user, notice: null };
  }

  function useAuth() {
    const [auth, setAuth] = useState(initialAuth);

    const actions = useMemo(
      () => ({
        setMode: (mode) => setAuth((current) => ({ ...current, mode, notice: null })),
        signedIn: (user) => setAuth((current) => ({ ...current, user, notice: null })),
        signOut: () => setAuth((current) => ({ ...current, user: null, notice: null })),
        expire: (user) =>
          setAuth((current) =>
            current.user && current.user.idToken === user.idToken
              ? { ...current, user: null, notice: expiredNotice(user) }
              : current,
          ),
        refused: (user, message) =>
          setAuth((current) =>
            current.user && current.user.idToken === user.idToken
              ? {
                  ...current,
                  user: null,
                  notice: {
                    kind: 'error',
                    text: `The API refused the token of ${user.email}: ${message.replace(/\.?$/, '.')} Sign in again.`,
                  },
                }
              : current,
          ),
      }),
      [],
    );

    useEffect(() => {
      try {
        sessionStorage.setItem(SESSION_KEY, JSON.stringify({ mode: auth.mode, user: auth.user }));
      } catch {
        // Storage refused (private mode, quota): the sign-in still lasts until the page is reloaded.
      }
    }, [auth.mode, auth.user]);

    // The bar says so the moment a token expires, not at the next refused request.
    useEffect(() => {
      const user = auth.user;
      if (!user) return undefined;
      const timer = setTimeout(() => actions.expire(user), Math.min(user.expiresAt - Date.now(), MAX_TIMER_MS));
      return () => clearTimeout(timer);
    }, [auth.user]);

    return { auth, actions };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // GraphiQL's fetcher: AppSync's HTTP contract with the chosen credentials; headers typed in GraphiQL's Headers tab
  // win over them, so a hand-made token can still be tried.

  function lowerCaseKeys(headers) {
    return Object.fromEntries(
      Object.entries(headers || {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
  }

  function createFetcher(auth, actions) {
    return async (params, options) => {
      const headers = { 'content-type': 'application/json', accept: 'application/json' };
      const user = auth.mode === USER_POOL ? auth.user : null;
      if (user && Date.now() >= user.expiresAt) actions.expire(user);
      else if (user) headers.authorization = user.idToken;
      if (auth.mode === API_KEY) headers['x-api-key'] = config.apiKey;
      Object.assign(headers, lowerCaseKeys(options && options.headers));

      const response = await fetch(config.graphqlPath, { method: 'POST', headers, body: JSON.stringify(params) });
      const text = await response.text();
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        return `HTTP ${response.status} ${response.statusText}\n\n${text}`;
      }
      // Signed out and sending nothing of their own: say what to do rather than show the API's 401 as it is.
      if (response.status === 401 && auth.mode === USER_POOL && !headers.authorization) {
        const error = body && Array.isArray(body.errors) ? body.errors[0] : null;
        return [
          'Sign in with the bar above, then run this again.',
          '',
          `The API needs a user pool token and answered 401 ${(error && error.errorType) || ''}: ${
            (error && error.message) || response.statusText
          }`,
        ].join('\n');
      }
      if (response.status === 401 && user && headers.authorization === user.idToken) {
        const error = body && Array.isArray(body.errors) ? body.errors[0] : null;
        actions.refused(user, (error && error.message) || 'HTTP 401');
      }
      return body;
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The bar.

  function ModeSwitch({ mode, onChange }) {
    const labels = { [USER_POOL]: 'Cognito user pool', [API_KEY]: 'API key' };
    return h(
      'fieldset',
      { className: 'console-modes' },
      h('legend', null, 'Authorize with'),
      MODES.map((value) =>
        h(
          'label',
          { key: value },
          h('input', {
            type: 'radio',
            name: 'console-mode',
            value,
            checked: mode === value,
            onChange: () => onChange(value),
          }),
          labels[value],
        ),
      ),
    );
  }

  /** A control with its label beside it (not around it: a select's options would join the label's name). */
  function field(id, label, control) {
    return h('span', { className: 'console-field' }, h('label', { htmlFor: id }, label), control);
  }

  function SignInForm({ onSignedIn }) {
    const [choice, setChoice] = useState(config.users[0] ?? OTHER_EMAIL);
    const [typedEmail, setTypedEmail] = useState('');
    const prefilled = (user) => (Object.hasOwn(config.passwords, user) ? config.passwords[user] : '');
    const [password, setPassword] = useState(() => prefilled(choice));
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    const email = choice === OTHER_EMAIL ? typedEmail.trim() : choice;

    async function submit(event) {
      event.preventDefault();
      setBusy(true);
      setError(null);
      try {
        const user = await signIn(email, password);
        setPassword(prefilled(choice));
        onSignedIn(user);
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
      } finally {
        setBusy(false);
      }
    }

    return h(
      'form',
      { className: 'console-auth', onSubmit: submit, 'aria-label': 'Sign in' },
      // For password managers, which look for the username beside a password.
      choice !== OTHER_EMAIL &&
        h('input', { type: 'email', hidden: true, autoComplete: 'username', value: choice, readOnly: true }),
      config.users.length > 0 &&
        field(
          'console-user',
          'User',
          h(
            'select',
            {
              id: 'console-user',
              value: choice,
              onChange: (event) => {
                setChoice(event.target.value);
                setPassword(prefilled(event.target.value));
              },
            },
            config.users.map((user) => h('option', { key: user, value: user }, user)),
            h('option', { value: OTHER_EMAIL }, 'Another email…'),
          ),
        ),
      choice === OTHER_EMAIL &&
        field(
          'console-email',
          'Email',
          h('input', {
            id: 'console-email',
            type: 'email',
            required: true,
            autoComplete: 'username',
            value: typedEmail,
            onChange: (event) => setTypedEmail(event.target.value),
          }),
        ),
      field(
        'console-password',
        'Password',
        h('input', {
          id: 'console-password',
          type: 'password',
          required: true,
          autoComplete: 'current-password',
          value: password,
          onChange: (event) => setPassword(event.target.value),
        }),
      ),
      h('button', { type: 'submit', disabled: busy }, busy ? 'Signing in…' : 'Sign in'),
      error && h('p', { className: 'console-message error', role: 'alert' }, `Sign-in failed: ${error}`),
    );
  }

  function AuthBar({ auth, actions }) {
    let controls;
    if (auth.mode === USER_POOL && auth.user) {
      controls = h(
        'div',
        { className: 'console-signed-in' },
        h(
          'span',
          null,
          'Signed in as ',
          h('strong', null, auth.user.email),
          ` until ${clockTime(auth.user.expiresAt)}`,
        ),
        h('button', { type: 'button', onClick: actions.signOut }, 'Sign out'),
      );
    } else if (auth.mode === USER_POOL) {
      controls = h(SignInForm, { onSignedIn: actions.signedIn });
    } else if (auth.mode === API_KEY) {
      controls = h('span', null, 'Requests carry ', h('code', null, `x-api-key: ${config.apiKey}`));
    } else {
      controls = h('span', null, "No sign-in here for this API's auth modes: add headers in GraphiQL's Headers tab.");
    }
    return h(
      'header',
      { className: 'console-bar', 'aria-label': 'Authorization' },
      h('div', { className: 'console-title' }, h('strong', null, config.apiName), h('span', null, 'local AppSync')),
      MODES.length > 1 && h(ModeSwitch, { mode: auth.mode, onChange: actions.setMode }),
      controls,
      auth.notice &&
        h(
          'p',
          { className: `console-message ${auth.notice.kind}`, role: auth.notice.kind === 'error' ? 'alert' : 'status' },
          auth.notice.text,
        ),
    );
  }

  function App() {
    const { auth, actions } = useAuth();
    // A new fetcher makes GraphiQL fetch the schema again: signing in loads it, signing out forgets it.
    const fetcher = useMemo(() => createFetcher(auth, actions), [auth.mode, auth.user]);
    // Signed out of a user-pool API, introspection can only be refused: GraphiQL waits for a sign-in instead.
    const schema = auth.mode === USER_POOL && !auth.user ? null : undefined;
    return h(
      React.Fragment,
      null,
      h(AuthBar, { auth, actions }),
      h(
        'div',
        { className: 'console-graphiql' },
        h(GraphiQL, {
          fetcher,
          schema,
          defaultQuery: config.defaultQuery,
          isHeadersEditorEnabled: true,
          plugins: PLUGINS,
        }),
      ),
    );
  }

  ReactDOM.createRoot(root).render(h(App));
})();
