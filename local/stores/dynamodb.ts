// The embedded DynamoDB-compatible store (dynalite: pure Node, LevelDB on disk or in memory) and the table setup shared
// by every store the local server can point at (dynalite, DynamoDB Local, a real endpoint).
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, TableDefinition } from '../definition';
import { closeServer, endpointUrl, listen } from './shared';
import { cachedBundle } from '../bundle-cache';
import { profilerFlags, workerEnded } from '../threads';
import { loadDynalite } from './dynalite';
import type { DynaliteThreadSetup, FromDynaliteThread } from './dynamodb-thread';

export interface RunningStore {
  endpoint: string;
  close(): Promise<void>;
}

export interface DynaliteOptions {
  /** LevelDB folder; the store lives in memory when absent. */
  dir?: string;
  /** 0 or absent picks a free port. */
  port?: number;
  host?: string;
  /** Run the store on a worker thread of its own, beside the caller's event loop (the server does). */
  thread?: boolean;
}

export async function startDynalite(opts: DynaliteOptions = {}): Promise<RunningStore> {
  const host = opts.host ?? '127.0.0.1';
  if (opts.thread) return startDynaliteThread({ dir: opts.dir, port: opts.port ?? 0, host });
  // Tables become ACTIVE at once: the 500 ms default only imitates AWS's provisioning delay.
  const server = loadDynalite()({ path: opts.dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, opts.port ?? 0, host);
  let closing: Promise<void> | undefined;
  return {
    endpoint: endpointUrl(host, port),
    close() {
      // dynalite's close stops the HTTP server, then waits for pending writes and closes LevelDB (releasing its lock).
      closing ??= closeServer(server);
      return closing;
    },
  };
}

async function startDynaliteThread(setup: DynaliteThreadSetup): Promise<RunningStore> {
  const script = cachedBundle(
    'dynalite-thread',
    new URL('./dynamodb-thread.ts', import.meta.url),
    ['./dynamodb-thread.ts', './dynalite.ts', './shared/'].map((source) => new URL(source, import.meta.url)),
    { format: 'esm', platform: 'node', target: 'node20', packages: 'external', extension: 'mjs' },
  );
  const worker = new Worker(
    script.file ? pathToFileURL(script.file) : new URL(`data:text/javascript,${encodeURIComponent(script.text)}`),
    {
      workerData: setup,
      env: {},
      argv: [],
      execArgv: profilerFlags(),
      // V8's own young generation, not a smaller one: capped at 12 MB, the store's scavenges cost a tenth more CPU
      // per listNotes and createNote under the bench's load (two A/B runs, eight paired rounds); uncapped, the
      // server's resident memory peaks about 25 MB higher.
    },
  );
  const next = () =>
    new Promise<FromDynaliteThread>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`The DynamoDB store's thread stopped (exit code ${code})`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (message: FromDynaliteThread) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve(message);
      });
    });
  const started = await next();
  if (!('endpoint' in started)) {
    await worker.terminate();
    throw new Error(`The DynamoDB store cannot start: ${'error' in started ? started.error : 'no answer'}`);
  }
  // The thread must not keep a process alive that has nothing else to do.
  worker.unref();
  let closing: Promise<void> | undefined;
  return {
    endpoint: started.endpoint,
    close() {
      closing ??= (async () => {
        const closed = next();
        worker.postMessage('close');
        try {
          const answer = await closed;
          if ('error' in answer) throw new Error(`The DynamoDB store did not close cleanly: ${answer.error}`);
        } finally {
          // Having answered, the thread lets go of its port and ends by itself.
          await workerEnded(worker);
        }
      })();
      return closing;
    },
  };
}

/**
 * A client for a local endpoint: fixed dummy credentials, so no AWS profile or environment is ever consulted.
 * `cacheMiddleware` (the SDK's option) resolves each command's middleware stack once instead of on every call, where
 * it was a tenth of a server's own work per request; middleware added after a command's first call is then ignored,
 * so only a client whose stack never changes (the server's) asks for it.
 */
export function dynamoDBClient(
  endpoint: string,
  region = 'us-east-1',
  options: { cacheMiddleware?: boolean } = {},
): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    cacheMiddleware: options.cacheMiddleware ?? false,
  });
}

const READY_TIMEOUT_MS = 30_000;
const DYNALITE_INDEX_THROUGHPUT = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 };
const POLL_MS = 50;

/**
 * Creates each table that is missing, adds missing global secondary indexes, enables TTL, and waits until all are
 * ACTIVE. Safe to run on every start. A table whose key schema differs from its definition is an error: its data
 * cannot be reinterpreted.
 */
