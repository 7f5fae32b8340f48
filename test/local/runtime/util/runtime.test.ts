import { describe, expect, it } from 'vitest';
import { EarlyReturn } from '../../../../local/runtime/realm/evaluation';
import { runtime } from '../../../../local/runtime/realm/utils/runtime';

function earlyReturnOf(action: () => unknown): EarlyReturn {
  try {
    action();
  } catch (signal) {
    if (signal instanceof EarlyReturn) return signal;
    throw signal;
  }
  throw new Error('expected runtime.earlyReturn to stop the handler');
}

describe('runtime.earlyReturn', () => {
  // AppSync's documented example: runtime.earlyReturn({ hello: 'world' }) makes that object the result.
  it('stops the handler and carries the documented example value out', () => {
    const signal = earlyReturnOf(() => runtime.earlyReturn({ hello: 'world' }));
    expect(signal.value).toEqual({ hello: 'world' });
    expect(signal.skipTo).toBeUndefined();
  });

  it('carries no value when called without one', () => {
    expect(earlyReturnOf(() => runtime.earlyReturn()).value).toBeUndefined();
  });

  it.each(['END', 'NEXT'] as const)('carries skipTo %s', (skipTo) => {
    expect(earlyReturnOf(() => runtime.earlyReturn(1, { skipTo })).skipTo).toBe(skipTo);
  });

  it('accepts options without skipTo', () => {
    expect(earlyReturnOf(() => runtime.earlyReturn(1, {})).skipTo).toBeUndefined();
  });

  it('rejects an unknown skipTo', () => {
    expect(() => runtime.earlyReturn(1, { skipTo: 'START' as 'END' })).toThrow(
      `runtime.earlyReturn: returnOptions.skipTo must be 'END' or 'NEXT', got "START"`,
    );
  });

  it('rejects options that are not an object', () => {
    expect(() => runtime.earlyReturn(1, 'END' as unknown as { skipTo: 'END' })).toThrow(
      'runtime.earlyReturn: returnOptions must be an object, got string',
    );
  });
});
