// util.rds.toJsonObject (also the rds module's toJsonObject): an RDS Data API result (object or its JSON text) as
// plain records: one list per SQL statement, each holding one object per record keyed by column label (or name).
// What AppSync's EvaluateCode returns (recorded in the localstack/appsync-utils snapshots): a NULL field leaves its
// key out of the record, and a statement without records (an INSERT or UPDATE) gives one empty record, `[{}]`.
import { describeValue, isPlainObject } from './internal/args';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const SCALAR_KEYS = [
  'stringValue',
  'longValue',
  'doubleValue',
  'booleanValue',
  'blobValue',
  'bitValue',
  'bigIntValue',
  'intValue',
  'realValue',
];
const ARRAY_KEYS = ['stringValues', 'longValues', 'doubleValues', 'booleanValues', 'arrayValues'];

class RdsResultError extends Error {}

/** The value of one Data API Field (or ArrayValue), whichever of its members is set. */
function fieldValue(field: unknown): Json {
  if (!isPlainObject(field)) throw new RdsResultError(`a field must be an object, got ${describeValue(field)}`);
  if (field.isNull === true) return null;
  for (const key of SCALAR_KEYS) if (key in field) return field[key] as Json;
  if ('arrayValue' in field) return fieldValue(field.arrayValue);
  for (const key of ARRAY_KEYS) {
    if (key in field) {
      const values = field[key];
      if (!Array.isArray(values)) throw new RdsResultError(`${key} must be an array`);
      return key === 'arrayValues' ? values.map(fieldValue) : (values as Json[]);
    }
  }
  if ('structValue' in field) {
    const attributes = (field.structValue as { attributes?: unknown })?.attributes;
    return Array.isArray(attributes) ? attributes.map(fieldValue) : [];
  }
  if (field.isNull === false || Object.keys(field).length === 0) return null;
  throw new RdsResultError(`unknown field value ${JSON.stringify(field)}`);
}

function columnName(column: unknown, index: number): string {
  if (isPlainObject(column)) {
    if (typeof column.label === 'string') return column.label;
    if (typeof column.name === 'string') return column.name;
  }
  throw new RdsResultError(`columnMetadata[${index}] has neither a label nor a name`);
}

function statementRecords(statement: unknown): Json[] {
  if (!isPlainObject(statement)) throw new RdsResultError('each sqlStatementResults entry must be an object');
  const { records, columnMetadata } = statement;
  if (records === undefined || records === null) return [{}];
  if (!Array.isArray(records)) throw new RdsResultError('records must be an array');
  const columns = Array.isArray(columnMetadata) ? columnMetadata.map(columnName) : [];
  return records.map((record, recordIndex) => {
    if (!Array.isArray(record)) throw new RdsResultError(`records[${recordIndex}] must be an array`);
    if (record.length > columns.length) {
      throw new RdsResultError(
        'records need columnMetadata to be named (run the statement with includeResultMetadata)',
      );
    }
    const row: { [key: string]: Json } = {};
    record.forEach((field, index) => {
      if (isPlainObject(field) && field.isNull === true) return;
      Object.defineProperty(row, columns[index], {
        value: fieldValue(field),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    });
    return row;
  });
}

function toJsonObject(serializedSQLResult: unknown): Json[][] {
  const fn = 'util.rds.toJsonObject';
  let result = serializedSQLResult;
  if (typeof result === 'string') {
    try {
      result = JSON.parse(result);
    } catch (error) {
      throw new SyntaxError(`${fn}: the result is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isPlainObject(result) || !Array.isArray(result.sqlStatementResults)) {
    throw new TypeError(
      `${fn}: expected an RDS Data API result with sqlStatementResults, got ${describeValue(result)}`,
    );
  }
  try {
    return result.sqlStatementResults.map(statementRecords);
  } catch (error) {
    if (error instanceof RdsResultError) throw new TypeError(`${fn}: ${error.message}`);
    throw error;
  }
}

export const rds = { toJsonObject };
