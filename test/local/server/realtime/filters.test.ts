// Enhanced subscription filters, operator by operator, and the limits AWS lists for them:
// https://docs.aws.amazon.com/appsync/latest/devguide/extensions-js.html ("Argument: filterJsonObject": each
// operator with its example, and "Exceptions"), and
// https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html (nesting).
import { describe, expect, it } from 'vitest';
import {
  argumentsMatch,
  checkFilter,
  FILTER_OPERATORS,
  filterMatches,
  FilterError,
  type FilterOperator,
} from '../../../../local/server/realtime/filters';

const rule = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });
const filter = (...groups: Array<Array<ReturnType<typeof rule>>>) => ({
  filterGroup: groups.map((filters) => ({ filters })),
});
const matches = (raw: unknown, payload: unknown) => filterMatches(checkFilter(raw), payload);

// Each operator with payloads that pass and that do not; the first cases are AWS's own examples.
const CASES: Record<FilterOperator, { rule: ReturnType<typeof rule>; pass: unknown[]; fail: unknown[] }> = {
  eq: {
    rule: rule('service', 'eq', 'AWS AppSync'),
    pass: [{ service: 'AWS AppSync' }],
    fail: [{ service: 'aws appsync' }, { service: null }, {}],
  },
  ne: {
    rule: rule('service', 'ne', 'AWS AppSync'),
    pass: [{ service: 'Amazon SNS' }, { service: null }],
    fail: [{ service: 'AWS AppSync' }, {}],
  },
  le: { rule: rule('size', 'le', 5), pass: [{ size: 5 }, { size: -1 }], fail: [{ size: 6 }, { size: '4' }, {}] },
  lt: { rule: rule('size', 'lt', 5), pass: [{ size: 4.5 }], fail: [{ size: 5 }, {}] },
  ge: { rule: rule('size', 'ge', 5), pass: [{ size: 5 }, { size: 9 }], fail: [{ size: 4 }, {}] },
  gt: { rule: rule('name', 'gt', 'm'), pass: [{ name: 'z' }], fail: [{ name: 'a' }, { name: 'm' }, { name: 9 }] },
  contains: {
    rule: rule('seats', 'contains', 10),
    pass: [{ seats: [1, 10] }],
    fail: [{ seats: [1, 11] }, { seats: 10 }, {}],
  },
  notContains: {
    rule: rule('event', 'notContains', 'launch'),
    pass: [{ event: 'landing' }, { event: ['land'] }],
    fail: [{ event: 'prelaunch party' }, { event: ['launch'] }, {}],
  },
  beginsWith: {
    rule: rule('service', 'beginsWith', 'AWS'),
    pass: [{ service: 'AWS AppSync' }],
    fail: [{ service: 'Amazon AWS' }, { service: ['AWS'] }, {}],
  },
  in: {
    rule: rule('severity', 'in', [1, 2, 3]),
    pass: [{ severity: 2 }],
    fail: [{ severity: 4 }, { severity: '2' }, {}],
  },
  notIn: { rule: rule('severity', 'notIn', [1, 2, 3]), pass: [{ severity: 4 }], fail: [{ severity: 1 }, {}] },
  between: {
    rule: rule('severity', 'between', [1, 5]),
    pass: [{ severity: 1 }, { severity: 3 }, { severity: 5 }],
    fail: [{ severity: 0 }, { severity: 6 }, { severity: '3' }, {}],
  },
  containsAny: {
    rule: rule('seats', 'containsAny', [10, 15]),
    pass: [{ seats: [10, 11] }, { seats: [15, 20, 30] }, { seats: 15 }],
    fail: [{ seats: [11, 12] }, { seats: [] }, {}],
  },
};

describe('enhanced filter operators', () => {
  it('covers every operator AWS documents', () => {
    expect(Object.keys(CASES).sort()).toEqual([...FILTER_OPERATORS].sort());
  });

  for (const [operator, { rule: r, pass, fail }] of Object.entries(CASES)) {
    it(`${operator}: passes ${JSON.stringify(pass)}, refuses ${JSON.stringify(fail)}`, () => {
      for (const payload of pass) expect(matches(filter([r]), payload), JSON.stringify(payload)).toBe(true);
      for (const payload of fail) expect(matches(filter([r]), payload), JSON.stringify(payload)).toBe(false);
    });
  }

  it('ANDs the rules of a group and ORs the groups', () => {
    const f = filter([rule('userId', 'eq', 1), rule('group', 'in', ['Admin', 'Developer'])], [rule('vip', 'eq', true)]);
    expect(matches(f, { userId: 1, group: 'Admin' })).toBe(true);
    expect(matches(f, { userId: 2, group: 'Admin' })).toBe(false);
    expect(matches(f, { userId: 2, vip: true })).toBe(true);
  });

  it('follows dotted field names into nested objects, up to five levels', () => {
    // AWS's example: venue.address.country.metadata.continent (level five) works, ...capital.financial (six) does not.
    const payload = {
      venue: { address: { country: { metadata: { continent: 'North America', capital: { financial: 'New York' } } } } },
    };
    expect(matches(filter([rule('venue.address.country.metadata.continent', 'eq', 'North America')]), payload)).toBe(
      true,
    );
    expect(matches(filter([rule('venue.address.country.metadata.capital.financial', 'eq', 'New York')]), payload)).toBe(
      false,
    );
    expect(matches(filter([rule('venue.address.city', 'eq', 'x')]), payload)).toBe(false);
  });

  it('never matches a top-level list payload', () => {
    expect(matches(filter([rule('id', 'ne', 'x')]), [{ id: 'y' }])).toBe(false);
  });
});

