// The DynamoDB data source against a real store (dynalite by default; DynamoDB Local with DYNAMODB_STORE=dynamodb-local
// or DYNAMODB_ENDPOINT). Item requests, AppSync's type system, condition handling, errors and call counts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../../local/definition';
import {
  createDynamoDBDataSource,
  type DataSourceOutcome,
  type DynamoDBDataSource,
} from '../../../local/server/datasources/dynamodb';
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
/** The same data source with ctx.result beside a failed condition's error (the looser reading of AppSync). */
let sourceWithCurrentItem: DynamoDBDataSource;
let calls: string[];
let sent: SentCommand[];

beforeAll(async () => {
  store = await startTestStore();
  items = itemsTable();
  counters = countersTable();
  await createTables(store, [items, counters]);
  sent = recordCommands(store.client);
  source = createDynamoDBDataSource({
    client: store.client,
    tableName: items.name,
    onRequest: (operation) => calls.push(operation),
  });
  sourceWithCurrentItem = createDynamoDBDataSource({
    client: store.client,
    tableName: items.name,
    onRequest: (operation) => calls.push(operation),
    currentItemOnConditionFailure: true,
  });
});

afterAll(async () => {
  await store?.close();
});

beforeEach(() => {
  calls = [];
  sent.length = 0;
});

const S = (value: string) => ({ S: value });
const N = (value: number | string) => ({ N: value });
const keyOf = (pk: string, sk = 'item') => ({ pk: S(pk), sk: S(sk) });
const CONDITIONAL_FAILED = /^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$/;

async function put(pk: string, attributeValues: Record<string, unknown>, sk = 'item'): Promise<void> {
  const outcome = await source.invoke({ operation: 'PutItem', key: keyOf(pk, sk), attributeValues });
  expect(outcome.error).toBeUndefined();
}

async function stored(pk: string, sk = 'item') {
  return (await store.client.send(new GetItemCommand({ TableName: items.name, Key: keyOf(pk, sk) }))).Item;
}

describe('DynamoDB data source: type system', () => {
  it('round-trips every attribute type through PutItem and GetItem as plain JSON', async () => {
    const pk = randomUUID();
    await put(pk, {
      text: S('héllo ✓'),
      integer: N(42),
      negative: N(-7.25),
      big: N('12345678901234'),
      yes: { BOOL: true },
      no: { BOOL: false },
      nothing: { NULL: true },
      bytes: { B: 'AAECAwT/' },
      list: { L: [S('a'), N(1), { BOOL: false }, { NULL: true }, { L: [S('nested')] }] },
      map: { M: { level1: { M: { level2: { M: { deep: S('x'), count: N(3) } } } }, empty: { M: {} } } },
      strings: { SS: ['b', 'a', 'c'] },
      numbers: { NS: [3, 1.5, -2] },
      blobs: { BS: ['AQ==', 'Ag=='] },
    });

    const outcome = await source.invoke({ operation: 'GetItem', key: keyOf(pk) });

    const result = outcome.result as Record<string, unknown>;
    expect(outcome.error).toBeUndefined();
    expect({
      ...result,
      strings: [...(result.strings as string[])].sort(),
      numbers: [...(result.numbers as number[])].sort((a, b) => a - b),
      blobs: [...(result.blobs as string[])].sort(),
    }).toEqual({
      pk,
      sk: 'item',
      text: 'héllo ✓',
      integer: 42,
      negative: -7.25,
      big: 12345678901234,
      yes: true,
      no: false,
      nothing: null,
      bytes: 'AAECAwT/',
      list: ['a', 1, false, null, ['nested']],
      map: { level1: { level2: { deep: 'x', count: 3 } }, empty: {} },
      strings: ['a', 'b', 'c'],
      numbers: [-2, 1.5, 3],
      blobs: ['AQ==', 'Ag=='],
    });
  });

  it('stores numbers given as JSON numbers and as strings alike', async () => {
    const pk = randomUUID();
    // util.dynamodb.toDynamoDB(10) yields { N: 10 }; hand-written requests often use DynamoDB's own { N: "10" }.
    await put(pk, { asNumber: N(10), asString: N('10'), set: { NS: [1, '2.5'] } });

    const item = await stored(pk);

    expect(item?.asNumber).toEqual({ N: '10' });
    expect(item?.asString).toEqual({ N: '10' });
    expect([...(item?.set.NS ?? [])].sort()).toEqual(['1', '2.5']);
  });

  it('stores base64 binary as bytes and returns it as base64', async () => {
    const pk = randomUUID();
    await put(pk, { bytes: { B: 'AAEC' } });

    const item = await stored(pk);
    const outcome = await source.invoke({ operation: 'GetItem', key: keyOf(pk) });

    expect([...(item?.bytes.B ?? [])]).toEqual([0, 1, 2]);
    expect((outcome.result as Record<string, unknown>).bytes).toBe('AAEC');
  });

  it('stores util.dynamodb.toNull() output ({ NULL: null }) as a DynamoDB NULL', async () => {
    const pk = randomUUID();
    await put(pk, { gone: { NULL: null } });

    expect((await stored(pk))?.gone).toEqual({ NULL: true });
  });

  it('returns numbers written with trailing zeros or exponents as JSON numbers', async () => {
    const pk = randomUUID();
    await put(pk, { price: N('1.50'), large: N('1E+3') });

    const outcome = await source.invoke({ operation: 'GetItem', key: keyOf(pk) });

    expect(outcome.result).toMatchObject({ price: 1.5, large: 1000 });
  });
});

