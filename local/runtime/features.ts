// What the APPSYNC_JS 1.0.0 runtime offers resolver code: the one list that both the deploy-time validator
// (validate.ts) and the sandbox realm (realm.ts) read, so the two never disagree.
//
// Where each list comes from:
// - AWS AppSync Developer Guide, "Supported runtime features" (APPSYNC_JS): the sections "Primitive objects"
//   (Object, String, Number), "Built-in objects and functions" (Math, Array, Console, Function, JSON, Promises),
//   "Globals" (NaN, Infinity, undefined, util, extensions, runtime) and "Error types" (no `throw`).
//   The "Function" section lists `apply`, `bind` and `call` as not supported.
// - @aws-appsync/eslint-plugin 2.0.2, rule `no-disallowed-methods` (its DENIED_METHODS list, part of the
//   `recommended` config AppSync's deploy-time check runs); its Date entries are also the evidence that `Date`
//   exists in the runtime, which the guide does not list.
// - AWS AppSync Developer Guide, "Built-in modules" (`@aws-appsync/utils/dynamodb`, `@aws-appsync/utils/rds`)
//   and "AWS AppSync JavaScript resolver and function reference for Amazon Bedrock runtime"
//   (`@aws-appsync/utils/ai`), plus the @aws-appsync/utils 2.1.1 package, which ships exactly these entry points.
//
// Where the guide and the plugin disagree, the guide wins: the plugin denies `String.raw`, the guide lists it as
// supported, so it is not in UNSUPPORTED_MEMBERS.

/** Globals the guide names explicitly ("Globals" section and the object sections). */
const DOCUMENTED_GLOBALS = [
  'NaN',
  'Infinity',
  'undefined',
  'util',
  'extensions',
  'runtime',
  'Object',
  'String',
  'Number',
  'Math',
  'Array',
  'JSON',
  'console',
] as const;

/**
 * Globals the guide does not list but AppSync evidently provides: `Date` (the eslint plugin denies some of its
 * methods, so the object exists), and the ECMAScript 5.1 conversion and URI functions, which AppSync's deploy-time
 * type check accepts (TypeScript's lib declares them) and which resolver code in the wild relies on.
 */
const UNDOCUMENTED_GLOBALS = [
  'Date',
  'Boolean',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'encodeURIComponent',
  'decodeURIComponent',
  'encodeURI',
  'decodeURI',
] as const;

/**
 * Global names resolver code may use. Anything else the JavaScript engine has (Promise, Map, Set, Symbol, Proxy,
 * Reflect, RegExp, eval, Function, Error, globalThis, ...) is absent from APPSYNC_JS as far as the guide says.
 */
export const SUPPORTED_GLOBALS: readonly string[] = Object.freeze([...DOCUMENTED_GLOBALS, ...UNDOCUMENTED_GLOBALS]);

/**
 * Members AWS lists as unsupported, by owner. Keys name where the member lives: `Object` is the constructor
 * (static members), `Array.prototype` the instances.
 *
 * `toString`, `toLocaleString` and `valueOf` are listed by AWS, but the language itself calls them when it converts
 * a value to a primitive (template literals, `+`): a realm must not delete them; only explicit calls are rejected.
 */
