// Which published payloads reach a subscription. Two kinds of filtering, never both at once [enh]:
//   - basic: the subscription's arguments, each equal to the payload's field of the same name ("an argument set to
//     null asks for a null field" [data]);
//   - enhanced: the filter its resolver set with extensions.setSubscriptionFilter, an OR of groups each an AND of
//     rules [ext]. It takes precedence: the arguments then count only where the filter uses them.
// Either way the payload is the mutation's response as the mutating client selected it, so a rule on a field the
// mutation did not select never matches (aws/aws-appsync-community#89; the stricter reading for `ne`/`notIn` too).
//   [enh]  https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html
//   [ext]  https://docs.aws.amazon.com/appsync/latest/devguide/extensions-js.html ("Argument: filterJsonObject")
//   [data] https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-data.html
import { isDeepStrictEqual } from 'node:util';
import type { RealtimeError } from './protocol';

/** Every operator AWS documents for subscription filters [ext]. */
export const FILTER_OPERATORS = [
  'eq',
  'ne',
  'le',
  'lt',
  'ge',
  'gt',
  'contains',
  'notContains',
  'beginsWith',
  'in',
  'notIn',
  'between',
  'containsAny',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterRule {
  fieldName: string;
  operator: FilterOperator;
  value: unknown;
}

/** A checked filter: groups (OR) of rules (AND). */
export type SubscriptionFilter = FilterRule[][];

/** The restrictions AWS lists under "Exceptions" [ext] and "Additional enhanced filtering restrictions" [enh]. */
export const FILTER_LIMITS = {
  fieldsPerGroup: 5,
  /** Groups after each `in` is spread into one group per value. */
  filtersPerFilter: 10,
  inValues: 5,
  containsAnyValues: 20,
  stringLength: 256,
  nestingLevels: 5,
} as const;

const OPERATORS = new Set<string>(FILTER_OPERATORS);

/** A filter AppSync refuses: the start fails with this error (errorCode 400, no errorType, as [android] shows). */
export class FilterError extends Error {
  constructor(message: string) {
    super(message);
  }

  toRealtimeError(): RealtimeError {
    return { message: this.message, errorCode: 400 };
  }
}

// The wording AppSync uses for a bad value, recorded from amplify-android#2578; the other messages are ours.
const invalidValue = (operator: string) =>
  new FilterError(`subscription filter has invalid filter value for operator \`${operator}\`.`);

type Scalar = string | number | boolean;

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isComparable = (v: unknown): v is string | number => isString(v) || isNumber(v);
const isScalar = (v: unknown): v is Scalar => isComparable(v) || typeof v === 'boolean';

function checkValue(operator: FilterOperator, value: unknown): void {
  const strings = Array.isArray(value) ? value : [value];
  if (strings.some((v) => isString(v) && v.length > FILTER_LIMITS.stringLength)) throw invalidValue(operator);
  const list = (max: number) =>
    Array.isArray(value) && value.length > 0 && value.length <= max && value.every(isComparable);
  let ok: boolean;
  switch (operator) {
    case 'eq':
    case 'ne':
      ok = isScalar(value);
      break;
    case 'le':
    case 'lt':
    case 'ge':
    case 'gt':
    case 'contains':
    case 'notContains':
      ok = isComparable(value);
      break;
    case 'beginsWith':
      ok = isString(value);
      break;
    case 'in':
    case 'notIn':
      ok = list(FILTER_LIMITS.inValues);
      break;
    case 'containsAny':
      ok = list(FILTER_LIMITS.containsAnyValues);
      break;
    case 'between':
      ok =
        Array.isArray(value) &&
        value.length === 2 &&
        ((isNumber(value[0]) && isNumber(value[1])) || (isString(value[0]) && isString(value[1])));
      break;
    default: {
      const unchecked: never = operator;
      throw new FilterError(`subscription filter has invalid operator \`${String(unchecked)}\`.`);
    }
  }
  if (!ok) throw invalidValue(operator);
}

/**
 * Checks what a resolver passed to setSubscriptionFilter or setSubscriptionInvalidationFilter (the runtime has
 * already checked its outline: an object with a filterGroup array of objects with filters arrays).
 */
export function checkFilter(raw: unknown): SubscriptionFilter {
  const groups = (raw as { filterGroup?: unknown }).filterGroup;
  if (!Array.isArray(groups)) throw new FilterError('subscription filter must have a filterGroup list.');
  const checked: SubscriptionFilter = [];
  let spread = 0;
  for (const group of groups) {
    const rules = (group as { filters?: unknown }).filters;
    if (!Array.isArray(rules)) throw new FilterError('each subscription filter group must have a filters list.');
    const fields = new Set<string>();
    let alternatives = 1;
    const out: FilterRule[] = [];
    for (const rule of rules) {
      const { fieldName, operator, value } = (rule ?? {}) as Record<string, unknown>;
      if (!isString(fieldName) || fieldName === '')
        throw new FilterError('subscription filter has a rule without fieldName.');
      if (!isString(operator) || !OPERATORS.has(operator)) {
        throw new FilterError(`subscription filter has invalid operator \`${String(operator)}\`.`);
      }
      checkValue(operator as FilterOperator, value);
      fields.add(fieldName);
      if (operator === 'in') alternatives *= (value as unknown[]).length;
      out.push({ fieldName, operator: operator as FilterOperator, value });
    }
    if (fields.size > FILTER_LIMITS.fieldsPerGroup) {
      throw new FilterError(
        `subscription filter combines ${fields.size} fields in one group; at most ${FILTER_LIMITS.fieldsPerGroup} are allowed.`,
      );
    }
    spread += alternatives;
    checked.push(out);
  }
  if (spread > FILTER_LIMITS.filtersPerFilter) {
    throw new FilterError(
      `subscription filter has ${spread} filters (each value of an \`in\` counting as one); at most ${FILTER_LIMITS.filtersPerFilter} are allowed.`,
    );
  }
  return checked;
}

const MISSING = Symbol('missing');

/**
 * The payload's value at a dotted field name, or MISSING. Rules past the fifth level never match: AWS says they are
 * "ignored" and "won't work" [enh]; delivering nothing is the stricter reading of that.
 */
function valueAt(payload: unknown, fieldName: string): unknown {
  const parts = fieldName.split('.');
  if (parts.length > FILTER_LIMITS.nestingLevels) return MISSING;
  let value: unknown = payload;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) {
      return MISSING;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (isNumber(a) && isNumber(b)) return a - b;
  if (isString(a) && isString(b)) return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function contains(field: unknown, value: unknown): boolean {
  if (Array.isArray(field)) return field.some((item) => isDeepStrictEqual(item, value));
  return isString(field) && isString(value) && field.includes(value);
}

/** Whether one rule holds for a payload value (never for a field the payload lacks). */
export function ruleHolds(rule: FilterRule, field: unknown): boolean {
  if (field === MISSING) return false;
  const { operator, value } = rule;
  switch (operator) {
    case 'eq':
      return isDeepStrictEqual(field, value);
    case 'ne':
      return !isDeepStrictEqual(field, value);
    case 'le':
    case 'lt':
    case 'ge':
    case 'gt': {
      const order = compare(field, value);
      if (order === undefined) return false;
      return operator === 'le'
        ? order <= 0
        : operator === 'lt'
          ? order < 0
          : operator === 'ge'
            ? order >= 0
            : order > 0;
    }
    case 'contains':
      return contains(field, value);
    case 'notContains':
      return !contains(field, value);
    case 'beginsWith':
      return isString(field) && field.startsWith(value as string);
    case 'in':
      return (value as unknown[]).some((item) => isDeepStrictEqual(field, item));
    case 'notIn':
      return !(value as unknown[]).some((item) => isDeepStrictEqual(field, item));
    case 'between': {
      const [low, high] = value as [unknown, unknown];
      const fromLow = compare(field, low);
      const toHigh = compare(field, high);
      return fromLow !== undefined && toHigh !== undefined && fromLow >= 0 && toHigh <= 0;
    }
    case 'containsAny': {
      // The intersection of the field's set and the filter's set is not empty [ext]; a single value is a set of one.
      const items = Array.isArray(field) ? field : [field];
      return items.some((item) => (value as unknown[]).some((wanted) => isDeepStrictEqual(item, wanted)));
    }
    default: {
      const unchecked: never = operator;
      throw new Error(`unknown operator ${String(unchecked)}`);
    }
  }
}

/** Whether a payload passes an enhanced filter. A top-level list is never delivered to one [enh]. */
export function filterMatches(filter: SubscriptionFilter, payload: unknown): boolean {
  if (Array.isArray(payload)) return false;
  return filter.some((group) => group.every((rule) => ruleHolds(rule, valueAt(payload, rule.fieldName))));
}

/** Basic filtering: every argument the subscriber gave equals the payload's field of that name. */
export function argumentsMatch(args: Readonly<Record<string, unknown>>, payload: unknown): boolean {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return Object.keys(args).length === 0;
  }
  return Object.entries(args).every(
    ([name, value]) =>
      Object.hasOwn(payload, name) && isDeepStrictEqual((payload as Record<string, unknown>)[name], value),
  );
}
