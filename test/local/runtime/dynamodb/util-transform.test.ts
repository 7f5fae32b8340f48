// util.transform beyond the recorded values: the examples of AWS's "Transformation helpers in util.transform" page
// (https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html), and the
// choices made where neither the docs nor a recording say what happens.
import { describe, expect, it } from 'vitest';
import { transform } from '../../../../local/runtime/realm/utils/transform';

function filter(input: unknown): unknown {
  const answer = transform.toDynamoDBFilterExpression(input);
  return answer === null ? null : JSON.parse(answer);
}

function openSearch(input: unknown): unknown {
  const answer = transform.toElasticsearchQueryDSL(input);
  return answer === null ? null : JSON.parse(answer);
}

describe('util.transform.toDynamoDBFilterExpression', () => {
  it('renders the documented example with the recorded parentheses and no space after the comma', () => {
    // The docs print "contains(#title, :title_contains)"; EvaluateCode answers the form below.
    expect(filter({ title: { contains: 'Hello World' } })).toStrictEqual({
      expression: '(contains(#title,:title_contains))',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_contains': { S: 'Hello World' } },
    });
  });

  it('skips operators whose value is undefined, as JSON would', () => {
    expect(filter({ title: { contains: undefined, eq: 'x' } })).toStrictEqual({
      expression: '(#title = :title_eq)',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_eq': { S: 'x' } },
    });
  });

  it('skips fields and groups whose value is undefined', () => {
    expect(filter({ a: undefined, and: undefined, not: undefined, b: { eq: 1 } })).toStrictEqual({
      expression: '(#b = :b_eq)',
      expressionNames: { '#b': 'b' },
      expressionValues: { ':b_eq': { N: 1 } },
    });
  });

  it('names a field once when several members use it', () => {
    expect(filter({ or: [{ a: { eq: 1 } }, { a: { eq: 2 } }] })).toStrictEqual({
      expression: '((#a = :or_0_a_eq) OR (#a = :or_1_a_eq))',
      expressionNames: { '#a': 'a' },
      expressionValues: { ':or_0_a_eq': { N: 1 }, ':or_1_a_eq': { N: 2 } },
    });
  });

  it('wraps an or with three members once', () => {
    const rendered = filter({ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }, { c: { eq: 3 } }] }) as { expression: string };
    expect(rendered.expression).toBe('((#a = :or_0_a_eq) OR (#b = :or_1_b_eq) OR (#c = :or_2_c_eq))');
  });

  it('joins a member holding two fields with AND inside the group', () => {
    const rendered = filter({ or: [{ a: { eq: 1 }, b: { eq: 2 } }, { c: { eq: 3 } }] }) as { expression: string };
    expect(rendered.expression).toBe('((#a = :or_0_a_eq) AND (#b = :or_0_b_eq) OR (#c = :or_1_c_eq))');
  });

  it('combines size with a plain operator on the same field', () => {
    expect(filter({ v: { size: { gt: 2 }, attributeExists: true } })).toStrictEqual({
      expression: '((size(#v) > :v_size_gt) AND (attribute_exists(#v)))',
      expressionNames: { '#v': 'v' },
      expressionValues: { ':v_size_gt': { N: 2 } },
    });
  });

  it('converts list operands of in one by one', () => {
    expect(filter({ v: { in: [1, 'a', null] } })).toStrictEqual({
      expression: '(#v IN (:v_in_0, :v_in_1, :v_in_2))',
      expressionNames: { '#v': 'v' },
      expressionValues: { ':v_in_0': { N: 1 }, ':v_in_1': { S: 'a' }, ':v_in_2': { NULL: null } },
    });
  });

  it('keeps a field named __proto__ as an entry of expressionNames', () => {
    const rendered = filter(JSON.parse('{"__proto__":{"eq":1}}')) as { expressionNames: Record<string, string> };
    expect(Object.keys(rendered.expressionNames)).toStrictEqual(['#__proto__']);
  });

  it('throws when an operand cannot be converted to a DynamoDB value', () => {
    expect(() => transform.toDynamoDBFilterExpression({ v: { eq: () => 1 } })).toThrow(
      'util.transform.toDynamoDBFilterExpression: cannot convert a function to a DynamoDB value',
    );
  });
});

describe('util.transform.toDynamoDBConditionExpression', () => {
  it('answers the same string as the filter expression for the same input', () => {
    const input = { and: [{ a: { beginsWith: 'x' } }, { not: { b: { in: [1, 2] } } }], c: { size: { le: 3 } } };
    expect(transform.toDynamoDBConditionExpression(input)).toBe(transform.toDynamoDBFilterExpression(input));
  });

  it('answers null for a condition it cannot render', () => {
    expect(transform.toDynamoDBConditionExpression({ expression: 'attribute_exists(id)' })).toBeNull();
  });
});