describe('enhanced filter limits', () => {
  const refused = (raw: unknown) => {
    try {
      checkFilter(raw);
    } catch (error) {
      if (error instanceof FilterError) return error.toRealtimeError();
      throw error;
    }
    return undefined;
  };

  it('refuses an invalid value with the wording AppSync uses, errorCode 400', () => {
    // https://github.com/aws-amplify/amplify-android/issues/2578
    expect(refused(filter([rule('seats', 'containsAny', 'ten')]))).toEqual({
      message: 'subscription filter has invalid filter value for operator `containsAny`.',
      errorCode: 400,
    });
  });

  it('allows five values for in and notIn, and no more', () => {
    for (const operator of ['in', 'notIn']) {
      expect(refused(filter([rule('n', operator, [1, 2, 3, 4, 5])]))).toBeUndefined();
      expect(refused(filter([rule('n', operator, [1, 2, 3, 4, 5, 6])]))?.message).toContain(`\`${operator}\``);
    }
  });

  it('allows twenty values for containsAny, and no more', () => {
    const values = Array.from({ length: 21 }, (_, i) => i);
    expect(refused(filter([rule('n', 'containsAny', values.slice(0, 20))]))).toBeUndefined();
    expect(refused(filter([rule('n', 'containsAny', values)]))).toBeDefined();
  });

  it('allows strings of 256 characters, and no longer', () => {
    expect(refused(filter([rule('s', 'eq', 'x'.repeat(256))]))).toBeUndefined();
    expect(refused(filter([rule('s', 'eq', 'x'.repeat(257))]))).toBeDefined();
    expect(refused(filter([rule('s', 'in', ['x'.repeat(257)])]))).toBeDefined();
  });

  it('allows five fields in one group, and no more', () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => rule(`f${i}`, 'eq', i));
    expect(refused(filter(fields(5)))).toBeUndefined();
    expect(refused(filter([...fields(5), rule('f0', 'ne', 9)]))).toBeUndefined();
    expect(refused(filter(fields(6)))).toBeDefined();
  });

  it('allows ten filters, counting each value of an in as one', () => {
    const groups = (n: number) => Array.from({ length: n }, (_, i) => [rule('g', 'eq', i)]);
    expect(refused(filter(...groups(10)))).toBeUndefined();
    expect(refused(filter(...groups(11)))).toBeDefined();
    // AWS's example: one group with a two-value `in` counts as two filters.
    expect(refused(filter(...groups(8), [rule('group', 'in', ['Admin', 'Developer'])]))).toBeUndefined();
    expect(refused(filter(...groups(9), [rule('group', 'in', ['Admin', 'Developer'])]))).toBeDefined();
  });

  it('refuses an operator AWS does not document, and values of the wrong type', () => {
    expect(refused(filter([rule('a', 'attributeExists', true)]))?.message).toContain('invalid operator');
    expect(refused(filter([rule('a', 'between', [1])]))).toBeDefined();
    expect(refused(filter([rule('a', 'between', [1, 'z'])]))).toBeDefined();
    expect(refused(filter([rule('a', 'beginsWith', 1)]))).toBeDefined();
    expect(refused(filter([rule('a', 'gt', true)]))).toBeDefined();
    expect(refused(filter([rule('a', 'eq', { x: 1 })]))).toBeDefined();
  });
});

describe('basic filtering by arguments', () => {
  it('matches when every given argument equals the payload field of that name', () => {
    expect(argumentsMatch({ id: '1', name: 'a' }, { id: '1', name: 'a', other: 2 })).toBe(true);
    expect(argumentsMatch({ id: '1' }, { id: '2' })).toBe(false);
    expect(argumentsMatch({}, { id: '2' })).toBe(true);
  });

  it('reads a null argument as asking for a null field, not as no filter', () => {
    // "a null argument value will filter the results differently than omitting the argument entirely":
    // https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-data.html
    expect(argumentsMatch({ owner: null }, { owner: null })).toBe(true);
    expect(argumentsMatch({ owner: null }, { owner: 'a' })).toBe(false);
  });

  it('never matches on a field the mutation did not select', () => {
    // aws/aws-appsync-community#89: an argument whose field is missing from the mutation's selection never fires.
    expect(argumentsMatch({ owner: null }, { id: '1' })).toBe(false);
  });
});
