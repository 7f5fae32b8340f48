// Values recorded from AWS AppSync's EvaluateCode API (runtime APPSYNC_JS 1.0.0), checked offline on every run.
//
// Sources of the recordings (the values are copied here; nothing is read at run time):
// - the project's conformance list (from the Apache-2.0 localstack/appsync-utils snapshots
//   __tests__/__snapshots__/index.test.js.snap);
// - localstack/appsync-utils __tests__/__snapshots__/transform.test.js.snap and transform-subscription.test.js.snap,
//   whose inputs are in the matching __tests__/*.test.js files;
// - an EvaluateCode test in eineder/fitter-backend (__tests__/unit/editMyProfile.test.js): `update` with plain values.
// AWS orders the keys of expressionNames/expressionValues inconsistently, so JSON strings are compared parsed, except
// where the exact string is part of the fact.
import { describe, expect, it } from 'vitest';
import { dynamodb as util } from '../../../../local/runtime/realm/utils/dynamodb';
import { transform } from '../../../../local/runtime/realm/utils/transform';
import * as ddb from '../../../../local/runtime/realm/dynamodb/index';

type Case = [name: string, run: () => unknown, expected: unknown];

/** Parses a JSON string answer, keeping `null` as it is. */
function parsed(answer: string | null): unknown {
  return answer === null ? null : JSON.parse(answer);
}

const filter = (input: unknown) => parsed(transform.toDynamoDBFilterExpression(input));
const condition = (input: unknown) => parsed(transform.toDynamoDBConditionExpression(input));

function rendered(expression: string, expressionNames: Record<string, string>, expressionValues: object = {}) {
  return { expression, expressionNames, expressionValues };
}

describe('util.dynamodb (recorded from AWS)', () => {
  const cases: Case[] = [
    ['toDynamoDB of a string', () => util.toDynamoDB('test'), { S: 'test' }],
    ['toDynamoDB of a number keeps a JSON number (docs types say string)', () => util.toDynamoDB(12345), { N: 12345 }],
    ['toDynamoDB of a boolean', () => util.toDynamoDB(true), { BOOL: true }],
    ['toString', () => util.toString('test'), { S: 'test' }],
    ['toStringSet', () => util.toStringSet(['foo', 'bar', 'baz']), { SS: ['foo', 'bar', 'baz'] }],
    ['toNumber', () => util.toNumber(12345), { N: 12345 }],
    [
      'toNumberSet keeps JSON numbers (docs types say strings)',
      () => util.toNumberSet([1, 23, 4.56]),
      { NS: [1, 23, 4.56] },
    ],
    ['toBinary', () => util.toBinary('foo'), { B: 'foo' }],
    ['toBinarySet', () => util.toBinarySet(['foo', 'bar', 'baz']), { BS: ['foo', 'bar', 'baz'] }],
    ['toBoolean', () => util.toBoolean(true), { BOOL: true }],
    ['toNull', () => util.toNull(), { NULL: null }],
    [
      'toList',
      () => util.toList(['foo', 123, { bar: 'baz' }]),
      { L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] },
    ],
    [
      'toMap',
      () => util.toMap({ foo: 'bar', baz: 1234, beep: ['boop'] }),
      { M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } } },
    ],
    [
      'toMapValues',
      () => util.toMapValues({ foo: 'bar', baz: 1234, beep: ['boop'] }),
      { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    ],
    [
      'toS3Object with three arguments',
      () => util.toS3Object('foo', 'bar', 'baz'),
      { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' },
    ],
    [
      'toS3Object with a version',
      () => util.toS3Object('foo', 'bar', 'baz', 'beep'),
      { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}' },
    ],
  ];

  it.each(cases)('%s', (_name, run, expected) => {
    expect(run()).toStrictEqual(expected);
  });
});