describe('DynamoDB data source: GetItem', () => {
  it('returns null for an item that does not exist', async () => {
    expect(await source.invoke({ operation: 'GetItem', key: keyOf(randomUUID()) })).toEqual({ result: null });
  });

  it('returns only the projected attributes', async () => {
    const pk = randomUUID();
    await put(pk, { title: S('t'), body: S('b'), meta: { M: { wordCount: N(3), kind: S('k') } } });

    const outcome = await source.invoke({
      operation: 'GetItem',
      key: keyOf(pk),
      projection: { expression: '#t, meta.wordCount', expressionNames: { '#t': 'title' } },
    });

    expect(outcome).toEqual({ result: { title: 't', meta: { wordCount: 3 } } });
  });

  it('passes consistentRead through to DynamoDB', async () => {
    await source.invoke({ operation: 'GetItem', key: keyOf(randomUUID()), consistentRead: true });
    await source.invoke({ operation: 'GetItem', key: keyOf(randomUUID()) });

    expect(sent.map((command) => command.input.ConsistentRead)).toEqual([true, undefined]);
  });
});

describe('DynamoDB data source: PutItem', () => {
  it('returns the item written, key included', async () => {
    const pk = randomUUID();

    const outcome = await source.invoke({
      operation: 'PutItem',
      key: keyOf(pk),
      attributeValues: { title: S('first'), count: N(1) },
    });

    expect(outcome).toEqual({ result: { pk, sk: 'item', title: 'first', count: 1 } });
  });

  it('replaces the whole stored item when there is no condition', async () => {
    const pk = randomUUID();
    await put(pk, { title: S('first'), extra: S('dropped') });

    await put(pk, { title: S('second') });

    expect(await stored(pk)).toEqual({ ...keyOf(pk), title: S('second') });
  });

  it('writes when the condition holds', async () => {
    const pk = randomUUID();

    const outcome = await source.invoke({
      operation: 'PutItem',
      key: keyOf(pk),
      attributeValues: { title: S('new') },
      condition: { expression: 'attribute_not_exists(pk)' },
    });

    expect(outcome).toEqual({ result: { pk, sk: 'item', title: 'new' } });
    expect(calls).toEqual(['PutItem']);
  });

  it('rejects a failed condition with ConditionalCheckFailedException and no result', async () => {
    const pk = randomUUID();
    await put(pk, { title: S('stored'), version: N(2) });
    calls = [];

    const outcome = await source.invoke({
      operation: 'PutItem',
      key: keyOf(pk),
      attributeValues: { title: S('other'), version: N(2) },
      condition: { expression: 'version = :expected', expressionValues: { ':expected': N(1) } },
    });

    // The stricter reading: a report of AppSync's own context (aws-appsync-community #343) has no ctx.result here.
    expect(outcome).not.toHaveProperty('result');
    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(outcome.error?.message).toMatch(CONDITIONAL_FAILED);
    expect(calls).toEqual(['PutItem', 'GetItem']);
    expect((await stored(pk))?.title).toEqual(S('stored'));
  });

  it('hands over the stored item as result when set to supply the current item', async () => {
    const pk = randomUUID();
    await put(pk, { title: S('stored'), version: N(2) });
    calls = [];

    const outcome = await sourceWithCurrentItem.invoke({
      operation: 'PutItem',
      key: keyOf(pk),
      attributeValues: { title: S('other'), version: N(2) },
      condition: { expression: 'version = :expected', expressionValues: { ':expected': N(1) } },
    });

    expect(outcome.result).toEqual({ pk, sk: 'item', title: 'stored', version: 2 });
    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(calls).toEqual(['PutItem', 'GetItem']);
  });

  it('succeeds after a failed condition when the stored item already equals the one written', async () => {
    const pk = randomUUID();
    await put(pk, { title: S('same') });
    calls = [];

    const outcome = await source.invoke({
      operation: 'PutItem',
      key: keyOf(pk),
      attributeValues: { title: S('same') },
      condition: { expression: 'attribute_not_exists(pk)' },
    });

    expect(outcome).toEqual({ result: { pk, sk: 'item', title: 'same' } });
    expect(calls).toEqual(['PutItem', 'GetItem']);
  });

  it('ignores equalsIgnore attributes when comparing, returning the stored item (the documented version example)', async () => {
    const pk = randomUUID();
    await put(pk, { name: S('Steve'), version: N(8) });

    const outcome = await source.invoke({
      operation: 'PutItem',
      key: keyOf(pk),
      attributeValues: { name: S('Steve'), version: N(2) },
      condition: {
        expression: 'version = :expectedVersion',
        expressionValues: { ':expectedVersion': N(1) },
        equalsIgnore: ['version'],
      },
    });

    expect(outcome).toEqual({ result: { pk, sk: 'item', name: 'Steve', version: 8 } });
  });

  it('compares numbers by value and sets regardless of order', async () => {
    const pk = randomUUID();
    await put(pk, { price: N('1.50'), tags: { SS: ['b', 'a'] }, sizes: { NS: ['10', '2'] } });

    const outcome = await source.invoke({
      operation: 'PutItem',
      key: keyOf(pk),
      attributeValues: { price: N(1.5), tags: { SS: ['a', 'b'] }, sizes: { NS: [2, 10] } },
      condition: { expression: 'attribute_not_exists(pk)' },
    });

    const result = outcome.result as { price: number; tags: string[]; sizes: number[] };
    expect(outcome.error).toBeUndefined();
    expect(result.price).toBe(1.5);
    expect([...result.tags].sort()).toEqual(['a', 'b']);
    expect([...result.sizes].sort((a, b) => a - b)).toEqual([2, 10]);
  });

  it('rejects when an attribute outside equalsIgnore differs', async () => {
    const pk = randomUUID();
    await put(pk, { name: S('Steve'), version: N(8) });

    const outcome = await source.invoke({
      operation: 'PutItem',
      key: keyOf(pk),
      attributeValues: { name: S('Bob'), version: N(2) },
      condition: {
        expression: 'version = :expectedVersion',
        expressionValues: { ':expectedVersion': N(1) },
        equalsIgnore: ['version'],
      },
    });

    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(outcome).not.toHaveProperty('result');
  });

  it('rejects with a null result when supplying the current item and there is none', async () => {
    const outcome = await sourceWithCurrentItem.invoke({
      operation: 'PutItem',
      key: keyOf(randomUUID()),
      attributeValues: { title: S('x') },
      condition: { expression: 'attribute_exists(pk)' },
    });

    expect(outcome.result).toBeNull();
    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
  });

  it('reads the current item strongly consistent unless the condition asks otherwise', async () => {
    const pk = randomUUID();
    await put(pk, { title: S('stored') });
    const failing = { expression: 'attribute_not_exists(pk)' };
    sent.length = 0;

    await source.invoke({ operation: 'PutItem', key: keyOf(pk), condition: failing });
    await source.invoke({ operation: 'PutItem', key: keyOf(pk), condition: { ...failing, consistentRead: false } });

    const reads = sent.filter((command) => command.command === 'GetItemCommand');
    expect(reads.map((command) => command.input.ConsistentRead)).toEqual([true, false]);
  });

  it('rejects a Custom strategy failure, saying the Lambda handler cannot run locally', async () => {
    const pk = randomUUID();
    await put(pk, { title: S('stored') });

    const outcome = await source.invoke({
      operation: 'PutItem',
      key: keyOf(pk),
      attributeValues: { title: S('other') },
      condition: {
        expression: 'attribute_not_exists(pk)',
        conditionalCheckFailedHandler: { strategy: 'Custom', lambdaArn: 'arn:aws:lambda:us-east-1:1:function:f' },
      },
    });

    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(outcome.error?.message).toContain("conditionalCheckFailedHandler 'Custom'");
    expect(outcome).not.toHaveProperty('result');
  });
});

