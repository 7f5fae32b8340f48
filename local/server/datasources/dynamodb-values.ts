// AppSync's DynamoDB type system, both ways: typed values in request objects ({ "N": 10 }, { "B": "<base64>" }) to
// the SDK's AttributeValue, and stored items back to plain JSON as AppSync's response mapping does.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { RequestShapeError } from './request-object';

export type AttributeMap = Record<string, AttributeValue>;

export function jsonTypeName(value: unknown): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  switch (typeof value) {
    case 'string':
      return 'STRING';
    case 'number':
      return 'NUMBER';
    case 'boolean':
      return 'BOOLEAN';
    case 'object':
      return 'OBJECT';
    default:
      return typeof value;
  }
}

/** A JSON-style object, also when it was built in another realm (resolver code runs in its own sandbox). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.prototype.toString.call(value) === '[object Object]';
}

function numberText(value: unknown, path: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RequestShapeError(`Number value at '${path}' is not finite: ${value}.`);
    return String(value);
  }
  // Strings go through as written: DynamoDB itself judges the number syntax and precision.
  if (typeof value === 'string') return value;
  throw new RequestShapeError(`Expected a number or numeric string at '${path}' but got '${jsonTypeName(value)}'.`);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function binary(value: unknown, path: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) {
    throw new RequestShapeError(`Expected a base64 string at '${path}' but got '${jsonTypeName(value)}'.`);
  }
  return Buffer.from(value, 'base64');
}

function stringAt(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    throw new RequestShapeError(`Expected a string at '${path}' but got '${jsonTypeName(value)}'.`);
  }
  return value;
}

function listAt(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new RequestShapeError(`Expected a list at '${path}' but got '${jsonTypeName(value)}'.`);
  }
  return value;
}

/** One typed value (`{ "S": "x" }`, `{ "N": 10 }`, ...) to the SDK's AttributeValue. */
export function toAttributeValue(typed: unknown, path: string): AttributeValue {
  if (!isPlainObject(typed)) {
    throw new RequestShapeError(
      `Expected JSON object for attribute value '${path}' but got '${jsonTypeName(typed)}' instead.`,
    );
  }
  const entries = Object.entries(typed).filter(([, value]) => value !== undefined);
  if (entries.length !== 1) {
    throw new RequestShapeError(
      `Attribute value '${path}' must have exactly one type key (S, N, B, BOOL, NULL, L, M, SS, NS, BS); ` +
        `found ${entries.length === 0 ? 'none' : entries.map(([key]) => key).join(', ')}.`,
    );
  }
  const [type, value] = entries[0];
  const at = `${path}[${type}]`;
  switch (type) {
    case 'S':
      return { S: stringAt(value, at) };
    case 'N':
      return { N: numberText(value, at) };
    case 'B':
      return { B: binary(value, at) };
    case 'BOOL':
      if (typeof value !== 'boolean') {
        throw new RequestShapeError(`Expected a boolean at '${at}' but got '${jsonTypeName(value)}'.`);
      }
      return { BOOL: value };
    case 'NULL':
      // util.dynamodb.toNull() yields { NULL: null }; DynamoDB's own form is { NULL: true }.
      if (value !== null && typeof value !== 'boolean') {
        throw new RequestShapeError(`Expected true or null at '${at}' but got '${jsonTypeName(value)}'.`);
      }
      return { NULL: value ?? true };
    case 'L':
      return { L: listAt(value, at).map((item, i) => toAttributeValue(item, `${at}[${i}]`)) };
    case 'M':
      return { M: toAttributeMap(value, at) };
    case 'SS':
      return { SS: listAt(value, at).map((item, i) => stringAt(item, `${at}[${i}]`)) };
    case 'NS':
      return { NS: listAt(value, at).map((item, i) => numberText(item, `${at}[${i}]`)) };
    case 'BS':
      return { BS: listAt(value, at).map((item, i) => binary(item, `${at}[${i}]`)) };
    default:
      throw new RequestShapeError(`Unsupported attribute value type '${type}' at '${path}'.`);
  }
}

/** A map of attribute name to typed value (a key, attributeValues, expressionValues). */
export function toAttributeMap(typed: unknown, path: string): AttributeMap {
  if (!isPlainObject(typed)) {
    throw new RequestShapeError(`Expected JSON object at '${path}' but got '${jsonTypeName(typed)}' instead.`);
  }
  const map: AttributeMap = {};
  for (const [name, value] of Object.entries(typed)) {
    if (value === undefined) continue;
    map[name] = toAttributeValue(value, `${path}[${name}]`);
  }
  return map;
}

const toBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** Stored value to plain JSON: sets become lists, numbers JSON numbers, binary base64 strings, NULL null. */
export function fromAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return fromAttributeMap(value.M);
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.B !== undefined) return toBase64(value.B);
  if (value.BS !== undefined) return value.BS.map(toBase64);
  return null;
}

export function fromAttributeMap(map: AttributeMap): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(map)) plain[name] = fromAttributeValue(value);
  return plain;
}

/** Stored value back to AppSync's typed JSON (numbers as strings, binary as base64), e.g. to carry it in a token. */
export function toTypedJson(value: AttributeValue): unknown {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: true };
  if (value.M !== undefined) return { M: typedJsonMap(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toTypedJson) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.B !== undefined) return { B: toBase64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(toBase64) };
  return { NULL: true };
}

export function typedJsonMap(map: AttributeMap): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(map)) typed[name] = toTypedJson(value);
  return typed;
}

// DynamoDB compares numbers by value: "1.50", "1.5" and "15e-1" are one number.
const NUMBER_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function canonicalNumber(text: string): string {
  const match = NUMBER_SYNTAX.exec(text.trim());
  if (!match) return `invalid:${text}`;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  let scale = Number(exponent) - fraction.length;
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  scale += trailing;
  return `${sign === '-' ? '-' : ''}${digits}e${scale}`;
}

/** A string that is equal for two values exactly when DynamoDB considers them equal. */
export function canonicalValue(value: AttributeValue): string {
  if (value.S !== undefined) return `S:${JSON.stringify(value.S)}`;
  if (value.N !== undefined) return `N:${canonicalNumber(value.N)}`;
  if (value.BOOL !== undefined) return `BOOL:${value.BOOL}`;
  if (value.NULL !== undefined) return 'NULL';
  if (value.B !== undefined) return `B:${toBase64(value.B)}`;
  if (value.L !== undefined) return `L:[${value.L.map(canonicalValue).join(',')}]`;
  if (value.M !== undefined) return `M:${canonicalMap(value.M)}`;
  // Sets are unordered and hold no duplicates.
  if (value.SS !== undefined) return `SS:[${[...new Set(value.SS.map((s) => JSON.stringify(s)))].sort().join(',')}]`;
  if (value.NS !== undefined) return `NS:[${[...new Set(value.NS.map(canonicalNumber))].sort().join(',')}]`;
  if (value.BS !== undefined) return `BS:[${[...new Set(value.BS.map(toBase64))].sort().join(',')}]`;
  return 'NULL';
}

export function canonicalMap(map: AttributeMap, ignore: ReadonlySet<string> = new Set()): string {
  const names = Object.keys(map)
    .filter((name) => !ignore.has(name))
    .sort();
  return `{${names.map((name) => `${JSON.stringify(name)}=${canonicalValue(map[name])}`).join(',')}}`;
}
