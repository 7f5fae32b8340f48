// The AppSync DynamoDB data source: takes the request object an APPSYNC_JS resolver returns (GetItem, PutItem, Query,
// BatchGetItem, TransactWriteItems, ...), performs it on a DynamoDB-compatible endpoint, and hands back what AppSync
// puts in ctx.result / ctx.error. Behaviour follows the AppSync resolver reference for DynamoDB:
// - items come back as plain JSON (sets as lists, numbers as numbers, binary as base64);
// - Query/Scan/Sync return { items, nextToken, scannedCount } with an opaque token bound to the request;
// - a failed condition fetches the current item: a PutItem that already matches (ignoring `equalsIgnore`) or a
//   DeleteItem of an absent item counts as a success; otherwise the error comes alone, or with the current item as
//   result when `currentItemOnConditionFailure` is set (whether AppSync supplies it is uncertain, see below);
// - request objects AppSync would refuse fail the field as `MappingTemplate` errors; DynamoDB errors are
//   `DynamoDB:<Exception>` in ctx.error.
import { randomBytes } from 'node:crypto';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type CancellationReason,
  type DynamoDBClient,
  type KeysAndAttributes,
  type TransactWriteItem,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import {
  canonicalMap,
  canonicalValue,
  fromAttributeMap,
  isPlainObject,
  jsonTypeName,
  toAttributeMap,
  type AttributeMap,
} from './dynamodb-values';
import { InvalidTokenError, decodeToken, encodeToken, tokenKey, type TokenContents } from './dynamodb-token';
import { mappingTemplateError, RequestShapeError } from './request-object';
import type { DataSourceKind, DataSourceOutcome } from './types';

export interface DataSourceError {
  message: string;
  /** e.g. 'DynamoDB:ConditionalCheckFailedException'. */
  type: string;
}

export interface DynamoDBDataSourceOptions {
  client: DynamoDBClient;
  /** Physical table of this data source. */
  tableName: string;
  /** Logical → physical, for batch and transaction requests that name tables; unlisted names are used as given. */
  tableNames?: Record<string, string>;
  /** Called once per DynamoDB API call, with the API's name. */
  onRequest?: (operation: string) => void;
  /** Secret sealing pagination tokens. Tokens outlive a restart only if it is stable; random per process if absent. */
  tokenSecret?: string | Uint8Array;
  /**
   * Hand the current item to the response handler as ctx.result next to a ConditionalCheckFailed error. Off by
   * default, the stricter reading: AppSync's JavaScript reference ("Condition expressions", Reject strategy,
   * https://docs.aws.amazon.com/appsync/latest/devguide/js-aws-appsync-resolver-reference-dynamodb-condition-expressions.html)
   * shows a response handler reading ctx.result after a failed condition, but a report of the context AppSync
   * actually passed (https://github.com/aws/aws-appsync-community/issues/343, 2024) has ctx.error and no result.
   * Resolvers should be correct either way; turn this on to check that they are.
   */
  currentItemOnConditionFailure?: boolean;
}

export interface InvokeOptions {
  /** The resolver or function asking (e.g. 'Query.listNotes'): AppSync refuses one resolver's tokens in another. */
  tokenScope?: string;
}

export interface DynamoDBDataSource {
  invoke(request: unknown, options?: InvokeOptions): Promise<DataSourceOutcome>;
}

export type { DataSourceOutcome };

/** AppSync's words and type for a token it did not issue for this request (recorded in user reports of AppSync). */
export const INVALID_TOKEN_ERROR: DataSourceError = {
  type: 'DynamoDB:UserIllegalArgumentException',
  message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
};

const SYNC_DEFAULT_LIMIT = 100;
const SYNC_MAX_LIMIT = 1000;
const processTokenKey = tokenKey();

type Json = Record<string, unknown>;

interface Expression {
  expression: string;
  names?: Record<string, string>;
  values?: AttributeMap;
}

interface Condition extends Expression {
  equalsIgnore: string[];
  consistentRead: boolean;
  strategy: 'Reject' | 'Custom';
  lambdaArn?: string;
}

// ---------------------------------------------------------------------------------------------------------------------
// Reading request objects. Paths are written as AppSync writes them in its errors: $[tables][posts][keys][0].

/** The fields of one object of the request, with AppSync's refusal of anything it does not know. */
class Fields {
  constructor(
    readonly object: Json,
    readonly path: string,
    allowed: readonly string[],
  ) {
    for (const [name, value] of Object.entries(object)) {
      if (value !== undefined && !allowed.includes(name)) {
        throw new RequestShapeError(`Unsupported element '${path}[${name}]'.`);
      }
    }
  }

