// ddb.update: how the update object becomes one `SET ... REMOVE ...` expression. The examples are those of the
// @aws-appsync/utils type definitions (DynamoDBUpdateInput.update in lib/dynamodb-helpers.d.ts); the numbering rules
// follow the recorded values (aws-recorded.test.ts): names and values are counted separately, in the order they
// appear in the expression, SET actions before REMOVE ones.
import { describe, expect, it } from 'vitest';
import * as ddb from '../../../../local/runtime/realm/dynamodb/index';

const { operations } = ddb;

function updateOf(update: unknown, extra: Record<string, unknown> = {}): unknown {
  return ddb.update({ key: { id: 1 }, update, ...extra }).update;
}

describe('ddb.update type-definition examples', () => {
  it('adds an address', () => {
    expect(
      updateOf({ address: operations.add({ street1: '123 Main St', city: 'New York', zip: '10001' }) }),
    ).toStrictEqual({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'address' },
      expressionValues: {
        ':expValue_1': { M: { street1: { S: '123 Main St' }, city: { S: 'New York' }, zip: { S: '10001' } } },
      },
    });
  });

  it('removes an address with a REMOVE clause and no values', () => {
    expect(updateOf({ address: operations.remove() })).toStrictEqual({
      expression: 'REMOVE #expName_1',
      expressionNames: { '#expName_1': 'address' },
      expressionValues: {},
    });
  });

  it('replaces an address as a whole map', () => {
    const address = { street1: '123 Main St', street2: 'Apt. 1', city: 'New York', zip: '10001' };
    expect(updateOf({ address: operations.replace(address) })).toStrictEqual({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'address' },
      expressionValues: {
        ':expValue_1': {
          M: { street1: { S: '123 Main St' }, street2: { S: 'Apt. 1' }, city: { S: 'New York' }, zip: { S: '10001' } },
        },
      },
    });
  });

  it('appends friend ids to a list', () => {
    expect(updateOf({ friendsIds: operations.append([101, 104, 111]) })).toStrictEqual({
      expression: 'SET #expName_1 = list_append(#expName_1, :expValue_1)',
      expressionNames: { '#expName_1': 'friendsIds' },
      expressionValues: { ':expValue_1': { L: [{ N: 101 }, { N: 104 }, { N: 111 }] } },
    });
  });

  it('updates the 2nd and 3rd items of a list under one name', () => {
    expect(
      updateOf({ friendsIds: [operations.updateListItem('102', 1), operations.updateListItem('112', 2)] }),
    ).toStrictEqual({
      expression: 'SET #expName_1[1] = :expValue_1, #expName_1[2] = :expValue_2',
      expressionNames: { '#expName_1': 'friendsIds' },
      expressionValues: { ':expValue_1': { S: '102' }, ':expValue_2': { S: '112' } },
    });
  });

  it('sets a plain value guarded by the documented condition', () => {
    const request = ddb.update({ key: { id: 'u' }, condition: { name: { eq: 'n' } }, update: { isVerified: true } });
    expect(request).toStrictEqual({
      operation: 'UpdateItem',
      key: { id: { S: 'u' } },
      update: {
        expression: 'SET #expName_1 = :expValue_1',
        expressionNames: { '#expName_1': 'isVerified' },
        expressionValues: { ':expValue_1': { BOOL: true } },
      },
      condition: {
        expression: '(#name = :name_eq)',
        expressionNames: { '#name': 'name' },
        expressionValues: { ':name_eq': { S: 'n' } },
      },
    });
  });
});

