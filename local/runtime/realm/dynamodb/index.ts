// The `@aws-appsync/utils/dynamodb` module: request builders for the DynamoDB data source.
//
// What AWS's EvaluateCode showed, and what this follows:
// - keys and items go through util.dynamodb.toMapValues; numbers stay JSON numbers (`{ N: 10 }`);
// - an optional argument that is absent or null is left out of the request (`ddb.get({ key })` is exactly
//   `{ operation: 'GetItem', key }`);
// - `condition`, `filter` and `query` are filter objects rendered like util.transform.toDynamoDBFilterExpression, but
//   as an object, and without `expressionValues` when nothing binds a value;
// - `update` becomes `SET ... REMOVE ...` with `#expName_<n>` / `:expValue_<n>` placeholders, numbered in the order
//   they appear in the expression; `operations.add` is written as a SET, exactly as AWS records it;
// - a projection names every path segment `#expName_<n>`, a segment used twice keeping its name.
// Arguments of the wrong shape throw an Error naming the function, where AWS's own code would fail on them anyway.
import {
  describeValue,
  dynamodb as dynamodbUtil,
  isPlainObject,
  setEntry,
  toAttributeMap,
  toAttributeValue,
  type AttributeMap,
  type AttributeValue,
} from '../utils/dynamodb';
import { buildDynamoDBExpression } from '../utils/transform';

type Input = Record<string, unknown>;

/** A condition, filter or key condition as the DynamoDB data source takes it. */
export interface ExpressionObject {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues?: Record<string, AttributeValue>;
}

export interface ProjectionObject {
  expression: string;
  expressionNames: Record<string, string>;
}

export interface UpdateExpressionObject {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function requireInput(fn: string, payload: unknown): Input {
  if (!isPlainObject(payload)) throw new TypeError(`${fn}: expected an input object, got ${describeValue(payload)}`);
  return payload;
}

function requireMap(fn: string, name: string, value: unknown): Input {
  if (!isPlainObject(value)) {
    throw new TypeError(`${fn}: "${name}" is required and must be an object, got ${describeValue(value)}`);
  }
  return value;
}

function requireList(fn: string, name: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${fn}: "${name}" must be a list, got ${describeValue(value)}`);
  return value;
}

function requireTable(fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${fn}: "${name}" must be a table name, got ${describeValue(value)}`);
  }
  return value;
}

function toKey(fn: string, name: string, key: unknown): AttributeMap {
  return toAttributeMap(fn, requireMap(fn, name, key));
}

function toItem(fn: string, name: string, item: unknown): AttributeMap {
  return toAttributeMap(fn, requireMap(fn, name, item));
}

/** Copies the arguments that were given (neither undefined nor null), in the order listed. */
function withOptional(request: Input, optional: Input): Input {
  for (const name of Object.keys(optional)) {
    const value = optional[name];
    if (!isAbsent(value)) setEntry<unknown>(request, name, value);
  }
  return request;
}

function toExpression(fn: string, name: string, filter: unknown): ExpressionObject | undefined {
  if (isAbsent(filter)) return undefined;
  const built = buildDynamoDBExpression(fn, filter);
  if (built === null) {
    throw new TypeError(
      `${fn}: "${name}" is not a filter object AppSync can turn into a DynamoDB expression ` +
        '(each field takes operators such as { eq: value }, and/or take a list, not takes an object)',
    );
  }
  const expression: ExpressionObject = { expression: built.expression, expressionNames: built.expressionNames };
  if (Object.keys(built.expressionValues).length > 0) expression.expressionValues = built.expressionValues;
  return expression;
}

/** Names one alias per distinct attribute name, `#expName_1`, `#expName_2`, ... in order of first use. */
class NameAliases {
  private readonly aliases = new Map<string, string>();

  alias(attribute: string): string {
    let alias = this.aliases.get(attribute);
    if (alias === undefined) {
      alias = `#expName_${this.aliases.size + 1}`;
      this.aliases.set(attribute, alias);
    }
    return alias;
  }

  names(): Record<string, string> {
    const names: Record<string, string> = {};
    for (const [attribute, alias] of this.aliases) setEntry(names, alias, attribute);
    return names;
  }
}

// `name`, then any list indexes: `tags[0][1]`.
const PATH_SEGMENT = /^([^[\]]+)((?:\[\d+\])*)$/;

function toProjection(fn: string, projection: unknown): ProjectionObject | undefined {
  if (isAbsent(projection)) return undefined;
  const paths = requireList(fn, 'projection', projection);
  if (paths.length === 0) return undefined;
  const aliases = new NameAliases();
  const expressions = paths.map((path) => {
    if (typeof path !== 'string' || path === '') {
      throw new TypeError(`${fn}: "projection" must list attribute paths, got ${describeValue(path)}`);
    }
    return path
      .split('.')
      .map((segment) => {
        const match = PATH_SEGMENT.exec(segment);
        if (!match) throw new TypeError(`${fn}: "${path}" is not an attribute path (name.name[index])`);
        return aliases.alias(match[1]) + match[2];
      })
      .join('.');
  });
  return { expression: expressions.join(', '), expressionNames: aliases.names() };
}