export const UNSUPPORTED_MEMBERS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  // no-disallowed-methods writes these as `ObjectConstructor.<name>`, i.e. `Object.<name>(...)`.
  Object: Object.freeze([
    'create',
    'defineProperties',
    'defineProperty',
    'freeze',
    'getOwnPropertyDescriptor',
    'getOwnPropertyDescriptors',
    'getOwnPropertyNames',
    'getOwnPropertySymbols',
    'getPrototypeOf',
    'hasOwnProperty',
    'is',
    'isExtensible',
    'isFrozen',
    'isPrototypeOf',
    'isSealed',
    'preventExtensions',
    'propertyIsEnumerable',
    'seal',
    'setPrototypeOf',
    'toLocaleString',
    'toString',
    'valueOf',
  ]),
  // no-disallowed-methods: `Array.from`, `Array.of` (static).
  Array: Object.freeze(['from', 'of']),
  // no-disallowed-methods: the other `Array.<name>` entries are instance methods.
  'Array.prototype': Object.freeze([
    'copyWithin',
    'entries',
    'group',
    'groupToMap',
    'keys',
    'toLocaleString',
    'toString',
    'values',
  ]),
  // no-disallowed-methods: `String.fromCharCode`, `String.fromCodePoint` (static). `String.raw` is also denied
  // there, but the guide lists `String.raw()` as supported, so it stays.
  String: Object.freeze(['fromCharCode', 'fromCodePoint']),
  'String.prototype': Object.freeze([
    'charCodeAt',
    'localeCompare',
    'matchAll',
    'padEnd',
    'padStart',
    'repeat',
    'search',
    'toLocaleLowerCase',
    'toLocaleUpperCase',
    'valueOf',
  ]),
  // no-disallowed-methods: every `Date.<name>` entry is an instance method.
  'Date.prototype': Object.freeze([
    'setDate',
    'setFullYear',
    'setHours',
    'setMilliseconds',
    'setMinutes',
    'setMonth',
    'setSeconds',
    'setTime',
    'setUTCDate',
    'setUTCFullYear',
    'setUTCHours',
    'setUTCMilliseconds',
    'setUTCMinutes',
    'setUTCMonth',
    'setUTCSeconds',
    'setYear',
    'toGMTString',
    'toLocaleDateString',
    'toLocaleString',
    'toLocaleTimeString',
  ]),
  // Guide, "Function": "The apply, bind, and call methods are not supported."
  'Function.prototype': Object.freeze(['apply', 'bind', 'call']),
});

/**
 * Members the guide lists as supported, for each object it documents ("Primitive objects" and "Built-in objects and
 * functions"; https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html). A member of one of these
 * objects that the list leaves out (`Number.isInteger`, `Array.prototype.includes`, `Math.abs`, ...) may well run,
 * but AWS does not promise it: the validator warns about it, and rejects it under `strict`. `length` is listed for
 * strings and arrays; the guide lists no static member of Array and no instance member of numbers. `Date`, `parseInt`
 * and the other UNDOCUMENTED_GLOBALS are not documented objects, so their members are not checked.
 */
export const DOCUMENTED_MEMBERS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  Object: Object.freeze(['assign', 'entries', 'hasOwn', 'keys', 'values']),
  String: Object.freeze(['raw']),
  'String.prototype': Object.freeze([
    'length',
    'charAt',
    'concat',
    'endsWith',
    'indexOf',
    'lastIndexOf',
    'replace',
    'replaceAll',
    'slice',
    'split',
    'startsWith',
    'toLowerCase',
    'toUpperCase',
    'trim',
    'trimEnd',
    'trimStart',
  ]),
  Number: Object.freeze(['isFinite', 'isNaN']),
  'Number.prototype': Object.freeze([]),
  Math: Object.freeze(['random', 'min', 'max', 'round', 'floor', 'ceil']),
  Array: Object.freeze([]),
  'Array.prototype': Object.freeze([
    'length',
    'concat',
    'fill',
    'flat',
    'indexOf',
    'join',
    'lastIndexOf',
    'pop',
    'push',
    'reverse',
    'shift',
    'slice',
    'sort',
    'splice',
    'unshift',
    'forEach',
    'map',
    'flatMap',
    'filter',
    'reduce',
    'reduceRight',
    'find',
    'some',
    'every',
    'findIndex',
    'findLast',
    'findLastIndex',
  ]),
  console: Object.freeze(['error', 'log']),
  JSON: Object.freeze(['parse', 'stringify']),
});

/**
 * Modules resolver code may import: every entry point AppSync provides. The local runtime implements all but
 * `@aws-appsync/utils/ai` (see IMPLEMENTED_MODULES); the loader reports it.
 */
export const ALLOWED_MODULES: readonly string[] = Object.freeze([
  '@aws-appsync/utils',
  '@aws-appsync/utils/dynamodb',
  '@aws-appsync/utils/rds',
  '@aws-appsync/utils/ai',
]);

/** The subset of ALLOWED_MODULES the local runtime implements. */
export const IMPLEMENTED_MODULES: readonly string[] = Object.freeze([
  '@aws-appsync/utils',
  '@aws-appsync/utils/dynamodb',
  '@aws-appsync/utils/rds',
]);