describe('ddb.update numbering and clauses', () => {
  it('steps by one when increment and decrement are given no step', () => {
    expect(updateOf({ a: operations.increment(), b: operations.decrement() })).toStrictEqual({
      expression: 'SET #expName_1 = #expName_1 + :expValue_1, #expName_2 = #expName_2 - :expValue_2',
      expressionNames: { '#expName_1': 'a', '#expName_2': 'b' },
      expressionValues: { ':expValue_1': { N: 1 }, ':expValue_2': { N: 1 } },
    });
  });

  it('puts two removals in one clause', () => {
    expect(updateOf({ a: operations.remove(), b: operations.remove() })).toStrictEqual({
      expression: 'REMOVE #expName_1, #expName_2',
      expressionNames: { '#expName_1': 'a', '#expName_2': 'b' },
      expressionValues: {},
    });
  });

  it('writes SET before REMOVE and numbers names in that order, whatever the written order', () => {
    expect(updateOf({ b: operations.remove(), a: operations.increment(1), c: 'x' })).toStrictEqual({
      expression: 'SET #expName_1 = #expName_1 + :expValue_1, #expName_2 = :expValue_2 REMOVE #expName_3',
      expressionNames: { '#expName_1': 'a', '#expName_2': 'c', '#expName_3': 'b' },
      expressionValues: { ':expValue_1': { N: 1 }, ':expValue_2': { S: 'x' } },
    });
  });

  it('counts values apart from names', () => {
    expect(updateOf({ f: [operations.updateListItem('x', 0), operations.updateListItem('y', 3)], g: 1 })).toStrictEqual(
      {
        expression: 'SET #expName_1[0] = :expValue_1, #expName_1[3] = :expValue_2, #expName_2 = :expValue_3',
        expressionNames: { '#expName_1': 'f', '#expName_2': 'g' },
        expressionValues: { ':expValue_1': { S: 'x' }, ':expValue_2': { S: 'y' }, ':expValue_3': { N: 1 } },
      },
    );
  });

  it('accepts a single updateListItem outside a list', () => {
    expect(updateOf({ f: operations.updateListItem({ a: 1 }, 2) })).toStrictEqual({
      expression: 'SET #expName_1[2] = :expValue_1',
      expressionNames: { '#expName_1': 'f' },
      expressionValues: { ':expValue_1': { M: { a: { N: 1 } } } },
    });
  });

  it('updates the named attributes inside a map given as a plain object', () => {
    expect(updateOf({ address: { city: 'Paris', zip: operations.remove(), geo: { lat: 1 } } })).toStrictEqual({
      expression:
        'SET #expName_1.#expName_2 = :expValue_1, #expName_1.#expName_3.#expName_4 = :expValue_2 REMOVE #expName_1.#expName_5',
      expressionNames: {
        '#expName_1': 'address',
        '#expName_2': 'city',
        '#expName_3': 'geo',
        '#expName_4': 'lat',
        '#expName_5': 'zip',
      },
      expressionValues: { ':expValue_1': { S: 'Paris' }, ':expValue_2': { N: 1 } },
    });
  });

  it('sets a plain list as a whole', () => {
    expect(updateOf({ tags: ['a', 'b'] })).toStrictEqual({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'tags' },
      expressionValues: { ':expValue_1': { L: [{ S: 'a' }, { S: 'b' }] } },
    });
  });

  it('keeps a dotted attribute name as one name', () => {
    expect(updateOf({ 'a.b': 1 })).toStrictEqual({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'a.b' },
      expressionValues: { ':expValue_1': { N: 1 } },
    });
  });

  it('leaves out attributes that are undefined', () => {
    expect(updateOf({ a: undefined, b: 2 })).toStrictEqual({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'b' },
      expressionValues: { ':expValue_1': { N: 2 } },
    });
  });

  it('answers an empty expression for an update with nothing in it, leaving DynamoDB to reject it', () => {
    expect(updateOf({})).toStrictEqual({ expression: '', expressionNames: {}, expressionValues: {} });
  });

  it('numbers the condition apart from the update', () => {
    const request = ddb.update({
      key: { id: '1' },
      update: { a: operations.increment(1) },
      condition: { b: { eq: 2 } },
      _version: 5,
    });
    expect(request).toStrictEqual({
      operation: 'UpdateItem',
      key: { id: { S: '1' } },
      update: {
        expression: 'SET #expName_1 = #expName_1 + :expValue_1',
        expressionNames: { '#expName_1': 'a' },
        expressionValues: { ':expValue_1': { N: 1 } },
      },
      condition: {
        expression: '(#b = :b_eq)',
        expressionNames: { '#b': 'b' },
        expressionValues: { ':b_eq': { N: 2 } },
      },
      _version: 5,
    });
  });

  it('reads operations that went through JSON, as a stashed update does', () => {
    const stashed = JSON.parse(JSON.stringify({ a: operations.increment(), b: operations.remove() }));
    expect(updateOf(stashed)).toStrictEqual(updateOf({ a: operations.increment(), b: operations.remove() }));
  });
});

describe('ddb.update bad input', () => {
  it.each([
    ['no update', undefined, 'ddb.update: "update" is required and must be an object, got undefined'],
    [
      'an update that is a string',
      'SET a = :a',
      'ddb.update: "update" is required and must be an object, got a string',
    ],
    ['an update that is a list', [], 'ddb.update: "update" is required and must be an object, got an array'],
    [
      'an unknown operation',
      { a: { type: 'OPERATION_MULTIPLY' } },
      'ddb.update: "a" holds an unknown operation OPERATION_MULTIPLY',
    ],
    [
      'a replace without a value',
      { a: operations.replace(undefined) },
      'ddb.update: the operation on "a" has no value',
    ],
    [
      'an increment by a string',
      { a: operations.increment('2' as unknown as number) },
      'ddb.update: "a" must change by a number, got a string',
    ],
    [
      'an append of a single value',
      { a: operations.append(5 as unknown as unknown[]) },
      'ddb.update: "a" needs a list of items, got a number',
    ],
    [
      'a negative list index',
      { a: [operations.updateListItem('x', -1)] },
      'ddb.update: updateListItem on "a" needs a list index, got a number',
    ],
    [
      'a list index that is a string',
      { a: [operations.updateListItem('x', '1] = :x' as unknown as number)] },
      'needs a list index, got a string',
    ],
    [
      'operations mixed with values in a list',
      { a: [operations.updateListItem('x', 1), 'y'] },
      'ddb.update: "a" mixes operations with values in one list',
    ],
  ])('rejects %s', (_name, update, message) => {
    expect(() => ddb.update({ key: { id: '1' }, update })).toThrow(message);
  });

  it('rejects a missing key', () => {
    expect(() => ddb.update({ update: { a: 1 } })).toThrow(
      'ddb.update: "key" is required and must be an object, got undefined',
    );
  });
});