describe('DynamoDB data source: UpdateItem', () => {
  it('applies SET, ADD, REMOVE, DELETE and list_append and returns the whole updated item', async () => {
    const pk = randomUUID();
    await put(pk, {
      title: S('old'),
      count: N(1),
      obsolete: S('x'),
      tags: { SS: ['a', 'b'] },
      log: { L: [S('one')] },
      meta: { M: { inner: S('before') } },
    });
    calls = [];

    const outcome = await source.invoke({
      operation: 'UpdateItem',
      key: keyOf(pk),
      update: {
        expression:
          'SET #title = :title, #log = list_append(#log, :more), meta.#inner = :inner ADD #count :one REMOVE obsolete DELETE tags :gone',
        expressionNames: { '#title': 'title', '#log': 'log', '#inner': 'inner', '#count': 'count' },
        expressionValues: {
          ':title': S('new'),
          ':more': { L: [S('two')] },
          ':inner': S('after'),
          ':one': N(1),
          ':gone': { SS: ['a'] },
        },
      },
    });

    expect(outcome).toEqual({
      result: {
        pk,
        sk: 'item',
        title: 'new',
        count: 2,
        tags: ['b'],
        log: ['one', 'two'],
        meta: { inner: 'after' },
      },
    });
    expect(calls).toEqual(['UpdateItem']);
  });

  it('creates the item when none exists', async () => {
    const pk = randomUUID();

    const outcome = await source.invoke({
      operation: 'UpdateItem',
      key: keyOf(pk),
      update: { expression: 'SET title = :title', expressionValues: { ':title': S('fresh') } },
    });

    expect(outcome).toEqual({ result: { pk, sk: 'item', title: 'fresh' } });
  });

  it('rejects a failed condition, never comparing (AppSync cannot tell the outcome)', async () => {
    const pk = randomUUID();
    await put(pk, { title: S('same'), version: N(3) });
    calls = [];

    const outcome = await sourceWithCurrentItem.invoke({
      operation: 'UpdateItem',
      key: keyOf(pk),
      update: { expression: 'SET title = :title', expressionValues: { ':title': S('same') } },
      condition: { expression: 'version = :v', expressionValues: { ':v': N(1) } },
    });

    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(outcome.result).toEqual({ pk, sk: 'item', title: 'same', version: 3 });
    expect(calls).toEqual(['UpdateItem', 'GetItem']);
  });

  it('shares a placeholder between update and condition when both give it the same value', async () => {
    const pk = randomUUID();
    await put(pk, { status: S('open') });

    const outcome = await source.invoke({
      operation: 'UpdateItem',
      key: keyOf(pk),
      update: {
        expression: 'SET #s = :closed',
        expressionNames: { '#s': 'status' },
        expressionValues: { ':closed': S('closed') },
      },
      condition: {
        expression: '#s <> :closed',
        expressionNames: { '#s': 'status' },
        expressionValues: { ':closed': S('closed') },
      },
    });

    expect(outcome).toEqual({ result: { pk, sk: 'item', status: 'closed' } });
  });

  it('refuses a placeholder that update and condition give different values', async () => {
    const outcome = await source.invoke({
      operation: 'UpdateItem',
      key: keyOf(randomUUID()),
      update: { expression: 'SET a = :v', expressionValues: { ':v': S('one') } },
      condition: { expression: 'b = :v', expressionValues: { ':v': S('two') } },
    });

    expect(outcome).toEqual({
      requestError: {
        type: 'MappingTemplate',
        message: "Expression value ':v' at '$[condition]' conflicts with another expression.",
      },
    });
    expect(calls).toEqual([]);
  });
});

