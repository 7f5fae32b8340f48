// Batch and transaction requests through the DynamoDB data source on a real store, across two tables named by
// logical names. dynalite has no transactions: there the data source must hand back dynalite's own error, mapped;
// DynamoDB Local runs them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GetItemCommand,
  type AttributeValue,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  type BatchWriteItemCommandInput,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../../local/definition';
import { createDynamoDBDataSource, type DynamoDBDataSource } from '../../../local/server/datasources/dynamodb';
import { dynamoDBClient } from '../../../local/stores/dynamodb';
import {
  countersTable,
  createTables,
  itemsTable,
  recordCommands,
  startTestStore,
  type SentCommand,
  type TestStore,
} from '../../helpers/dynamodb-store';

let store: TestStore;
let items: TableDefinition;
let counters: TableDefinition;
let source: DynamoDBDataSource;
let calls: string[];
let sent: SentCommand[];

const S = (value: string) => ({ S: value });
const N = (value: number) => ({ N: value });

beforeAll(async () => {
  store = await startTestStore();
  items = itemsTable();
  counters = countersTable();
  await createTables(store, [items, counters]);
  sent = recordCommands(store.client);
  source = createDynamoDBDataSource({
    client: store.client,
    tableName: items.name,
    tableNames: { items: items.name, counters: counters.name },
    onRequest: (operation) => calls.push(operation),
  });
});

afterAll(async () => {
  await store?.close();
});

beforeEach(() => {
  calls = [];
  sent.length = 0;
});

/** A fresh numeric id per call, so tests never meet each other's counters. */
let nextCounterId = 1;
const counterId = () => nextCounterId++;

async function storedItem(tableName: string, key: Record<string, AttributeValue>) {
  return (await store.client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
}

/**
 * Holds back the first key (or write) sent for `tableName` and reports it unprocessed, as DynamoDB does when a batch
 * is throttled. Stores never do that on demand, so the test client plays the throttled service around the real call.
 */
function holdBackFirstRequest(client: DynamoDBClient, tableName: string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'BatchGetItemCommand') {
        const input = args.input as BatchGetItemCommandInput;
        const entry = input.RequestItems?.[tableName];
        const [held, ...rest] = entry?.Keys ?? [];
        if (!entry || !held) return next(args);
        const result = await next({
          ...args,
          input: { ...input, RequestItems: { ...input.RequestItems, [tableName]: { ...entry, Keys: rest } } },
        });
        (result.output as BatchGetItemCommandOutput).UnprocessedKeys = { [tableName]: { ...entry, Keys: [held] } };
        return result;
      }
      if (context.commandName === 'BatchWriteItemCommand') {
        const input = args.input as BatchWriteItemCommandInput;
        const [held, ...rest] = input.RequestItems?.[tableName] ?? [];
        if (!held) return next(args);
        const result = await next({
          ...args,
          input: { ...input, RequestItems: { ...input.RequestItems, [tableName]: rest } },
        });
        (result.output as BatchWriteItemCommandOutput).UnprocessedItems = { [tableName]: [held] };
        return result;
      }
      return next(args);
    },
    { step: 'initialize', name: 'holdBackFirstRequestForTests' },
  );
}

