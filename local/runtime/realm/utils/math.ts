// util.math, with the semantics of the java.lang.Math calls behind AppSync's helpers.
import { host } from '../host';
import { requireInteger, requireNumber } from './internal/args';

// Long.MAX_VALUE and Long.MIN_VALUE as the nearest doubles.
const LONG_MAX = 2 ** 63;
const LONG_MIN = -(2 ** 63);

/** Java's Math.round: halves round up (towards positive infinity), infinities clamp to the long range. */
function roundNum(input: number): number {
  const value = requireNumber('util.math.roundNum', 'input', input);
  if (value === Number.POSITIVE_INFINITY) return LONG_MAX;
  if (value === Number.NEGATIVE_INFINITY) return LONG_MIN;
  return Math.round(value) + 0; // + 0 turns -0 into 0: a Java long has no negative zero
}

function minVal(input1: number, input2: number): number {
  return Math.min(
    requireNumber('util.math.minVal', 'input1', input1),
    requireNumber('util.math.minVal', 'input2', input2),
  );
}

function maxVal(input1: number, input2: number): number {
  return Math.max(
    requireNumber('util.math.maxVal', 'input1', input1),
    requireNumber('util.math.maxVal', 'input2', input2),
  );
}

/** A uniform double in [0, 1) with 53 random bits, like java.util.Random#nextDouble. */
function randomDouble(): number {
  const hex = host.randomHex(7);
  const high = parseInt(hex.slice(0, 6), 16) >>> 3; // 21 bits
  const low = parseInt(hex.slice(6, 14), 16); // 32 bits
  return (high * 2 ** 32 + low) / 2 ** 53;
}

/** A uniform integer in [start, end], both ends included. */
function randomWithinRange(start: number, end: number): number {
  const low = requireInteger('util.math.randomWithinRange', 'start', start);
  const high = requireInteger('util.math.randomWithinRange', 'end', end);
  if (low > high) throw new RangeError(`util.math.randomWithinRange: start (${low}) is greater than end (${high})`);
  const size = high - low + 1;
  // Rejection sampling over 48 random bits keeps every value equally likely.
  const space = 2 ** 48;
  const limit = space - (space % size);
  for (;;) {
    const draw = parseInt(host.randomHex(6), 16);
    if (draw < limit) return low + (draw % size);
  }
}

export const math = { roundNum, minVal, maxVal, randomDouble, randomWithinRange };
