// util.transform: filter objects to DynamoDB expressions, OpenSearch queries and subscription filters.
//
// The DynamoDB rendering follows what AppSync's EvaluateCode returns, quirks included (see the recorded cases in
// test/local/runtime/dynamodb): every comparison is parenthesised, a field or group with several parts is wrapped
// once more, top-level parts are joined with AND unwrapped, names are `#<field>` and values
// `:<and_0_...><field>_<operator>`. An empty part still takes its place in a join, leaving a dangling `AND `.
// A filter AppSync cannot render (an unknown operator, a field holding a plain value, ...) gives `null`, not an error.
import { isPlainObject, setEntry, toAttributeValue, type AttributeValue } from './dynamodb';

/** A rendered condition, filter or key condition. */
export interface DynamoDBExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

/** Raised inside the renderers when AppSync would answer `null`; never leaves this file. */
class Unrenderable extends Error {}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };

const FUNCTIONS: Record<string, string> = {
  contains: 'contains',
  notContains: 'NOT contains',
  beginsWith: 'begins_with',
};

const ATTRIBUTE_TYPES: Record<string, string> = {
  _null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
};

function hasOwn(table: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** Several parts are wrapped in one pair of parentheses; a single part stands alone. */
function group(parts: string[], joiner: 'AND' | 'OR'): string {
  if (parts.length > 1) return `(${parts.join(` ${joiner} `)})`;
  return parts.length === 1 ? parts[0] : '';
}

class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};

  constructor(private readonly fn: string) {}

  /** The parts of one filter object, joined with AND but not wrapped. */
  filter(filter: Record<string, unknown>, prefix: string): string {
    const parts: string[] = [];
    for (const key of Object.keys(filter)) {
      const value = filter[key];
      if (value === undefined) continue;
      if (key === 'and' || key === 'or') {
        if (!Array.isArray(value)) throw new Unrenderable();
        const members = value.map((member: unknown, index) => {
          if (!isPlainObject(member)) throw new Unrenderable();
          return this.filter(member, `${prefix}${key}_${index}_`);
        });
        parts.push(group(members, key === 'and' ? 'AND' : 'OR'));
      } else if (key === 'not') {
        if (!isPlainObject(value)) throw new Unrenderable();
        parts.push(`(NOT ${this.filter(value, `${prefix}not_`)})`);
      } else {
        if (!isPlainObject(value)) throw new Unrenderable();
        const name = `#${key}`;
        setEntry(this.names, name, key);
        parts.push(this.field(name, name, value, `${prefix}${key}_`));
      }
    }
    return parts.join(' AND ');
  }

  /** The operators applied to one field (`operand` is `#field` or `size(#field)`). */
  private field(name: string, operand: string, operators: Record<string, unknown>, prefix: string): string {
    const parts: string[] = [];
    for (const operator of Object.keys(operators)) {
      const value = operators[operator];
      if (value === undefined) continue;
      parts.push(this.operator(name, operand, operator, value, prefix));
    }
    return group(parts, 'AND');
  }

  private operator(name: string, operand: string, operator: string, value: unknown, prefix: string): string {
    const placeholder = `:${prefix}${operator}`;
    if (hasOwn(COMPARISONS, operator)) {
      return `(${operand} ${COMPARISONS[operator]} ${this.value(placeholder, value)})`;
    }
    if (hasOwn(FUNCTIONS, operator)) {
      return `(${FUNCTIONS[operator]}(${operand},${this.value(placeholder, value)}))`;
    }
    switch (operator) {
      case 'between': {
        if (!Array.isArray(value) || value.length < 2) throw new Unrenderable();
        const start = this.value(`${placeholder}_start`, value[0]);
        const end = this.value(`${placeholder}_end`, value[1]);
        return `(${operand} BETWEEN ${start} AND ${end})`;
      }
      case 'in': {
        if (!Array.isArray(value)) throw new Unrenderable();
        // Recorded from AWS: an empty list renders as the text "(null)".
        if (value.length === 0) return '(null)';
        const placeholders = value.map((item: unknown, index) => this.value(`${placeholder}_${index}`, item));
        return `(${operand} IN (${placeholders.join(', ')}))`;
      }
      case 'attributeExists':
        if (typeof value !== 'boolean') throw new Unrenderable();
        return `(${value ? 'attribute_exists' : 'attribute_not_exists'}(${operand}))`;
      case 'attributeType':
        if (typeof value !== 'string' || !hasOwn(ATTRIBUTE_TYPES, value)) throw new Unrenderable();
        return `(attribute_type(${operand},${this.value(placeholder, ATTRIBUTE_TYPES[value])}))`;
      case 'size':
        // A size inside a size measures the same attribute again: only the value names grow.
        if (!isPlainObject(value)) throw new Unrenderable();
        return this.field(name, `size(${name})`, value, `${prefix}size_`);
      default:
        throw new Unrenderable();
    }
  }

  private value(placeholder: string, value: unknown): string {
    setEntry(this.values, placeholder, toAttributeValue(this.fn, value) ?? { NULL: null });
    return placeholder;
  }
}

