// The DynamoDB-compatible store a test file runs against. dynalite (in-process, in memory) by default; the fidelity
// run points the same suites at AWS's DynamoDB Local:
//   DYNAMODB_STORE=dynamodb-local  start DynamoDB Local (needs Java) once per test file
//   DYNAMODB_ENDPOINT=http://...   use an endpoint that is already running (tables get unique names)
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../local/definition';
import { dynamoDBClient, ensureTables, startDynalite } from '../../local/stores/dynamodb';
import { startDynamoDBLocal } from '../../local/stores/dynamodb-local';

export type StoreKind = 'dynalite' | 'dynamodb-local';

export interface TestStore {
  kind: StoreKind;
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

export function testStoreKind(): StoreKind {
  if (process.env.DYNAMODB_ENDPOINT || process.env.DYNAMODB_STORE === 'dynamodb-local') return 'dynamodb-local';
  if (process.env.DYNAMODB_STORE && process.env.DYNAMODB_STORE !== 'dynalite') {
    throw new Error(`DYNAMODB_STORE must be 'dynalite' or 'dynamodb-local', not '${process.env.DYNAMODB_STORE}'`);
  }
  return 'dynalite';
}

export async function startTestStore(): Promise<TestStore> {
  const kind = testStoreKind();
  const external = process.env.DYNAMODB_ENDPOINT;
  const running = external
    ? { endpoint: external, close: async () => {} }
    : kind === 'dynamodb-local'
      ? await startDynamoDBLocal()
      : await startDynalite();
  const client = dynamoDBClient(running.endpoint);
  return {
    kind,
    endpoint: running.endpoint,
    client,
    async close() {
      client.destroy();
      await running.close();
    },
  };
}

/** A table name no other test file (or earlier run against a shared endpoint) uses. */
export function uniqueTableName(base: string): string {
  return `${base}-${randomUUID().slice(0, 8)}`;
}

/** `pk`/`sk` strings, and a `byStatus` index on status (S) and rank (N): enough shapes for every request kind. */
export function itemsTable(name = uniqueTableName('items')): TableDefinition {
  return {
    name,
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    globalSecondaryIndexes: [
      { indexName: 'byStatus', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'rank', type: 'N' } },
    ],
  };
}

/** A numeric partition key and no sort key. */
export function countersTable(name = uniqueTableName('counters')): TableDefinition {
  return { name, partitionKey: { name: 'id', type: 'N' } };
}

export async function createTables(store: TestStore, tables: TableDefinition[]): Promise<void> {
  await ensureTables(store.client, tables);
}

export interface SentCommand {
  command: string;
  input: Record<string, unknown>;
}

/** Every command the client sends from now on, as sent: to see what reached the store, not to change it. */
export function recordCommands(client: DynamoDBClient): SentCommand[] {
  const sent: SentCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ command: context.commandName ?? '', input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommandsForTests' },
  );
  return sent;
}
