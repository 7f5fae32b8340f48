// The @aws-appsync/utils/dynamodb request builders: the examples of AWS's "Built-in modules" page
// (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-modules-js.html) and of the @aws-appsync/utils type
// definitions (lib/dynamodb-helpers.d.ts), with the request shapes of the "JavaScript resolver function reference
// for DynamoDB"; then optional arguments, conditions, projections and bad input. `update` has its own file.
import { describe, expect, it } from 'vitest';
import * as ddb from '../../../../local/runtime/realm/dynamodb/index';

const ownerCondition = {
  expression: '(#owner = :owner_eq)',
  expressionNames: { '#owner': 'owner' },
  expressionValues: { ':owner_eq': { S: 'user-1' } },
};

describe('ddb.get', () => {
  it('builds the documented GetItem request', () => {
    expect(ddb.get({ key: { id: 'abc' } })).toStrictEqual({ operation: 'GetItem', key: { id: { S: 'abc' } } });
  });

  it('converts a hash and sort key, numbers kept as JSON numbers', () => {
    expect(ddb.get({ key: { id: 1, name: 'n' } })).toStrictEqual({
      operation: 'GetItem',
      key: { id: { N: 1 }, name: { S: 'n' } },
    });
  });

  it('adds consistentRead and a projection when given', () => {
    expect(ddb.get({ key: { id: '1' }, consistentRead: true, projection: ['id', 'a.b'] })).toStrictEqual({
      operation: 'GetItem',
      key: { id: { S: '1' } },
      consistentRead: true,
      projection: {
        expression: '#expName_1, #expName_2.#expName_3',
        expressionNames: { '#expName_1': 'id', '#expName_2': 'a', '#expName_3': 'b' },
      },
    });
  });

  it('keeps consistentRead false, which is a value and not an absence', () => {
    expect(ddb.get({ key: { id: '1' }, consistentRead: false })).toStrictEqual({
      operation: 'GetItem',
      key: { id: { S: '1' } },
      consistentRead: false,
    });
  });

  it('leaves out optional arguments that are null', () => {
    expect(ddb.get({ key: { id: '1' }, consistentRead: null, projection: null })).toStrictEqual({
      operation: 'GetItem',
      key: { id: { S: '1' } },
    });
  });

  it.each([
    ['no input', undefined, 'ddb.get: expected an input object, got undefined'],
    ['no key', {}, 'ddb.get: "key" is required and must be an object, got undefined'],
    ['a key that is a string', { key: 'abc' }, 'ddb.get: "key" is required and must be an object, got a string'],
  ])('rejects %s', (_name, input, message) => {
    expect(() => ddb.get(input)).toThrow(message);
  });
});

describe('projections', () => {
  it('gives a segment used twice a single name', () => {
    expect(ddb.get({ key: { id: '1' }, projection: ['a.b', 'a.c'] }).projection).toStrictEqual({
      expression: '#expName_1.#expName_2, #expName_1.#expName_3',
      expressionNames: { '#expName_1': 'a', '#expName_2': 'b', '#expName_3': 'c' },
    });
  });

  it('keeps list indexes outside the names, as in the documented "nested.object[1]"', () => {
    expect(ddb.get({ key: { id: '1' }, projection: ['id', 'name', 'nested.object[1]'] }).projection).toStrictEqual({
      expression: '#expName_1, #expName_2, #expName_3.#expName_4[1]',
      expressionNames: { '#expName_1': 'id', '#expName_2': 'name', '#expName_3': 'nested', '#expName_4': 'object' },
    });
  });

  it('leaves out an empty projection', () => {
    expect(ddb.get({ key: { id: '1' }, projection: [] })).toStrictEqual({
      operation: 'GetItem',
      key: { id: { S: '1' } },
    });
  });

  it.each([
    ['a string instead of a list', 'id', 'ddb.get: "projection" must be a list, got a string'],
    ['an empty path', [''], 'ddb.get: "projection" must list attribute paths, got a string'],
    ['a path with an empty segment', ['a..b'], 'ddb.get: "a..b" is not an attribute path (name.name[index])'],
    ['a path with a broken index', ['a[x]'], 'ddb.get: "a[x]" is not an attribute path (name.name[index])'],
  ])('rejects %s', (_name, projection, message) => {
    expect(() => ddb.get({ key: { id: '1' }, projection })).toThrow(message);
  });
});

