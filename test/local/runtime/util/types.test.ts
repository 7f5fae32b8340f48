import { describe, expect, it } from 'vitest';
import { typeUtils } from '../../../../local/runtime/realm/utils/types';

// AppSync documents these helpers for $util in VTL; the meanings below are those of its VTL reference.
describe('util type helpers', () => {
  it('isNull is true for null and undefined only', () => {
    expect([null, undefined, '', 0, false, {}].map(typeUtils.isNull)).toEqual([true, true, false, false, false, false]);
  });

  it('isNullOrEmpty is true for null and the empty string', () => {
    expect([null, undefined, '', ' ', 'a', 0].map(typeUtils.isNullOrEmpty)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('isNullOrBlank is true for null and whitespace-only strings', () => {
    expect([null, '', ' \t\n', 'a ', 0].map(typeUtils.isNullOrBlank)).toEqual([true, true, true, false, false]);
  });

  it('isNullOrBlank does not count a no-break space as blank, like Java', () => {
    expect(typeUtils.isNullOrBlank('\u00a0')).toBe(false);
    expect(typeUtils.isNullOrBlank('\u2003')).toBe(true);
  });

  it('defaultIfNull replaces only null and undefined', () => {
    expect(typeUtils.defaultIfNull(null, 'd')).toBe('d');
    expect(typeUtils.defaultIfNull(undefined, 'd')).toBe('d');
    expect(typeUtils.defaultIfNull('', 'd')).toBe('');
    expect(typeUtils.defaultIfNull(0, 'd')).toBe(0);
  });

  it('defaultIfNullOrEmpty also replaces the empty string', () => {
    expect(typeUtils.defaultIfNullOrEmpty('', 'd')).toBe('d');
    expect(typeUtils.defaultIfNullOrEmpty(' ', 'd')).toBe(' ');
  });

  it('defaultIfNullOrBlank also replaces whitespace-only strings', () => {
    expect(typeUtils.defaultIfNullOrBlank('  ', 'd')).toBe('d');
    expect(typeUtils.defaultIfNullOrBlank(' x ', 'd')).toBe(' x ');
  });

  it('tells strings, numbers, booleans, lists and maps apart', () => {
    const values = ['s', 1, true, [1], { a: 1 }, null];
    expect(values.map(typeUtils.isString)).toEqual([true, false, false, false, false, false]);
    expect(values.map(typeUtils.isNumber)).toEqual([false, true, false, false, false, false]);
    expect(values.map(typeUtils.isBoolean)).toEqual([false, false, true, false, false, false]);
    expect(values.map(typeUtils.isList)).toEqual([false, false, false, true, false, false]);
    expect(values.map(typeUtils.isMap)).toEqual([false, false, false, false, true, false]);
  });

  it('typeOf names each type as AppSync does', () => {
    expect(['s', 1.5, false, [], {}, null, undefined, () => 1].map(typeUtils.typeOf)).toEqual([
      'String',
      'Number',
      'Boolean',
      'List',
      'Map',
      'Null',
      'Null',
      'Object',
    ]);
  });
});