describe('@aws-appsync/utils/dynamodb (recorded from AWS)', () => {
  const cases: Case[] = [
    ['get', () => ddb.get({ key: { id: 'id' } }), { operation: 'GetItem', key: { id: { S: 'id' } } }],
    [
      'put',
      () => ddb.put({ key: { id: 'abc' }, item: { value: 10 } }),
      { operation: 'PutItem', key: { id: { S: 'abc' } }, attributeValues: { value: { N: 10 } } },
    ],
    ['remove', () => ddb.remove({ key: { id: 'test' } }), { operation: 'DeleteItem', key: { id: { S: 'test' } } }],
    ['scan', () => ddb.scan({ limit: 10, nextToken: 'abc' }), { operation: 'Scan', limit: 10, nextToken: 'abc' }],
    [
      'update with add renders a SET (DynamoDB would call it ADD)',
      () => ddb.update({ key: { id: 'test' }, update: { age: ddb.operations.add(10) } }),
      {
        operation: 'UpdateItem',
        key: { id: { S: 'test' } },
        update: rendered('SET #expName_1 = :expValue_1', { '#expName_1': 'age' }, { ':expValue_1': { N: 10 } }),
      },
    ],
    [
      'update with append',
      () => ddb.update({ key: { id: 'test' }, update: { values: ddb.operations.append([1, 2, 3]) } }),
      {
        operation: 'UpdateItem',
        key: { id: { S: 'test' } },
        update: rendered(
          'SET #expName_1 = list_append(#expName_1, :expValue_1)',
          { '#expName_1': 'values' },
          { ':expValue_1': { L: [{ N: 1 }, { N: 2 }, { N: 3 }] } },
        ),
      },
    ],
    [
      'update with prepend',
      () => ddb.update({ key: { id: 'test' }, update: { values: ddb.operations.prepend([1, 2, 3]) } }),
      {
        operation: 'UpdateItem',
        key: { id: { S: 'test' } },
        update: rendered(
          'SET #expName_1 = list_append(:expValue_1, #expName_1)',
          { '#expName_1': 'values' },
          { ':expValue_1': { L: [{ N: 1 }, { N: 2 }, { N: 3 }] } },
        ),
      },
    ],
    [
      'update with increment',
      () => ddb.update({ key: { id: 'test' }, update: { age: ddb.operations.increment(10) } }),
      {
        operation: 'UpdateItem',
        key: { id: { S: 'test' } },
        update: rendered(
          'SET #expName_1 = #expName_1 + :expValue_1',
          { '#expName_1': 'age' },
          { ':expValue_1': { N: 10 } },
        ),
      },
    ],
    [
      'update with decrement',
      () => ddb.update({ key: { id: 'test' }, update: { age: ddb.operations.decrement(10) } }),
      {
        operation: 'UpdateItem',
        key: { id: { S: 'test' } },
        update: rendered(
          'SET #expName_1 = #expName_1 - :expValue_1',
          { '#expName_1': 'age' },
          { ':expValue_1': { N: 10 } },
        ),
      },
    ],
    [
      'update with replace',
      () => ddb.update({ key: { id: 'test' }, update: { values: ddb.operations.replace({ a: 10 }) } }),
      {
        operation: 'UpdateItem',
        key: { id: { S: 'test' } },
        update: rendered(
          'SET #expName_1 = :expValue_1',
          { '#expName_1': 'values' },
          { ':expValue_1': { M: { a: { N: 10 } } } },
        ),
      },
    ],
    [
      'update with plain values, nulls included, sets each in order (editMyProfile)',
      () =>
        ddb.update({
          key: { id: 'u1' },
          update: {
            name: 'Toni Test',
            imageUrl: null,
            backgroundImageUrl: null,
            bio: 'The test bio',
            location: null,
            website: null,
            birthdate: null,
          },
        }),
      {
        operation: 'UpdateItem',
        key: { id: { S: 'u1' } },
        update: rendered(
          'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3, ' +
            '#expName_4 = :expValue_4, #expName_5 = :expValue_5, #expName_6 = :expValue_6, #expName_7 = :expValue_7',
          {
            '#expName_1': 'name',
            '#expName_2': 'imageUrl',
            '#expName_3': 'backgroundImageUrl',
            '#expName_4': 'bio',
            '#expName_5': 'location',
            '#expName_6': 'website',
            '#expName_7': 'birthdate',
          },
          {
            ':expValue_1': { S: 'Toni Test' },
            ':expValue_2': { NULL: null },
            ':expValue_3': { NULL: null },
            ':expValue_4': { S: 'The test bio' },
            ':expValue_5': { NULL: null },
            ':expValue_6': { NULL: null },
            ':expValue_7': { NULL: null },
          },
        ),
      },
    ],
    ['operations.add', () => ddb.operations.add(10), { type: 'OPERATION_ADD', value: 10 }],
    ['operations.append', () => ddb.operations.append([1, 2, 3]), { type: 'OPERATION_APPEND', items: [1, 2, 3] }],
    ['operations.decrement', () => ddb.operations.decrement(10), { type: 'OPERATION_DECREMENT', by: 10 }],
    ['operations.increment', () => ddb.operations.increment(10), { type: 'OPERATION_INCREMENT', by: 10 }],
    ['operations.prepend', () => ddb.operations.prepend([1, 2, 3]), { type: 'OPERATION_PREPEND', items: [1, 2, 3] }],
    ['operations.replace', () => ddb.operations.replace({ a: 10 }), { type: 'OPERATION_REPLACE', value: { a: 10 } }],
  ];

  it.each(cases)('%s', (_name, run, expected) => {
    expect(run()).toStrictEqual(expected);
  });

  it('renders a nested replace of null as a NULL value (aws-appsync-community issue 393)', () => {
    const request = ddb.update({ key: { id: '1' }, update: { stuff: { foo: ddb.operations.replace(null) } } });
    expect((request.update as { expressionValues: unknown }).expressionValues).toStrictEqual({
      ':expValue_1': { NULL: null },
    });
  });
});

