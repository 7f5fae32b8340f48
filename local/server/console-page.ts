// The page at `/`: GraphiQL with a sign-in bar, like the AppSync console's "Login with User Pools", so a person can
// explore the API without pasting tokens. The page only carries its configuration; the app is console/console.js,
// and every script and style comes from this server (console/assets.ts), never from a CDN.
import { consoleAssetUrl } from './console/assets';

export interface ConsolePageOptions {
  apiName: string;
  graphqlPath: string;
  /** The local user pool the page signs in to (Cognito's SRP: USER_SRP_AUTH, PASSWORD_VERIFIER), from the browser. */
  cognito?: { endpoint: string; userPoolId: string; clientId: string; region: string };
  /** Emails of the local users, offered in the sign-in bar. */
  users: string[];
  /** Their passwords, prefilled when a user is chosen; left out when the server is reachable beyond loopback. */
  passwords?: Record<string, string>;
  /** When given, the bar offers sending this key as `x-api-key` instead of a user's token. */
  apiKey?: string;
  /** The query a first visit opens with; a generic one when absent. */
  defaultQuery?: string;
}

function genericDefaultQuery(options: ConsolePageOptions): string {
  const how = options.cognito ? 'Sign in with the bar above, then run' : 'Run';
  return [
    `# ${options.apiName} on the local AppSync.`,
    '#',
    `# ${how}`,
    '# with the ▶ button or Ctrl-Enter. The Docs',
    '# panel (top left) lists the types and fields',
    '# once the schema has loaded.',
    '',
    'query {',
    '  __typename',
    '}',
    '',
  ].join('\n');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/** JSON inside a <script> element: `<` escaped so no value can close the element or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function consolePage(options: ConsolePageOptions): string {
  const config = {
    apiName: options.apiName,
    graphqlPath: options.graphqlPath,
    cognito: options.cognito ?? null,
    users: options.users,
    passwords: options.passwords ?? {},
    apiKey: options.apiKey ?? null,
    defaultQuery: options.defaultQuery ?? genericDefaultQuery(options),
  };
  const title = escapeHtml(`${options.apiName} · local AppSync`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${consoleAssetUrl('graphiql.css')}">
<link rel="stylesheet" href="${consoleAssetUrl('explorer.css')}">
<link rel="stylesheet" href="${consoleAssetUrl('console.css')}">
</head>
<body>
<div id="console-root"><p class="console-loading">Loading GraphiQL…</p></div>
<noscript>The console needs JavaScript. The API itself answers POST requests at ${escapeHtml(options.graphqlPath)}.</noscript>
<script type="application/json" id="console-config">${scriptJson(config)}</script>
<script src="${consoleAssetUrl('react.js')}"></script>
<script src="${consoleAssetUrl('react-dom.js')}"></script>
<script src="${consoleAssetUrl('graphiql.js')}"></script>
<script src="${consoleAssetUrl('explorer.js')}"></script>
<script src="${consoleAssetUrl('auth.js')}"></script>
<script src="${consoleAssetUrl('console.js')}"></script>
</body>
</html>
`;
}
