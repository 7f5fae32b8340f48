// util.isNull ... util.typeOf: the type helpers AppSync documents for `$util` (VTL), with the same meaning here.
// JavaScript `undefined` counts as null, as a missing field does in AppSync.
import { isPlainObject } from './internal/args';

// Java's Character.isWhitespace: Unicode spaces except the no-break ones, plus the ASCII separators.
const JAVA_WHITESPACE = /^[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]*$/;

function isNull(value: unknown): boolean {
  return value === null || value === undefined;
}

function isNullOrEmpty(value: unknown): boolean {
  return isNull(value) || value === '';
}

function isNullOrBlank(value: unknown): boolean {
  return isNull(value) || (typeof value === 'string' && JAVA_WHITESPACE.test(value));
}

function defaultIfNull<T, D>(value: T, defaultValue: D): T | D {
  return isNull(value) ? defaultValue : value;
}

function defaultIfNullOrEmpty<T, D>(value: T, defaultValue: D): T | D {
  return isNullOrEmpty(value) ? defaultValue : value;
}

function defaultIfNullOrBlank<T, D>(value: T, defaultValue: D): T | D {
  return isNullOrBlank(value) ? defaultValue : value;
}

function isString(value: unknown): boolean {
  return typeof value === 'string';
}

function isNumber(value: unknown): boolean {
  return typeof value === 'number';
}

function isBoolean(value: unknown): boolean {
  return typeof value === 'boolean';
}

function isList(value: unknown): boolean {
  return Array.isArray(value);
}

function isMap(value: unknown): boolean {
  return isPlainObject(value);
}

/** 'Null', 'Number', 'String', 'Map', 'List' or 'Boolean'; 'Object' for anything else (a function, say). */
function typeOf(value: unknown): string {
  if (isNull(value)) return 'Null';
  if (isNumber(value)) return 'Number';
  if (isString(value)) return 'String';
  if (isBoolean(value)) return 'Boolean';
  if (isList(value)) return 'List';
  if (isMap(value)) return 'Map';
  return 'Object';
}

export const typeUtils = {
  isNull,
  isNullOrEmpty,
  isNullOrBlank,
  defaultIfNull,
  defaultIfNullOrEmpty,
  defaultIfNullOrBlank,
  isString,
  isNumber,
  isBoolean,
  isList,
  isMap,
  typeOf,
};
