// runtime.earlyReturn: stops the current handler and hands `obj` on as its result.
import { EarlyReturn } from '../evaluation';
import { describeValue, isPlainObject } from './internal/args';

const SKIP_TARGETS = ['END', 'NEXT'];

function earlyReturn(obj?: unknown, returnOptions?: { skipTo?: 'END' | 'NEXT' }): never {
  if (returnOptions === undefined || returnOptions === null) throw new EarlyReturn(obj);
  if (!isPlainObject(returnOptions)) {
    throw new TypeError(`runtime.earlyReturn: returnOptions must be an object, got ${describeValue(returnOptions)}`);
  }
  const { skipTo } = returnOptions;
  if (skipTo === undefined) throw new EarlyReturn(obj);
  if (typeof skipTo !== 'string' || !SKIP_TARGETS.includes(skipTo)) {
    throw new RangeError(
      `runtime.earlyReturn: returnOptions.skipTo must be 'END' or 'NEXT', got ${JSON.stringify(skipTo)}`,
    );
  }
  throw new EarlyReturn(obj, skipTo as 'END' | 'NEXT');
}

export const runtime = { earlyReturn };
