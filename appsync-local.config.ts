// The notes API served locally by `npm start` (`appsync-local serve --config appsync-local.config.ts`).
import type { LocalApiConfig } from './local/server/serve';
import { apiDefinition, STAGED_UPLOADS_EXPIRY } from './infra/api-definition';

const config: LocalApiConfig = {
  definition: apiDefinition,
  rootDir: '.',
  users: [
    { email: 'alice@example.com', password: 'Passw0rd!alice' },
    { email: 'bob@example.com', password: 'Passw0rd!bob' },
  ],
  consoleQuery: [
    '# Sign in above, then run with ▶ (or Ctrl-Enter).',
    'mutation CreateNote {',
    '  createNote(input: {',
    '    content: "Hello from the local AppSync"',
    '  }) {',
    '    noteId',
    '    version',
    '  }',
    '}',
    '',
    'query ListNotes {',
    '  listNotes(limit: 20) {',
    '    items { noteId content version }',
    '    nextToken',
    '  }',
    '}',
    '',
  ].join('\n'),
  bucket: {
    name: 'notes-uploads-local',
    // Any loopback origin (the console, a dev server on any port) is allowed; add others with --cors-origin.
    corsOrigins: [],
    lifecycleRules: [STAGED_UPLOADS_EXPIRY],
  },
};

export default config;