/**
 * Renders a DynamoDB filter object (the `condition`, `filter` and `query` arguments of the DynamoDB module, the input of
 * util.transform.toDynamoDB*Expression), or `null` when AppSync cannot render it.
 */
export function buildDynamoDBExpression(fn: string, filter: unknown): DynamoDBExpression | null {
  if (!isPlainObject(filter)) return null;
  const builder = new ExpressionBuilder(fn);
  let expression: string;
  try {
    expression = builder.filter(filter, '');
  } catch (error) {
    if (error instanceof Unrenderable) return null;
    throw error;
  }
  return { expression, expressionNames: builder.names, expressionValues: builder.values };
}

function toDynamoDBExpressionJson(fn: string, filter: unknown): string | null {
  const built = buildDynamoDBExpression(fn, filter);
  return built === null ? null : JSON.stringify(built);
}

function toDynamoDBFilterExpression(filter: unknown): string | null {
  return toDynamoDBExpressionJson('util.transform.toDynamoDBFilterExpression', filter);
}

/** The same rendering as the filter expression: AppSync answers byte-identical strings for both. */
function toDynamoDBConditionExpression(condition: unknown): string | null {
  return toDynamoDBExpressionJson('util.transform.toDynamoDBConditionExpression', condition);
}

// ---- OpenSearch Query DSL ----
//
// The shape AppSync documents for toElasticsearchQueryDSL: `eq` is a term query, `ne` its negation, the comparisons
// and `range` are range queries; several clauses on one field or at one level are ANDed in a bool/must, `or` is a
// bool/should with minimum_should_match 1, `not` a bool/must_not. Anything else renders as `null`.

type Query = Record<string, unknown> | null;

const TEXT_QUERIES: Record<string, string> = {
  match: 'match',
  matchPhrase: 'match_phrase',
  matchPhrasePrefix: 'match_phrase_prefix',
  multiMatch: 'multi_match',
  wildcard: 'wildcard',
  regexp: 'regexp',
};

const RANGE_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte']);

function entry(key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  setEntry(out, key, value);
  return out;
}

function allOf(clauses: Query[]): Query {
  if (clauses.length === 1) return clauses[0];
  return clauses.length === 0 ? null : { bool: { must: clauses } };
}

function fieldQuery(field: string, operator: string, value: unknown): Query {
  if (operator === 'eq') return { term: entry(field, value) };
  if (operator === 'ne') return { bool: { must_not: { term: entry(field, value) } } };
  if (hasOwn(TEXT_QUERIES, operator)) return entry(TEXT_QUERIES[operator], entry(field, value));
  if (RANGE_OPERATORS.has(operator)) return { range: entry(field, entry(operator, value)) };
  if (operator === 'range') {
    if (!Array.isArray(value) || value.length < 2) throw new Unrenderable();
    return { range: entry(field, { gte: value[0], lte: value[1] }) };
  }
  if (operator === 'exists') {
    if (typeof value !== 'boolean') throw new Unrenderable();
    const exists = { exists: { field } };
    return value ? exists : { bool: { must_not: exists } };
  }
  throw new Unrenderable();
}