// ---- operations ----

const OPERATION_ADD = 'OPERATION_ADD';
const OPERATION_REMOVE = 'OPERATION_REMOVE';
const OPERATION_REPLACE = 'OPERATION_REPLACE';
const OPERATION_INCREMENT = 'OPERATION_INCREMENT';
const OPERATION_DECREMENT = 'OPERATION_DECREMENT';
const OPERATION_APPEND = 'OPERATION_APPEND';
const OPERATION_PREPEND = 'OPERATION_PREPEND';
const OPERATION_UPDATE_LIST_ITEM = 'OPERATION_UPDATE_LIST_ITEM';

/** The markers the update builder reads; their shape is what AWS's EvaluateCode returns for them. */
export const operations = {
  /** Sets the attribute to `value` (AWS renders it as SET, not DynamoDB's ADD). */
  add: (value: unknown) => ({ type: OPERATION_ADD, value }),
  remove: () => ({ type: OPERATION_REMOVE }),
  replace: (value: unknown) => ({ type: OPERATION_REPLACE, value }),
  increment: (by?: number) => ({ type: OPERATION_INCREMENT, by }),
  decrement: (by?: number) => ({ type: OPERATION_DECREMENT, by }),
  append: (items: unknown[]) => ({ type: OPERATION_APPEND, items }),
  prepend: (items: unknown[]) => ({ type: OPERATION_PREPEND, items }),
  updateListItem: (value: unknown, index: number) => ({ type: OPERATION_UPDATE_LIST_ITEM, value, index }),
};

type Operation = { type: string } & Input;

function isOperation(value: unknown): value is Operation {
  return isPlainObject(value) && typeof value.type === 'string' && value.type.startsWith('OPERATION_');
}

function isListItemUpdate(value: unknown): value is Operation {
  return isOperation(value) && value.type === OPERATION_UPDATE_LIST_ITEM;
}

/** One SET action on `path`; `render` gets the path's alias and a function that binds a value. */
interface SetAction {
  path: string[];
  render(target: string, bind: (value: unknown) => string): string;
}

class UpdateBuilder {
  private readonly sets: SetAction[] = [];
  private readonly removes: string[][] = [];

  constructor(private readonly fn: string) {}

  collect(update: Input, path: string[]): void {
    for (const attribute of Object.keys(update)) {
      const value = update[attribute];
      if (value === undefined) continue;
      const attributePath = [...path, attribute];
      if (isOperation(value)) this.operation(attributePath, value);
      else if (Array.isArray(value) && value.length > 0 && value.every(isListItemUpdate)) {
        for (const item of value) this.listItem(attributePath, item);
      } else if (Array.isArray(value) && value.some(isOperation)) {
        throw new TypeError(`${this.fn}: "${attributePath.join('.')}" mixes operations with values in one list`);
      } else if (isPlainObject(value) && typeof value.toJSON !== 'function') {
        // A plain object updates the attributes it names inside the map; operations.replace swaps the whole map.
        this.collect(value, attributePath);
      } else {
        this.set(attributePath, (target, bind) => `${target} = ${bind(value)}`);
      }
    }
  }

  private set(path: string[], render: SetAction['render']): void {
    this.sets.push({ path, render });
  }

  private operation(path: string[], operation: Operation): void {
    const where = path.join('.');
    switch (operation.type) {
      case OPERATION_ADD:
      case OPERATION_REPLACE:
        if (operation.value === undefined) throw new TypeError(`${this.fn}: the operation on "${where}" has no value`);
        this.set(path, (target, bind) => `${target} = ${bind(operation.value)}`);
        return;
      case OPERATION_REMOVE:
        this.removes.push(path);
        return;
      case OPERATION_INCREMENT:
      case OPERATION_DECREMENT: {
        const by = isAbsent(operation.by) ? 1 : operation.by;
        if (typeof by !== 'number') {
          throw new TypeError(`${this.fn}: "${where}" must change by a number, got ${describeValue(by)}`);
        }
        const sign = operation.type === OPERATION_INCREMENT ? '+' : '-';
        this.set(path, (target, bind) => `${target} = ${target} ${sign} ${bind(by)}`);
        return;
      }
      case OPERATION_APPEND:
      case OPERATION_PREPEND: {
        const items = operation.items;
        if (!Array.isArray(items)) {
          throw new TypeError(`${this.fn}: "${where}" needs a list of items, got ${describeValue(items)}`);
        }
        this.set(path, (target, bind) =>
          operation.type === OPERATION_APPEND
            ? `${target} = list_append(${target}, ${bind(items)})`
            : `${target} = list_append(${bind(items)}, ${target})`,
        );
        return;
      }
      case OPERATION_UPDATE_LIST_ITEM:
        this.listItem(path, operation);
        return;
      default:
        throw new TypeError(`${this.fn}: "${where}" holds an unknown operation ${operation.type}`);
    }
  }

