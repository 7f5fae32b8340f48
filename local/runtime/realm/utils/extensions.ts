// extensions: evictFromApiCache, setSubscriptionFilter, setSubscriptionInvalidationFilter, invalidateSubscriptions.
// Each records its effect on the evaluation (as a JSON copy taken at the call) for the server to act on.
import { currentEvaluation, type ExtensionEffect } from '../evaluation';
import { describeValue, isPlainObject, jsonCopy, requireObject, requireString } from './internal/args';

function record(effect: ExtensionEffect): void {
  currentEvaluation().extensions.push(effect);
}

function evictFromApiCache(typeName: string, fieldName: string, keyValuePair: Record<string, unknown>): void {
  const fn = 'extensions.evictFromApiCache';
  requireString(fn, 'typeName', typeName);
  requireString(fn, 'fieldName', fieldName);
  requireObject(fn, 'keyValuePair', keyValuePair);
  record({
    kind: 'evictFromApiCache',
    typeName,
    fieldName,
    keys: jsonCopy(fn, keyValuePair) as Record<string, unknown>,
  });
}

/** A filter as util.transform.toSubscriptionFilter builds it: `{ filterGroup: [{ filters: [...] }, ...] }`. */
function checkFilter(fn: string, filter: unknown): unknown {
  requireObject(fn, 'filter', filter);
  const groups = (filter as Record<string, unknown>).filterGroup;
  if (!Array.isArray(groups)) {
    throw new TypeError(`${fn}: filter.filterGroup must be an array, got ${describeValue(groups)}`);
  }
  groups.forEach((group, index) => {
    if (!isPlainObject(group) || !Array.isArray(group.filters)) {
      throw new TypeError(`${fn}: filter.filterGroup[${index}] must be an object with a filters array`);
    }
  });
  return jsonCopy(fn, filter);
}

function setSubscriptionFilter(filter: unknown): void {
  record({ kind: 'setSubscriptionFilter', filter: checkFilter('extensions.setSubscriptionFilter', filter) });
}

function setSubscriptionInvalidationFilter(filter: unknown): void {
  const fn = 'extensions.setSubscriptionInvalidationFilter';
  record({ kind: 'setSubscriptionInvalidationFilter', filter: checkFilter(fn, filter) });
}

function invalidateSubscriptions(invalidation: { subscriptionField: string; payload: Record<string, unknown> }): void {
  const fn = 'extensions.invalidateSubscriptions';
  requireObject(fn, 'the invalidation object', invalidation);
  requireString(fn, 'subscriptionField', invalidation.subscriptionField);
  requireObject(fn, 'payload', invalidation.payload);
  record({ kind: 'invalidateSubscriptions', payload: jsonCopy(fn, invalidation) });
}

export const extensions = {
  evictFromApiCache,
  setSubscriptionFilter,
  setSubscriptionInvalidationFilter,
  invalidateSubscriptions,
};