describe('ddb.put', () => {
  it('builds the documented PutItem request from the arguments, the key kept apart from the item', () => {
    expect(ddb.put({ key: { id: 'generated' }, item: { title: 'A', done: false } })).toStrictEqual({
      operation: 'PutItem',
      key: { id: { S: 'generated' } },
      attributeValues: { title: { S: 'A' }, done: { BOOL: false } },
    });
  });

  it('renders the condition of the type-definition example as an expression object', () => {
    const request = ddb.put({
      key: { id: 'task-1' },
      condition: { owner: { eq: 'user-1' } },
      item: { title: 'New Task', description: 'New Task Description', owner: 'user-1', isComplete: false },
    });
    expect(request.condition).toStrictEqual(ownerCondition);
  });

  it('leaves expressionValues out of a condition that binds no value', () => {
    expect(
      ddb.put({ key: { id: '1' }, item: {}, condition: { id: { attributeExists: false } } }).condition,
    ).toStrictEqual({
      expression: '(attribute_not_exists(#id))',
      expressionNames: { '#id': 'id' },
    });
  });

  it('passes the versioning arguments through', () => {
    expect(
      ddb.put({ key: { id: '1' }, item: { v: 1 }, _version: 3, customPartitionKey: 'cpk', populateIndexFields: true }),
    ).toStrictEqual({
      operation: 'PutItem',
      key: { id: { S: '1' } },
      attributeValues: { v: { N: 1 } },
      customPartitionKey: 'cpk',
      populateIndexFields: true,
      _version: 3,
    });
  });

  it('rejects a missing item', () => {
    expect(() => ddb.put({ key: { id: '1' } })).toThrow(
      'ddb.put: "item" is required and must be an object, got undefined',
    );
  });

  it('rejects a condition written as a raw expression, which AppSync cannot render either', () => {
    expect(() => ddb.put({ key: { id: '1' }, item: {}, condition: { expression: 'attribute_exists(id)' } })).toThrow(
      'ddb.put: "condition" is not a filter object AppSync can turn into a DynamoDB expression',
    );
  });
});

describe('ddb.remove', () => {
  it('builds the documented DeleteItem request', () => {
    expect(ddb.remove({ key: { id: 'x' } })).toStrictEqual({ operation: 'DeleteItem', key: { id: { S: 'x' } } });
  });

  it('adds the condition of the type-definition example and a version', () => {
    expect(ddb.remove({ key: { id: 'task-1' }, condition: { owner: { eq: 'user-1' } }, _version: 2 })).toStrictEqual({
      operation: 'DeleteItem',
      key: { id: { S: 'task-1' } },
      condition: ownerCondition,
      _version: 2,
    });
  });
});