export async function ensureTables(client: DynamoDBClient, tables: TableDefinition[]): Promise<void> {
  for (const table of tables) {
    const existing = await describeTable(client, table.name);
    if (!existing) {
      await client.send(new CreateTableCommand(createTableInput(table)));
    } else {
      assertSameKeySchema(table, existing);
      await addMissingIndexes(client, table, existing);
    }
    await waitUntilActive(client, table.name);
    if (table.timeToLiveAttribute) await enableTimeToLive(client, table.name, table.timeToLiveAttribute);
  }
}

async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

function attributeDefinitions(table: TableDefinition): AttributeDefinition[] {
  const byName = new Map<string, KeyAttribute>();
  const keys = [table.partitionKey, table.sortKey];
  for (const index of table.globalSecondaryIndexes ?? []) keys.push(index.partitionKey, index.sortKey);
  for (const key of keys) {
    if (!key) continue;
    const seen = byName.get(key.name);
    if (seen && seen.type !== key.type) {
      throw new Error(`Table ${table.name}: attribute ${key.name} is declared as both ${seen.type} and ${key.type}`);
    }
    byName.set(key.name, key);
  }
  return [...byName.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
}

function createTableInput(table: TableDefinition) {
  const indexes = table.globalSecondaryIndexes ?? [];
  return {
    TableName: table.name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeDefinitions(table),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(indexes.length > 0 && {
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        // The deployed stack projects ALL; anything narrower would hide attributes locally that AWS returns.
        Projection: { ProjectionType: 'ALL' as const },
      })),
    }),
  };
}

function describeKeys(schema: KeySchemaElement[] | undefined): string {
  return (schema ?? []).map((key) => `${key.AttributeName} ${key.KeyType}`).join(', ');
}

function assertSameKeySchema(table: TableDefinition, existing: TableDescription): void {
  const expected = describeKeys(keySchema(table.partitionKey, table.sortKey));
  const actual = describeKeys(existing.KeySchema);
  if (expected !== actual) {
    throw new Error(
      `Table ${table.name} exists with key schema (${actual}) but its definition says (${expected}); ` +
        'delete the table (or the local data folder) to recreate it',
    );
  }
  const types = new Map(existing.AttributeDefinitions?.map((d) => [d.AttributeName, d.AttributeType]));
  for (const key of [table.partitionKey, table.sortKey]) {
    if (key && types.get(key.name) !== key.type) {
      throw new Error(
        `Table ${table.name}: key ${key.name} is stored as ${types.get(key.name)} but defined as ${key.type}`,
      );
    }
  }
}

async function addMissingIndexes(client: DynamoDBClient, table: TableDefinition, existing: TableDescription) {
  const present = new Map(existing.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index]));
  for (const index of table.globalSecondaryIndexes ?? []) {
    const found = present.get(index.indexName);
    if (found) {
      const expected = describeKeys(keySchema(index.partitionKey, index.sortKey));
      if (describeKeys(found.KeySchema) !== expected) {
        throw new Error(
          `Index ${index.indexName} of table ${table.name} has keys (${describeKeys(found.KeySchema)}) ` +
            `but its definition says (${expected}); delete the table (or the local data folder) to recreate it`,
        );
      }
      continue;
    }
    // One index per UpdateTable call is all DynamoDB accepts.
    const create = {
      IndexName: index.indexName,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: 'ALL' as const },
    };
    const update = (withThroughput: boolean) =>
      client.send(
        new UpdateTableCommand({
          TableName: table.name,
          AttributeDefinitions: attributeDefinitions(table),
          GlobalSecondaryIndexUpdates: [
            { Create: withThroughput ? { ...create, ProvisionedThroughput: DYNALITE_INDEX_THROUGHPUT } : create },
          ],
        }),
      );
    try {
      await update(false);
    } catch (error) {
      // dynalite insists on throughput for a new index even on an on-demand table (DynamoDB refuses it there).
      if (!/provisionedThroughput/i.test((error as Error).message)) throw error;
      await update(true);
    }
    await waitUntilActive(client, table.name);
    const after = await describeTable(client, table.name);
    if (!after?.GlobalSecondaryIndexes?.some((created) => created.IndexName === index.indexName)) {
      // dynalite accepts the update but never builds the index.
      throw new Error(
        `This store cannot add index ${index.indexName} to the existing table ${table.name}; ` +
          'delete the table (or the local data folder) to recreate it with the index',
      );
    }
  }
}

async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const table = await describeTable(client, name);
    const indexesReady = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesReady) return;
    if (Date.now() > deadline) {
      throw new Error(`Table ${name} did not become ACTIVE within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function enableTimeToLive(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const description = current.TimeToLiveDescription;
  if (description?.TimeToLiveStatus === 'ENABLED' && description.AttributeName === attribute) return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
      }),
    );
  } catch (error) {
    // dynalite has no UpdateTimeToLive (nor any expiry); the setting only matters to stores that honour it.
    if ((error as { name?: string }).name === 'UnknownOperationException') return;
    throw error;
  }
}
