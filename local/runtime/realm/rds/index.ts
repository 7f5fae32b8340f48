// The `@aws-appsync/utils/rds` module: SQL statements for the relational database (RDS Data API) data source.
//
// select/insert/update/remove describe a statement; createPgStatement / createMySQLStatement render up to two of them
// (or `sql` templates, or plain strings) into AppSync's request { statements, variableMap, variableTypeHintMap },
// quoting identifiers with `"` (PostgreSQL) or a backtick (MySQL) and binding every value as `:P0`, `:P1`, ...
// numbered across both statements. What AWS's EvaluateCode showed, and what this follows (the recorded cases are in
// test/local/runtime/rds/):
// - a statement is clauses joined by spaces, a clause that renders to nothing dropped with its keyword, the whole
//   trimmed: `columns: []` gives `SELECT FROM`, `values: {}` gives `SET WHERE`, `returning: []` a bare `RETURNING`;
// - a condition object joins its entries with ` AND `: a column's operators render bare (`"id" >= :P0 AND "id" <= :P1`),
//   an `and` / `or` group wraps each non-empty member in parentheses, and empty members stay as empty strings, so
//   `{ name: { eq: 'a' }, id: {} }` renders `"name" = :P0 AND` exactly as AWS does;
// - null is never bound: insert and update values write NULL, as do between bounds and size comparisons, while a
//   comparison operator refuses it; beginsWith and contains add LIKE wildcards, notContains does not;
// - a table alias is `{ alias: 'table' }` and renders `"table" as "alias"`; dotted names quote each segment;
// - bad input throws AWS's own message (`Value for id.eq can't be null.`).
// Joins, aggregates, groupBy, having, column aliases and subqueries follow the module's type definitions
// (@aws-appsync/utils 2.1.1 lib/rds-helpers.d.ts) and the aws-samples README (samples/rds/README.md), which show
// their syntax but not AWS's exact output; they are written in the same style as the recorded clauses.
import { ModuleError } from '../evaluation';
import { rds as rdsUtil } from '../utils/rds';

type Dialect = { name: 'createPgStatement' | 'createMySQLStatement'; quote: string; mysql: boolean };

const PG: Dialect = { name: 'createPgStatement', quote: '"', mysql: false };
const MYSQL: Dialect = { name: 'createMySQLStatement', quote: '`', mysql: true };

type StatementType = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

interface BuiltStatement {
  type: StatementType;
  properties: Record<string, unknown>;
}

interface SqlTemplate {
  type: 'SQL';
  strings: string[];
  values: unknown[];
}

interface TypeHint {
  type: string;
  value: unknown;
}

interface Aggregate {
  type: 'AGGREGATE';
  fn: string;
  distinct: boolean;
  column: string;
}

const HINT_TYPES = ['DECIMAL', 'JSON', 'TIMESTAMP', 'TIME', 'UUID', 'DATE'];
const COMPARISONS: Record<string, string> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const AGGREGATE_OPERATORS: Record<string, [string, boolean]> = {
  count: ['COUNT', false],
  countDistinct: ['COUNT', true],
  min: ['MIN', false],
  minDistinct: ['MIN', true],
  max: ['MAX', false],
  maxDistinct: ['MAX', true],
  sum: ['SUM', false],
  sumDistinct: ['SUM', true],
  avg: ['AVG', false],
  avgDistinct: ['AVG', true],
};
const JOINS: Array<[string, string]> = [
  ['join', 'JOIN'],
  ['innerJoin', 'INNER JOIN'],
  ['leftJoin', 'LEFT JOIN'],
  ['leftOuterJoin', 'LEFT OUTER JOIN'],
  ['rightJoin', 'RIGHT JOIN'],
  ['rightOuterJoin', 'RIGHT OUTER JOIN'],
  ['fullOuterJoin', 'FULL OUTER JOIN'],
  ['crossJoin', 'CROSS JOIN'],
  ['joinNatural', 'NATURAL JOIN'],
  ['innerJoinNatural', 'NATURAL INNER JOIN'],
  ['leftJoinNatural', 'NATURAL LEFT JOIN'],
  ['leftOuterJoinNatural', 'NATURAL LEFT OUTER JOIN'],
  ['rightJoinNatural', 'NATURAL RIGHT JOIN'],
  ['rightOuterJoinNatural', 'NATURAL RIGHT OUTER JOIN'],
  ['fullOuterJoinNatural', 'NATURAL FULL OUTER JOIN'],
];

