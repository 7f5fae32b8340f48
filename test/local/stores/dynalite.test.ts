// The embedded dynalite closes what its queries open. Every LevelDB iterator is a resource its database holds (with a
// snapshot and a read-ahead buffer) until the iterator is closed; dynalite 4.0.0 never closed them, so each Query and
// Scan added one for good (local/stores/dynalite.ts). Counted here through abstract-level's attachResource and
// detachResource, the database's own registry of what it must close.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { dynaliteAbstractLevel } from '../../../local/stores/dynalite';
import { dynamoDBClient, ensureTables, startDynalite } from '../../../local/stores/dynamodb';
import { itemsTable } from '../../helpers/dynamodb-store';

interface ResourceOwner {
  attachResource(resource: object): void;
  detachResource(resource: object): void;
}

const ITEMS = 12;
const QUERIES = 25;

let dataRoot: string;
const open = new Set<object>();

beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), 'dynalite-iterators-'));
  const prototype = (dynaliteAbstractLevel().AbstractLevel as { prototype: ResourceOwner }).prototype;
  const attach = prototype.attachResource;
  const detach = prototype.detachResource;
  vi.spyOn(prototype, 'attachResource').mockImplementation(function (this: ResourceOwner, resource) {
    open.add(resource);
    attach.call(this, resource);
  });
  vi.spyOn(prototype, 'detachResource').mockImplementation(function (this: ResourceOwner, resource) {
    open.delete(resource);
    detach.call(this, resource);
  });
});

afterEach(() => open.clear());

afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dataRoot, { recursive: true, force: true });
});

describe.each([
  { mode: 'on disk (LevelDB)', onDisk: true },
  { mode: 'in memory', onDisk: false },
])('dynalite $mode', ({ onDisk }) => {
  it(`holds no iterator open after ${QUERIES * 4} queries and scans`, async () => {
    const store = await startDynalite({ dir: onDisk ? join(dataRoot, 'store') : undefined });
    const client = dynamoDBClient(store.endpoint);
    try {
      const table = itemsTable('notes');
      await ensureTables(client, [table]);
      for (let i = 0; i < ITEMS; i += 1) {
        const rank = { N: String(i) };
        const item = { pk: { S: 'owner' }, sk: { S: `note-${i}` }, status: { S: 'open' }, rank };
        await client.send(new PutItemCommand({ TableName: table.name, Item: item }));
      }
      const byOwner = { ':pk': { S: 'owner' } };
      const openNotes = { ':status': { S: 'open' } };
      for (let i = 0; i < QUERIES; i += 1) {
        // Stopped by its Limit, with items left: the read stream is destroyed early.
        const page = await client.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: byOwner,
            Limit: 5,
          }),
        );
        expect(page.Items).toHaveLength(5);
        // Read to its end: the read stream ends.
        const all = await client.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'byStatus',
            KeyConditionExpression: '#status = :status',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: openNotes,
          }),
        );
        expect(all.Items).toHaveLength(ITEMS);
        const scanned = await client.send(new ScanCommand({ TableName: table.name, Limit: 3 }));
        expect(scanned.Items).toHaveLength(3);
        const everything = await client.send(new ScanCommand({ TableName: table.name }));
        expect(everything.Items).toHaveLength(ITEMS);
      }

      // An iterator closes once the request that used it has been answered (its close is asynchronous).
      await expect.poll(() => open.size, { timeout: 5_000 }).toBe(0);
    } finally {
      client.destroy();
      await store.close();
    }
  });
});