describe('ddb.scan', () => {
  it('builds the documented paginated Scan', () => {
    const { limit = 10, nextToken } = { nextToken: undefined } as { limit?: number; nextToken?: string };
    expect(ddb.scan({ limit, nextToken })).toStrictEqual({ operation: 'Scan', limit: 10 });
  });

  it('accepts no input at all', () => {
    expect(ddb.scan()).toStrictEqual({ operation: 'Scan' });
  });

  it('passes every documented argument', () => {
    expect(
      ddb.scan({
        index: 'gsi',
        limit: 2,
        nextToken: 't',
        consistentRead: true,
        select: 'ALL_ATTRIBUTES',
        totalSegments: 4,
        segment: 1,
        filter: { a: { eq: 1 } },
        projection: ['a'],
      }),
    ).toStrictEqual({
      operation: 'Scan',
      index: 'gsi',
      limit: 2,
      nextToken: 't',
      consistentRead: true,
      select: 'ALL_ATTRIBUTES',
      totalSegments: 4,
      segment: 1,
      filter: { expression: '(#a = :a_eq)', expressionNames: { '#a': 'a' }, expressionValues: { ':a_eq': { N: 1 } } },
      projection: { expression: '#expName_1', expressionNames: { '#expName_1': 'a' } },
    });
  });

  it('keeps the filter names apart from the projection names', () => {
    const request = ddb.scan({ filter: { a: { eq: 1 } }, projection: ['a'] });
    const filterNames = Object.keys((request.filter as { expressionNames: object }).expressionNames);
    const projectionNames = Object.keys((request.projection as { expressionNames: object }).expressionNames);
    expect(filterNames.filter((name) => projectionNames.includes(name))).toStrictEqual([]);
  });

  it('rejects a filter AppSync cannot render', () => {
    expect(() => ddb.scan({ filter: { a: 'x' } })).toThrow('ddb.scan: "filter" is not a filter object');
  });
});

describe('ddb.query', () => {
  it('builds the documented Query on a key', () => {
    expect(ddb.query({ query: { id: { eq: 'abc' } } })).toStrictEqual({
      operation: 'Query',
      query: {
        expression: '(#id = :id_eq)',
        expressionNames: { '#id': 'id' },
        expressionValues: { ':id_eq': { S: 'abc' } },
      },
    });
  });

  it('renders a partition key and a sort key prefix, as the type-definition example does', () => {
    expect(ddb.query({ query: { name: { eq: 'John' }, age: { gt: 20 } } }).query).toStrictEqual({
      expression: '(#name = :name_eq) AND (#age > :age_gt)',
      expressionNames: { '#name': 'name', '#age': 'age' },
      expressionValues: { ':name_eq': { S: 'John' }, ':age_gt': { N: 20 } },
    });
  });

  it('passes every documented argument', () => {
    expect(
      ddb.query({
        query: { pk: { eq: 'a' }, sk: { beginsWith: 'b' } },
        index: 'gsi1',
        limit: 5,
        nextToken: 't',
        consistentRead: true,
        scanIndexForward: false,
        select: 'ALL_PROJECTED_ATTRIBUTES',
        filter: { done: { eq: true } },
        projection: ['id'],
      }),
    ).toStrictEqual({
      operation: 'Query',
      query: {
        expression: '(#pk = :pk_eq) AND (begins_with(#sk,:sk_beginsWith))',
        expressionNames: { '#pk': 'pk', '#sk': 'sk' },
        expressionValues: { ':pk_eq': { S: 'a' }, ':sk_beginsWith': { S: 'b' } },
      },
      index: 'gsi1',
      nextToken: 't',
      limit: 5,
      scanIndexForward: false,
      consistentRead: true,
      select: 'ALL_PROJECTED_ATTRIBUTES',
      filter: {
        expression: '(#done = :done_eq)',
        expressionNames: { '#done': 'done' },
        expressionValues: { ':done_eq': { BOOL: true } },
      },
      projection: { expression: '#expName_1', expressionNames: { '#expName_1': 'id' } },
    });
  });

  it('rejects a query without a key condition', () => {
    expect(() => ddb.query({ limit: 1 })).toThrow('ddb.query: "query" (the key condition) is required');
  });
});