  static of(value: unknown, path: string, allowed: readonly string[]): Fields {
    if (!isPlainObject(value)) {
      throw new RequestShapeError(`Expected JSON object at '${path}' but got '${jsonTypeName(value)}' instead.`);
    }
    return new Fields(value, path, allowed);
  }

  at(name: string): string {
    return `${this.path}[${name}]`;
  }

  /** Null counts as absent: templates commonly pass `nextToken: null` on the first page. */
  has(name: string): boolean {
    return this.object[name] !== undefined && this.object[name] !== null;
  }

  required(name: string): unknown {
    if (!this.has(name)) throw new RequestShapeError(`Value for field '${this.at(name)}' not found.`);
    return this.object[name];
  }

  string(name: string): string {
    const value = this.required(name);
    if (typeof value !== 'string') this.wrongType(name, 'a string');
    return value as string;
  }

  optionalString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : undefined;
  }

  optionalBoolean(name: string): boolean | undefined {
    if (!this.has(name)) return undefined;
    const value = this.object[name];
    if (typeof value !== 'boolean') this.wrongType(name, 'a boolean');
    return value as boolean;
  }

  optionalInteger(name: string): number | undefined {
    if (!this.has(name)) return undefined;
    const value = this.object[name];
    if (typeof value !== 'number' || !Number.isInteger(value)) this.wrongType(name, 'an integer');
    return value as number;
  }

  list(name: string): unknown[] {
    const value = this.required(name);
    if (!Array.isArray(value)) this.wrongType(name, 'a list');
    return value as unknown[];
  }

  map(name: string): AttributeMap {
    return toAttributeMap(this.required(name), this.at(name));
  }

  private wrongType(name: string, expected: string): never {
    throw new RequestShapeError(
      `Expected ${expected} at '${this.at(name)}' but got '${jsonTypeName(this.object[name])}' instead.`,
    );
  }
}

function readNames(value: unknown, path: string): Record<string, string> {
  if (!isPlainObject(value)) {
    throw new RequestShapeError(`Expected JSON object at '${path}' but got '${jsonTypeName(value)}' instead.`);
  }
  const names: Record<string, string> = {};
  for (const [placeholder, name] of Object.entries(value)) {
    if (name === undefined) continue;
    if (typeof name !== 'string') {
      throw new RequestShapeError(`Expected a string at '${path}[${placeholder}]' but got '${jsonTypeName(name)}'.`);
    }
    names[placeholder] = name;
  }
  return names;
}

function readExpressionFields(fields: Fields, withValues: boolean): Expression {
  const expression: Expression = { expression: fields.string('expression') };
  if (fields.has('expressionNames')) {
    expression.names = readNames(fields.object.expressionNames, fields.at('expressionNames'));
  }
  if (withValues && fields.has('expressionValues')) expression.values = fields.map('expressionValues');
  return expression;
}

function readExpression(value: unknown, path: string): Expression {
  return readExpressionFields(Fields.of(value, path, ['expression', 'expressionNames', 'expressionValues']), true);
}

function readProjection(value: unknown, path: string): Expression {
  return readExpressionFields(Fields.of(value, path, ['expression', 'expressionNames']), false);
}

function readCondition(value: unknown, path: string): Condition {
  const fields = Fields.of(value, path, [
    'expression',
    'expressionNames',
    'expressionValues',
    'equalsIgnore',
    'consistentRead',
    'conditionalCheckFailedHandler',
  ]);
  const condition: Condition = {
    ...readExpressionFields(fields, true),
    equalsIgnore: [],
    consistentRead: fields.optionalBoolean('consistentRead') ?? true,
    strategy: 'Reject',
  };
  if (fields.has('equalsIgnore')) {
    condition.equalsIgnore = fields.list('equalsIgnore').map((name, i) => {
      if (typeof name !== 'string') {
        throw new RequestShapeError(`Expected a string at '${fields.at('equalsIgnore')}[${i}]'.`);
      }
      return name;
    });
  }
  if (fields.has('conditionalCheckFailedHandler')) {
    const handler = Fields.of(fields.object.conditionalCheckFailedHandler, fields.at('conditionalCheckFailedHandler'), [
      'strategy',
      'lambdaArn',
    ]);
    const strategy = handler.string('strategy');
    if (strategy !== 'Reject' && strategy !== 'Custom') {
      throw new RequestShapeError(`Unsupported strategy '${strategy}' at '${handler.at('strategy')}'.`);
    }
    condition.strategy = strategy;
    if (strategy === 'Custom') condition.lambdaArn = handler.string('lambdaArn');
  }
  return condition;
}

