// util.isNull ... util.typeOf: the type helpers AppSync documents for `$util` (VTL), with the same meaning here.
// JavaScript `undefined` counts as null, as a missing field does in AppSync.
import { isPlainObject } from './internal/args';

// Java's Character.isWhitespace: Unicode space separators except the no-break ones, plus the ASCII separators.
function isJavaWhitespace(code: number): boolean {
  if ((code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x20)) return true;
  if (code === 0x1680 || code === 0x2028 || code === 0x2029 || code === 0x205f || code === 0x3000) return true;
  return code >= 0x2000 && code <= 0x200a && code !== 0x2007;
}

function isNull(value: unknown): boolean {
  return value === null || value === undefined;
}

function isNullOrEmpty(value: unknown): boolean {
  return isNull(value) || value === '';
}

function isNullOrBlank(value: unknown): boolean {
  return (
    isNull(value) || (typeof value === 'string' && [...value].every((char) => isJavaWhitespace(char.charCodeAt(0))))
  );
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
