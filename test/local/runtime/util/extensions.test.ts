import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  beginEvaluation,
  endEvaluation,
  newEvaluationState,
  type EvaluationState,
} from '../../../../local/runtime/realm/evaluation';
import { extensions } from '../../../../local/runtime/realm/utils/extensions';

let state: EvaluationState;

beforeEach(() => {
  state = beginEvaluation(newEvaluationState());
});

afterEach(() => endEvaluation());

const FILTER = {
  filterGroup: [{ filters: [{ fieldName: 'severity', operator: 'ge', value: 7 }] }],
};

describe('extensions.evictFromApiCache', () => {
  // AppSync's documented example.
  it('records the eviction of the documented example', () => {
    extensions.evictFromApiCache('Query', 'allClasses', { 'context.arguments.semester': 'fall' });
    expect(state.extensions).toEqual([
      {
        kind: 'evictFromApiCache',
        typeName: 'Query',
        fieldName: 'allClasses',
        keys: { 'context.arguments.semester': 'fall' },
      },
    ]);
  });

  it('rejects a key map that is not an object', () => {
    expect(() => extensions.evictFromApiCache('Query', 'f', null as unknown as Record<string, unknown>)).toThrow(
      'extensions.evictFromApiCache: keyValuePair must be an object, got null',
    );
  });

  it('rejects a type name that is not a string', () => {
    expect(() => extensions.evictFromApiCache(1 as unknown as string, 'f', {})).toThrow(
      'extensions.evictFromApiCache: typeName must be a string, got number',
    );
  });
});

describe('extensions.setSubscriptionFilter', () => {
  it('records a copy of the filter', () => {
    const filter = structuredClone(FILTER);
    extensions.setSubscriptionFilter(filter);
    filter.filterGroup[0].filters[0].value = 1;
    expect(state.extensions).toEqual([{ kind: 'setSubscriptionFilter', filter: FILTER }]);
  });

  it('rejects a filter without a filterGroup list', () => {
    expect(() => extensions.setSubscriptionFilter({ filters: [] })).toThrow(
      'extensions.setSubscriptionFilter: filter.filterGroup must be an array, got undefined',
    );
  });

  it('rejects a group without a filters list', () => {
    expect(() => extensions.setSubscriptionFilter({ filterGroup: [{}] })).toThrow(
      'extensions.setSubscriptionFilter: filter.filterGroup[0] must be an object with a filters array',
    );
  });
});

describe('extensions.setSubscriptionInvalidationFilter', () => {
  it('records the filter', () => {
    extensions.setSubscriptionInvalidationFilter(FILTER);
    expect(state.extensions).toEqual([{ kind: 'setSubscriptionInvalidationFilter', filter: FILTER }]);
  });
});

describe('extensions.invalidateSubscriptions', () => {
  it('records the subscription field with its payload', () => {
    extensions.invalidateSubscriptions({ subscriptionField: 'onNoteChanged', payload: { noteId: 'n1' } });
    expect(state.extensions).toEqual([
      { kind: 'invalidateSubscriptions', payload: { subscriptionField: 'onNoteChanged', payload: { noteId: 'n1' } } },
    ]);
  });

  it('rejects an invalidation without a subscription field', () => {
    expect(() =>
      extensions.invalidateSubscriptions({ payload: {} } as unknown as {
        subscriptionField: string;
        payload: Record<string, unknown>;
      }),
    ).toThrow('extensions.invalidateSubscriptions: subscriptionField must be a string, got undefined');
  });
});