/** Names and values of several expressions of one call, which DynamoDB takes as one pair of maps. */
class ExpressionAttributes {
  private readonly names: Record<string, string> = {};
  private readonly values: AttributeMap = {};

  add(expression: Expression | undefined, path: string): string | undefined {
    if (!expression) return undefined;
    for (const [placeholder, name] of Object.entries(expression.names ?? {})) {
      if (placeholder in this.names && this.names[placeholder] !== name) {
        throw new RequestShapeError(`Expression name '${placeholder}' at '${path}' conflicts with another expression.`);
      }
      this.names[placeholder] = name;
    }
    for (const [placeholder, value] of Object.entries(expression.values ?? {})) {
      const seen = this.values[placeholder];
      if (seen && canonicalValue(seen) !== canonicalValue(value)) {
        throw new RequestShapeError(
          `Expression value '${placeholder}' at '${path}' conflicts with another expression.`,
        );
      }
      this.values[placeholder] = value;
    }
    return expression.expression;
  }

  /** DynamoDB refuses empty maps, so absent ones are left out. */
  input(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: AttributeMap } {
    return {
      ...(Object.keys(this.names).length > 0 && { ExpressionAttributeNames: this.names }),
      ...(Object.keys(this.values).length > 0 && { ExpressionAttributeValues: this.values }),
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Errors.

function isServiceError(error: unknown): error is DynamoDBServiceException {
  return error instanceof DynamoDBServiceException;
}

function errorName(error: unknown): string | undefined {
  return isServiceError(error) ? error.name : undefined;
}

/** DynamoDB's error as AppSync words it: the service message followed by the call's status and request id. */
function serviceError(error: unknown): DataSourceError {
  if (isServiceError(error)) {
    const status = error.$metadata?.httpStatusCode ?? 400;
    const requestId = error.$metadata?.requestId ?? randomBytes(26).toString('hex').toUpperCase().slice(0, 52);
    const text = error.message && error.message !== 'UnknownError' ? error.message : error.name;
    return {
      type: `DynamoDB:${error.name}`,
      message: `${text} (Service: DynamoDb, Status Code: ${status}, Request ID: ${requestId})`,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  // The store could not be reached at all (refused connection, reset, timeout): DynamoDB never answered.
  if (typeof (error as { code?: unknown })?.code === 'string' || (error as Error)?.name === 'TimeoutError') {
    return { type: 'DynamoDB:DynamoDbException', message: `Unable to execute HTTP request: ${text}` };
  }
  return { type: 'DynamoDB:DynamoDbException', message: text };
}

function cancellationReasons(error: unknown): unknown[] | null {
  const reasons: CancellationReason[] | undefined = (error as { CancellationReasons?: CancellationReason[] })
    .CancellationReasons;
  if (errorName(error) !== 'TransactionCanceledException' || !reasons) return null;
  return reasons.map((reason) => ({
    ...(reason.Item && { item: fromAttributeMap(reason.Item) }),
    type: reason.Code ?? 'None',
    message: reason.Message ?? 'None',
  }));
}

// ---------------------------------------------------------------------------------------------------------------------
// Projections of batch reads must keep the key attributes, or returned items cannot be put back in request order.

function topLevelNames(projection: Expression): Set<string> {
  const names = new Set<string>();
  for (const path of projection.expression.split(',')) {
    const head = path.trim().split(/[.[]/, 1)[0].trim();
    names.add(head.startsWith('#') ? (projection.names?.[head] ?? head) : head);
  }
  return names;
}

function withKeyAttributes(projection: Expression, keyNames: string[]): { projection: Expression; added: string[] } {
  const present = topLevelNames(projection);
  const added = keyNames.filter((name) => !present.has(name));
  if (added.length === 0) return { projection, added };
  const names = { ...projection.names };
  const placeholders = added.map((name, i) => {
    const placeholder = `#appsyncLocalKey${i}`;
    names[placeholder] = name;
    return placeholder;
  });
  return { projection: { expression: `${projection.expression}, ${placeholders.join(', ')}`, names }, added };
}

function pick(item: AttributeMap, names: string[]): AttributeMap {
  const picked: AttributeMap = {};
  for (const name of names) if (item[name]) picked[name] = item[name];
  return picked;
}

function omit(item: AttributeMap, names: string[]): AttributeMap {
  const rest = { ...item };
  for (const name of names) delete rest[name];
  return rest;
}

// ---------------------------------------------------------------------------------------------------------------------

const ITEM_FIELDS = [
  'operation',
  'version',
  'key',
  'condition',
  '_version',
  'customPartitionKey',
  'populateIndexFields',
];

export function createDynamoDBDataSource(opts: DynamoDBDataSourceOptions): DynamoDBDataSource {
  const { client, tableName } = opts;
  const secret = opts.tokenSecret === undefined ? processTokenKey : tokenKey(opts.tokenSecret);
  const counted = (operation: string) => opts.onRequest?.(operation);
  const physical = (name: string) => opts.tableNames?.[name] ?? name;

  function tokenScope(parts: unknown[], options: InvokeOptions | undefined): string {
    return JSON.stringify([...parts, options?.tokenScope ?? '']);
  }

  function startFrom(fields: Fields, scope: string): TokenContents | undefined {
    const token = fields.optionalString('nextToken');
    return token === undefined ? undefined : decodeToken(token, scope, secret);
  }

  function nextToken(key: AttributeMap | undefined, scope: string, startedAt?: number): string | null {
    return key && Object.keys(key).length > 0 ? encodeToken({ lastEvaluatedKey: key, startedAt }, scope, secret) : null;
  }

  /**
   * After ConditionalCheckFailed: read the item as it is now and decide as AppSync does. A PutItem whose desired
   * item is already stored, or a DeleteItem of an item already gone, succeeds; otherwise the error, carrying the
   * current item as result (ctx.result beside ctx.error) only with `currentItemOnConditionFailure`.
   */
  async function conditionFailed(
    operation: 'PutItem' | 'UpdateItem' | 'DeleteItem',
    key: AttributeMap,
    condition: Condition,
    failure: unknown,
    desired?: AttributeMap,
  ): Promise<DataSourceOutcome> {
    counted('GetItem');
    let current: AttributeMap | undefined;
    try {
      const read = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: condition.consistentRead }),
      );
      current = read.Item;
    } catch {
      return { error: serviceError(failure) };
    }
    if (operation === 'PutItem' && current && desired) {
      const ignore = new Set(condition.equalsIgnore);
      if (canonicalMap(current, ignore) === canonicalMap(desired, ignore)) return { result: fromAttributeMap(current) };
    }
    if (operation === 'DeleteItem' && !current) return { result: null };
    const error = serviceError(failure);
    if (condition.strategy === 'Custom') {
      // Custom handlers are Lambda functions named by ARN, which the local server cannot call; reject instead.
      error.message += ` [local server: conditionalCheckFailedHandler 'Custom' (${condition.lambdaArn}) is not supported, rejected instead]`;
    }
    if (!opts.currentItemOnConditionFailure) return { error };
    return { result: current ? fromAttributeMap(current) : null, error };
  }

  async function getItem(request: Json): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', ['operation', 'version', 'key', 'consistentRead', 'projection']);
    const key = fields.map('key');
    const attributes = new ExpressionAttributes();
    const projection = attributes.add(
      fields.has('projection') ? readProjection(fields.object.projection, fields.at('projection')) : undefined,
      fields.at('projection'),
    );
    counted('GetItem');
    const output = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: key,
        ConsistentRead: fields.optionalBoolean('consistentRead'),
        ProjectionExpression: projection,
        ...attributes.input(),
      }),
    );
    return { result: output.Item ? fromAttributeMap(output.Item) : null };
  }

  async function putItem(request: Json): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', [...ITEM_FIELDS, 'attributeValues']);
    const key = fields.map('key');
    const item = { ...(fields.has('attributeValues') ? fields.map('attributeValues') : {}), ...key };
    const condition = fields.has('condition')
      ? readCondition(fields.object.condition, fields.at('condition'))
      : undefined;
    const attributes = new ExpressionAttributes();
    const conditionExpression = attributes.add(condition, fields.at('condition'));
    try {
      counted('PutItem');
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: conditionExpression,
          ...attributes.input(),
        }),
      );
    } catch (error) {
      if (condition && errorName(error) === 'ConditionalCheckFailedException') {
        return conditionFailed('PutItem', key, condition, error, item);
      }
      throw error;
    }
    return { result: fromAttributeMap(item) };
  }

  async function updateItem(request: Json): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', [...ITEM_FIELDS, 'update']);
    const key = fields.map('key');
    const update = readExpression(fields.required('update'), fields.at('update'));
    const condition = fields.has('condition')
      ? readCondition(fields.object.condition, fields.at('condition'))
      : undefined;
    const attributes = new ExpressionAttributes();
    const updateExpression = attributes.add(update, fields.at('update'));
    const conditionExpression = attributes.add(condition, fields.at('condition'));
    let updated: AttributeMap | undefined;
    try {
      counted('UpdateItem');
      const output = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: updateExpression,
          ConditionExpression: conditionExpression,
          ReturnValues: 'ALL_NEW',
          ...attributes.input(),
        }),
      );
      updated = output.Attributes;
    } catch (error) {
      if (condition && errorName(error) === 'ConditionalCheckFailedException') {
        return conditionFailed('UpdateItem', key, condition, error);
      }
      throw error;
    }
    return { result: updated ? fromAttributeMap(updated) : null };
  }

  async function deleteItem(request: Json): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', ITEM_FIELDS);
    const key = fields.map('key');
    const condition = fields.has('condition')
      ? readCondition(fields.object.condition, fields.at('condition'))
      : undefined;
    const attributes = new ExpressionAttributes();
    const conditionExpression = attributes.add(condition, fields.at('condition'));
    let deleted: AttributeMap | undefined;
    try {
      counted('DeleteItem');
      const output = await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: key,
          ConditionExpression: conditionExpression,
          ReturnValues: 'ALL_OLD',
          ...attributes.input(),
        }),
      );
      deleted = output.Attributes;
    } catch (error) {
      if (condition && errorName(error) === 'ConditionalCheckFailedException') {
        return conditionFailed('DeleteItem', key, condition, error);
      }
      throw error;
    }
    return { result: deleted ? fromAttributeMap(deleted) : null };
  }

  function readListing(fields: Fields, attributes: ExpressionAttributes) {
    const filter = fields.has('filter') ? readExpression(fields.object.filter, fields.at('filter')) : undefined;
    const projection = fields.has('projection')
      ? readProjection(fields.object.projection, fields.at('projection'))
      : undefined;
    return {
      FilterExpression: attributes.add(filter, fields.at('filter')),
      ProjectionExpression: attributes.add(projection, fields.at('projection')),
      Limit: fields.optionalInteger('limit'),
      ConsistentRead: fields.optionalBoolean('consistentRead'),
    };
  }

  function readSelect(fields: Fields) {
    const select = fields.optionalString('select');
    const allowed = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'] as const;
    if (select !== undefined && !(allowed as readonly string[]).includes(select)) {
      throw new RequestShapeError(`Unsupported value '${select}' at '${fields.at('select')}'.`);
    }
    return select as (typeof allowed)[number] | undefined;
  }

  async function query(request: Json, options?: InvokeOptions): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', [
      'operation',
      'version',
      'query',
      'index',
      'nextToken',
      'limit',
      'scanIndexForward',
      'consistentRead',
      'select',
      'filter',
      'projection',
    ]);
    const keyCondition = readExpression(fields.required('query'), fields.at('query'));
    const attributes = new ExpressionAttributes();
    const keyConditionExpression = attributes.add(keyCondition, fields.at('query'));
    const listing = readListing(fields, attributes);
    const index = fields.optionalString('index');
    // The key condition pins the partition, so a token cannot be carried over to another one.
    const scope = tokenScope(
      [
        'Query',
        tableName,
        index ?? '',
        keyCondition.expression,
        Object.entries(keyCondition.names ?? {}).sort(),
        canonicalMap(keyCondition.values ?? {}),
      ],
      options,
    );
    const start = startFrom(fields, scope);
    counted('Query');
    const output = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index,
        KeyConditionExpression: keyConditionExpression,
        ScanIndexForward: fields.optionalBoolean('scanIndexForward'),
        Select: readSelect(fields),
        ExclusiveStartKey: start?.lastEvaluatedKey,
        ...listing,
        ...attributes.input(),
      }),
    );
    return {
      result: {
        items: (output.Items ?? []).map(fromAttributeMap),
        nextToken: nextToken(output.LastEvaluatedKey, scope),
        scannedCount: output.ScannedCount ?? 0,
      },
    };
  }

  async function scan(request: Json, options?: InvokeOptions): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', [
      'operation',
      'version',
      'index',
      'limit',
      'consistentRead',
      'nextToken',
      'totalSegments',
      'segment',
      'select',
      'filter',
      'projection',
    ]);
    const attributes = new ExpressionAttributes();
    const listing = readListing(fields, attributes);
    const index = fields.optionalString('index');
    const segment = fields.optionalInteger('segment');
    const totalSegments = fields.optionalInteger('totalSegments');
    const scope = tokenScope(['Scan', tableName, index ?? '', segment ?? '', totalSegments ?? ''], options);
    const start = startFrom(fields, scope);
    counted('Scan');
    const output = await client.send(
      new ScanCommand({
        TableName: tableName,
        IndexName: index,
        Segment: segment,
        TotalSegments: totalSegments,
        Select: readSelect(fields),
        ExclusiveStartKey: start?.lastEvaluatedKey,
        ...listing,
        ...attributes.input(),
      }),
    );
    return {
      result: {
        items: (output.Items ?? []).map(fromAttributeMap),
        nextToken: nextToken(output.LastEvaluatedKey, scope),
        scannedCount: output.ScannedCount ?? 0,
      },
    };
  }

  /**
   * Sync without `lastSync` reads the base table page by page, as on a versioned data source. With `lastSync` AppSync
   * reads the delta sync table, which exists only for versioned data sources; table definitions here have none.
   */
  async function sync(request: Json, options?: InvokeOptions): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', [
      'operation',
      'version',
      'basePartitionKey',
      'deltaIndexName',
      'limit',
      'nextToken',
      'lastSync',
      'filter',
    ]);
    if (fields.has('lastSync')) {
      throw new RequestShapeError(
        `Sync with '${fields.at('lastSync')}' reads the delta sync table of a versioned data source; ` +
          'this data source is not versioned.',
      );
    }
    const limit = fields.optionalInteger('limit') ?? SYNC_DEFAULT_LIMIT;
    if (limit < 1 || limit > SYNC_MAX_LIMIT) {
      throw new RequestShapeError(`'${fields.at('limit')}' must be between 1 and ${SYNC_MAX_LIMIT}; got ${limit}.`);
    }
    const attributes = new ExpressionAttributes();
    const filter = fields.has('filter') ? readExpression(fields.object.filter, fields.at('filter')) : undefined;
    const filterExpression = attributes.add(filter, fields.at('filter'));
    const scope = tokenScope(['Sync', tableName], options);
    const start = startFrom(fields, scope);
    const startedAt = start?.startedAt ?? Date.now();
    counted('Scan');
    const output = await client.send(
      new ScanCommand({
        TableName: tableName,
        Limit: limit,
        FilterExpression: filterExpression,
        ExclusiveStartKey: start?.lastEvaluatedKey,
        ...attributes.input(),
      }),
    );
    return {
      result: {
        items: (output.Items ?? []).map(fromAttributeMap),
        nextToken: nextToken(output.LastEvaluatedKey, scope, startedAt),
        scannedCount: output.ScannedCount ?? 0,
        startedAt,
      },
    };
  }

  /** The `tables` map of a batch request, with each logical name resolved to one distinct physical table. */
  function batchTables(fields: Fields): Array<{ name: string; table: string; spec: unknown; path: string }> {
    const tablesValue = fields.required('tables');
    if (!isPlainObject(tablesValue) || Object.keys(tablesValue).length === 0) {
      throw new RequestShapeError(`'${fields.at('tables')}' must be a JSON object naming at least one table.`);
    }
    const seen = new Map<string, string>();
    return Object.entries(tablesValue)
      .filter(([, spec]) => spec !== undefined)
      .map(([name, spec]) => {
        const table = physical(name);
        const other = seen.get(table);
        if (other !== undefined) {
          throw new RequestShapeError(
            `Tables '${other}' and '${name}' of '${fields.at('tables')}' are the same table.`,
          );
        }
        seen.set(table, name);
        return { name, table, spec, path: `${fields.at('tables')}[${name}]` };
      });
  }

  function listAt(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) {
      throw new RequestShapeError(`Expected a list at '${path}' but got '${jsonTypeName(value)}' instead.`);
    }
    return value;
  }

  async function batchGetItem(request: Json): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', ['operation', 'version', 'tables']);
    const plans = batchTables(fields).map(({ name, table, spec, path }) => {
      const specFields = Fields.of(spec, path, ['keys', 'consistentRead', 'projection']);
      const keys = specFields.list('keys').map((key, i) => toAttributeMap(key, `${specFields.at('keys')}[${i}]`));
      const keyNames = [...new Set(keys.flatMap((key) => Object.keys(key)))];
      const requested: KeysAndAttributes = { Keys: keys, ConsistentRead: specFields.optionalBoolean('consistentRead') };
      let added: string[] = [];
      if (specFields.has('projection')) {
        const widened = withKeyAttributes(
          readProjection(specFields.object.projection, specFields.at('projection')),
          keyNames,
        );
        added = widened.added;
        const attributes = new ExpressionAttributes();
        requested.ProjectionExpression = attributes.add(widened.projection, specFields.at('projection'));
        requested.ExpressionAttributeNames = attributes.input().ExpressionAttributeNames;
      }
      return { name, table, keys, keyNames, added, requested };
    });
    counted('BatchGetItem');
    const output = await client.send(
      new BatchGetItemCommand({ RequestItems: Object.fromEntries(plans.map((p) => [p.table, p.requested])) }),
    );
    const data: Record<string, unknown[]> = {};
    const unprocessedKeys: Record<string, unknown[]> = {};
    for (const plan of plans) {
      const found = new Map<string, AttributeMap>();
      for (const item of output.Responses?.[plan.table] ?? []) {
        found.set(canonicalMap(pick(item, plan.keyNames)), item);
      }
      const unprocessed = output.UnprocessedKeys?.[plan.table]?.Keys ?? [];
      const skipped = new Set(unprocessed.map((key) => canonicalMap(key)));
      // Request order, a null for each key not found or not processed.
      data[plan.name] = plan.keys.map((key) => {
        const canonical = canonicalMap(key);
        const item = skipped.has(canonical) ? undefined : found.get(canonical);
        return item ? fromAttributeMap(omit(item, plan.added)) : null;
      });
      unprocessedKeys[plan.name] = unprocessed.map(fromAttributeMap);
    }
    return { result: { data, unprocessedKeys } };
  }

  async function batchWrite(request: Json, kind: 'put' | 'delete'): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', ['operation', 'version', 'tables']);
    const plans = batchTables(fields).map(({ name, table, spec, path }) => ({
      name,
      table,
      items: listAt(spec, path).map((entry, i) => toAttributeMap(entry, `${path}[${i}]`)),
    }));
    const requestItems: Record<string, WriteRequest[]> = {};
    for (const plan of plans) {
      requestItems[plan.table] = plan.items.map((item) =>
        kind === 'put' ? { PutRequest: { Item: item } } : { DeleteRequest: { Key: item } },
      );
    }
    counted('BatchWriteItem');
    const output = await client.send(new BatchWriteItemCommand({ RequestItems: requestItems }));
    const data: Record<string, unknown[]> = {};
    const unprocessed: Record<string, unknown[]> = {};
    for (const plan of plans) {
      const left = (output.UnprocessedItems?.[plan.table] ?? [])
        .map((write) => (kind === 'put' ? write.PutRequest?.Item : write.DeleteRequest?.Key))
        .filter((entry): entry is AttributeMap => entry !== undefined);
      const skipped = new Set(left.map((entry) => canonicalMap(entry)));
      data[plan.name] = plan.items.map((item) => (skipped.has(canonicalMap(item)) ? null : fromAttributeMap(item)));
      unprocessed[plan.name] = left.map(fromAttributeMap);
    }
    return {
      result: kind === 'put' ? { data, unprocessedItems: unprocessed } : { data, unprocessedKeys: unprocessed },
    };
  }

  /** The request items of a transaction, each checked to be an object; their fields depend on their kind. */
  function transactItems(fields: Fields): Array<{ object: Json; path: string }> {
    const items = fields.list('transactItems');
    if (items.length === 0) {
      throw new RequestShapeError(`'${fields.at('transactItems')}' must hold at least one request item.`);
    }
    return items.map((item, i) => {
      const path = `${fields.at('transactItems')}[${i}]`;
      if (!isPlainObject(item)) {
        throw new RequestShapeError(`Expected JSON object at '${path}' but got '${jsonTypeName(item)}' instead.`);
      }
      return { object: item, path };
    });
  }

  async function transactGetItems(request: Json): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', ['operation', 'version', 'transactItems']);
    const gets = transactItems(fields).map((item) => {
      const get = new Fields(item.object, item.path, ['table', 'key', 'projection']);
      const attributes = new ExpressionAttributes();
      const projection = get.has('projection')
        ? readProjection(get.object.projection, get.at('projection'))
        : undefined;
      return {
        Get: {
          TableName: physical(get.string('table')),
          Key: get.map('key'),
          ProjectionExpression: attributes.add(projection, get.at('projection')),
          ...attributes.input(),
        },
      };
    });
    try {
      counted('TransactGetItems');
      const output = await client.send(new TransactGetItemsCommand({ TransactItems: gets }));
      const items = gets.map((_, i) => {
        const item = output.Responses?.[i]?.Item;
        return item && Object.keys(item).length > 0 ? fromAttributeMap(item) : null;
      });
      return { result: { items, cancellationReasons: null } };
    } catch (error) {
      return { result: { items: null, cancellationReasons: cancellationReasons(error) }, error: serviceError(error) };
    }
  }

  async function transactWriteItems(request: Json): Promise<DataSourceOutcome> {
    const fields = new Fields(request, '$', ['operation', 'version', 'transactItems']);
    const keys: AttributeMap[] = [];
    const writes: TransactWriteItem[] = transactItems(fields).map((item) => {
      const operation = item.object.operation;
      const allowed: Record<string, string[]> = {
        PutItem: ['table', 'operation', 'key', 'attributeValues', 'condition'],
        UpdateItem: ['table', 'operation', 'key', 'update', 'condition'],
        DeleteItem: ['table', 'operation', 'key', 'condition'],
        ConditionCheck: ['table', 'operation', 'key', 'condition'],
      };
      if (operation === undefined || operation === null) {
        throw new RequestShapeError(`Value for field '${item.path}[operation]' not found.`);
      }
      if (typeof operation !== 'string' || !Object.hasOwn(allowed, operation)) {
        throw new RequestShapeError(`Unsupported operation '${String(operation)}' at '${item.path}[operation]'.`);
      }
      const write = new Fields(item.object, item.path, allowed[operation]);
      const key = write.map('key');
      keys.push(key);
      const attributes = new ExpressionAttributes();
      let conditionExpression: string | undefined;
      let returnOnFailure: 'ALL_OLD' | 'NONE' | undefined;
      if (write.has('condition') || operation === 'ConditionCheck') {
        const condition = Fields.of(write.required('condition'), write.at('condition'), [
          'expression',
          'expressionNames',
          'expressionValues',
          'returnValuesOnConditionCheckFailure',
        ]);
        conditionExpression = attributes.add(readExpressionFields(condition, true), write.at('condition'));
        // AppSync returns the stored item with a failed check unless told not to.
        returnOnFailure =
          condition.optionalBoolean('returnValuesOnConditionCheckFailure') === false ? 'NONE' : 'ALL_OLD';
      }
      const common = {
        TableName: physical(write.string('table')),
        ConditionExpression: conditionExpression,
        ReturnValuesOnConditionCheckFailure: returnOnFailure,
      };
      switch (operation) {
        case 'PutItem': {
          const values = write.has('attributeValues') ? write.map('attributeValues') : {};
          return { Put: { ...common, Item: { ...values, ...key }, ...attributes.input() } };
        }
        case 'UpdateItem': {
          const update = attributes.add(
            readExpression(write.required('update'), write.at('update')),
            write.at('update'),
          );
          return { Update: { ...common, Key: key, UpdateExpression: update as string, ...attributes.input() } };
        }
        case 'DeleteItem':
          return { Delete: { ...common, Key: key, ...attributes.input() } };
        default:
          return {
            ConditionCheck: {
              ...common,
              Key: key,
              ConditionExpression: conditionExpression as string,
              ...attributes.input(),
            },
          };
      }
    });
    try {
      counted('TransactWriteItems');
      await client.send(new TransactWriteItemsCommand({ TransactItems: writes }));
      return { result: { keys: keys.map(fromAttributeMap), cancellationReasons: null } };
    } catch (error) {
      return { result: { keys: null, cancellationReasons: cancellationReasons(error) }, error: serviceError(error) };
    }
  }

  const operations: Record<string, (request: Json, options?: InvokeOptions) => Promise<DataSourceOutcome>> = {
    GetItem: getItem,
    PutItem: putItem,
    UpdateItem: updateItem,
    DeleteItem: deleteItem,
    Query: query,
    Scan: scan,
    Sync: sync,
    BatchGetItem: batchGetItem,
    BatchPutItem: (request) => batchWrite(request, 'put'),
    BatchDeleteItem: (request) => batchWrite(request, 'delete'),
    TransactGetItems: transactGetItems,
    TransactWriteItems: transactWriteItems,
  };

  return {
    async invoke(request, options) {
      try {
        if (!isPlainObject(request)) {
          throw new RequestShapeError(`Expected the request to be a JSON object but got '${jsonTypeName(request)}'.`);
        }
        const operation = request.operation;
        if (operation === undefined || operation === null) {
          throw new RequestShapeError("Value for field '$[operation]' not found.");
        }
        const run = typeof operation === 'string' && Object.hasOwn(operations, operation) && operations[operation];
        if (!run) throw new RequestShapeError(`Unsupported operation '${String(operation)}'.`);
        return await run(request, options);
      } catch (error) {
        if (error instanceof RequestShapeError) return mappingTemplateError(error.message);
        if (error instanceof InvalidTokenError) return { error: { ...INVALID_TOKEN_ERROR } };
        return { error: serviceError(error) };
      }
    },
  };
}

export const dynamodbKind: DataSourceKind<'AMAZON_DYNAMODB'> = {
  create(_name, definition, host) {
    const source = createDynamoDBDataSource({
      client: host.dynamodb.client,
      tableName: definition.table.name,
      tokenSecret: host.dynamodb.tokenSecret,
      currentItemOnConditionFailure: host.dynamodb.currentItemOnConditionFailure,
      onRequest: () => host.count('dynamodb'),
    });
    return { invoke: (request, { field }) => source.invoke(request, { tokenScope: field }) };
  },
};
