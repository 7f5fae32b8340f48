import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  beginEvaluation,
  endEvaluation,
  newEvaluationState,
  ResolverError,
  UnauthorizedError,
  type EvaluationState,
} from '../../../../local/runtime/realm/evaluation';
import { errorUtils } from '../../../../local/runtime/realm/utils/errors';

let state: EvaluationState;

beforeEach(() => {
  state = beginEvaluation(newEvaluationState());
});

afterEach(() => endEvaluation());

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('util.error', () => {
  // Recorded from AppSync's EvaluateCode: util.error("foo") fails the evaluation with the message "foo".
  it('stops the evaluation with the given message', () => {
    const error = thrownBy(() => errorUtils.error('foo'));
    expect(error).toBeInstanceOf(ResolverError);
    expect((error as ResolverError).message).toBe('foo');
    expect((error as ResolverError).record).toEqual({ message: 'foo' });
  });

  it('carries the error type, data and error info', () => {
    const error = thrownBy(() =>
      errorUtils.error('Not found', 'NotFound', { id: '1' }, { retry: false }),
    ) as ResolverError;
    expect(error.record).toEqual({
      message: 'Not found',
      errorType: 'NotFound',
      data: { id: '1' },
      errorInfo: { retry: false },
    });
  });

  it('keeps a copy of data as it was at the call', () => {
    const data = { count: 1 };
    const error = thrownBy(() => errorUtils.error('changed', 'T', data)) as ResolverError;
    data.count = 2;
    expect(error.record.data).toEqual({ count: 1 });
  });

  it('leaves out an error type given as null', () => {
    const error = thrownBy(() => errorUtils.error('m', null as unknown as string, null)) as ResolverError;
    expect(error.record).toEqual({ message: 'm', data: null });
  });

  it('turns a message that is not a string into text', () => {
    const error = thrownBy(() => errorUtils.error({ reason: 'bad' } as unknown as string)) as ResolverError;
    expect(error.message).toBe('{"reason":"bad"}');
  });

  it('still raises the error when the message is an object that cannot be written as JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = thrownBy(() => errorUtils.error(cyclic as unknown as string)) as ResolverError;
    expect(error).toBeInstanceOf(ResolverError);
    expect(error.message).toBe('[object Object]');
  });

  it('records nothing in the appended errors', () => {
    thrownBy(() => errorUtils.error('foo'));
    expect(state.outErrors).toEqual([]);
  });

  it('rejects data that cannot be turned into JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => errorUtils.error('m', 'T', cyclic)).toThrow(/util\.error: value cannot be converted to JSON/);
  });
});

describe('util.appendError', () => {
  it('records the error and lets the evaluation go on', () => {
    const result = errorUtils.appendError('Partial failure', 'PartialError', { failed: ['a'] }, { hint: 'retry' });
    expect(result).toBeUndefined();
    expect(state.outErrors).toEqual([
      { message: 'Partial failure', errorType: 'PartialError', data: { failed: ['a'] }, errorInfo: { hint: 'retry' } },
    ]);
  });

  it('keeps every appended error, in order', () => {
    errorUtils.appendError('first');
    errorUtils.appendError('second', 'Second');
    expect(state.outErrors).toEqual([{ message: 'first' }, { message: 'second', errorType: 'Second' }]);
  });

  it('needs an evaluation in progress', () => {
    endEvaluation();
    expect(() => errorUtils.appendError('x')).toThrow('No evaluation in progress');
  });
});

describe('util.unauthorized', () => {
  // Recorded from AppSync's EvaluateCode: util.unauthorized() fails the evaluation with the message "Unauthorized".
  it('stops the evaluation with the message Unauthorized', () => {
    const error = thrownBy(() => errorUtils.unauthorized());
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).message).toBe('Unauthorized');
    expect((error as UnauthorizedError).record.errorType).toBe('Unauthorized');
  });
});