  private listItem(path: string[], operation: Operation): void {
    const index = operation.index;
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
      throw new TypeError(
        `${this.fn}: updateListItem on "${path.join('.')}" needs a list index, got ${describeValue(index)}`,
      );
    }
    this.set(path, (target, bind) => `${target}[${index}] = ${bind(operation.value)}`);
  }

  /** SET actions first, then REMOVE: names and values are numbered in the order they come out. */
  build(): UpdateExpressionObject {
    const aliases = new NameAliases();
    const values: Record<string, AttributeValue> = {};
    let valueCount = 0;
    const bind = (value: unknown): string => {
      valueCount += 1;
      const placeholder = `:expValue_${valueCount}`;
      setEntry(values, placeholder, toAttributeValue(this.fn, value) ?? { NULL: null });
      return placeholder;
    };
    const target = (path: string[]): string => path.map((segment) => aliases.alias(segment)).join('.');
    const clauses: string[] = [];
    if (this.sets.length > 0) {
      clauses.push(`SET ${this.sets.map((action) => action.render(target(action.path), bind)).join(', ')}`);
    }
    if (this.removes.length > 0) clauses.push(`REMOVE ${this.removes.map(target).join(', ')}`);
    return { expression: clauses.join(' '), expressionNames: aliases.names(), expressionValues: values };
  }
}

function toUpdate(fn: string, update: unknown): UpdateExpressionObject {
  const builder = new UpdateBuilder(fn);
  builder.collect(requireMap(fn, 'update', update), []);
  return builder.build();
}

// ---- requests ----

export function get(payload: unknown): Input {
  const fn = 'ddb.get';
  const input = requireInput(fn, payload);
  return withOptional(
    { operation: 'GetItem', key: toKey(fn, 'key', input.key) },
    { consistentRead: input.consistentRead, projection: toProjection(fn, input.projection) },
  );
}

export function put(payload: unknown): Input {
  const fn = 'ddb.put';
  const input = requireInput(fn, payload);
  return withOptional(
    { operation: 'PutItem', key: toKey(fn, 'key', input.key), attributeValues: toItem(fn, 'item', input.item) },
    {
      condition: toExpression(fn, 'condition', input.condition),
      customPartitionKey: input.customPartitionKey,
      populateIndexFields: input.populateIndexFields,
      _version: input._version,
    },
  );
}

export function update(payload: unknown): Input {
  const fn = 'ddb.update';
  const input = requireInput(fn, payload);
  return withOptional(
    { operation: 'UpdateItem', key: toKey(fn, 'key', input.key), update: toUpdate(fn, input.update) },
    {
      condition: toExpression(fn, 'condition', input.condition),
      customPartitionKey: input.customPartitionKey,
      populateIndexFields: input.populateIndexFields,
      _version: input._version,
    },
  );
}

export function remove(payload: unknown): Input {
  const fn = 'ddb.remove';
  const input = requireInput(fn, payload);
  return withOptional(
    { operation: 'DeleteItem', key: toKey(fn, 'key', input.key) },
    {
      condition: toExpression(fn, 'condition', input.condition),
      customPartitionKey: input.customPartitionKey,
      populateIndexFields: input.populateIndexFields,
      _version: input._version,
    },
  );
}

export function query(payload: unknown): Input {
  const fn = 'ddb.query';
  const input = requireInput(fn, payload);
  if (isAbsent(input.query)) throw new TypeError(`${fn}: "query" (the key condition) is required`);
  return withOptional(
    { operation: 'Query', query: toExpression(fn, 'query', input.query) },
    {
      index: input.index,
      nextToken: input.nextToken,
      limit: input.limit,
      scanIndexForward: input.scanIndexForward,
      consistentRead: input.consistentRead,
      select: input.select,
      filter: toExpression(fn, 'filter', input.filter),
      projection: toProjection(fn, input.projection),
    },
  );
}

export function scan(payload?: unknown): Input {
  const fn = 'ddb.scan';
  const input = payload === undefined ? {} : requireInput(fn, payload);
  return withOptional(
    { operation: 'Scan' },
    {
      index: input.index,
      limit: input.limit,
      nextToken: input.nextToken,
      consistentRead: input.consistentRead,
      select: input.select,
      totalSegments: input.totalSegments,
      segment: input.segment,
      filter: toExpression(fn, 'filter', input.filter),
      projection: toProjection(fn, input.projection),
    },
  );
}