describe('ddb.sync', () => {
  it('builds the documented Sync', () => {
    expect(ddb.sync({ limit: 10, nextToken: undefined, lastSync: 1700000000000 })).toStrictEqual({
      operation: 'Sync',
      limit: 10,
      lastSync: 1700000000000,
    });
  });

  it('passes the delta table arguments and a filter', () => {
    expect(
      ddb.sync({ basePartitionKey: 'bpk', deltaIndexName: 'delta', limit: 5, lastSync: 2, filter: { a: { eq: 1 } } }),
    ).toStrictEqual({
      operation: 'Sync',
      basePartitionKey: 'bpk',
      deltaIndexName: 'delta',
      limit: 5,
      lastSync: 2,
      filter: { expression: '(#a = :a_eq)', expressionNames: { '#a': 'a' }, expressionValues: { ':a_eq': { N: 1 } } },
    });
  });
});

describe('ddb batch requests', () => {
  it('builds the documented BatchGetItem', () => {
    expect(
      ddb.batchGet({
        tables: {
          post: {
            keys: [{ id: '1' }, { id: '2' }, { id: '3' }],
            consistentRead: false,
            projection: ['id', 'name', 'nested.object[1]'],
          },
        },
      }),
    ).toStrictEqual({
      operation: 'BatchGetItem',
      tables: {
        post: {
          keys: [{ id: { S: '1' } }, { id: { S: '2' } }, { id: { S: '3' } }],
          consistentRead: false,
          projection: {
            expression: '#expName_1, #expName_2, #expName_3.#expName_4[1]',
            expressionNames: {
              '#expName_1': 'id',
              '#expName_2': 'name',
              '#expName_3': 'nested',
              '#expName_4': 'object',
            },
          },
        },
      },
    });
  });

  it('builds the documented BatchPutItem', () => {
    expect(
      ddb.batchPut({
        tables: {
          post: [
            { id: 'one', value: 'x' },
            { id: 'two', value: 'y' },
          ],
          comment: [{ id: 'one', comment: 'x', text: 'something' }],
        },
      }),
    ).toStrictEqual({
      operation: 'BatchPutItem',
      tables: {
        post: [
          { id: { S: 'one' }, value: { S: 'x' } },
          { id: { S: 'two' }, value: { S: 'y' } },
        ],
        comment: [{ id: { S: 'one' }, comment: { S: 'x' }, text: { S: 'something' } }],
      },
    });
  });

  it('builds the documented BatchDeleteItem', () => {
    expect(
      ddb.batchDelete({ tables: { post: [{ id: 'one' }, { id: 'two' }], comment: [{ id: 'one', comment: 'x' }] } }),
    ).toStrictEqual({
      operation: 'BatchDeleteItem',
      tables: {
        post: [{ id: { S: 'one' } }, { id: { S: 'two' } }],
        comment: [{ id: { S: 'one' }, comment: { S: 'x' } }],
      },
    });
  });

  it.each([
    ['no tables', () => ddb.batchGet({}), 'ddb.batchGet: "tables" is required and must be an object, got undefined'],
    [
      'keys that are not a list',
      () => ddb.batchGet({ tables: { t: { keys: {} } } }),
      'ddb.batchGet: "tables.t.keys" must be a list',
    ],
    [
      'a key that is not an object',
      () => ddb.batchDelete({ tables: { t: ['1'] } }),
      'ddb.batchDelete: "tables.t[0]" is required',
    ],
    [
      'items that are not a list',
      () => ddb.batchPut({ tables: { t: { id: '1' } } }),
      'ddb.batchPut: "tables.t" must be a list',
    ],
  ])('rejects %s', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});

describe('ddb transactions', () => {
  it('builds the documented TransactGetItems', () => {
    expect(
      ddb.transactGet({
        items: [
          { table: 'post', key: { id: '1' }, projection: ['name'] },
          { table: 'post', key: { id: '2' } },
        ],
      }),
    ).toStrictEqual({
      operation: 'TransactGetItems',
      transactItems: [
        {
          table: 'post',
          key: { id: { S: '1' } },
          projection: { expression: '#expName_1', expressionNames: { '#expName_1': 'name' } },
        },
        { table: 'post', key: { id: { S: '2' } } },
      ],
    });
  });

  it('builds the documented TransactWriteItems with one item of each kind', () => {
    expect(
      ddb.transactWrite({
        items: [
          { putItem: { table: 'post', key: { id: '1' }, item: { a: 1 } } },
          { deleteItem: { table: 'post', key: { id: '2' } } },
          { updateItem: { table: 'post', key: { id: '2' }, update: { a: ddb.operations.increment(1) } } },
          { conditionCheck: { table: 'post', key: { id: '2' }, condition: { v: { eq: 1 } } } },
        ],
      }),
    ).toStrictEqual({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: 'post', operation: 'PutItem', key: { id: { S: '1' } }, attributeValues: { a: { N: 1 } } },
        { table: 'post', operation: 'DeleteItem', key: { id: { S: '2' } } },
        {
          table: 'post',
          operation: 'UpdateItem',
          key: { id: { S: '2' } },
          update: {
            expression: 'SET #expName_1 = #expName_1 + :expValue_1',
            expressionNames: { '#expName_1': 'a' },
            expressionValues: { ':expValue_1': { N: 1 } },
          },
        },
        {
          table: 'post',
          operation: 'ConditionCheck',
          key: { id: { S: '2' } },
          condition: {
            expression: '(#v = :v_eq)',
            expressionNames: { '#v': 'v' },
            expressionValues: { ':v_eq': { N: 1 } },
          },
        },
      ],
    });
  });

  it('numbers each update and each condition of a transaction on its own', () => {
    const request = ddb.transactWrite({
      items: [
        { updateItem: { table: 't', key: { id: '1' }, update: { a: 1 }, condition: { a: { eq: 0 } } } },
        { updateItem: { table: 't', key: { id: '2' }, update: { b: 2 } } },
      ],
    });
    const [first, second] = request.transactItems as { update: { expression: string }; condition?: object }[];
    expect(first.update.expression).toBe('SET #expName_1 = :expValue_1');
    expect(first.condition).toStrictEqual({
      expression: '(#a = :a_eq)',
      expressionNames: { '#a': 'a' },
      expressionValues: { ':a_eq': { N: 0 } },
    });
    expect(second.update.expression).toBe('SET #expName_1 = :expValue_1');
  });

  it.each([
    [
      'an item with two kinds',
      { items: [{ putItem: {}, deleteItem: {} }] },
      'ddb.transactWrite: items[0] must hold exactly one of',
    ],
    ['an item with no kind', { items: [{}] }, 'ddb.transactWrite: items[0] must hold exactly one of'],
    [
      'a missing table',
      { items: [{ deleteItem: { key: { id: '1' } } }] },
      'ddb.transactWrite: "items[0].deleteItem.table" must be a table name, got undefined',
    ],
    ['items that are not a list', { items: {} }, 'ddb.transactWrite: "items" must be a list, got an object'],
  ])('rejects %s', (_name, input, message) => {
    expect(() => ddb.transactWrite(input)).toThrow(message);
  });

  it('rejects a transactGet item without a key', () => {
    expect(() => ddb.transactGet({ items: [{ table: 't' }] })).toThrow(
      'ddb.transactGet: "items[0].key" is required and must be an object, got undefined',
    );
  });
});

describe('ddb set helpers', () => {
  it('builds the documented string set', () => {
    expect(ddb.toStringSet(['a', 'b', 'c'])).toStrictEqual({ SS: ['a', 'b', 'c'] });
  });

  it('keeps numbers in a number set (the type-definition example shows strings; AWS records numbers)', () => {
    expect(ddb.toNumberSet([1, 2, 3])).toStrictEqual({ NS: [1, 2, 3] });
  });

  it('builds the documented binary set', () => {
    expect(ddb.toBinarySet(['SGVsbG8=', 'V29ybGQ='])).toStrictEqual({ BS: ['SGVsbG8=', 'V29ybGQ='] });
  });
});
