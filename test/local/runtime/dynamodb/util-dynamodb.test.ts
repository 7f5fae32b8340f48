// util.dynamodb beyond the recorded values: the examples of AWS's "DynamoDB helpers in util.dynamodb" page
// (https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html), edge cases, and
// the errors a resolver gets for arguments of the wrong kind.
import { describe, expect, it } from 'vitest';
import { dynamodb as util } from '../../../../local/runtime/realm/utils/dynamodb';

describe('util.dynamodb documentation examples', () => {
  it('converts the documented list example', () => {
    expect(util.toDynamoDB(['foo', 123, { bar: 'baz' }])).toStrictEqual({
      L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
    });
  });

  it('converts the documented map example', () => {
    expect(util.toDynamoDB({ foo: 'bar', baz: 1234, beep: ['boop'] })).toStrictEqual({
      M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    });
  });

  it('answers toMapValues(obj) as toMap(obj).M, as the docs state', () => {
    const item = { foo: 'bar', baz: 1234, beep: ['boop'] };
    expect(util.toMapValues(item)).toStrictEqual(util.toMap(item)?.M);
  });

  it('writes toS3Object without the spaces the docs show (recorded output has none)', () => {
    expect(util.toS3Object('foo', 'bar', 'baz')).toStrictEqual({
      S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}',
    });
  });
});