function fail(message: string): never {
  throw new ModuleError(message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function isSqlTemplate(value: unknown): value is SqlTemplate {
  return isObject(value) && value.type === 'SQL' && Array.isArray(value.strings) && Array.isArray(value.values);
}

function isStatement(value: unknown): value is BuiltStatement {
  return (
    isObject(value) &&
    (value.type === 'SELECT' || value.type === 'INSERT' || value.type === 'UPDATE' || value.type === 'DELETE') &&
    isObject(value.properties)
  );
}

function isTypeHint(value: unknown): value is TypeHint {
  return isObject(value) && typeof value.type === 'string' && HINT_TYPES.includes(value.type) && 'value' in value;
}

function isAggregate(value: unknown): value is Aggregate {
  return isObject(value) && value.type === 'AGGREGATE' && typeof value.fn === 'string';
}

// ---- rendering: one Renderer per createPgStatement / createMySQLStatement call, numbering values across it ----

class Renderer {
  readonly variableMap: Record<string, unknown> = {};
  readonly variableTypeHintMap: Record<string, string> = {};
  private next = 0;

  constructor(readonly dialect: Dialect) {}

  /** A placeholder for the value, its type hint recorded; NULL is written, never bound. */
  bind(value: unknown): string {
    if (isAbsent(value)) return 'NULL';
    const name = `:P${this.next++}`;
    if (isTypeHint(value)) {
      this.variableMap[name] = value.value;
      this.variableTypeHintMap[name] = value.type;
    } else {
      this.variableMap[name] = value;
    }
    return name;
  }

  identifier(name: string): string {
    const q = this.dialect.quote;
    return name
      .split('.')
      .map((segment) => `${q}${segment.split(q).join(q + q)}${q}`)
      .join('.');
  }

  sql(template: SqlTemplate): string {
    let text = template.strings[0];
    template.values.forEach((value, index) => {
      text += (isSqlTemplate(value) ? this.sql(value) : this.bind(value)) + template.strings[index + 1];
    });
    return text;
  }

  /** A table, an alias `{ alias: table }`, or for `from` a subquery under an alias. */
  table(value: unknown, allowSubquery: boolean): string {
    if (typeof value === 'string') return this.identifier(value);
    if (isObject(value) && !isSqlTemplate(value) && !isStatement(value)) {
      const entries = Object.entries(value);
      if (entries.length === 0) fail('java.util.NoSuchElementException');
      if (entries.length > 1) fail('table alias is allowed only one key-value pair.');
      const [[alias, target]] = entries;
      if (allowSubquery && (isStatement(target) || isSqlTemplate(target))) {
        return `(${this.fragment(target)}) as ${this.identifier(alias)}`;
      }
      if (typeof target !== 'string') fail('Table alias value is expected to be a string.');
      return `${this.identifier(target)} as ${this.identifier(alias)}`;
    }
    if (allowSubquery) fail("'from' value is expected to be string or object.");
    return fail('table name is expected to be a string or alias.');
  }

  /** A statement or sql template as text inside another statement. */
  fragment(value: BuiltStatement | SqlTemplate): string {
    return isSqlTemplate(value) ? this.sql(value) : this.statement(value);
  }

  column(value: unknown): string {
    if (typeof value === 'string') return value === '*' ? '*' : this.identifier(value);
    if (isAggregate(value)) return this.aggregate(value);
    if (isSqlTemplate(value)) return this.sql(value);
    if (isObject(value) && !isStatement(value)) {
      return Object.entries(value)
        .map(([alias, target]) => {
          const rendered =
            isStatement(target) || isSqlTemplate(target) ? `(${this.fragment(target)})` : this.column(target);
          return `${rendered} as ${this.identifier(alias)}`;
        })
        .join(', ');
    }
    return fail('Invalid type in column array.');
  }

  columns(value: unknown): string {
    if (isAbsent(value) || value === '*') return '*';
    if (!Array.isArray(value)) fail('Expected column to be * or an array.');
    return value.map((column) => this.column(column)).join(', ');
  }

  aggregate(value: Aggregate): string {
    const column = value.column === '*' ? '*' : this.identifier(value.column);
    return `${value.fn}(${value.distinct ? 'DISTINCT ' : ''}${column})`;
  }

  /** `WHERE` / `HAVING` / `ON` content: a sql template, or a condition object. */
  conditionClause(keyword: string, value: unknown): string[] {
    if (isAbsent(value)) return [];
    if (isSqlTemplate(value)) return [keyword, this.sql(value)];
    if (!isObject(value) || isStatement(value)) {
      fail(`${keyword} values are expected to be SQL templates or a condition object.`);
    }
    const content = this.conditions(value);
    return content === '' ? [] : [keyword, content];
  }

  conditions(group: Record<string, unknown>): string {
    return Object.entries(group)
      .map(([key, value]) => {
        if (key === 'and' || key === 'or' || key === 'not') return this.group(key, value);
        if (!isObject(value)) fail('Expected condition to be an Object.');
        return this.columnConditions(key, value);
      })
      .join(' AND ');
  }

  group(key: 'and' | 'or' | 'not', members: unknown): string {
    if (!Array.isArray(members)) fail(`${key} expects conditions to be an array`);
    const rendered = members.map((member) => {
      if (!isObject(member) || isSqlTemplate(member) || isStatement(member)) fail(`Expected ${key} to be an Object.`);
      const text = this.conditions(member);
      return text === '' ? '' : `(${text})`;
    });
    if (key === 'not') return rendered.map((text) => (text === '' ? '' : `NOT ${text}`)).join(' AND ');
    return rendered.join(key === 'and' ? ' AND ' : ' OR ');
  }

  columnConditions(column: string, operators: Record<string, unknown>): string {
    const target = this.identifier(column);
    return Object.entries(operators)
      .map(([operator, value]) => {
        const where = `${column}.${operator}`;
        if (operator in COMPARISONS) {
          if (isAbsent(value)) fail(`Value for ${where} can't be null.`);
          return `${target} ${COMPARISONS[operator]} ${this.bind(value)}`;
        }
        switch (operator) {
          case 'beginsWith':
          case 'contains':
          case 'notContains': {
            if (isAbsent(value)) fail(`Value for ${where} can't be null.`);
            if (typeof value !== 'string') fail(`${where} expects a string value to be passed.`);
            if (operator === 'notContains') return `${target} NOT LIKE ${this.bind(value)}`;
            return `${target} LIKE ${this.bind(operator === 'contains' ? `%${value}%` : `${value}%`)}`;
          }
          case 'between':
            return `${target} BETWEEN ${this.bounds(value, `${column}.between`)}`;
          case 'attributeExists':
            if (isAbsent(value)) fail(`Value for ${where} can't be null.`);
            if (typeof value !== 'boolean') fail(`${where} expects a boolean value to be passed.`);
            return `${target} ${value ? 'IS NOT NULL' : 'IS NULL'}`;
          case 'size':
            if (!isObject(value)) fail(`Expected ${where} to be an Object.`);
            return this.measured(`LENGTH (${target})`, value, where);
        }
        if (operator in AGGREGATE_OPERATORS) {
          if (!isObject(value)) fail(`Expected ${where} to be an Object.`);
          const [fn, distinct] = AGGREGATE_OPERATORS[operator];
          return this.measured(`${fn}(${distinct ? 'DISTINCT ' : ''}${target})`, value, where);
        }
        return fail(`Unsupported condition ${where}.`);
      })
      .join(' AND ');
  }

  /** Comparisons of a derived value (a length, an aggregate): NULL is written rather than refused. */
  measured(expression: string, operators: Record<string, unknown>, where: string): string {
    return Object.entries(operators)
      .map(([operator, value]) => {
        if (operator === 'between') return `${expression} BETWEEN ${this.bounds(value, where)}`;
        if (!(operator in COMPARISONS)) fail(`${where} has invalid size operator.`);
        return `${expression} ${COMPARISONS[operator]} ${this.bind(value)}`;
      })
      .join(' AND ');
  }

  bounds(value: unknown, where: string): string {
    if (!Array.isArray(value)) fail(`${where} condition expects an array with length of 2.`);
    if (value.length !== 2) {
      fail(`${where} condition expects an array with 2 values but received an array with length ${value.length}.`);
    }
    return `${this.bind(value[0])} AND ${this.bind(value[1])}`;
  }

  number(name: 'limit' | 'offset', value: unknown): string[] {
    if (isAbsent(value)) return [];
    const number =
      typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(number)) fail(`${name} expects a number.`);
    return [name.toUpperCase(), this.bind(number)];
  }

  orderBy(value: unknown): string[] {
    if (isAbsent(value)) return [];
    if (!Array.isArray(value)) fail('orderBy expects an array.');
    const items = value.map((item) => {
      if (!isObject(item)) fail('orderBy item expected to be an object.');
      if (typeof item.column !== 'string') fail('orderBy item expected to have property column.');
      let direction = 'ASC';
      if (typeof item.dir === 'string') {
        direction = item.dir.toUpperCase();
        if (direction !== 'ASC' && direction !== 'DESC')
          fail(`orderBy dir can have either ASC or DESC found ${item.dir}.`);
      }
      return `${this.identifier(item.column)} ${direction}`;
    });
    return items.length === 0 ? [] : ['ORDER BY', items.join(', ')];
  }

  groupBy(value: unknown): string[] {
    if (isAbsent(value)) return [];
    if (!Array.isArray(value)) fail('groupBy expects an array.');
    const items = value.map((item) => {
      if (typeof item === 'number') return String(item);
      if (typeof item === 'string') return this.identifier(item);
      return fail('groupBy expects column names or ordinals.');
    });
    return items.length === 0 ? [] : ['GROUP BY', items.join(', ')];
  }

  joins(properties: Record<string, unknown>): string[] {
    const parts: string[] = [];
    for (const [key, keyword] of JOINS) {
      const joins = properties[key];
      if (isAbsent(joins)) continue;
      if (this.dialect.mysql && keyword.includes('FULL')) fail(`${key} is not supported in MySQL.`);
      if (!Array.isArray(joins)) fail(`${key} expects an array.`);
      for (const join of joins) {
        if (!isObject(join)) fail(`${key} item expected to be an object.`);
        const target = join.table ?? join.from;
        if (isAbsent(target)) fail("'table' or 'from' key is required.");
        parts.push(keyword, this.table(target, true));
        if (!isAbsent(join.using)) {
          if (!Array.isArray(join.using)) fail('using expects an array.');
          parts.push(`USING (${join.using.map((column) => this.column(column)).join(', ')})`);
        } else if (!isAbsent(join.on)) {
          parts.push(...this.conditionClause('ON', join.on));
        }
      }
    }
    return parts;
  }

  returning(value: unknown): string[] {
    if (isAbsent(value)) return [];
    const columns =
      value === '*' ? '*' : Array.isArray(value) ? this.columns(value) : fail('Expected column to be * or an array.');
    if (this.dialect.mysql) fail('returning is not supported in MySQL.');
    return ['RETURNING', columns];
  }

  statement({ type, properties: p }: BuiltStatement): string {
    const parts: string[] = [];
    switch (type) {
      case 'SELECT':
        parts.push('SELECT', this.columns(p.columns), 'FROM', this.table(p.from ?? p.table, !isAbsent(p.from)));
        parts.push(...this.joins(p));
        parts.push(...this.conditionClause('WHERE', p.where));
        parts.push(...this.groupBy(p.groupBy));
        parts.push(...this.conditionClause('HAVING', p.having));
        parts.push(...this.orderBy(p.orderBy));
        parts.push(...this.number('limit', p.limit), ...this.number('offset', p.offset));
        break;
      case 'INSERT': {
        const values = Object.entries(p.values as Record<string, unknown>);
        parts.push('INSERT INTO', this.table(p.table, false));
        parts.push(`(${values.map(([column]) => this.identifier(column)).join(', ')})`);
        parts.push('VALUES', `(${values.map(([, value]) => this.bind(value)).join(', ')})`);
        parts.push(...this.returning(p.returning));
        break;
      }
      case 'UPDATE': {
        const values = Object.entries(p.values as Record<string, unknown>);
        parts.push('UPDATE', this.table(p.table, false), 'SET');
        parts.push(values.map(([column, value]) => `${this.identifier(column)} = ${this.bind(value)}`).join(', '));
        parts.push(...this.conditionClause('WHERE', p.where), ...this.returning(p.returning));
        break;
      }
      case 'DELETE':
        parts.push('DELETE FROM', this.table(p.table, false));
        parts.push(...this.conditionClause('WHERE', p.where), ...this.returning(p.returning));
        break;
    }
    return parts
      .filter((part) => part !== '')
      .join(' ')
      .trim();
  }
}

// ---- statement builders ----

function payloadOf(fn: string, args: unknown[]): Record<string, unknown> {
  if (args.length === 0) fail(`An argument is expected to be passed to ${fn}`);
  const [payload] = args;
  if (!isObject(payload)) fail('Expected payload to be an Object.');
  return payload;
}

/** `table`, or for a select `from`: the one naming what the statement works on. */
function requireTarget(payload: Record<string, unknown>, fromAllowed: boolean): void {
  if (fromAllowed && !isAbsent(payload.from) && !isAbsent(payload.table)) {
    fail("'from' and 'table' keys cannot be used together");
  }
  const target = fromAllowed ? (payload.from ?? payload.table) : payload.table;
  if (isAbsent(target)) fail("'table' or 'from' key is required.");
}

function requireValues(fn: 'insert' | 'update', payload: Record<string, unknown>): void {
  if (isAbsent(payload.values)) fail(`values are expected to be passed to ${fn}`);
  if (!isObject(payload.values)) fail('Expected values to an Object.');
}

function statement(type: StatementType, payload: Record<string, unknown>): BuiltStatement {
  // A copy: later changes to the caller's objects do not reach the statement.
  return { type, properties: { ...payload } };
}

export function select(...args: unknown[]): BuiltStatement {
  const payload = payloadOf('select', args);
  requireTarget(payload, true);
  return statement('SELECT', payload);
}

export function insert(...args: unknown[]): BuiltStatement {
  const payload = payloadOf('insert', args);
  requireTarget(payload, false);
  requireValues('insert', payload);
  return statement('INSERT', payload);
}

export function update(...args: unknown[]): BuiltStatement {
  const payload = payloadOf('update', args);
  requireTarget(payload, false);
  requireValues('update', payload);
  return statement('UPDATE', payload);
}

export function remove(...args: unknown[]): BuiltStatement {
  const payload = payloadOf('remove', args);
  requireTarget(payload, false);
  return statement('DELETE', payload);
}

/** The tagged template: the literal text as written, every expression bound as a value. */
export function sql(strings: unknown, ...values: unknown[]): SqlTemplate {
  const wellFormed =
    Array.isArray(strings) &&
    strings.length === values.length + 1 &&
    strings.every((part: unknown) => typeof part === 'string');
  if (!wellFormed) fail('java.lang.IllegalArgumentException: Unexpected argument passed to sql tagged template');
  return { type: 'SQL', strings: [...(strings as string[])], values };
}

function create(dialect: Dialect, args: unknown[]) {
  if (args.length === 0 || args[0] === undefined) fail(`An argument is expected to be passed to ${dialect.name}`);
  const renderer = new Renderer(dialect);
  const statements = args
    .slice(0, 2)
    .filter((candidate, index) => index === 0 || !isAbsent(candidate))
    .map((candidate) => {
      if (typeof candidate === 'string') return candidate;
      if (isSqlTemplate(candidate)) return renderer.sql(candidate);
      if (isStatement(candidate)) return renderer.statement(candidate);
      return fail(`Unsupported type is passed as argument to ${dialect.name}`);
    });
  return {
    statements,
    variableMap: renderer.variableMap,
    variableTypeHintMap: renderer.variableTypeHintMap,
  };
}

export function createPgStatement(...args: unknown[]) {
  return create(PG, args);
}

export function createMySQLStatement(...args: unknown[]) {
  return create(MYSQL, args);
}

function hint(type: string) {
  return (value: unknown): TypeHint => ({ type, value });
}

export const typeHint = Object.fromEntries(HINT_TYPES.map((type) => [type, hint(type)])) as Record<
  string,
  (value: unknown) => TypeHint
>;

function aggregate(fn: string, distinct: boolean) {
  return (column: unknown): Aggregate => {
    if (typeof column !== 'string') fail(`${fn.toLowerCase()}${distinct ? 'Distinct' : ''} expects a column name.`);
    return { type: 'AGGREGATE', fn, distinct, column };
  };
}

export const agg = Object.fromEntries(
  Object.entries(AGGREGATE_OPERATORS).map(([name, [fn, distinct]]) => [name, aggregate(fn, distinct)]),
) as Record<string, (column: string) => Aggregate>;

export const toJsonObject = rdsUtil.toJsonObject;