describe('DynamoDB data source: BatchPutItem', () => {
  it('writes items to several tables and returns them per logical table name', async () => {
    const pk = randomUUID();
    const id = counterId();

    const outcome = await source.invoke({
      operation: 'BatchPutItem',
      tables: {
        items: [
          { pk: S(pk), sk: S('a'), title: S('first') },
          { pk: S(pk), sk: S('b'), tags: { SS: ['x'] } },
        ],
        counters: [{ id: N(id), value: N(7) }],
      },
    });

    expect(outcome).toEqual({
      result: {
        data: {
          items: [
            { pk, sk: 'a', title: 'first' },
            { pk, sk: 'b', tags: ['x'] },
          ],
          counters: [{ id, value: 7 }],
        },
        unprocessedItems: { items: [], counters: [] },
      },
    });
    expect(calls).toEqual(['BatchWriteItem']);
    expect(Object.keys(sent[0].input.RequestItems as object).sort()).toEqual([items.name, counters.name].sort());
    expect(await storedItem(counters.name, { id: { N: String(id) } })).toEqual({
      id: { N: String(id) },
      value: { N: '7' },
    });
  });

  it('reports items DynamoDB did not process as null in data and lists them in unprocessedItems', async () => {
    const client = dynamoDBClient(store.endpoint);
    holdBackFirstRequest(client, counters.name);
    const throttled = createDynamoDBDataSource({
      client,
      tableName: items.name,
      tableNames: { counters: counters.name },
    });
    const [held, written] = [counterId(), counterId()];

    const outcome = await throttled.invoke({
      operation: 'BatchPutItem',
      tables: { counters: [{ id: N(held) }, { id: N(written) }] },
    });
    client.destroy();

    expect(outcome).toEqual({
      result: { data: { counters: [null, { id: written }] }, unprocessedItems: { counters: [{ id: held }] } },
    });
    expect(await storedItem(counters.name, { id: { N: String(held) } })).toBeUndefined();
  });

  it("passes DynamoDB's refusal of duplicate keys in one batch through", async () => {
    const pk = randomUUID();

    const outcome = await source.invoke({
      operation: 'BatchPutItem',
      tables: {
        items: [
          { pk: S(pk), sk: S('same') },
          { pk: S(pk), sk: S('same') },
        ],
      },
    });

    expect(outcome.error?.type).toBe('DynamoDB:ValidationException');
  });

  it('refuses a table entry that is not a list of items', async () => {
    const outcome = await source.invoke({ operation: 'BatchPutItem', tables: { items: { pk: S('x'), sk: S('y') } } });

    expect(outcome).toEqual({
      requestError: {
        type: 'MappingTemplate',
        message: "Expected a list at '$[tables][items]' but got 'OBJECT' instead.",
      },
    });
  });
});