describe('util.transform.toElasticsearchQueryDSL', () => {
  it('renders the documented example exactly', () => {
    expect(
      openSearch({ upvotes: { ne: 15, range: [10, 20] }, title: { eq: 'hihihi', wildcard: 'h*i' } }),
    ).toStrictEqual({
      bool: {
        must: [
          {
            bool: {
              must: [{ bool: { must_not: { term: { upvotes: 15 } } } }, { range: { upvotes: { gte: 10, lte: 20 } } }],
            },
          },
          { bool: { must: [{ term: { title: 'hihihi' } }, { wildcard: { title: 'h*i' } }] } },
        ],
      },
    });
  });

  it('answers a JSON string', () => {
    expect(transform.toElasticsearchQueryDSL({ title: { eq: 'x' } })).toBe('{"term":{"title":"x"}}');
  });

  it.each([
    ['match', { match: { f: 'v' } }],
    ['matchPhrase', { match_phrase: { f: 'v' } }],
    ['matchPhrasePrefix', { match_phrase_prefix: { f: 'v' } }],
    ['multiMatch', { multi_match: { f: 'v' } }],
    ['wildcard', { wildcard: { f: 'v' } }],
    ['regexp', { regexp: { f: 'v' } }],
    ['gt', { range: { f: { gt: 'v' } } }],
    ['gte', { range: { f: { gte: 'v' } } }],
    ['lt', { range: { f: { lt: 'v' } } }],
    ['lte', { range: { f: { lte: 'v' } } }],
  ])('renders %s', (operator, expected) => {
    expect(openSearch({ f: { [operator]: 'v' } })).toStrictEqual(expected);
  });

  it('renders exists true and false', () => {
    expect(openSearch({ f: { exists: true } })).toStrictEqual({ exists: { field: 'f' } });
    expect(openSearch({ f: { exists: false } })).toStrictEqual({ bool: { must_not: { exists: { field: 'f' } } } });
  });

  it('renders or as should with minimum_should_match 1', () => {
    expect(openSearch({ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] })).toStrictEqual({
      bool: { should: [{ term: { a: 1 } }, { term: { b: 2 } }], minimum_should_match: 1 },
    });
  });

  it('renders and as must', () => {
    expect(openSearch({ and: [{ a: { eq: 1 } }, { b: { gt: 2, lt: 5 } }] })).toStrictEqual({
      bool: {
        must: [{ term: { a: 1 } }, { bool: { must: [{ range: { b: { gt: 2 } } }, { range: { b: { lt: 5 } } }] } }],
      },
    });
  });

  it('renders not as must_not', () => {
    expect(openSearch({ not: { a: { eq: 1 } } })).toStrictEqual({ bool: { must_not: { term: { a: 1 } } } });
  });

  it('answers the string "null" for an empty filter', () => {
    expect(transform.toElasticsearchQueryDSL({})).toBe('null');
  });

  it.each([
    ['null', null],
    ['a string', '{"a":{"eq":1}}'],
    ['an unknown operator', { a: { contains: 'x' } }],
    ['a field holding a value', { a: 1 }],
    ['a range with one bound', { a: { range: [1] } }],
    ['exists given a string', { a: { exists: 'yes' } }],
    ['an and given an object', { and: { a: { eq: 1 } } }],
    ['an empty or', { or: [] }],
  ])('answers null for %s', (_name, input) => {
    expect(transform.toElasticsearchQueryDSL(input)).toBeNull();
  });
});

describe('util.transform.toSubscriptionFilter', () => {
  it('keeps each group an AND of filters as the documented SubscriptionFilter shape', () => {
    const result = transform.toSubscriptionFilter({ a: { eq: 1 } });
    expect(result).toStrictEqual({ filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }] }] });
  });

  it('multiplies an or inside an or into one group per member', () => {
    const result = transform.toSubscriptionFilter({
      or: [{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }],
    });
    expect(result?.filterGroup.map((group) => group.filters.map((f) => f.fieldName))).toStrictEqual([
      ['a'],
      ['b'],
      ['c'],
    ]);
  });

  it('drops an ignored field inside an or', () => {
    const result = transform.toSubscriptionFilter({ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, ['a']);
    expect(result).toStrictEqual({ filterGroup: [{ filters: [{ fieldName: 'b', operator: 'eq', value: 2 }] }] });
  });

  it('keeps the other fields when one field has no operator', () => {
    const result = transform.toSubscriptionFilter({ a: {}, b: { eq: 2 } });
    expect(result).toStrictEqual({ filterGroup: [{ filters: [{ fieldName: 'b', operator: 'eq', value: 2 }] }] });
  });

  it('ignores null ignoredFields and rules', () => {
    expect(transform.toSubscriptionFilter({ a: { eq: 1 } }, null, null)).toStrictEqual(
      transform.toSubscriptionFilter({ a: { eq: 1 } }),
    );
  });

  it.each([
    ['ignoredFields that is not a list', () => transform.toSubscriptionFilter({ a: { eq: 1 } }, 'a')],
    ['rules that are not an object', () => transform.toSubscriptionFilter({ a: { eq: 1 } }, [], 'r')],
    ['a field holding a value', () => transform.toSubscriptionFilter({ a: 1 })],
  ])('answers null for %s', (_name, call) => {
    expect(call()).toBeNull();
  });
});
