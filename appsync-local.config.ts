// The notes API served locally by `npm start` (`appsync-local serve --config appsync-local.config.ts`).
import type { LocalApiConfig } from './local/server/serve';
import { apiDefinition } from './infra/api-definition';

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
    corsOrigins: ['http://localhost:4000', 'http://127.0.0.1:4000', 'http://localhost:5173', 'http://127.0.0.1:5173'],
  },
};

export default config;
