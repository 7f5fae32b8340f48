// The page at `/`: a console to explore the API, with sign-in for local users.
export interface ConsolePageOptions {
  apiName: string;
  graphqlPath: string;
  cognito?: { endpoint: string; clientId: string; region: string };
  users: string[];
  apiKey?: string;
}

export function consolePage(options: ConsolePageOptions): string {
  const config = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${options.apiName} (local AppSync)</title></head>
<body><h1>${options.apiName}</h1><p>POST GraphQL to <code>${options.graphqlPath}</code>.</p>
<script>window.APPSYNC_LOCAL = ${config};</script></body></html>`;
}