function openSearchClauses(filter: Record<string, unknown>): Query[] {
  const clauses: Query[] = [];
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (value === undefined) continue;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value) || value.length === 0) throw new Unrenderable();
      const members = value.map((member: unknown) => {
        if (!isPlainObject(member)) throw new Unrenderable();
        return allOf(openSearchClauses(member));
      });
      clauses.push(
        key === 'and' ? { bool: { must: members } } : { bool: { should: members, minimum_should_match: 1 } },
      );
    } else if (key === 'not') {
      if (!isPlainObject(value)) throw new Unrenderable();
      clauses.push({ bool: { must_not: allOf(openSearchClauses(value)) } });
    } else {
      if (!isPlainObject(value)) throw new Unrenderable();
      const operators = Object.keys(value).filter((operator) => value[operator] !== undefined);
      if (operators.length === 0) continue;
      clauses.push(allOf(operators.map((operator) => fieldQuery(key, operator, value[operator]))));
    }
  }
  return clauses;
}

/** A JSON string of the query, `"null"` for an empty filter, or `null` when the filter cannot be rendered. */
function toElasticsearchQueryDSL(filter: unknown): string | null {
  if (!isPlainObject(filter)) return null;
  try {
    return JSON.stringify(allOf(openSearchClauses(filter)));
  } catch (error) {
    if (error instanceof Unrenderable) return null;
    throw error;
  }
}

// ---- subscription filters ----
//
// The result is an OR of groups, each an AND of filters. Every operator of a field, every member of an `or` and every
// rule is an alternative, so groups multiply out: `{ a: { eq: 1, ne: 2 } }` gives two groups. Operators are carried
// through unchecked and `not` is read as a field name (recorded from AWS). Unlike the DynamoDB transforms this returns
// an object, not a JSON string.

export interface SubscriptionFilterEntry {
  fieldName: string;
  operator: string;
  value: unknown;
}

export interface SubscriptionFilter {
  filterGroup: { filters: SubscriptionFilterEntry[] }[];
}

type Groups = SubscriptionFilterEntry[][];

/** Every group of `left` combined with every group of `right`, `left` varying slowest. */
function product(left: Groups, right: Groups): Groups {
  const out: Groups = [];
  for (const a of left) for (const b of right) out.push([...a, ...b]);
  return out;
}

/** One group per operator of each field: the alternatives a field contributes. */
function fieldAlternatives(fieldName: string, operators: unknown): Groups {
  if (!isPlainObject(operators)) throw new Unrenderable();
  return Object.keys(operators)
    .filter((operator) => operators[operator] !== undefined)
    .map((operator) => [{ fieldName, operator, value: operators[operator] }]);
}

function subscriptionGroups(filter: Record<string, unknown>, ignored: ReadonlySet<string>): Groups {
  let groups: Groups = [[]];
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (value === undefined || ignored.has(key)) continue;
    let alternatives: Groups;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new Unrenderable();
      const members = value.map((member: unknown) => {
        if (!isPlainObject(member)) throw new Unrenderable();
        return subscriptionGroups(member, ignored);
      });
      alternatives = key === 'and' ? members.reduce(product, [[]]) : members.flat();
    } else {
      alternatives = fieldAlternatives(key, value);
      // A field without operators constrains nothing (a choice: AWS records no group for it either way).
      if (alternatives.length === 0) continue;
    }
    groups = product(groups, alternatives);
  }
  return groups;
}

function toSubscriptionFilter(filter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter | null {
  if (!isPlainObject(filter)) return null;
  if (ignoredFields !== undefined && ignoredFields !== null && !Array.isArray(ignoredFields)) return null;
  if (rules !== undefined && rules !== null && !isPlainObject(rules)) return null;
  const ignored = new Set(
    ((ignoredFields ?? []) as unknown[]).filter((field): field is string => typeof field === 'string'),
  );
  try {
    let groups = subscriptionGroups(filter, ignored);
    if (isPlainObject(rules)) {
      // At least one rule has to hold: each rule operator is one more alternative for every group.
      const alternatives = Object.keys(rules).flatMap((field) =>
        rules[field] === undefined ? [] : fieldAlternatives(field, rules[field]),
      );
      if (alternatives.length > 0) groups = product(groups, alternatives);
    }
    return { filterGroup: groups.filter((filters) => filters.length > 0).map((filters) => ({ filters })) };
  } catch (error) {
    if (error instanceof Unrenderable) return null;
    throw error;
  }
}

export const transform = {
  toDynamoDBFilterExpression,
  toDynamoDBConditionExpression,
  toElasticsearchQueryDSL,
  toSubscriptionFilter,
};
