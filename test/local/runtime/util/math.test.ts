import { describe, expect, it } from 'vitest';
import { math } from '../../../../local/runtime/realm/utils/math';

describe('util.math.roundNum', () => {
  // Java's Math.round: halves go towards positive infinity.
  it.each([
    [2.4, 2],
    [2.5, 3],
    [-2.5, -2],
    [-2.6, -3],
    [0.49999999999999994, 0],
    [7, 7],
  ])('rounds %d to %d', (input, expected) => {
    expect(math.roundNum(input)).toBe(expected);
  });

  it('never returns negative zero', () => {
    expect(Object.is(math.roundNum(-0.2), 0)).toBe(true);
  });

  it('clamps infinities to the range of a Java long', () => {
    expect(math.roundNum(Infinity)).toBe(2 ** 63);
    expect(math.roundNum(-Infinity)).toBe(-(2 ** 63));
  });

  it('rejects a value that is not a number', () => {
    expect(() => math.roundNum('2' as unknown as number)).toThrow(
      'util.math.roundNum: input must be a number, got string',
    );
  });
});

describe('util.math.minVal and maxVal', () => {
  it('return the smaller and the larger of two numbers', () => {
    expect(math.minVal(3.5, -1)).toBe(-1);
    expect(math.maxVal(3.5, -1)).toBe(3.5);
  });

  it('reject a missing argument', () => {
    expect(() => math.minVal(1, undefined as unknown as number)).toThrow('util.math.minVal: input2 must be a number');
  });
});

describe('util.math.randomDouble', () => {
  it('returns numbers in [0, 1) that are not all the same', () => {
    const values = Array.from({ length: 1000 }, () => math.randomDouble());
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
  });
});

describe('util.math.randomWithinRange', () => {
  it('returns integers between both ends, both included', () => {
    const values = Array.from({ length: 2000 }, () => math.randomWithinRange(1, 4));
    expect(values.every((value) => Number.isInteger(value) && value >= 1 && value <= 4)).toBe(true);
    expect(new Set(values)).toEqual(new Set([1, 2, 3, 4]));
  });

  it('returns the only value of a one-value range', () => {
    expect(math.randomWithinRange(-5, -5)).toBe(-5);
  });

  it('rejects a range whose start is after its end', () => {
    expect(() => math.randomWithinRange(5, 1)).toThrow(
      'util.math.randomWithinRange: start (5) is greater than end (1)',
    );
  });

  it('rejects bounds that are not integers', () => {
    expect(() => math.randomWithinRange(1.5, 3)).toThrow(
      'util.math.randomWithinRange: start must be an integer, got 1.5',
    );
  });
});
