// AppSync's DynamoDB type system in isolation: typed request values to the SDK's form, stored values to plain JSON,
// and the value equality DynamoDB applies (used to decide whether a failed PutItem already holds).
import { describe, expect, it } from 'vitest';
import {
  canonicalMap,
  canonicalValue,
  fromAttributeValue,
  toAttributeValue,
} from '../../../local/server/datasources/dynamodb-values';
import { RequestShapeError } from '../../../local/server/datasources/request-object';

describe('toAttributeValue', () => {
  it('turns JSON numbers into the decimal strings DynamoDB takes', () => {
    expect(toAttributeValue({ N: 10 }, '$')).toEqual({ N: '10' });
    expect(toAttributeValue({ N: -0.5 }, '$')).toEqual({ N: '-0.5' });
    expect(toAttributeValue({ NS: [1, '2.50'] }, '$')).toEqual({ NS: ['1', '2.50'] });
  });

  it('decodes base64 binary into bytes', () => {
    expect(toAttributeValue({ B: 'AP8=' }, '$')).toEqual({ B: Buffer.from([0, 255]) });
    expect(toAttributeValue({ BS: ['AQ==', 'Ag=='] }, '$')).toEqual({ BS: [Buffer.from([1]), Buffer.from([2])] });
  });

  it('accepts NULL as true or null (util.dynamodb.toNull) and nothing else', () => {
    expect(toAttributeValue({ NULL: true }, '$')).toEqual({ NULL: true });
    expect(toAttributeValue({ NULL: null }, '$')).toEqual({ NULL: true });
    expect(() => toAttributeValue({ NULL: 'yes' }, '$[a]')).toThrow(
      new RequestShapeError("Expected true or null at '$[a][NULL]' but got 'STRING'."),
    );
  });

  it('converts nested lists and maps, naming the path of a bad value', () => {
    expect(toAttributeValue({ M: { list: { L: [{ S: 'a' }, { M: {} }] } } }, '$')).toEqual({
      M: { list: { L: [{ S: 'a' }, { M: {} }] } },
    });
    expect(() => toAttributeValue({ L: [{ S: 'a' }, 'b'] }, '$[x]')).toThrow(
      "Expected JSON object for attribute value '$[x][L][1]' but got 'STRING' instead.",
    );
  });

  it('accepts objects built in another realm, as resolver sandboxes build them', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('({ M: { n: { N: 1 } } })');

    expect(toAttributeValue(foreign, '$')).toEqual({ M: { n: { N: '1' } } });
  });
});

describe('fromAttributeValue', () => {
  it('returns sets as lists, numbers as numbers and binary as base64', () => {
    expect(fromAttributeValue({ NS: ['1', '2.5'] })).toEqual([1, 2.5]);
    expect(fromAttributeValue({ SS: ['a'] })).toEqual(['a']);
    expect(fromAttributeValue({ BS: [Buffer.from([1, 2])] })).toEqual(['AQI=']);
    expect(fromAttributeValue({ NULL: true })).toBeNull();
    expect(fromAttributeValue({ M: { l: { L: [{ BOOL: false }, { N: '0.10' }] } } })).toEqual({ l: [false, 0.1] });
  });
});

describe('canonicalValue', () => {
  it('treats numbers equal by value as equal, whatever their spelling', () => {
    const spellings = ['1.5', '1.50', '15e-1', '0.15E1', '+1.5', '01.5'];
    expect(new Set(spellings.map((n) => canonicalValue({ N: n }))).size).toBe(1);
    expect(canonicalValue({ N: '100' })).toBe(canonicalValue({ N: '1e2' }));
    expect(canonicalValue({ N: '0' })).toBe(canonicalValue({ N: '-0.000' }));
  });

  it('tells different numbers apart', () => {
    expect(canonicalValue({ N: '1.5' })).not.toBe(canonicalValue({ N: '1.51' }));
    expect(canonicalValue({ N: '-1' })).not.toBe(canonicalValue({ N: '1' }));
    expect(canonicalValue({ N: '10' })).not.toBe(canonicalValue({ S: '10' }));
  });

  it('ignores the order of set elements but not of list elements', () => {
    expect(canonicalValue({ SS: ['a', 'b'] })).toBe(canonicalValue({ SS: ['b', 'a'] }));
    expect(canonicalValue({ NS: ['2', '10'] })).toBe(canonicalValue({ NS: ['10.0', '2'] }));
    expect(canonicalValue({ L: [{ S: 'a' }, { S: 'b' }] })).not.toBe(canonicalValue({ L: [{ S: 'b' }, { S: 'a' }] }));
  });

  it('compares maps by content, ignoring attribute order and the names asked to be ignored', () => {
    const stored = { id: { S: '1' }, name: { S: 'Steve' }, version: { N: '8' } };
    const written = { version: { N: '2' }, name: { S: 'Steve' }, id: { S: '1' } };

    expect(canonicalMap(stored)).not.toBe(canonicalMap(written));
    expect(canonicalMap(stored, new Set(['version']))).toBe(canonicalMap(written, new Set(['version'])));
  });
});