export function sync(payload?: unknown): Input {
  const fn = 'ddb.sync';
  const input = payload === undefined ? {} : requireInput(fn, payload);
  return withOptional(
    { operation: 'Sync' },
    {
      basePartitionKey: input.basePartitionKey,
      deltaIndexName: input.deltaIndexName,
      limit: input.limit,
      nextToken: input.nextToken,
      lastSync: input.lastSync,
      filter: toExpression(fn, 'filter', input.filter),
    },
  );
}

/** Runs `convert` over each table of `tables`, keeping the table names. */
function perTable(fn: string, payload: unknown, convert: (table: string, value: unknown) => unknown): Input {
  const tables = requireMap(fn, 'tables', requireInput(fn, payload).tables);
  const out: Input = {};
  for (const table of Object.keys(tables)) {
    if (tables[table] !== undefined) setEntry(out, table, convert(table, tables[table]));
  }
  return out;
}

export function batchGet(payload: unknown): Input {
  const fn = 'ddb.batchGet';
  const tables = perTable(fn, payload, (table, request) => {
    const input = requireMap(fn, `tables.${table}`, request);
    const keys = requireList(fn, `tables.${table}.keys`, input.keys);
    return withOptional(
      { keys: keys.map((key, index) => toKey(fn, `tables.${table}.keys[${index}]`, key)) },
      { consistentRead: input.consistentRead, projection: toProjection(fn, input.projection) },
    );
  });
  return { operation: 'BatchGetItem', tables };
}

export function batchPut(payload: unknown): Input {
  const fn = 'ddb.batchPut';
  const tables = perTable(fn, payload, (table, items) =>
    requireList(fn, `tables.${table}`, items).map((item, index) => toItem(fn, `tables.${table}[${index}]`, item)),
  );
  return { operation: 'BatchPutItem', tables };
}

export function batchDelete(payload: unknown): Input {
  const fn = 'ddb.batchDelete';
  const tables = perTable(fn, payload, (table, keys) =>
    requireList(fn, `tables.${table}`, keys).map((key, index) => toKey(fn, `tables.${table}[${index}]`, key)),
  );
  return { operation: 'BatchDeleteItem', tables };
}

export function transactGet(payload: unknown): Input {
  const fn = 'ddb.transactGet';
  const items = requireList(fn, 'items', requireInput(fn, payload).items);
  const transactItems = items.map((item, index) => {
    const input = requireMap(fn, `items[${index}]`, item);
    return withOptional(
      {
        table: requireTable(fn, `items[${index}].table`, input.table),
        key: toKey(fn, `items[${index}].key`, input.key),
      },
      { projection: toProjection(fn, input.projection) },
    );
  });
  return { operation: 'TransactGetItems', transactItems };
}

const TRANSACT_WRITES = ['putItem', 'updateItem', 'deleteItem', 'conditionCheck'] as const;

function transactWriteItem(fn: string, item: unknown, index: number): Input {
  const where = `items[${index}]`;
  const input = requireMap(fn, where, item);
  const kinds = TRANSACT_WRITES.filter((kind) => !isAbsent(input[kind]));
  if (kinds.length !== 1) {
    throw new TypeError(`${fn}: ${where} must hold exactly one of ${TRANSACT_WRITES.join(', ')}`);
  }
  const kind = kinds[0];
  const write = requireMap(fn, `${where}.${kind}`, input[kind]);
  const at = `${where}.${kind}`;
  const target = {
    table: requireTable(fn, `${at}.table`, write.table),
    operation: '',
    key: toKey(fn, `${at}.key`, write.key),
  };
  const condition = { condition: toExpression(fn, `${at}.condition`, write.condition) };
  switch (kind) {
    case 'putItem':
      return withOptional(
        { ...target, operation: 'PutItem', attributeValues: toItem(fn, `${at}.item`, write.item) },
        condition,
      );
    case 'updateItem':
      return withOptional({ ...target, operation: 'UpdateItem', update: toUpdate(fn, write.update) }, condition);
    case 'deleteItem':
      return withOptional({ ...target, operation: 'DeleteItem' }, condition);
    default:
      return withOptional({ ...target, operation: 'ConditionCheck' }, condition);
  }
}

export function transactWrite(payload: unknown): Input {
  const fn = 'ddb.transactWrite';
  const items = requireList(fn, 'items', requireInput(fn, payload).items);
  return {
    operation: 'TransactWriteItems',
    transactItems: items.map((item, index) => transactWriteItem(fn, item, index)),
  };
}

// The module's set helpers behave as util.dynamodb's (a null gives null).
export const toStringSet = dynamodbUtil.toStringSet;
export const toNumberSet = dynamodbUtil.toNumberSet;
export const toBinarySet = dynamodbUtil.toBinarySet;