describe('DynamoDB data source: BatchGetItem', () => {
  it('returns items per table in request order, with null for keys not found', async () => {
    const pk = randomUUID();
    const [id1, id2] = [counterId(), counterId()];
    await source.invoke({
      operation: 'BatchPutItem',
      tables: {
        items: ['c', 'a', 'b'].map((sk) => ({ pk: S(pk), sk: S(sk), label: S(sk.toUpperCase()) })),
        counters: [
          { id: N(id1), value: N(1) },
          { id: N(id2), value: N(2) },
        ],
      },
    });
    calls = [];

    const outcome = await source.invoke({
      operation: 'BatchGetItem',
      tables: {
        items: { keys: ['b', 'missing', 'a', 'c'].map((sk) => ({ pk: S(pk), sk: S(sk) })), consistentRead: true },
        counters: { keys: [{ id: N(id2) }, { id: N(id1) }] },
      },
    });

    expect(outcome).toEqual({
      result: {
        data: {
          items: [{ pk, sk: 'b', label: 'B' }, null, { pk, sk: 'a', label: 'A' }, { pk, sk: 'c', label: 'C' }],
          counters: [
            { id: id2, value: 2 },
            { id: id1, value: 1 },
          ],
        },
        unprocessedKeys: { items: [], counters: [] },
      },
    });
    expect(calls).toEqual(['BatchGetItem']);
    expect(
      (sent.at(-1)?.input.RequestItems as Record<string, { ConsistentRead?: boolean }>)[items.name].ConsistentRead,
    ).toBe(true);
  });

  it('keeps request order under a projection that leaves the key out, returning only what was projected', async () => {
    const pk = randomUUID();
    await source.invoke({
      operation: 'BatchPutItem',
      tables: { items: ['x', 'y'].map((sk) => ({ pk: S(pk), sk: S(sk), label: S(`label ${sk}`), other: S('o') })) },
    });

    const outcome = await source.invoke({
      operation: 'BatchGetItem',
      tables: {
        items: {
          keys: ['y', 'x'].map((sk) => ({ pk: S(pk), sk: S(sk) })),
          projection: { expression: '#l', expressionNames: { '#l': 'label' } },
        },
      },
    });

    expect(outcome).toEqual({
      result: { data: { items: [{ label: 'label y' }, { label: 'label x' }] }, unprocessedKeys: { items: [] } },
    });
  });

  it('reports keys DynamoDB did not process as null in data and lists them in unprocessedKeys', async () => {
    const [held, read] = [counterId(), counterId()];
    await source.invoke({ operation: 'BatchPutItem', tables: { counters: [{ id: N(held) }, { id: N(read) }] } });
    const client = dynamoDBClient(store.endpoint);
    holdBackFirstRequest(client, counters.name);
    const throttled = createDynamoDBDataSource({
      client,
      tableName: items.name,
      tableNames: { counters: counters.name },
    });

    const outcome = await throttled.invoke({
      operation: 'BatchGetItem',
      tables: { counters: { keys: [{ id: N(held) }, { id: N(read) }] } },
    });
    client.destroy();

    expect(outcome).toEqual({
      result: { data: { counters: [null, { id: read }] }, unprocessedKeys: { counters: [{ id: held }] } },
    });
  });

  it('passes a table name it does not know to DynamoDB, which answers ResourceNotFoundException', async () => {
    const outcome = await source.invoke({
      operation: 'BatchGetItem',
      tables: { [`nowhere-${randomUUID()}`]: { keys: [{ id: N(1) }] } },
    });

    expect(outcome.error?.type).toBe('DynamoDB:ResourceNotFoundException');
  });

  it('refuses keys given as a bare list (the shape of a VTL-era example), naming the missing keys field', async () => {
    const outcome = await source.invoke({ operation: 'BatchGetItem', tables: { counters: [{ id: N(1) }] } });

    expect(outcome).toEqual({
      requestError: {
        type: 'MappingTemplate',
        message: "Expected JSON object at '$[tables][counters]' but got 'ARRAY' instead.",
      },
    });
  });

  it('refuses two logical names for one physical table', async () => {
    const aliased = createDynamoDBDataSource({
      client: store.client,
      tableName: items.name,
      tableNames: { one: counters.name, two: counters.name },
    });

    const outcome = await aliased.invoke({
      operation: 'BatchGetItem',
      tables: { one: { keys: [{ id: N(1) }] }, two: { keys: [{ id: N(2) }] } },
    });

    expect(outcome).toEqual({
      requestError: { type: 'MappingTemplate', message: "Tables 'one' and 'two' of '$[tables]' are the same table." },
    });
  });

  it('refuses an empty tables map', async () => {
    expect(await source.invoke({ operation: 'BatchGetItem', tables: {} })).toEqual({
      requestError: {
        type: 'MappingTemplate',
        message: "'$[tables]' must be a JSON object naming at least one table.",
      },
    });
  });
});

describe('DynamoDB data source: BatchDeleteItem', () => {
  it('deletes across tables and returns the deleted keys', async () => {
    const pk = randomUUID();
    const id = counterId();
    await source.invoke({
      operation: 'BatchPutItem',
      tables: { items: [{ pk: S(pk), sk: S('a'), label: S('kept out of the result') }], counters: [{ id: N(id) }] },
    });

    const outcome = await source.invoke({
      operation: 'BatchDeleteItem',
      tables: { items: [{ pk: S(pk), sk: S('a') }], counters: [{ id: N(id) }] },
    });

    expect(outcome).toEqual({
      result: {
        data: { items: [{ pk, sk: 'a' }], counters: [{ id }] },
        unprocessedKeys: { items: [], counters: [] },
      },
    });
    expect(await storedItem(items.name, { pk: S(pk), sk: S('a') })).toBeUndefined();
    expect(await storedItem(counters.name, { id: { N: String(id) } })).toBeUndefined();
  });

  it('reports keys DynamoDB did not process as null in data and lists them in unprocessedKeys', async () => {
    const [held, deleted] = [counterId(), counterId()];
    await source.invoke({ operation: 'BatchPutItem', tables: { counters: [{ id: N(held) }, { id: N(deleted) }] } });
    const client = dynamoDBClient(store.endpoint);
    holdBackFirstRequest(client, counters.name);
    const throttled = createDynamoDBDataSource({
      client,
      tableName: items.name,
      tableNames: { counters: counters.name },
    });

    const outcome = await throttled.invoke({
      operation: 'BatchDeleteItem',
      tables: { counters: [{ id: N(held) }, { id: N(deleted) }] },
    });
    client.destroy();

    expect(outcome).toEqual({
      result: { data: { counters: [null, { id: deleted }] }, unprocessedKeys: { counters: [{ id: held }] } },
    });
    expect(await storedItem(counters.name, { id: { N: String(held) } })).toBeDefined();
  });
});

