// The embedded dynalite store: where it listens, that data under a folder survives a restart, and that closing
// releases the folder even while a client still holds connections.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDBClient, ensureTables, startDynalite } from '../../../local/stores/dynamodb';
import { itemsTable } from '../../helpers/dynamodb-store';

let dataRoot: string;

beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), 'dynalite-test-'));
});

afterAll(async () => {
  await rm(dataRoot, { recursive: true, force: true });
});

// The server runs the store on a thread of its own (`thread: true`); tests and tools may run it in-process.
describe.each([
  { mode: 'in-process', thread: false },
  { mode: 'on its own thread', thread: true },
])('startDynalite ($mode)', ({ thread }) => {
  it('listens on 127.0.0.1 on a free port by default', async () => {
    const store = await startDynalite({ thread });
    const client = dynamoDBClient(store.endpoint);

    const tables = await client.send(new ListTablesCommand({}));
    client.destroy();
    await store.close();

    expect(store.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(tables.TableNames).toEqual([]);
  });

  it('keeps the data of a folder across a restart', async () => {
    const dir = join(dataRoot, `restart-${thread}`);
    const table = itemsTable('notes');
    const key = { pk: { S: 'owner' }, sk: { S: 'note-1' } };

    const first = await startDynalite({ dir, thread });
    const writer = dynamoDBClient(first.endpoint);
    await ensureTables(writer, [table]);
    await writer.send(new PutItemCommand({ TableName: table.name, Item: { ...key, body: { S: 'kept' } } }));
    // The client still holds a keep-alive connection while the store closes.
    await first.close();
    writer.destroy();

    const second = await startDynalite({ dir, thread });
    const reader = dynamoDBClient(second.endpoint);
    await ensureTables(reader, [table]);
    const read = await reader.send(new GetItemCommand({ TableName: table.name, Key: key }));
    reader.destroy();
    await second.close();

    expect(read.Item).toEqual({ ...key, body: { S: 'kept' } });
  });

  it('keeps nothing between two in-memory stores', async () => {
    const table = itemsTable('scratch');
    const first = await startDynalite({ thread });
    const firstClient = dynamoDBClient(first.endpoint);
    await ensureTables(firstClient, [table]);
    firstClient.destroy();
    await first.close();

    const second = await startDynalite({ thread });
    const secondClient = dynamoDBClient(second.endpoint);
    const tables = await secondClient.send(new ListTablesCommand({}));
    secondClient.destroy();
    await second.close();

    expect(tables.TableNames).toEqual([]);
  });

  it('rejects when the port is taken', async () => {
    const first = await startDynalite({ thread });
    const port = Number(new URL(first.endpoint).port);

    await expect(startDynalite({ port, thread })).rejects.toThrow(/EADDRINUSE/);
    await first.close();
  });

  it('can be closed twice', async () => {
    const store = await startDynalite({ thread });

    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('dynamoDBClient', () => {
  it('signs with fixed local credentials in us-east-1 unless told otherwise', async () => {
    const client = dynamoDBClient('http://127.0.0.1:1');
    const other = dynamoDBClient('http://127.0.0.1:1', 'eu-west-1');

    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'local', secretAccessKey: 'local' });
    expect(await client.config.region()).toBe('us-east-1');
    expect(await other.config.region()).toBe('eu-west-1');
    client.destroy();
    other.destroy();
  });
});