describe('util.transform DynamoDB expressions (recorded from AWS)', () => {
  it('answers a filter as this exact JSON string, keys in this order', () => {
    expect(transform.toDynamoDBFilterExpression({ title: { contains: 'Hello World' } })).toBe(
      '{"expression":"(contains(#title,:title_contains))","expressionNames":{"#title":"title"},' +
        '"expressionValues":{":title_contains":{"S":"Hello World"}}}',
    );
  });

  it('answers a condition as this exact JSON string, keys in this order', () => {
    expect(transform.toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } })).toBe(
      '{"expression":"(attribute_exists(#id)) AND (#version = :version_eq)",' +
        '"expressionNames":{"#id":"id","#version":"version"},"expressionValues":{":version_eq":{"N":10}}}',
    );
  });

  it('keeps an empty expressionValues object in the string', () => {
    expect(transform.toDynamoDBConditionExpression({ and: [{ id: { attributeExists: false } }] })).toBe(
      '{"expression":"(attribute_not_exists(#id))","expressionNames":{"#id":"id"},"expressionValues":{}}',
    );
  });

  const v = { '#v': 'v' };
  const cases: Case[] = [
    ['eq', () => filter({ v: { eq: 'x' } }), rendered('(#v = :v_eq)', v, { ':v_eq': { S: 'x' } })],
    ['ne', () => filter({ v: { ne: 'x' } }), rendered('(#v <> :v_ne)', v, { ':v_ne': { S: 'x' } })],
    ['lt', () => filter({ v: { lt: 'x' } }), rendered('(#v < :v_lt)', v, { ':v_lt': { S: 'x' } })],
    ['le', () => filter({ v: { le: 'x' } }), rendered('(#v <= :v_le)', v, { ':v_le': { S: 'x' } })],
    ['gt', () => filter({ v: { gt: 'x' } }), rendered('(#v > :v_gt)', v, { ':v_gt': { S: 'x' } })],
    ['ge', () => filter({ v: { ge: 'x' } }), rendered('(#v >= :v_ge)', v, { ':v_ge': { S: 'x' } })],
    ['a number operand', () => filter({ v: { eq: 10 } }), rendered('(#v = :v_eq)', v, { ':v_eq': { N: 10 } })],
    ['a fractional operand', () => filter({ v: { eq: 1.5 } }), rendered('(#v = :v_eq)', v, { ':v_eq': { N: 1.5 } })],
    ['a boolean operand', () => filter({ v: { eq: true } }), rendered('(#v = :v_eq)', v, { ':v_eq': { BOOL: true } })],
    ['a null operand', () => filter({ v: { eq: null } }), rendered('(#v = :v_eq)', v, { ':v_eq': { NULL: null } })],
    [
      'an object operand',
      () => filter({ v: { eq: { a: 1 } } }),
      rendered('(#v = :v_eq)', v, { ':v_eq': { M: { a: { N: 1 } } } }),
    ],
    [
      'a list operand',
      () => filter({ v: { eq: [1, 2] } }),
      rendered('(#v = :v_eq)', v, { ':v_eq': { L: [{ N: 1 }, { N: 2 }] } }),
    ],
    [
      'contains, without a space after the comma (docs show one)',
      () => filter({ v: { contains: 'x' } }),
      rendered('(contains(#v,:v_contains))', v, { ':v_contains': { S: 'x' } }),
    ],
    [
      'notContains',
      () => filter({ v: { notContains: 'x' } }),
      rendered('(NOT contains(#v,:v_notContains))', v, { ':v_notContains': { S: 'x' } }),
    ],
    [
      'beginsWith',
      () => filter({ v: { beginsWith: 'x' } }),
      rendered('(begins_with(#v,:v_beginsWith))', v, { ':v_beginsWith': { S: 'x' } }),
    ],
    [
      'between',
      () => filter({ v: { between: ['1', '9'] } }),
      rendered('(#v BETWEEN :v_between_start AND :v_between_end)', v, {
        ':v_between_start': { S: '1' },
        ':v_between_end': { S: '9' },
      }),
    ],
    [
      'between with numbers',
      () => filter({ v: { between: [1, 9] } }),
      rendered('(#v BETWEEN :v_between_start AND :v_between_end)', v, {
        ':v_between_start': { N: 1 },
        ':v_between_end': { N: 9 },
      }),
    ],
    [
      'between ignores a third bound',
      () => filter({ v: { between: ['1', '9', '3'] } }),
      rendered('(#v BETWEEN :v_between_start AND :v_between_end)', v, {
        ':v_between_start': { S: '1' },
        ':v_between_end': { S: '9' },
      }),
    ],
    [
      'in',
      () => filter({ v: { in: ['a', 'b'] } }),
      rendered('(#v IN (:v_in_0, :v_in_1))', v, { ':v_in_0': { S: 'a' }, ':v_in_1': { S: 'b' } }),
    ],
    [
      'in of one value',
      () => filter({ v: { in: ['a'] } }),
      rendered('(#v IN (:v_in_0))', v, { ':v_in_0': { S: 'a' } }),
    ],
    ['in of no value renders "(null)"', () => filter({ v: { in: [] } }), rendered('(null)', v)],
    ['attributeExists true', () => filter({ v: { attributeExists: true } }), rendered('(attribute_exists(#v))', v)],
    [
      'attributeExists false',
      () => filter({ v: { attributeExists: false } }),
      rendered('(attribute_not_exists(#v))', v),
    ],
    [
      'attributeType names become type codes',
      () =>
        filter({
          a: { attributeType: '_null' },
          b: { attributeType: 'string' },
          c: { attributeType: 'stringSet' },
          d: { attributeType: 'number' },
          e: { attributeType: 'numberSet' },
          f: { attributeType: 'binary' },
          g: { attributeType: 'binarySet' },
          h: { attributeType: 'boolean' },
          i: { attributeType: 'list' },
          j: { attributeType: 'map' },
        }),
      rendered(
        ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']
          .map((f) => `(attribute_type(#${f},:${f}_attributeType))`)
          .join(' AND '),
        Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((f) => [`#${f}`, f])),
        Object.fromEntries(
          [
            ['a', 'NULL'],
            ['b', 'S'],
            ['c', 'SS'],
            ['d', 'N'],
            ['e', 'NS'],
            ['f', 'B'],
            ['g', 'BS'],
            ['h', 'BOOL'],
            ['i', 'L'],
            ['j', 'M'],
          ].map(([f, code]) => [`:${f}_attributeType`, { S: code }]),
        ),
      ),
    ],
    [
      'size with a comparison',
      () => filter({ v: { size: { gt: 2 } } }),
      rendered('(size(#v) > :v_size_gt)', v, { ':v_size_gt': { N: 2 } }),
    ],
    [
      'size with between',
      () => filter({ v: { size: { between: [1, 3] } } }),
      rendered('(size(#v) BETWEEN :v_size_between_start AND :v_size_between_end)', v, {
        ':v_size_between_start': { N: 1 },
        ':v_size_between_end': { N: 3 },
      }),
    ],
    [
      'size with contains',
      () => filter({ v: { size: { contains: 'x' } } }),
      rendered('(contains(size(#v),:v_size_contains))', v, { ':v_size_contains': { S: 'x' } }),
    ],
    [
      'size with attributeExists',
      () => filter({ v: { size: { attributeExists: true } } }),
      rendered('(attribute_exists(size(#v)))', v),
    ],
    [
      'size with two comparisons',
      () => filter({ v: { size: { gt: 2, lt: 5 } } }),
      rendered('((size(#v) > :v_size_gt) AND (size(#v) < :v_size_lt))', v, {
        ':v_size_gt': { N: 2 },
        ':v_size_lt': { N: 5 },
      }),
    ],
    [
      'size inside size grows the value name only',
      () => filter({ v: { size: { size: { gt: 1 } } } }),
      rendered('(size(#v) > :v_size_size_gt)', v, { ':v_size_size_gt': { N: 1 } }),
    ],
    [
      'two top-level fields are joined unwrapped',
      () => filter({ a: { eq: 1 }, b: { eq: 2 } }),
      rendered('(#a = :a_eq) AND (#b = :b_eq)', { '#a': 'a', '#b': 'b' }, { ':a_eq': { N: 1 }, ':b_eq': { N: 2 } }),
    ],
    [
      'a field with two operators is wrapped',
      () => filter({ v: { ge: 1, le: 5 } }),
      rendered('((#v >= :v_ge) AND (#v <= :v_le))', v, { ':v_ge': { N: 1 }, ':v_le': { N: 5 } }),
    ],
    [
      'an and of one member is not wrapped',
      () => filter({ and: [{ a: { eq: 1 } }] }),
      rendered('(#a = :and_0_a_eq)', { '#a': 'a' }, { ':and_0_a_eq': { N: 1 } }),
    ],
    [
      'an and of two members is wrapped',
      () => filter({ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }),
      rendered(
        '((#a = :and_0_a_eq) AND (#b = :and_1_b_eq))',
        { '#a': 'a', '#b': 'b' },
        { ':and_0_a_eq': { N: 1 }, ':and_1_b_eq': { N: 2 } },
      ),
    ],
    [
      'an or of two members',
      () => filter({ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }),
      rendered(
        '((#a = :or_0_a_eq) OR (#b = :or_1_b_eq))',
        { '#a': 'a', '#b': 'b' },
        { ':or_0_a_eq': { N: 1 }, ':or_1_b_eq': { N: 2 } },
      ),
    ],
    [
      'not of one comparison',
      () => filter({ not: { a: { eq: 1 } } }),
      rendered('(NOT (#a = :not_a_eq))', { '#a': 'a' }, { ':not_a_eq': { N: 1 } }),
    ],
    [
      'not of a group',
      () => filter({ not: { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] } }),
      rendered(
        '(NOT ((#a = :not_and_0_a_eq) AND (#b = :not_and_1_b_eq)))',
        { '#a': 'a', '#b': 'b' },
        { ':not_and_0_a_eq': { N: 1 }, ':not_and_1_b_eq': { N: 2 } },
      ),
    ],
    [
      'not of a not',
      () => filter({ not: { not: { a: { eq: 1 } } } }),
      rendered('(NOT (NOT (#a = :not_not_a_eq)))', { '#a': 'a' }, { ':not_not_a_eq': { N: 1 } }),
    ],
    [
      'not inside an and',
      () => filter({ and: [{ not: { a: { eq: 1 } } }, { b: { eq: 2 } }] }),
      rendered(
        '((NOT (#a = :and_0_not_a_eq)) AND (#b = :and_1_b_eq))',
        { '#a': 'a', '#b': 'b' },
        { ':and_0_not_a_eq': { N: 1 }, ':and_1_b_eq': { N: 2 } },
      ),
    ],
    [
      'an and inside an or',
      () => filter({ or: [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] }),
      rendered(
        '(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))',
        { '#a': 'a', '#b': 'b', '#c': 'c' },
        { ':or_0_and_0_a_eq': { N: 1 }, ':or_0_and_1_b_eq': { N: 2 }, ':or_1_c_eq': { N: 3 } },
      ),
    ],
    [
      'an or inside an and',
      () => filter({ and: [{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] }),
      rendered(
        '(((#a = :and_0_or_0_a_eq) OR (#b = :and_0_or_1_b_eq)) AND (#c = :and_1_c_eq))',
        { '#a': 'a', '#b': 'b', '#c': 'c' },
        { ':and_0_or_0_a_eq': { N: 1 }, ':and_0_or_1_b_eq': { N: 2 }, ':and_1_c_eq': { N: 3 } },
      ),
    ],
    [
      'value names carry every level of nesting',
      () => filter({ and: [{ or: [{ and: [{ a: { eq: 1 } }] }] }] }),
      rendered('(#a = :and_0_or_0_and_0_a_eq)', { '#a': 'a' }, { ':and_0_or_0_and_0_a_eq': { N: 1 } }),
    ],
    [
      'a field beside a group',
      () => filter({ a: { eq: 1 }, and: [{ b: { eq: 2 } }] }),
      rendered(
        '(#a = :a_eq) AND (#b = :and_0_b_eq)',
        { '#a': 'a', '#b': 'b' },
        { ':a_eq': { N: 1 }, ':and_0_b_eq': { N: 2 } },
      ),
    ],
    [
      'a dotted field name is used verbatim',
      () => filter({ 'a.b': { eq: 1 } }),
      rendered('(#a.b = :a.b_eq)', { '#a.b': 'a.b' }, { ':a.b_eq': { N: 1 } }),
    ],
    ['an empty filter', () => filter({}), rendered('', {})],
    ['an empty group', () => filter({ and: [] }), rendered('', {})],
    ['a field without operators keeps its name', () => filter({ v: {} }), rendered('', v)],
    ['a size without operators keeps its name', () => filter({ v: { size: {} } }), rendered('', v)],
    ['not of an empty filter', () => filter({ not: {} }), rendered('(NOT )', {})],
    [
      'an empty field beside a comparison leaves a dangling AND',
      () => filter({ a: { eq: 1 }, b: {} }),
      rendered('(#a = :a_eq) AND ', { '#a': 'a', '#b': 'b' }, { ':a_eq': { N: 1 } }),
    ],
    [
      'an empty member of a group leaves a dangling AND',
      () => filter({ and: [{ a: { eq: 1 } }, {}] }),
      rendered('((#a = :and_0_a_eq) AND )', { '#a': 'a' }, { ':and_0_a_eq': { N: 1 } }),
    ],
    ['no filter at all gives null', () => transform.toDynamoDBFilterExpression(undefined), null],
    ['null gives null', () => filter(null), null],
    ['an array gives null', () => filter([]), null],
    ['a string gives null', () => filter('string'), null],
    ['an unknown operator gives null', () => filter({ v: { foo: 1 } }), null],
    ['a field holding a value gives null', () => filter({ v: 'x' }), null],
    ['a field nested in a field gives null', () => filter({ a: { b: { eq: 1 } } }), null],
    ['an and given an object gives null', () => filter({ and: { a: { eq: 1 } } }), null],
    ['an and given null gives null', () => filter({ and: null }), null],
    ['a null member of a group gives null', () => filter({ and: [{ a: { eq: 1 } }, null] }), null],
    ['a not given a list gives null', () => filter({ not: [{ a: { eq: 1 } }] }), null],
    ['between with one bound gives null', () => filter({ v: { between: [1] } }), null],
    ['between of a string gives null', () => filter({ v: { between: 'x' } }), null],
    ['in of a string gives null', () => filter({ v: { in: 'x' } }), null],
    ['attributeExists of a string gives null', () => filter({ v: { attributeExists: 'yes' } }), null],
    ['attributeType given a type code gives null', () => filter({ v: { attributeType: 'S' } }), null],
    ['attributeType given an unknown name gives null', () => filter({ v: { attributeType: 'bogus' } }), null],
    ['size given a value gives null', () => filter({ v: { size: 3 } }), null],
    [
      'a condition renders a comparison as a filter does',
      () => condition({ content: { eq: 'x' } }),
      rendered('(#content = :content_eq)', { '#content': 'content' }, { ':content_eq': { S: 'x' } }),
    ],
    [
      'a condition renders a group as a filter does',
      () => condition({ and: [{ content: { eq: 'x' } }, { version: { attributeExists: true } }] }),
      rendered(
        '((#content = :and_0_content_eq) AND (attribute_exists(#version)))',
        { '#content': 'content', '#version': 'version' },
        { ':and_0_content_eq': { S: 'x' } },
      ),
    ],
    [
      'a condition renders a negated range as a filter does',
      () => condition({ not: { id: { between: ['1', '9'] } } }),
      rendered(
        '(NOT (#id BETWEEN :not_id_between_start AND :not_id_between_end))',
        { '#id': 'id' },
        {
          ':not_id_between_start': { S: '1' },
          ':not_id_between_end': { S: '9' },
        },
      ),
    ],
    [
      'the condition Amplify guards an update with',
      () => condition({ and: [{ id: { attributeExists: true } }, { _version: { eq: 1 } }] }),
      rendered(
        '((attribute_exists(#id)) AND (#_version = :and_1__version_eq))',
        { '#id': 'id', '#_version': '_version' },
        { ':and_1__version_eq': { N: 1 } },
      ),
    ],
    [
      'a list filter combining a prefix and a range',
      () => filter({ or: [{ content: { beginsWith: 'a' } }, { id: { between: ['1', '9'] } }] }),
      rendered(
        '((begins_with(#content,:or_0_content_beginsWith)) OR (#id BETWEEN :or_1_id_between_start AND :or_1_id_between_end))',
        { '#content': 'content', '#id': 'id' },
        {
          ':or_0_content_beginsWith': { S: 'a' },
          ':or_1_id_between_start': { S: '1' },
          ':or_1_id_between_end': { S: '9' },
        },
      ),
    ],
  ];

  it.each(cases)('%s', (_name, run, expected) => {
    expect(run()).toStrictEqual(expected);
  });
});