describe('DynamoDB data source: DeleteItem', () => {
  it('returns the deleted item', async () => {
    const pk = randomUUID();
    await put(pk, { title: S('bye') });

    const outcome = await source.invoke({ operation: 'DeleteItem', key: keyOf(pk) });

    expect(outcome).toEqual({ result: { pk, sk: 'item', title: 'bye' } });
    expect(await stored(pk)).toBeUndefined();
  });

  it('returns null when there was nothing to delete', async () => {
    expect(await source.invoke({ operation: 'DeleteItem', key: keyOf(randomUUID()) })).toEqual({ result: null });
  });

  it('succeeds after a failed condition when the item is already gone', async () => {
    const outcome = await source.invoke({
      operation: 'DeleteItem',
      key: keyOf(randomUUID()),
      condition: { expression: 'attribute_exists(pk)' },
    });

    expect(outcome).toEqual({ result: null });
    expect(calls).toEqual(['DeleteItem', 'GetItem']);
  });

  it('rejects a failed condition on a stored item and keeps it', async () => {
    const pk = randomUUID();
    await put(pk, { owner: S('alice') });

    const outcome = await source.invoke({
      operation: 'DeleteItem',
      key: keyOf(pk),
      // `owner` is one of DynamoDB's reserved words, so it needs a name placeholder.
      condition: {
        expression: '#owner = :me',
        expressionNames: { '#owner': 'owner' },
        expressionValues: { ':me': S('bob') },
      },
    });

    expect(outcome.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(outcome).not.toHaveProperty('result');
    expect(await stored(pk)).toBeDefined();
  });
});

describe('DynamoDB data source: DynamoDB errors', () => {
  it('maps a key that does not match the schema to DynamoDB:ValidationException', async () => {
    const outcome = await source.invoke({ operation: 'GetItem', key: { pk: S('only-half') } });

    expect(outcome.error?.type).toBe('DynamoDB:ValidationException');
    // The store's own words: "The provided key element does not match the schema" from dynalite (as DynamoDB says),
    // "The number of conditions on the keys is invalid" from DynamoDB Local.
    expect(outcome.error?.message).toMatch(
      /^The (provided key element does not match the schema|number of conditions on the keys is invalid) \(Service: DynamoDb, Status Code: 400, Request ID: \S+\)$/,
    );
  });

  it('maps a table that does not exist to DynamoDB:ResourceNotFoundException', async () => {
    const missing = createDynamoDBDataSource({ client: store.client, tableName: `missing-${randomUUID()}` });

    const outcome = await missing.invoke({ operation: 'GetItem', key: keyOf('x') });

    expect(outcome.error?.type).toBe('DynamoDB:ResourceNotFoundException');
  });

  it('maps an invalid number string to DynamoDB:ValidationException', async () => {
    const outcome = await source.invoke({
      operation: 'PutItem',
      key: keyOf(randomUUID()),
      attributeValues: { n: N('twelve') },
    });

    expect(outcome.error?.type).toBe('DynamoDB:ValidationException');
  });

  it('answers with an error outcome, not a rejection, when the store cannot be reached', async () => {
    const { dynamoDBClient } = await import('../../../local/stores/dynamodb');
    const unreachable = dynamoDBClient('http://127.0.0.1:9');
    const offline = createDynamoDBDataSource({ client: unreachable, tableName: items.name });

    const outcome = await offline.invoke({ operation: 'GetItem', key: keyOf('x') });
    unreachable.destroy();

    expect(outcome.result).toBeUndefined();
    expect(outcome.error?.type).toBe('DynamoDB:DynamoDbException');
    expect(outcome.error?.message).toMatch(/^Unable to execute HTTP request: /);
  });
});

describe('DynamoDB data source: malformed requests', () => {
  const key = keyOf('k');
  const cases: Array<[string, unknown, string]> = [
    ['a request that is not an object', 'GetItem', "Expected the request to be a JSON object but got 'STRING'."],
    ['a request without operation', { key }, "Value for field '$[operation]' not found."],
    ['an unknown operation', { operation: 'Explode', key }, "Unsupported operation 'Explode'."],
    ['a missing key', { operation: 'GetItem' }, "Value for field '$[key]' not found."],
    [
      'a key that is not an object',
      { operation: 'GetItem', key: 'k' },
      "Expected JSON object at '$[key]' but got 'STRING' instead.",
    ],
    [
      'a plain value where a typed value belongs',
      { operation: 'GetItem', key: { pk: 'k', sk: S('item') } },
      "Expected JSON object for attribute value '$[key][pk]' but got 'STRING' instead.",
    ],
    [
      'an unknown type key',
      { operation: 'PutItem', key, attributeValues: { a: { X: 1 } } },
      "Unsupported attribute value type 'X' at '$[attributeValues][a]'.",
    ],
    [
      'a typed value with two types',
      { operation: 'PutItem', key, attributeValues: { a: { S: 'x', N: 1 } } },
      "Attribute value '$[attributeValues][a]' must have exactly one type key (S, N, B, BOOL, NULL, L, M, SS, NS, BS); found S, N.",
    ],
    [
      'a number under S',
      { operation: 'PutItem', key, attributeValues: { a: { S: 5 } } },
      "Expected a string at '$[attributeValues][a][S]' but got 'NUMBER'.",
    ],
    [
      'a number that is not finite',
      { operation: 'PutItem', key, attributeValues: { a: { N: Number.NaN } } },
      "Number value at '$[attributeValues][a][N]' is not finite: NaN.",
    ],
    [
      'a boolean given as a string',
      { operation: 'PutItem', key, attributeValues: { a: { BOOL: 'true' } } },
      "Expected a boolean at '$[attributeValues][a][BOOL]' but got 'STRING'.",
    ],
    [
      'binary that is not base64',
      { operation: 'PutItem', key, attributeValues: { a: { B: 'not base64!' } } },
      "Expected a base64 string at '$[attributeValues][a][B]' but got 'STRING'.",
    ],
    [
      'a nested bad value inside a list of a map',
      { operation: 'PutItem', key, attributeValues: { a: { M: { b: { L: [S('ok'), { N: true }] } } } } },
      "Expected a number or numeric string at '$[attributeValues][a][M][b][L][1][N]' but got 'BOOLEAN'.",
    ],
    [
      'an element AppSync does not know',
      { operation: 'Scan', scanIndexForward: false },
      "Unsupported element '$[scanIndexForward]'.",
    ],
    [
      'returnValuesOnConditionCheckFailure outside a transaction (as AppSync refuses it)',
      { operation: 'PutItem', key, condition: { expression: 'a = b', returnValuesOnConditionCheckFailure: false } },
      "Unsupported element '$[condition][returnValuesOnConditionCheckFailure]'.",
    ],
    [
      'a condition without expression',
      { operation: 'DeleteItem', key, condition: { expressionValues: {} } },
      "Value for field '$[condition][expression]' not found.",
    ],
    ['an UpdateItem without update', { operation: 'UpdateItem', key }, "Value for field '$[update]' not found."],
    [
      'a limit that is not an integer',
      { operation: 'Scan', limit: '10' },
      "Expected an integer at '$[limit]' but got 'STRING' instead.",
    ],
    [
      'an unknown failure strategy',
      {
        operation: 'PutItem',
        key,
        condition: { expression: 'a = b', conditionalCheckFailedHandler: { strategy: 'Ignore' } },
      },
      "Unsupported strategy 'Ignore' at '$[condition][conditionalCheckFailedHandler][strategy]'.",
    ],
    [
      'expression names that are not strings',
      { operation: 'GetItem', key, projection: { expression: '#a', expressionNames: { '#a': 1 } } },
      "Expected a string at '$[projection][expressionNames][#a]' but got 'NUMBER'.",
    ],
  ];

  it.each(cases)('refuses %s as a MappingTemplate error without calling DynamoDB', async (_name, request, message) => {
    const outcome: DataSourceOutcome = await source.invoke(request);

    expect(outcome).toEqual({ requestError: { type: 'MappingTemplate', message } });
    expect(calls).toEqual([]);
  });

  it('answers every kind of non-object request with an error outcome', async () => {
    for (const request of [undefined, null, 42, [], [{ operation: 'GetItem' }], true]) {
      const outcome = await source.invoke(request);
      expect(outcome.requestError?.type).toBe('MappingTemplate');
    }
  });

  it('treats null optional fields as absent, as templates pass them', async () => {
    const outcome = await source.invoke({
      operation: 'Scan',
      limit: null,
      nextToken: null,
      filter: null,
      index: null,
      consistentRead: null,
    });

    expect(outcome.error).toBeUndefined();
  });

  it('accepts the version field VTL templates carry', async () => {
    const outcome = await source.invoke({ version: '2018-05-29', operation: 'GetItem', key: keyOf(randomUUID()) });

    expect(outcome).toEqual({ result: null });
  });
});

describe('DynamoDB data source: calls per request', () => {
  it('makes exactly one DynamoDB call per simple operation', async () => {
    const pk = randomUUID();
    const counterSource = createDynamoDBDataSource({
      client: store.client,
      tableName: items.name,
      tableNames: { counters: counters.name },
      onRequest: (operation) => calls.push(operation),
    });
    const requests: Array<[string, unknown]> = [
      ['PutItem', { operation: 'PutItem', key: keyOf(pk), attributeValues: { n: N(1) } }],
      ['GetItem', { operation: 'GetItem', key: keyOf(pk) }],
      [
        'UpdateItem',
        {
          operation: 'UpdateItem',
          key: keyOf(pk),
          update: { expression: 'ADD n :one', expressionValues: { ':one': N(1) } },
        },
      ],
      ['Query', { operation: 'Query', query: { expression: 'pk = :pk', expressionValues: { ':pk': S(pk) } } }],
      ['Scan', { operation: 'Scan', limit: 5 }],
      ['DeleteItem', { operation: 'DeleteItem', key: keyOf(pk) }],
      ['BatchWriteItem', { operation: 'BatchPutItem', tables: { counters: [{ id: N(1) }] } }],
      ['BatchGetItem', { operation: 'BatchGetItem', tables: { counters: { keys: [{ id: N(1) }] } } }],
      ['BatchWriteItem', { operation: 'BatchDeleteItem', tables: { counters: [{ id: N(1) }] } }],
    ];

    for (const [api, request] of requests) {
      calls = [];
      const outcome = await counterSource.invoke(request);
      expect(outcome.error).toBeUndefined();
      expect(calls).toEqual([api]);
    }
  });
});