describe('util.dynamodb.toDynamoDB', () => {
  it('converts null to a NULL value', () => {
    expect(util.toDynamoDB(null)).toStrictEqual({ NULL: null });
  });

  it('answers null for undefined, as the type definitions say', () => {
    expect(util.toDynamoDB(undefined)).toBeNull();
  });

  it('converts nested maps and lists all the way down', () => {
    expect(util.toDynamoDB({ a: [{ b: [1, { c: false }] }] })).toStrictEqual({
      M: { a: { L: [{ M: { b: { L: [{ N: 1 }, { M: { c: { BOOL: false } } }] } } }] } },
    });
  });

  it('uses lists, never sets, for arrays of strings or numbers', () => {
    expect(util.toDynamoDB(['a', 'b'])).toStrictEqual({ L: [{ S: 'a' }, { S: 'b' }] });
    expect(util.toDynamoDB([1, 2])).toStrictEqual({ L: [{ N: 1 }, { N: 2 }] });
  });

  it('converts empty maps and lists', () => {
    expect(util.toDynamoDB({})).toStrictEqual({ M: {} });
    expect(util.toDynamoDB([])).toStrictEqual({ L: [] });
  });

  it('leaves out map entries that are undefined and keeps those that are null', () => {
    expect(util.toDynamoDB({ gone: undefined, kept: null })).toStrictEqual({ M: { kept: { NULL: null } } });
  });

  it('turns an undefined list entry into a NULL value', () => {
    expect(util.toDynamoDB([1, undefined])).toStrictEqual({ L: [{ N: 1 }, { NULL: null }] });
  });

  it('keeps zero, negative and fractional numbers as JSON numbers', () => {
    expect(util.toDynamoDB([0, -5, 0.25])).toStrictEqual({ L: [{ N: 0 }, { N: -5 }, { N: 0.25 }] });
  });

  it('keeps the empty string as a string', () => {
    expect(util.toDynamoDB('')).toStrictEqual({ S: '' });
  });

  it('converts a Date through its JSON form', () => {
    expect(util.toDynamoDB(new Date(Date.UTC(2024, 0, 2)))).toStrictEqual({ S: '2024-01-02T00:00:00.000Z' });
  });

  it('keeps keys with special characters, __proto__ included, as entries', () => {
    const item = JSON.parse('{"__proto__":{"x":1},"a.b":"dot","with space":true}');
    const converted = util.toMapValues(item) as Record<string, unknown>;
    expect(Object.keys(converted)).toStrictEqual(['__proto__', 'a.b', 'with space']);
    expect(converted['a.b']).toStrictEqual({ S: 'dot' });
    expect(Object.getPrototypeOf(converted)).toBe(Object.prototype);
  });

  it('rejects a value that contains itself', () => {
    const item: Record<string, unknown> = {};
    item.self = item;
    expect(() => util.toDynamoDB(item)).toThrow(
      'util.dynamodb.toDynamoDB: cannot convert a value that contains itself',
    );
  });

  it('accepts the same object twice when it is not its own ancestor', () => {
    const shared = { a: 1 };
    expect(util.toDynamoDB([shared, shared])).toStrictEqual({ L: [{ M: { a: { N: 1 } } }, { M: { a: { N: 1 } } }] });
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('rejects %s, which DynamoDB cannot store', (_name, value) => {
    expect(() => util.toDynamoDB(value)).toThrow(/is not a number DynamoDB can store/);
  });

  it.each([
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a bigint', BigInt(1)],
  ])('rejects %s with an error naming the function', (_name, value) => {
    expect(() => util.toDynamoDB({ a: value })).toThrow(
      /^util\.dynamodb\.toDynamoDB: cannot convert a \w+ to a DynamoDB value$/,
    );
  });
});

describe('util.dynamodb scalar helpers', () => {
  it.each([
    ['toString', util.toString],
    ['toNumber', util.toNumber],
    ['toBinary', util.toBinary],
    ['toBoolean', util.toBoolean],
    ['toStringSet', util.toStringSet],
    ['toNumberSet', util.toNumberSet],
    ['toBinarySet', util.toBinarySet],
    ['toList', util.toList],
    ['toMap', util.toMap],
    ['toMapValues', util.toMapValues],
  ] as [string, (value: unknown) => unknown][])('%s answers null for null and undefined', (_name, helper) => {
    expect(helper(null)).toBeNull();
    expect(helper(undefined)).toBeNull();
  });

  it.each([
    ['toString', () => util.toString(5), 'util.dynamodb.toString expects a string, got a number'],
    ['toNumber', () => util.toNumber('5'), 'util.dynamodb.toNumber expects a number, got a string'],
    ['toBinary', () => util.toBinary(true), 'util.dynamodb.toBinary expects a string, got a boolean'],
    ['toBoolean', () => util.toBoolean('true'), 'util.dynamodb.toBoolean expects a boolean, got a string'],
    ['toList', () => util.toList({}), 'util.dynamodb.toList expects a list, got an object'],
    ['toMap', () => util.toMap([]), 'util.dynamodb.toMap expects an object, got an array'],
    ['toMapValues', () => util.toMapValues('x'), 'util.dynamodb.toMapValues expects an object, got a string'],
  ])('%s rejects the wrong kind of value', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  it('keeps an empty set empty', () => {
    expect(util.toStringSet([])).toStrictEqual({ SS: [] });
    expect(util.toNumberSet([])).toStrictEqual({ NS: [] });
    expect(util.toBinarySet([])).toStrictEqual({ BS: [] });
  });

  it('copies the set, so later changes to the list do not leak in', () => {
    const list = ['a'];
    const set = util.toStringSet(list);
    list.push('b');
    expect(set).toStrictEqual({ SS: ['a'] });
  });

  it('names the offending item of a set', () => {
    expect(() => util.toNumberSet([1, '2'])).toThrow(
      'util.dynamodb.toNumberSet expects a list of numbers, item 1 is a string',
    );
    expect(() => util.toStringSet('abc')).toThrow('util.dynamodb.toStringSet expects a list of strings, got a string');
  });
});

describe('util.dynamodb S3 objects', () => {
  it('leaves out a null version', () => {
    expect(util.toS3Object('k', 'b', 'r', null)).toStrictEqual({ S: '{"s3":{"key":"k","bucket":"b","region":"r"}}' });
  });

  it('escapes quotes in the parts', () => {
    expect(util.toS3Object('a"b', 'b', 'r')).toStrictEqual({ S: '{"s3":{"key":"a\\"b","bucket":"b","region":"r"}}' });
  });

  it('rejects a part that is not a string', () => {
    expect(() => util.toS3Object('k', 5, 'r')).toThrow(
      'util.dynamodb.toS3Object: bucket must be a string, got a number',
    );
  });

  it('reads back key, bucket and region', () => {
    expect(util.fromS3ObjectJson('{"s3":{"key":"foo","bucket":"bar","region":"baz"}}')).toStrictEqual({
      key: 'foo',
      bucket: 'bar',
      region: 'baz',
    });
  });

  it('reads back a version', () => {
    expect(util.fromS3ObjectJson(util.toS3Object('foo', 'bar', 'baz', 'beep').S)).toStrictEqual({
      key: 'foo',
      bucket: 'bar',
      region: 'baz',
      version: 'beep',
    });
  });

  it.each([
    ['not a string', 5, 'util.dynamodb.fromS3ObjectJson expects a string, got a number'],
    ['not JSON', '{s3', 'util.dynamodb.fromS3ObjectJson: the value is not JSON: {s3'],
    ['JSON without s3', '{"key":"k"}', 'util.dynamodb.fromS3ObjectJson: the value is not an S3 object'],
    ['an s3 object without a bucket', '{"s3":{"key":"k","region":"r"}}', 's3.bucket must be a string, got undefined'],
  ])('rejects %s', (_name, value, message) => {
    expect(() => util.fromS3ObjectJson(value)).toThrow(message);
  });
});
