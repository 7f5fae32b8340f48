// A start that fails once its stores run stops them all and says why. The tables are created while the engine is
// built (serve.ts), so a table that cannot be used must still fail the start, after the engine was built, and leave
// the data folder to the next start (dynalite's LevelDB lock released).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition, TableDefinition } from '../../../local/definition';
import { serveLocalApi } from '../../../local/server/serve';
import { writeFiles } from '../../helpers/files';

const API_KEY = 'da2-startfailures0000000';

const definitionWith = (table: TableDefinition): ApiDefinition => ({
  name: 'start-failures',
  schema: 'schema.graphql',
  auth: { default: 'API_KEY' },
  dataSources: { items: { type: 'AMAZON_DYNAMODB', table } },
  resolvers: [{ kind: 'UNIT', typeName: 'Query', fieldName: 'item', dataSource: 'items', code: 'item.js' }],
});

const byId: TableDefinition = { name: 'Items', partitionKey: { name: 'id', type: 'S' } };
const byIdAndVersion: TableDefinition = { ...byId, sortKey: { name: 'version', type: 'N' } };

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'start-failures-'));
  await writeFiles(dir, {
    'schema.graphql': 'type Item { id: ID! } type Query { item(id: ID!): Item }',
    'item.js': `import * as ddb from '@aws-appsync/utils/dynamodb';
      export function request(ctx) { return ddb.get({ key: { id: ctx.args.id } }); }
      export function response(ctx) { return ctx.result; }`,
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const serve = (table: TableDefinition) =>
  serveLocalApi({
    definition: definitionWith(table),
    rootDir: dir,
    dataDir: path.join(dir, 'data'),
    port: 0,
    apiKeys: [API_KEY],
    users: [],
    log: () => {},
  });

describe('a start that fails after its stores started', () => {
  it('refuses a table whose key schema changed, and leaves the data folder to the next start', async () => {
    await (await serve(byId)).close();
    await expect(serve(byIdAndVersion)).rejects.toThrow(
      'Table Items exists with key schema (id HASH) but its definition says (id HASH, version RANGE)',
    );
    const again = await serve(byId);
    try {
      const response = await fetch(again.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ query: '{ item(id: "none") { id } }' }),
      });
      expect(await response.json()).toEqual({ data: { item: null } });
    } finally {
      await again.close();
    }
  });
});