describe('util.transform.toSubscriptionFilter (recorded from AWS)', () => {
  const only = (...filters: [string, string, unknown][]) => ({
    filters: filters.map(([fieldName, operator, value]) => ({ fieldName, operator, value })),
  });
  const cases: Case[] = [
    [
      'one operator on one field',
      () => transform.toSubscriptionFilter({ a: { eq: 1 } }),
      { filterGroup: [only(['a', 'eq', 1])] },
    ],
    [
      'two fields share a group',
      () => transform.toSubscriptionFilter({ a: { eq: 1 }, b: { eq: 2 } }),
      { filterGroup: [only(['a', 'eq', 1], ['b', 'eq', 2])] },
    ],
    [
      'an and combines its members',
      () => transform.toSubscriptionFilter({ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }),
      { filterGroup: [only(['a', 'eq', 1], ['b', 'eq', 2])] },
    ],
    [
      'a field beside an and',
      () => transform.toSubscriptionFilter({ z: { eq: 0 }, and: [{ a: { eq: 1 } }] }),
      { filterGroup: [only(['z', 'eq', 0], ['a', 'eq', 1])] },
    ],
    [
      'a field path is kept as written',
      () => transform.toSubscriptionFilter({ 'loc.addr.country': { eq: 'USA' } }),
      { filterGroup: [only(['loc.addr.country', 'eq', 'USA'])] },
    ],
    [
      'two operators on one field are alternatives',
      () => transform.toSubscriptionFilter({ a: { eq: 1, ne: 2 } }),
      { filterGroup: [only(['a', 'eq', 1]), only(['a', 'ne', 2])] },
    ],
    [
      'an or gives a group per member',
      () => transform.toSubscriptionFilter({ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }),
      { filterGroup: [only(['a', 'eq', 1]), only(['b', 'eq', 2])] },
    ],
    [
      'an or nested in an and multiplies out',
      () => transform.toSubscriptionFilter({ and: [{ a: { eq: 1 } }, { or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] }] }),
      { filterGroup: [only(['a', 'eq', 1], ['b', 'eq', 2]), only(['a', 'eq', 1], ['c', 'eq', 3])] },
    ],
    [
      'operators and groups together',
      () =>
        transform.toSubscriptionFilter({
          percentageUp: { lte: 50, gte: 20 },
          and: [{ title: { ne: 'Book1' } }, { downvotes: { gt: 2000 } }],
          or: [{ author: { eq: 'Admin' } }, { isPublished: { eq: false } }],
        }),
      {
        filterGroup: [
          only(
            ['percentageUp', 'lte', 50],
            ['title', 'ne', 'Book1'],
            ['downvotes', 'gt', 2000],
            ['author', 'eq', 'Admin'],
          ),
          only(
            ['percentageUp', 'lte', 50],
            ['title', 'ne', 'Book1'],
            ['downvotes', 'gt', 2000],
            ['isPublished', 'eq', false],
          ),
          only(
            ['percentageUp', 'gte', 20],
            ['title', 'ne', 'Book1'],
            ['downvotes', 'gt', 2000],
            ['author', 'eq', 'Admin'],
          ),
          only(
            ['percentageUp', 'gte', 20],
            ['title', 'ne', 'Book1'],
            ['downvotes', 'gt', 2000],
            ['isPublished', 'eq', false],
          ),
        ],
      },
    ],
    [
      'comparisons are carried through',
      () => transform.toSubscriptionFilter({ a: { le: 1 }, b: { lt: 2 }, c: { ge: 3 }, d: { gt: 4 } }),
      { filterGroup: [only(['a', 'le', 1], ['b', 'lt', 2], ['c', 'ge', 3], ['d', 'gt', 4])] },
    ],
    [
      'membership operators are carried through',
      () => transform.toSubscriptionFilter({ a: { in: [1, 2] }, b: { notIn: ['x'] } }),
      { filterGroup: [only(['a', 'in', [1, 2]], ['b', 'notIn', ['x']])] },
    ],
    [
      'between is carried through',
      () => transform.toSubscriptionFilter({ a: { between: [1, 9] } }),
      { filterGroup: [only(['a', 'between', [1, 9]])] },
    ],
    [
      'string operators are carried through',
      () => transform.toSubscriptionFilter({ a: { contains: 'x' }, b: { notContains: 'y' }, c: { beginsWith: 'z' } }),
      { filterGroup: [only(['a', 'contains', 'x'], ['b', 'notContains', 'y'], ['c', 'beginsWith', 'z'])] },
    ],
    [
      'containsAny is carried through',
      () => transform.toSubscriptionFilter({ a: { containsAny: ['x', 'y'] } }),
      { filterGroup: [only(['a', 'containsAny', ['x', 'y']])] },
    ],
    [
      'a boolean value',
      () => transform.toSubscriptionFilter({ a: { eq: false } }),
      { filterGroup: [only(['a', 'eq', false])] },
    ],
    [
      'an unknown operator is carried through',
      () => transform.toSubscriptionFilter({ a: { bogus: 1 } }),
      { filterGroup: [only(['a', 'bogus', 1])] },
    ],
    [
      'not is read as a field name',
      () => transform.toSubscriptionFilter({ not: { a: { eq: 1 } } }),
      { filterGroup: [only(['not', 'a', { eq: 1 }])] },
    ],
    [
      'an ignored field is dropped',
      () => transform.toSubscriptionFilter({ a: { eq: 1 }, b: { eq: 2 } }, ['a']),
      { filterGroup: [only(['b', 'eq', 2])] },
    ],
    [
      'an ignored field is dropped inside an and',
      () => transform.toSubscriptionFilter({ a: { eq: 1 }, and: [{ b: { eq: 2 } }] }, ['b']),
      { filterGroup: [only(['a', 'eq', 1])] },
    ],
    [
      'rules are alternatives added to every group',
      () => transform.toSubscriptionFilter({ a: { eq: 1 } }, [], { r1: { gte: 250 }, r2: { eq: 'p' } }),
      { filterGroup: [only(['a', 'eq', 1], ['r1', 'gte', 250]), only(['a', 'eq', 1], ['r2', 'eq', 'p'])] },
    ],
    [
      'rules on their own',
      () => transform.toSubscriptionFilter({}, [], { r1: { eq: 1 } }),
      { filterGroup: [only(['r1', 'eq', 1])] },
    ],
    ['an empty filter has no group', () => transform.toSubscriptionFilter({}), { filterGroup: [] }],
    ['a field with no operator has no group', () => transform.toSubscriptionFilter({ a: {} }), { filterGroup: [] }],
    ['an empty and has no group', () => transform.toSubscriptionFilter({ and: [] }), { filterGroup: [] }],
    ['null gives null', () => transform.toSubscriptionFilter(null), null],
    ['no filter gives null', () => transform.toSubscriptionFilter(undefined), null],
    ['an array gives null', () => transform.toSubscriptionFilter([]), null],
    ['a JSON string gives null', () => transform.toSubscriptionFilter('{"a":{"eq":1}}'), null],
  ];

  it.each(cases)('%s', (_name, run, expected) => {
    expect(run()).toStrictEqual(expected);
  });
});