describe('DynamoDB data source: TransactGetItems', () => {
  it('reads items across tables in request order, null for missing ones', async () => {
    const pk = randomUUID();
    const id = counterId();
    await source.invoke({
      operation: 'BatchPutItem',
      tables: { items: [{ pk: S(pk), sk: S('a'), label: S('A') }], counters: [{ id: N(id), value: N(5) }] },
    });
    calls = [];

    const outcome = await source.invoke({
      operation: 'TransactGetItems',
      transactItems: [
        { table: 'counters', key: { id: N(id) } },
        { table: 'items', key: { pk: S(pk), sk: S('missing') } },
        { table: 'items', key: { pk: S(pk), sk: S('a') }, projection: { expression: 'label' } },
      ],
    });

    expect(calls).toEqual(['TransactGetItems']);
    if (store.kind === 'dynalite') {
      expect(outcome).toEqual({
        result: { items: null, cancellationReasons: null },
        error: {
          type: 'DynamoDB:UnknownOperationException',
          message: expect.stringMatching(
            /^UnknownOperationException \(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$/,
          ),
        },
      });
      return;
    }
    expect(outcome).toEqual({
      result: { items: [{ id, value: 5 }, null, { label: 'A' }], cancellationReasons: null },
    });
  });

  it('refuses an empty transaction', async () => {
    expect(await source.invoke({ operation: 'TransactGetItems', transactItems: [] })).toEqual({
      requestError: { type: 'MappingTemplate', message: "'$[transactItems]' must hold at least one request item." },
    });
  });
});

describe('DynamoDB data source: TransactWriteItems', () => {
  it('writes every item across tables and returns their keys in request order', async () => {
    const pk = randomUUID();
    const id = counterId();
    await source.invoke({ operation: 'BatchPutItem', tables: { items: [{ pk: S(pk), sk: S('gone') }] } });

    const outcome = await source.invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: 'items', operation: 'PutItem', key: { pk: S(pk), sk: S('new') }, attributeValues: { label: S('N') } },
        {
          table: 'counters',
          operation: 'UpdateItem',
          key: { id: N(id) },
          update: { expression: 'ADD #v :one', expressionNames: { '#v': 'value' }, expressionValues: { ':one': N(1) } },
        },
        { table: 'items', operation: 'DeleteItem', key: { pk: S(pk), sk: S('gone') } },
        {
          table: 'items',
          operation: 'ConditionCheck',
          key: { pk: S(pk), sk: S('absent') },
          condition: { expression: 'attribute_not_exists(pk)' },
        },
      ],
    });

    if (store.kind === 'dynalite') {
      expect(outcome).toMatchObject({
        result: { keys: null, cancellationReasons: null },
        error: { type: 'DynamoDB:UnknownOperationException' },
      });
      expect(await storedItem(items.name, { pk: S(pk), sk: S('new') })).toBeUndefined();
      return;
    }
    expect(outcome).toEqual({
      result: {
        keys: [{ pk, sk: 'new' }, { id }, { pk, sk: 'gone' }, { pk, sk: 'absent' }],
        cancellationReasons: null,
      },
    });
    expect(await storedItem(items.name, { pk: S(pk), sk: S('new') })).toEqual({
      pk: S(pk),
      sk: S('new'),
      label: S('N'),
    });
    expect(await storedItem(counters.name, { id: { N: String(id) } })).toEqual({
      id: { N: String(id) },
      value: { N: '1' },
    });
    expect(await storedItem(items.name, { pk: S(pk), sk: S('gone') })).toBeUndefined();
  });

  it('cancels everything on a failed condition, returning the stored item in cancellationReasons', async () => {
    const pk = randomUUID();
    await source.invoke({
      operation: 'BatchPutItem',
      tables: { items: [{ pk: S(pk), sk: S('post'), title: S('Actual old title') }] },
    });

    const outcome = await source.invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'items',
          operation: 'PutItem',
          key: { pk: S(pk), sk: S('post') },
          attributeValues: { title: S('New title') },
          condition: { expression: 'title = :old', expressionValues: { ':old': S('Expected old title') } },
        },
        { table: 'items', operation: 'PutItem', key: { pk: S(pk), sk: S('other') } },
      ],
    });

    if (store.kind === 'dynalite') {
      expect(outcome.error?.type).toBe('DynamoDB:UnknownOperationException');
      return;
    }
    expect(outcome.result).toEqual({
      keys: null,
      cancellationReasons: [
        {
          item: { pk, sk: 'post', title: 'Actual old title' },
          type: 'ConditionalCheckFailed',
          message: 'The conditional request failed',
        },
        { type: 'None', message: 'None' },
      ],
    });
    expect(outcome.error?.type).toBe('DynamoDB:TransactionCanceledException');
    expect(await storedItem(items.name, { pk: S(pk), sk: S('other') })).toBeUndefined();
  });

  it('leaves the stored item out of cancellationReasons when returnValuesOnConditionCheckFailure is false', async () => {
    const pk = randomUUID();
    await source.invoke({ operation: 'BatchPutItem', tables: { items: [{ pk: S(pk), sk: S('post') }] } });

    const outcome = await source.invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'items',
          operation: 'ConditionCheck',
          key: { pk: S(pk), sk: S('post') },
          condition: { expression: 'attribute_not_exists(pk)', returnValuesOnConditionCheckFailure: false },
        },
      ],
    });

    expect(sent.at(-1)?.input.TransactItems).toEqual([
      expect.objectContaining({
        ConditionCheck: expect.objectContaining({ ReturnValuesOnConditionCheckFailure: 'NONE' }),
      }),
    ]);
    if (store.kind === 'dynalite') {
      expect(outcome.error?.type).toBe('DynamoDB:UnknownOperationException');
      return;
    }
    expect(outcome.result).toEqual({
      keys: null,
      // DynamoDB Local words a failed ConditionCheck with a final period, a failed Put without: passed on as given.
      cancellationReasons: [
        { type: 'ConditionalCheckFailed', message: expect.stringMatching(/^The conditional request failed\.?$/) },
      ],
    });
  });

  it('refuses a ConditionCheck without condition and an unknown item operation', async () => {
    const key = { id: N(1) };

    const withoutCondition = await source.invoke({
      operation: 'TransactWriteItems',
      transactItems: [{ table: 'counters', operation: 'ConditionCheck', key }],
    });
    const unknown = await source.invoke({
      operation: 'TransactWriteItems',
      transactItems: [{ table: 'counters', operation: 'Query', key }],
    });

    expect(withoutCondition).toEqual({
      requestError: { type: 'MappingTemplate', message: "Value for field '$[transactItems][0][condition]' not found." },
    });
    expect(unknown).toEqual({
      requestError: {
        type: 'MappingTemplate',
        message: "Unsupported operation 'Query' at '$[transactItems][0][operation]'.",
      },
    });
    expect(calls).toEqual([]);
  });

  it('refuses fields that do not belong to the item operation', async () => {
    const outcome = await source.invoke({
      operation: 'TransactWriteItems',
      transactItems: [{ table: 'counters', operation: 'DeleteItem', key: { id: N(1) }, attributeValues: {} }],
    });

    expect(outcome).toEqual({
      requestError: { type: 'MappingTemplate', message: "Unsupported element '$[transactItems][0][attributeValues]'." },
    });
  });
});
