// ensureTables against the test store (dynalite, or DynamoDB Local in the fidelity run): tables as the definition
// says, idempotent, growing new indexes, refusing a key schema it cannot reconcile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../../local/definition';
import { ensureTables } from '../../../local/stores/dynamodb';
import { itemsTable, startTestStore, uniqueTableName, type TestStore } from '../../helpers/dynamodb-store';

let store: TestStore;

beforeAll(async () => {
  store = await startTestStore();
});

afterAll(async () => {
  await store?.close();
});

async function describeTable(name: string) {
  return (await store.client.send(new DescribeTableCommand({ TableName: name }))).Table;
}

describe('ensureTables', () => {
  it('creates an ACTIVE on-demand table with its key schema and ALL-projected indexes', async () => {
    const table = itemsTable();

    await ensureTables(store.client, [table]);

    const described = await describeTable(table.name);
    expect(described?.TableStatus).toBe('ACTIVE');
    expect(described?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(described?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(described?.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: 'byStatus',
        IndexStatus: 'ACTIVE',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'rank', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      }),
    ]);
  });

  it('leaves existing tables and their data alone when run again', async () => {
    const table = itemsTable();
    await ensureTables(store.client, [table]);
    const item = { pk: { S: 'a' }, sk: { S: 'b' } };
    await store.client.send(new PutItemCommand({ TableName: table.name, Item: item }));

    await ensureTables(store.client, [table]);

    expect((await describeTable(table.name))?.TableStatus).toBe('ACTIVE');
    const read = await store.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :a',
        ExpressionAttributeValues: { ':a': { S: 'a' } },
      }),
    );
    expect(read.Items).toEqual([item]);
  });

  it('adds an index the definition gained since the table was created, or says the store cannot', async () => {
    const name = uniqueTableName('growing');
    const before: TableDefinition = { name, partitionKey: { name: 'pk', type: 'S' } };
    const after: TableDefinition = {
      ...before,
      globalSecondaryIndexes: [{ indexName: 'byOwner', partitionKey: { name: 'owner', type: 'S' } }],
    };
    await ensureTables(store.client, [before]);
    await store.client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: '1' }, owner: { S: 'ann' } } }));

    if (store.kind === 'dynalite') {
      // dynalite accepts UpdateTable with a new index but never builds it: ensureTables says so instead of pretending.
      await expect(ensureTables(store.client, [after])).rejects.toThrow(
        `This store cannot add index byOwner to the existing table ${name}`,
      );
      return;
    }
    await ensureTables(store.client, [after]);

    const read = await store.client.send(
      new QueryCommand({
        TableName: name,
        IndexName: 'byOwner',
        KeyConditionExpression: '#o = :ann',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':ann': { S: 'ann' } },
      }),
    );
    expect(read.Items).toEqual([{ pk: { S: '1' }, owner: { S: 'ann' } }]);
  });

  it('refuses a table whose key schema differs from its definition', async () => {
    const name = uniqueTableName('changed');
    await ensureTables(store.client, [{ name, partitionKey: { name: 'pk', type: 'S' } }]);

    await expect(
      ensureTables(store.client, [
        { name, partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'S' } },
      ]),
    ).rejects.toThrow(`Table ${name} exists with key schema (pk HASH) but its definition says (pk HASH, sk RANGE)`);
  });

  it('refuses a key stored with another type than defined', async () => {
    const name = uniqueTableName('retyped');
    await ensureTables(store.client, [{ name, partitionKey: { name: 'id', type: 'S' } }]);

    await expect(ensureTables(store.client, [{ name, partitionKey: { name: 'id', type: 'N' } }])).rejects.toThrow(
      `Table ${name}: key id is stored as S but defined as N`,
    );
  });

  it('refuses one attribute declared with two types', async () => {
    const table: TableDefinition = {
      name: uniqueTableName('clash'),
      partitionKey: { name: 'pk', type: 'S' },
      globalSecondaryIndexes: [{ indexName: 'byPk', partitionKey: { name: 'pk', type: 'N' } }],
    };

    await expect(ensureTables(store.client, [table])).rejects.toThrow('attribute pk is declared as both S and N');
  });

  it('enables time to live where the store supports it', async () => {
    const table: TableDefinition = {
      name: uniqueTableName('expiring'),
      partitionKey: { name: 'pk', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    };

    await ensureTables(store.client, [table]);
    await ensureTables(store.client, [table]);

    const ttl = await store.client.send(new DescribeTimeToLiveCommand({ TableName: table.name }));
    // dynalite has no UpdateTimeToLive (nor expiry), so its tables report TTL as disabled.
    expect(ttl.TimeToLiveDescription).toEqual(
      store.kind === 'dynalite'
        ? { TimeToLiveStatus: 'DISABLED' }
        : { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' },
    );
  });
});
