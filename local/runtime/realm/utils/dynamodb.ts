// util.dynamodb: plain values to DynamoDB attribute values, as APPSYNC_JS builds them.
//
// AppSync keeps numbers as JSON numbers inside attribute values (`{ N: 12345 }`, `{ NS: [1, 23, 4.56] }`), unlike the
// DynamoDB wire format and unlike the @aws-appsync/utils type definitions; the values recorded from EvaluateCode win.
// Values are read the way JSON would read them: an `undefined` map entry is left out, an `undefined` list entry is a
// null, and an object with `toJSON` (a Date) is converted through it. Wrong argument types throw a TypeError naming
// the function, so a resolver bug surfaces here rather than as a DynamoDB validation error later.
//
// The *Json variants ($util.dynamodb.toDynamoDBJson, ...) exist in VTL only; APPSYNC_JS does not offer them.

export type AttributeValue =
  | { S: string }
  | { N: number }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: null }
  | { SS: string[] }
  | { NS: number[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: AttributeMap };

export type AttributeMap = Record<string, AttributeValue>;

export interface S3ObjectReference {
  key: string;
  bucket: string;
  region: string;
  version?: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Sets an own enumerable property. Plain assignment would treat a key named `__proto__` (a field name a resolver may
 * well receive) as the object's prototype instead of an entry.
 */
export function setEntry<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function hasToJSON(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** Converts one value; `undefined` comes back as `undefined` so that each container can decide what it means. */
function convert(fn: string, value: unknown, ancestors: unknown[]): AttributeValue | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
      return { S: value };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${fn}: ${value} is not a number DynamoDB can store`);
      return { N: value };
    case 'boolean':
      return { BOOL: value };
    case 'object':
      break;
    default:
      throw new TypeError(`${fn}: cannot convert ${describeValue(value)} to a DynamoDB value`);
  }
  if (value === null) return { NULL: null };
  if (ancestors.includes(value)) throw new TypeError(`${fn}: cannot convert a value that contains itself`);
  ancestors.push(value);
  try {
    if (hasToJSON(value)) return convert(fn, value.toJSON(), ancestors);
    if (Array.isArray(value)) return { L: value.map((item) => convert(fn, item, ancestors) ?? { NULL: null }) };
    return { M: convertEntries(fn, value as Record<string, unknown>, ancestors) };
  } finally {
    ancestors.pop();
  }
}

function convertEntries(fn: string, map: Record<string, unknown>, ancestors: unknown[]): AttributeMap {
  const out: AttributeMap = {};
  for (const key of Object.keys(map)) {
    const converted = convert(fn, map[key], ancestors);
    if (converted !== undefined) setEntry(out, key, converted);
  }
  return out;
}

/** `toDynamoDB` for callers that name themselves in errors (the DynamoDB module, util.transform). */
export function toAttributeValue(fn: string, value: unknown): AttributeValue | null {
  return convert(fn, value, []) ?? null;
}

/** `toMapValues` for callers that name themselves in errors; the caller has checked that `map` is an object. */
export function toAttributeMap(fn: string, map: Record<string, unknown>): AttributeMap {
  return convertEntries(fn, map, [map]);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function toDynamoDB(value: unknown): AttributeValue | null {
  return toAttributeValue('util.dynamodb.toDynamoDB', value);
}

function scalar(fn: string, type: string, expected: 'string' | 'number' | 'boolean', value: unknown): unknown {
  if (isAbsent(value)) return null;
  if (typeof value !== expected) throw new TypeError(`${fn} expects a ${expected}, got ${describeValue(value)}`);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`${fn}: ${value} is not a number DynamoDB can store`);
  }
  return { [type]: value };
}

function set(fn: string, type: string, expected: 'string' | 'number', list: unknown): unknown {
  if (isAbsent(list)) return null;
  if (!Array.isArray(list)) throw new TypeError(`${fn} expects a list of ${expected}s, got ${describeValue(list)}`);
  list.forEach((item, index) => {
    if (typeof item !== expected || (typeof item === 'number' && !Number.isFinite(item))) {
      throw new TypeError(`${fn} expects a list of ${expected}s, item ${index} is ${describeValue(item)}`);
    }
  });
  return { [type]: list.slice() };
}

function toString(value: unknown): { S: string } | null {
  return scalar('util.dynamodb.toString', 'S', 'string', value) as { S: string } | null;
}

function toStringSet(list: unknown): { SS: string[] } | null {
  return set('util.dynamodb.toStringSet', 'SS', 'string', list) as { SS: string[] } | null;
}

function toNumber(value: unknown): { N: number } | null {
  return scalar('util.dynamodb.toNumber', 'N', 'number', value) as { N: number } | null;
}

function toNumberSet(list: unknown): { NS: number[] } | null {
  return set('util.dynamodb.toNumberSet', 'NS', 'number', list) as { NS: number[] } | null;
}

function toBinary(value: unknown): { B: string } | null {
  return scalar('util.dynamodb.toBinary', 'B', 'string', value) as { B: string } | null;
}

function toBinarySet(list: unknown): { BS: string[] } | null {
  return set('util.dynamodb.toBinarySet', 'BS', 'string', list) as { BS: string[] } | null;
}

function toBoolean(value: unknown): { BOOL: boolean } | null {
  return scalar('util.dynamodb.toBoolean', 'BOOL', 'boolean', value) as { BOOL: boolean } | null;
}

function toNull(): { NULL: null } {
  return { NULL: null };
}

function toList(list: unknown): { L: AttributeValue[] } | null {
  if (isAbsent(list)) return null;
  if (!Array.isArray(list)) throw new TypeError(`util.dynamodb.toList expects a list, got ${describeValue(list)}`);
  return toAttributeValue('util.dynamodb.toList', list) as { L: AttributeValue[] };
}

function toMap(map: unknown): { M: AttributeMap } | null {
  if (isAbsent(map)) return null;
  if (!isPlainObject(map)) throw new TypeError(`util.dynamodb.toMap expects an object, got ${describeValue(map)}`);
  return { M: toAttributeMap('util.dynamodb.toMap', map) };
}

function toMapValues(map: unknown): AttributeMap | null {
  if (isAbsent(map)) return null;
  if (!isPlainObject(map))
    throw new TypeError(`util.dynamodb.toMapValues expects an object, got ${describeValue(map)}`);
  return toAttributeMap('util.dynamodb.toMapValues', map);
}

function toS3Object(key: unknown, bucket: unknown, region: unknown, version?: unknown): { S: string } {
  const fn = 'util.dynamodb.toS3Object';
  const reference: Record<string, unknown> = { key, bucket, region };
  if (!isAbsent(version)) reference.version = version;
  for (const [name, part] of Object.entries(reference)) {
    if (typeof part !== 'string') throw new TypeError(`${fn}: ${name} must be a string, got ${describeValue(part)}`);
  }
  // Key order is part of the stored string: key, bucket, region, then version.
  return { S: JSON.stringify({ s3: reference }) };
}

function fromS3ObjectJson(json: unknown): S3ObjectReference {
  const fn = 'util.dynamodb.fromS3ObjectJson';
  if (typeof json !== 'string') throw new TypeError(`${fn} expects a string, got ${describeValue(json)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new TypeError(`${fn}: the value is not JSON: ${json}`);
  }
  const s3 = isPlainObject(parsed) ? parsed.s3 : undefined;
  if (!isPlainObject(s3)) throw new TypeError(`${fn}: the value is not an S3 object ({"s3":{...}}): ${json}`);
  const reference: Record<string, string> = {};
  for (const name of ['key', 'bucket', 'region', 'version']) {
    const part = s3[name];
    if (name === 'version' && isAbsent(part)) continue;
    if (typeof part !== 'string') throw new TypeError(`${fn}: s3.${name} must be a string, got ${describeValue(part)}`);
    reference[name] = part;
  }
  return reference as unknown as S3ObjectReference;
}

export const dynamodb = {
  toDynamoDB,
  toString,
  toStringSet,
  toNumber,
  toNumberSet,
  toBinary,
  toBinarySet,
  toBoolean,
  toNull,
  toList,
  toMap,
  toMapValues,
  toS3Object,
  fromS3ObjectJson,
};
