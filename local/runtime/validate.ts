// Deploy-time validation of APPSYNC_JS code: what AppSync checks when a resolver or function is created or updated
// (and what EvaluateCode reports as `codeErrors`), done offline.
//
// What AppSync runs, as far as public sources show: the rules of @aws-appsync/eslint-plugin's `recommended` config
// (users quote EvaluateCode messages such as "code.js(5,44): error @aws-appsync/no-regex: Regex literals are not
// supported.") and a TypeScript check of the code against @aws-appsync/utils ("code.js(16,36): error TS2551:
// Property ... does not exist on type 'TimeUtils'", reported with errorType PARSE_ERROR). This module reproduces:
// - syntax errors (acorn, errorType PARSER_ERROR as in the API reference's CodeError example);
// - all 22 rules of the plugin, with the plugin's own messages (errorType LINT_ERROR). The plugin's type-aware rules
//   (no-disallowed-methods, no-function-passing) only fire when TypeScript knows a receiver's type; here a small
//   inference stands in for the checker and knows literals, `new Date()`, results of built-ins and variables
//   initialised from those. A receiver of unknown type (e.g. anything read from `ctx`) is left alone, as the plugin
//   leaves `any` alone;
// - what the "Supported runtime features" guide calls unsupported and the plugin does not check: `throw`, the
//   Function constructor, `apply`/`bind`/`call`, any use of Promise, dynamic `import()`;
// - forms of rejected constructs that the plugin's node selectors miss: class expressions, generator expressions
//   and methods, `for await`, and `using` declarations (newer syntax the runtime cannot have);
// - the type check's two checks that matter for plain JavaScript: names declared nowhere ("Cannot find name") and
//   modules AppSync does not provide ("Cannot find module"), errorType PARSE_ERROR;
// - the API's length constraint on `code` (1 to 32,768 characters).
// Beyond what AppSync checks, it finds members of the objects the guide documents that the guide's lists leave out
// (`Number.isInteger`, `Array.prototype.includes`): warnings by default, LINT_ERRORs with `strict` (see
// DOCUMENTED_MEMBERS in features.ts).
//
// Locations are AppSync's: 1-based line and column (as in "code.js(5,44)"), span = length of the offending node's
// source text; 0/0/-1 (the API's "unknown" defaults) for errors about the code as a whole.
import type { Reference, Scope, ScopeManager, Variable } from 'eslint-scope';
import { acorn, eslintScope } from './parsers';
import type * as ESTree from 'estree';
import { ALLOWED_MODULES, DOCUMENTED_MEMBERS, SUPPORTED_GLOBALS, UNSUPPORTED_MEMBERS } from './features';

export interface CodeError {
  errorType: string;
  value: string;
  location: { line: number; column: number; span: number };
}

/** AppSync's limit on the `code` of a resolver or function (API reference: length 1 to 32768). */
export const MAX_CODE_LENGTH = 32768;

export const CODE_ERROR_TYPES = Object.freeze({
  /** Syntax errors; the API reference's CodeError example pairs PARSER_ERROR with "Parsing error: ...". */
  parser: 'PARSER_ERROR',
  /** Unsupported features (eslint-plugin rules and the guide's lists); LINT_ERROR per the API reference. */
  lint: 'LINT_ERROR',
  /** Type-check diagnostics; EvaluateCode reports TypeScript errors as PARSE_ERROR. */
  typeCheck: 'PARSE_ERROR',
  /** The request's constraint on the code's length. */
  validation: 'VALIDATION_ERROR',
  /** The validator itself failed; never expected. */
  internal: 'INTERNAL_ERROR',
  /** Not an AppSync error type: a member the guide does not list, reported as a warning outside `strict`. */
  undocumentedWarning: 'LINT_WARNING',
});

export interface ValidateOptions {
  /**
   * Also reject members of documented objects that the guide's lists leave out (LINT_ERROR), instead of only
   * warning about them. For code that should rely on nothing AWS does not promise.
   */
  strict?: boolean;
}

export interface CodeCheck {
  /** What stops the code from loading: AppSync's errors, plus undocumented members under `strict`. */
  errors: CodeError[];
  /** Undocumented members, outside `strict`. */
  warnings: CodeError[];
}

type FunctionNode = ESTree.FunctionDeclaration | ESTree.FunctionExpression | ESTree.ArrowFunctionExpression;
type Kind = 'string' | 'number' | 'boolean' | 'array' | 'date' | 'function' | 'regexp';

interface Finding {
  errorType: string;
  value: string;
  start: number;
  end: number;
  line: number;
  column: number;
}

const UNKNOWN_LOCATION = Object.freeze({ line: 0, column: 0, span: -1 });

// Methods the plugin's no-function-passing rule lets take a function (ALLOWED_METHODS; `Array.sort` is
// commented out there, and the guide says sort takes no arguments).
const CALLBACK_METHODS = new Set([
  'Array.map',
  'Array.find',
  'Array.filter',
  'Array.findIndex',
  'Array.findLast',
  'Array.findLastIndex',
  'Array.forEach',
  'Array.reduce',
  'Array.reduceRight',
  'Array.every',
  'Array.some',
  'Array.flatMap',
]);

// The plugin names denied methods after the TypeScript interface that declares them. Of its
// `ObjectConstructor.<name>` entries, these are declared on `Object` (the prototype), never on ObjectConstructor,
// so the plugin can never match them; they are not reported.
const OBJECT_PROTOTYPE_NAMES = new Set([
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);
const DENIED_OBJECT_STATICS = new Set(UNSUPPORTED_MEMBERS.Object.filter((name) => !OBJECT_PROTOTYPE_NAMES.has(name)));
const DENIED_INSTANCE_METHODS: Partial<Record<Kind, { owner: string; names: ReadonlySet<string> }>> = {
  string: { owner: 'String', names: new Set(UNSUPPORTED_MEMBERS['String.prototype']) },
  array: { owner: 'Array', names: new Set(UNSUPPORTED_MEMBERS['Array.prototype']) },
  date: { owner: 'Date', names: new Set(UNSUPPORTED_MEMBERS['Date.prototype']) },
};
const FUNCTION_METHODS = new Set(UNSUPPORTED_MEMBERS['Function.prototype']);

const DOCUMENTED = new Map(Object.entries(DOCUMENTED_MEMBERS).map(([owner, names]) => [owner, new Set(names)]));
// Where the members of a value of each kind are documented; other kinds (Date, booleans, ...) are not documented
// objects.
const DOCUMENTED_INSTANCE_OWNER: Partial<Record<Kind, string>> = {
  string: 'String.prototype',
  array: 'Array.prototype',
  number: 'Number.prototype',
};
// Already reported as LINT_ERRORs by the plugin's rules, so not reported twice.
const DENIED_MEMBERS = new Map(Object.entries(UNSUPPORTED_MEMBERS).map(([owner, names]) => [owner, new Set(names)]));
// Method names of the values resolver code gets from ctx (strings, numbers, arrays, plain objects) that no list of
// the guide names: calling one on a value of unknown type can only reach an undocumented built-in.
const UNDOCUMENTED_METHOD_NAMES = new Set(
  [String.prototype, Number.prototype, Array.prototype, Object.prototype]
    .flatMap((prototype) => Object.getOwnPropertyNames(prototype))
    .filter(
      (name) =>
        name !== 'constructor' &&
        !name.startsWith('__') &&
        !DOCUMENTED.get('String.prototype')!.has(name) &&
        !DOCUMENTED.get('Array.prototype')!.has(name),
    ),
);
// Roots whose members are AppSync's own utilities, not built-ins.
const UTILITY_GLOBALS = new Set(['util', 'extensions', 'runtime']);

// TypeScript interface of a value of each kind, for the plugin's `<Interface>.<method>` names.
const KIND_INTERFACE: Record<Kind, string> = {
  string: 'String',
  number: 'Number',
  boolean: 'Boolean',
  array: 'Array',
  date: 'Date',
  function: 'Function',
  regexp: 'RegExp',
};

// TypeScript interface of the global objects whose static methods resolver code calls.
const STATIC_INTERFACE: Record<string, string> = {
  Object: 'ObjectConstructor',
  Array: 'ArrayConstructor',
  String: 'StringConstructor',
  Number: 'NumberConstructor',
  Boolean: 'BooleanConstructor',
  Date: 'DateConstructor',
  Math: 'Math',
  JSON: 'JSON',
  console: 'Console',
  Promise: 'PromiseConstructor',
};

// Values TypeScript's standard library declares (ES2023 and the esnext additions). Using one that APPSYNC_JS lacks
// passes AppSync's deploy-time check and fails when the code runs, so these are not "Cannot find name" errors.
const ECMASCRIPT_GLOBALS = new Set([
  'globalThis',
  'Infinity',
  'NaN',
  'undefined',
  'eval',
  'isFinite',
  'isNaN',
  'parseFloat',
  'parseInt',
  'decodeURI',
  'decodeURIComponent',
  'encodeURI',
  'encodeURIComponent',
  'escape',
  'unescape',
  'AggregateError',
  'Array',
  'ArrayBuffer',
  'Atomics',
  'BigInt',
  'BigInt64Array',
  'BigUint64Array',
  'Boolean',
  'DataView',
  'Date',
  'Error',
  'EvalError',
  'FinalizationRegistry',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'Function',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Intl',
  'Iterator',
  'JSON',
  'Map',
  'Math',
  'Number',
  'Object',
  'Promise',
  'Proxy',
  'RangeError',
  'ReferenceError',
  'Reflect',
  'RegExp',
  'Set',
  'SharedArrayBuffer',
  'String',
  'Symbol',
  'SyntaxError',
  'TypeError',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'URIError',
  'WeakMap',
  'WeakRef',
  'WeakSet',
  'SuppressedError',
  'DisposableStack',
  'AsyncDisposableStack',
]);
const DECLARED_GLOBALS = new Set([...ECMASCRIPT_GLOBALS, ...SUPPORTED_GLOBALS]);
const ALLOWED_MODULE_SET = new Set(ALLOWED_MODULES);

// Return kinds of built-in methods, by receiver kind (what TypeScript's lib declares them to return).
const METHOD_RESULTS: Partial<Record<Kind, Record<string, Kind>>> = {
  string: {
    ...fill('string', [
      'at',
      'charAt',
      'concat',
      'normalize',
      'padEnd',
      'padStart',
      'repeat',
      'replace',
      'replaceAll',
      'slice',
      'substring',
      'substr',
      'toLowerCase',
      'toUpperCase',
      'toLocaleLowerCase',
      'toLocaleUpperCase',
      'toString',
      'trim',
      'trimStart',
      'trimEnd',
      'trimLeft',
      'trimRight',
      'valueOf',
    ]),
    ...fill('number', ['charCodeAt', 'codePointAt', 'indexOf', 'lastIndexOf', 'localeCompare', 'search']),
    ...fill('boolean', ['includes', 'startsWith', 'endsWith']),
    ...fill('array', ['split']),
  },
  array: {
    ...fill('array', [
      'concat',
      'copyWithin',
      'fill',
      'filter',
      'flat',
      'flatMap',
      'map',
      'reverse',
      'slice',
      'sort',
      'splice',
      'toReversed',
      'toSorted',
      'toSpliced',
      'with',
    ]),
    ...fill('string', ['join', 'toString', 'toLocaleString']),
    ...fill('number', ['indexOf', 'lastIndexOf', 'findIndex', 'findLastIndex', 'push', 'unshift']),
    ...fill('boolean', ['includes', 'some', 'every']),
  },
  date: {
    ...fill('string', [
      'toISOString',
      'toJSON',
      'toString',
      'toDateString',
      'toTimeString',
      'toUTCString',
      'toGMTString',
      'toLocaleString',
      'toLocaleDateString',
      'toLocaleTimeString',
    ]),
    ...fill('number', [
      'getTime',
      'valueOf',
      'getDate',
      'getDay',
      'getFullYear',
      'getHours',
      'getMilliseconds',
      'getMinutes',
      'getMonth',
      'getSeconds',
      'getTimezoneOffset',
      'getUTCDate',
      'getUTCDay',
      'getUTCFullYear',
      'getUTCHours',
      'getUTCMilliseconds',
      'getUTCMinutes',
      'getUTCMonth',
      'getUTCSeconds',
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
    ]),
  },
  number: {
    ...fill('string', ['toFixed', 'toString', 'toPrecision', 'toExponential', 'toLocaleString']),
    ...fill('number', ['valueOf']),
  },
  boolean: { ...fill('string', ['toString']), ...fill('boolean', ['valueOf']) },
};

// Return kinds of static methods of the global objects.
const STATIC_RESULTS: Record<string, Record<string, Kind>> = {
  Object: {
    ...fill('array', ['keys', 'values', 'entries', 'getOwnPropertyNames']),
    ...fill('boolean', ['is', 'hasOwn', 'isFrozen', 'isSealed', 'isExtensible']),
  },
  JSON: { stringify: 'string' },
  Array: { from: 'array', of: 'array', isArray: 'boolean' },
  Number: {
    ...fill('number', ['parseInt', 'parseFloat']),
    ...fill('boolean', ['isInteger', 'isFinite', 'isNaN', 'isSafeInteger']),
  },
  String: fill('string', ['fromCharCode', 'fromCodePoint', 'raw']),
  Date: fill('number', ['now', 'parse', 'UTC']),
};

// Kinds of calling a global function directly.
const GLOBAL_CALL_RESULTS: Record<string, Kind> = {
  String: 'string',
  Date: 'string',
  Number: 'number',
  parseInt: 'number',
  parseFloat: 'number',
  Boolean: 'boolean',
  isNaN: 'boolean',
  isFinite: 'boolean',
  Array: 'array',
  encodeURIComponent: 'string',
  decodeURIComponent: 'string',
  encodeURI: 'string',
  decodeURI: 'string',
};

const CONSTRUCTED_KINDS: Record<string, Kind> = {
  Date: 'date',
  Array: 'array',
  String: 'string',
  Number: 'number',
  Boolean: 'boolean',
};

// Deep enough for any real receiver expression, shallow enough to never exhaust the stack.
const MAX_INFERENCE_DEPTH = 64;

function fill(kind: Kind, names: string[]): Record<string, Kind> {
  return Object.fromEntries(names.map((name) => [name, kind]));
}

/**
 * Checks code as AppSync does before accepting it. Returns every problem found, sorted by position; [] means the
 * code is valid. Never throws.
 */
export function validateCode(code: string, options: ValidateOptions = {}): CodeError[] {
  return checkCode(code, options).errors;
}

/** validateCode's errors, and the warnings that do not stop the code (undocumented members outside `strict`). */
export function checkCode(code: string, options: ValidateOptions = {}): CodeCheck {
  const errors = findProblems(code);
  const undocumented = errors.undocumented.map(toCodeError);
  if (!options.strict) return { errors: errors.errors, warnings: undocumented };
  const strictErrors = undocumented.map((e) => ({ ...e, errorType: CODE_ERROR_TYPES.lint }));
  const all = [...errors.errors, ...strictErrors].sort(
    (a, b) => a.location.line - b.location.line || a.location.column - b.location.column,
  );
  return { errors: all, warnings: [] };
}

function findProblems(code: string): { errors: CodeError[]; undocumented: Finding[] } {
  const only = (errors: CodeError[]) => ({ errors, undocumented: [] });
  if (typeof code !== 'string') {
    return only([
      wholeCodeError(
        CODE_ERROR_TYPES.validation,
        "Value at 'code' failed to satisfy constraint: Member must be a string",
      ),
    ]);
  }
  if (code.length === 0) {
    return only([
      wholeCodeError(
        CODE_ERROR_TYPES.validation,
        "Value at 'code' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
    ]);
  }
  if (code.length > MAX_CODE_LENGTH) {
    return only([
      wholeCodeError(
        CODE_ERROR_TYPES.validation,
        `Value at 'code' failed to satisfy constraint: Member must have length less than or equal to ${MAX_CODE_LENGTH}`,
      ),
    ]);
  }
  let program: ESTree.Program;
  try {
    program = acorn().parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      locations: true,
      ranges: true,
      allowHashBang: true,
    }) as unknown as ESTree.Program;
  } catch (thrown) {
    return only([parseError(thrown)]);
  }
  try {
    const checker = new Checker(code, program);
    const findings = checker.run();
    return { errors: sortFindings(findings).map(toCodeError), undocumented: sortFindings(checker.undocumented) };
  } catch (thrown) {
    // Analysis recurses over the syntax tree; only absurdly nested code can exhaust the stack.
    if (thrown instanceof RangeError) {
      return only([wholeCodeError(CODE_ERROR_TYPES.parser, 'Parsing error: The code is nested too deeply.')]);
    }
    return only([
      wholeCodeError(
        CODE_ERROR_TYPES.internal,
        `The code could not be validated: ${String((thrown as Error)?.message ?? thrown)}`,
      ),
    ]);
  }
}

function wholeCodeError(errorType: string, value: string): CodeError {
  return { errorType, value, location: { ...UNKNOWN_LOCATION } };
}

function parseError(thrown: unknown): CodeError {
  const error = thrown as {
    message?: unknown;
    loc?: { line: number; column: number };
    pos?: number;
    raisedAt?: number;
  };
  if (thrown instanceof SyntaxError && error.loc) {
    // acorn appends " (line:column)" to its messages; the location is reported separately.
    const message = String(error.message).replace(/ \(\d+:\d+\)$/, '');
    const span =
      typeof error.pos === 'number' && typeof error.raisedAt === 'number' ? Math.max(0, error.raisedAt - error.pos) : 0;
    return {
      errorType: CODE_ERROR_TYPES.parser,
      value: `Parsing error: ${message}`,
      location: { line: error.loc.line, column: error.loc.column + 1, span },
    };
  }
  if (thrown instanceof RangeError) {
    return wholeCodeError(CODE_ERROR_TYPES.parser, 'Parsing error: The code is nested too deeply.');
  }
  return wholeCodeError(CODE_ERROR_TYPES.parser, `Parsing error: ${String(error?.message ?? thrown)}`);
}

function sortFindings(findings: Finding[]): Finding[] {
  const unique = new Map<string, Finding>();
  for (const finding of findings) {
    unique.set(`${finding.start}:${finding.end}:${finding.errorType}:${finding.value}`, finding);
  }
  return [...unique.values()].sort(
    (a, b) =>
      a.start - b.start || a.end - b.end || compareText(a.errorType, b.errorType) || compareText(a.value, b.value),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toCodeError(finding: Finding): CodeError {
  return {
    errorType: finding.errorType,
    value: finding.value,
    location: { line: finding.line, column: finding.column, span: finding.end - finding.start },
  };
}

function isFunctionNode(node: ESTree.Node | null | undefined): node is FunctionNode {
  return (
    node?.type === 'FunctionDeclaration' ||
    node?.type === 'FunctionExpression' ||
    node?.type === 'ArrowFunctionExpression'
  );
}

function isNode(value: unknown): value is ESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The child nodes of a node, in source order. */
function childrenOf(node: ESTree.Node): ESTree.Node[] {
  const children: ESTree.Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'range') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

function rangeOf(node: ESTree.Node): [number, number] {
  return node.range ?? [0, 0];
}

class Checker {
  private readonly findings: Finding[] = [];
  /** Members of documented objects that the guide's lists leave out (kept apart: warnings unless strict). */
  readonly undocumented: Finding[] = [];
  private readonly parents = new WeakMap<ESTree.Node, ESTree.Node>();
  private readonly nodes: ESTree.Node[] = [];
  private readonly scopeManager: ScopeManager;
  private readonly referenceOf = new Map<ESTree.Identifier, Reference>();
  private readonly outgoingCalls = new Map<FunctionNode, FunctionNode[]>();
  // null: not known (or being inferred).
  private readonly variableKinds = new Map<Variable, Kind | null>();

  constructor(
    private readonly source: string,
    private readonly program: ESTree.Program,
  ) {
    this.indexNodes();
    this.scopeManager = eslintScope().analyze(program, { ecmaVersion: 2022, sourceType: 'module' });
    for (const scope of this.scopeManager.scopes) {
      for (const reference of scope.references)
        this.referenceOf.set(reference.identifier as ESTree.Identifier, reference);
    }
  }

  run(): Finding[] {
    for (const node of this.nodes) this.checkNode(node);
    this.checkGlobalReferences();
    return this.findings;
  }

  /** Records every node in source order with its parent, without recursion (deep code must not overflow). */
  private indexNodes(): void {
    const stack: ESTree.Node[] = [this.program];
    while (stack.length > 0) {
      const node = stack.pop()!;
      this.nodes.push(node);
      const children = childrenOf(node);
      for (let i = children.length - 1; i >= 0; i -= 1) {
        this.parents.set(children[i], node);
        stack.push(children[i]);
      }
    }
  }

  private report(node: ESTree.Node, value: string, errorType: string = CODE_ERROR_TYPES.lint): void {
    const [start, end] = rangeOf(node);
    const position = node.loc?.start ?? { line: 0, column: -1 };
    this.findings.push({ errorType, value, start, end, line: position.line, column: position.column + 1 });
  }

  private checkNode(node: ESTree.Node): void {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.checkFunction(node);
        break;
      case 'AwaitExpression':
        // no-await
        this.report(node, 'The `await` keyword is not supported');
        break;
      case 'ForOfStatement':
        // Guide, "Promises": async processes are not supported; `for await` awaits like `await` does.
        if (node.await) this.report(node, 'The `await` keyword is not supported');
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        // no-classes (the plugin checks declarations; an expression is the same construct)
        this.report(node, 'Class declarations are not supported.');
        break;
      case 'ForStatement':
        // no-for
        this.report(node, 'For statements are not supported.');
        break;
      case 'ContinueStatement':
        // no-continue
        this.report(node, 'Continue statements are not supported');
        break;
      case 'YieldExpression':
        // no-yield
        this.report(node, 'Yield statements are not supported');
        break;
      case 'LabeledStatement':
        // no-labels
        this.report(node, 'Labeled statements are not supported.');
        break;
      case 'Literal':
        // no-regex
        if ('regex' in node) this.report(node, 'Regex literals are not supported.');
        break;
      case 'ThisExpression':
        // no-this
        this.report(node, 'This expressions are not supported.');
        break;
      case 'TryStatement':
        // no-try
        this.report(node, 'Try statements are not supported.');
        break;
      case 'WhileStatement':
        // no-while
        this.report(node, 'While statements are not supported.');
        break;
      case 'DoWhileStatement':
        // no-while
        this.report(node, 'do...while statements are not supported.');
        break;
      case 'ThrowStatement':
        // Guide, "Error types": throwing errors with `throw` is not supported.
        this.report(node, 'Throw statements are not supported. Use util.error() to raise an error.');
        break;
      case 'UnaryExpression':
        // no-disallowed-unary-operators
        if (node.operator === '~') this.report(node, 'The operator ~ is not supported');
        break;
      case 'UpdateExpression':
        // no-disallowed-unary-operators
        this.report(node, `The operator ${node.operator} is not supported`);
        break;
      case 'BinaryExpression':
        // no-disallowed-binary-operators, no-in-operator
        if (node.operator === 'instanceof') this.report(node, 'The operator instanceof is not supported');
        if (node.operator === 'in') this.report(node, 'in operator is not supported. Use Object.hasOwn().');
        break;
      case 'NewExpression':
        // no-promise: any `new Promise(...)`, as the plugin checks the callee's name only.
        if (node.callee.type === 'Identifier' && node.callee.name === 'Promise')
          this.report(node, 'Promise is not supported');
        this.checkFunctionConstructor(node);
        break;
      case 'ReturnStatement':
        this.checkReturn(node);
        break;
      case 'VariableDeclaration':
        // Explicit resource management disposes through Symbol.dispose, which APPSYNC_JS does not have.
        if ((node.kind as string) === 'using' || (node.kind as string) === 'await using') {
          this.report(node, `'${node.kind}' declarations are not supported.`);
        }
        break;
      case 'VariableDeclarator':
        // no-function-reassign
        if (node.init && this.isFunctionValuedIdentifier(node.init))
          this.report(node, 're-assigning function is not allowed');
        break;
      case 'AssignmentExpression':
        // no-function-reassign
        if (node.operator === '=' && this.isFunctionValuedIdentifier(node.right)) {
          this.report(node, 're-assigning function is not allowed');
        }
        break;
      case 'CallExpression':
        this.checkCall(node);
        break;
      case 'MemberExpression':
        this.checkDocumentedMember(node);
        break;
      case 'ImportExpression':
        this.report(node, 'Dynamic import() is not supported.');
        break;
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
        this.checkModuleSource(node.source);
        break;
      case 'ExportNamedDeclaration':
        if (node.source) this.checkModuleSource(node.source);
        break;
      default:
        break;
    }
  }

  private checkFunction(node: FunctionNode): void {
    // no-async
    if (node.async) this.report(node, 'Async functions are not supported.');
    // no-generators (the plugin checks declarations; expressions and methods are the same construct)
    if (node.generator) this.report(node, 'Generator functions are not supported.');
    // no-function-return: an arrow whose expression body is a function
    if (
      node.type === 'ArrowFunctionExpression' &&
      node.expression &&
      this.isFunctionValued(node.body as ESTree.Expression)
    ) {
      this.report(node, 'returning a function is not allowed');
    }
    if (node.type === 'FunctionDeclaration' && (node.id?.name === 'request' || node.id?.name === 'response')) {
      this.checkContextReassignment(node);
    }
  }

  private checkReturn(node: ESTree.ReturnStatement): void {
    // no-function-return
    if (node.argument && this.isFunctionValued(node.argument)) this.report(node, 'returning a function is not allowed');
  }

  private checkModuleSource(source: ESTree.Literal): void {
    if (typeof source.value === 'string' && ALLOWED_MODULE_SET.has(source.value)) return;
    // TypeScript's TS2307; deployed code is one bundle, so a relative import is as missing as any other.
    this.report(
      source,
      `Cannot find module '${String(source.value)}' or its corresponding type declarations.`,
      CODE_ERROR_TYPES.typeCheck,
    );
  }

  private checkCall(node: ESTree.CallExpression): void {
    const callee = node.callee;
    if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
      this.checkMethodCall(node, callee.object, callee.property.name);
    }
    this.checkFunctionConstructor(node);
    this.checkFunctionPassing(node);
    this.checkRecursion(node);
  }

  private checkFunctionConstructor(node: ESTree.CallExpression | ESTree.NewExpression): void {
    const callee = node.callee;
    if (callee.type === 'Identifier' && callee.name === 'Function' && this.isGlobal(callee)) {
      // Guide, "Function": function constructors are not supported.
      this.report(node, 'Function constructors are not supported.');
    }
  }

  private checkMethodCall(node: ESTree.CallExpression, receiver: ESTree.Node, method: string): void {
    if (receiver.type === 'Super') return;
    const receiverExpression = receiver as ESTree.Expression;
    // no-disallowed-methods
    if (
      receiverExpression.type === 'Identifier' &&
      receiverExpression.name === 'Object' &&
      this.isGlobal(receiverExpression)
    ) {
      if (DENIED_OBJECT_STATICS.has(method)) this.report(node, `Method ObjectConstructor.${method} is not implemented`);
      return;
    }
    const kind = this.kindOf(receiverExpression);
    if (!kind) return;
    const denied = DENIED_INSTANCE_METHODS[kind];
    if (denied?.names.has(method)) this.report(node, `Method ${denied.owner}.${method} is not implemented`);
    if (kind === 'function' && FUNCTION_METHODS.has(method)) {
      // Guide, "Function": the apply, bind, and call methods are not supported.
      this.report(node, `Function.prototype.${method} is not supported.`);
    }
  }

  private checkFunctionPassing(node: ESTree.CallExpression): void {
    // no-function-passing
    if (!node.arguments.some((argument) => argument.type !== 'SpreadElement' && this.isFunctionValued(argument)))
      return;
    const callee = node.callee;
    if (callee.type === 'Identifier') {
      if (this.functionDeclarationOf(callee)) this.report(node, 'Functions can not be passed as an argument');
      return;
    }
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return;
    const owner = this.interfaceOf(callee.object);
    if (owner && !CALLBACK_METHODS.has(`${owner}.${callee.property.name}`)) {
      this.report(node, 'Functions can not be passed as an argument');
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Members the guide's lists leave out

  /**
   * `Number.isInteger`, `[].includes(...)`: a member of an object the guide documents, missing from its list. For a
   * receiver of unknown type (anything read from ctx) only calls are checked, by name: such values are strings,
   * numbers, arrays or plain objects, so a method no list names can only be an undocumented built-in.
   */
  private checkDocumentedMember(node: ESTree.MemberExpression): void {
    if (node.object.type === 'Super') return;
    const name = this.memberName(node);
    if (name === undefined) return;
    const receiver = node.object as ESTree.Expression;
    if (receiver.type === 'Identifier' && this.isGlobal(receiver)) {
      const documented = DOCUMENTED.get(receiver.name);
      if (documented && !documented.has(name) && !DENIED_MEMBERS.get(receiver.name)?.has(name)) {
        this.reportUndocumented(node, `${receiver.name}.${name}`);
      }
      if (documented || UTILITY_GLOBALS.has(receiver.name) || SUPPORTED_GLOBALS.includes(receiver.name)) return;
    }
    const kind = this.kindOf(receiver);
    if (kind) {
      const owner = DOCUMENTED_INSTANCE_OWNER[kind];
      if (owner && !DOCUMENTED.get(owner)!.has(name) && !DENIED_MEMBERS.get(owner)?.has(name)) {
        this.reportUndocumented(node, `${owner}.${name}`);
      }
      return;
    }
    const parent = this.parents.get(node);
    const called = parent?.type === 'CallExpression' && parent.callee === node;
    if (called && UNDOCUMENTED_METHOD_NAMES.has(name) && this.holdsData(receiver)) {
      this.reportUndocumented(node, `${name}()`, 'a String, Array or Number method');
    }
  }

  private reportUndocumented(node: ESTree.Node, member: string, what = 'a supported feature'): void {
    const [start, end] = rangeOf(node);
    const position = node.loc?.start ?? { line: 0, column: -1 };
    this.undocumented.push({
      errorType: CODE_ERROR_TYPES.undocumentedWarning,
      value: `${member} is not listed as ${what} in AppSync's "Supported runtime features"; AWS does not promise it.`,
      start,
      end,
      line: position.line,
      column: position.column + 1,
    });
  }

  /** `a.b` and `a['b']`: the member's name, when it is written out. */
  private memberName(node: ESTree.MemberExpression): string | undefined {
    if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined;
    return node.property.type === 'Literal' && typeof node.property.value === 'string'
      ? node.property.value
      : undefined;
  }

  /**
   * Whether a receiver of unknown type is data (ctx, call results, variables) rather than an object with methods
   * of its own: AppSync's utilities, an imported module, or an object literal the code declares.
   */
  private holdsData(receiver: ESTree.Expression): boolean {
    let root: ESTree.Node = receiver;
    while (root.type === 'MemberExpression' || root.type === 'ChainExpression') {
      root = root.type === 'ChainExpression' ? root.expression : root.object;
    }
    if (root.type !== 'Identifier') return root.type !== 'ObjectExpression';
    if (this.isGlobal(root)) return !UTILITY_GLOBALS.has(root.name);
    const definition = this.variableOf(root)?.defs[0];
    if (!definition) return true;
    if (definition.type === 'ImportBinding') return false;
    if (definition.type === 'Variable') {
      const declarator = definition.node as ESTree.VariableDeclarator;
      return declarator.init?.type !== 'ObjectExpression';
    }
    return true;
  }

  /** The TypeScript interface that declares a receiver's methods, when the receiver's type is known. */
  private interfaceOf(receiver: ESTree.Node): string | undefined {
    if (receiver.type === 'Super') return undefined;
    const expression = receiver as ESTree.Expression;
    if (
      expression.type === 'Identifier' &&
      Object.hasOwn(STATIC_INTERFACE, expression.name) &&
      this.isGlobal(expression)
    ) {
      return STATIC_INTERFACE[expression.name];
    }
    const kind = this.kindOf(expression);
    return kind ? KIND_INTERFACE[kind] : undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // no-recursion

  private checkRecursion(call: ESTree.CallExpression): void {
    const target = this.calledFunction(call);
    if (!target) return;
    const cycle = this.findCycle(target, this.enclosingFunction(call));
    if (cycle) {
      this.report(
        call,
        `Recursive function calls not supported. Detected cycle in ${cycle.map((fn) => this.functionName(fn)).join(' <-')}`,
      );
    }
  }

  /**
   * The plugin's search: starting from the called function with the caller on the path, follow calls depth first;
   * the first function met twice on the current path closes the cycle reported. Functions fully explored without
   * a cycle are not explored again (the plugin re-explores them, to the same result).
   */
  private findCycle(target: FunctionNode, caller: FunctionNode | undefined): FunctionNode[] | undefined {
    const path: (FunctionNode | undefined)[] = [caller];
    const onPath = new Set(path);
    const done = new Set<FunctionNode>();
    const frames: { fn: FunctionNode; next: number }[] = [];
    const enter = (fn: FunctionNode): FunctionNode[] | undefined => {
      if (onPath.has(fn)) return [...(path.slice(path.indexOf(fn)) as FunctionNode[]), fn];
      if (done.has(fn)) return undefined;
      path.push(fn);
      onPath.add(fn);
      frames.push({ fn, next: 0 });
      return undefined;
    };
    let cycle = enter(target);
    while (!cycle && frames.length > 0) {
      const frame = frames[frames.length - 1];
      const callees = this.callsMadeBy(frame.fn);
      if (frame.next < callees.length) {
        cycle = enter(callees[frame.next]);
        frame.next += 1;
      } else {
        done.add(frame.fn);
        frames.pop();
        path.pop();
        onPath.delete(frame.fn);
      }
    }
    return cycle;
  }

  /** Functions called directly in a function's own body (calls in nested functions belong to those). */
  private callsMadeBy(fn: FunctionNode): FunctionNode[] {
    const cached = this.outgoingCalls.get(fn);
    if (cached) return cached;
    const callees = new Set<FunctionNode>();
    const stack = childrenOf(fn).reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'CallExpression') {
        // As in the plugin, the arguments and callee of a call are not searched for further calls.
        if (this.enclosingFunction(node) === fn) {
          const callee = this.calledFunction(node);
          if (callee) callees.add(callee);
        }
        continue;
      }
      const children = childrenOf(node);
      for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]);
    }
    const result = [...callees];
    this.outgoingCalls.set(fn, result);
    return result;
  }

  /** The function a call invokes when its callee names a function declared in the code. */
  private calledFunction(call: ESTree.CallExpression): FunctionNode | undefined {
    return call.callee.type === 'Identifier' ? this.functionDeclarationOf(call.callee) : undefined;
  }

  /**
   * The nearest enclosing function as TypeScript sees functions: declarations, expressions and arrows, but not
   * object or class methods and accessors, whose bodies count as part of the function around them.
   */
  private enclosingFunction(node: ESTree.Node): FunctionNode | undefined {
    for (let parent = this.parents.get(node); parent; parent = this.parents.get(parent)) {
      if (isFunctionNode(parent) && !this.isMethodValue(parent)) return parent;
    }
    return undefined;
  }

  private isMethodValue(fn: FunctionNode): boolean {
    const parent = this.parents.get(fn);
    if (!parent) return false;
    if (parent.type === 'MethodDefinition') return true;
    return parent.type === 'Property' && parent.value === fn && (parent.method || parent.kind !== 'init');
  }

  private functionName(fn: FunctionNode): string {
    if (fn.type === 'FunctionDeclaration') return fn.id?.name || 'Anonymous Function';
    const parent = this.parents.get(fn);
    if (parent?.type === 'VariableDeclarator') return this.textOf(parent.id);
    return fn.type === 'ArrowFunctionExpression' ? 'Anonymous Arrow Function' : 'Anonymous Function';
  }

  private textOf(node: ESTree.Node): string {
    const [start, end] = rangeOf(node);
    return this.source.slice(start, end);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // no-disallowed-re-assignment

  /** `ctx` (the first parameter of `request`/`response`) and its direct properties are read-only. */
  private checkContextReassignment(fn: ESTree.FunctionDeclaration): void {
    const parameter = fn.params[0];
    if (parameter?.type !== 'Identifier') return;
    const variable = this.scopeManager.getDeclaredVariables(fn).find((candidate) => candidate.name === parameter.name);
    if (!variable) return;
    variable.references.forEach((reference, index, references) => {
      const identifier = reference.identifier as ESTree.Identifier;
      // Destructuring defaults can make several write references of one identifier; report it once.
      if (reference.init || (index > 0 && references[index - 1].identifier === identifier)) return;
      if (reference.isWrite()) {
        this.report(identifier, `${identifier.name} is readonly and re-assignment is not supported.`);
        return;
      }
      const modified = this.modifiedContextProperty(identifier);
      if (!modified) return;
      const propertyName = this.propertyNameOf(modified);
      this.report(
        modified,
        propertyName === undefined
          ? `${identifier.name} is readonly adding/modifying properties is not supported.`
          : `${identifier.name} is readonly. Adding/Updating ${propertyName} is not supported.`,
      );
    });
  }

  /** The `ctx.<name>` expression a reference to `ctx` writes to, if it writes to a direct property. */
  private modifiedContextProperty(identifier: ESTree.Identifier): ESTree.Node | undefined {
    const stopAt = /(?:Statement|Declaration|Function(?:Expression)?|Program)$/u;
    let node: ESTree.Node = identifier;
    let parent = this.parents.get(node);
    let depth = 0;
    while (
      depth < 2 &&
      parent &&
      (!stopAt.test(parent.type) || parent.type === 'ForInStatement' || parent.type === 'ForOfStatement')
    ) {
      switch (parent.type) {
        case 'AssignmentExpression':
          return depth === 1 && parent.left === node ? node : undefined;
        case 'UpdateExpression':
          return depth === 1 && parent.argument === node ? node : undefined;
        case 'UnaryExpression':
          return depth === 1 && parent.argument === node && parent.operator === 'delete' ? node : undefined;
        case 'ForInStatement':
        case 'ForOfStatement':
          return depth === 1 && parent.left === node ? node : undefined;
        case 'MemberExpression':
          if (parent.property === node) return undefined;
          break;
        case 'Property':
          if (parent.key === node) return undefined;
          break;
        case 'ConditionalExpression':
          if (parent.test === node) return undefined;
          break;
        default:
          break;
      }
      depth += 1;
      node = parent;
      parent = this.parents.get(node);
    }
    return undefined;
  }

  private propertyNameOf(node: ESTree.Node): string | undefined {
    switch (node.type) {
      case 'Identifier':
        return node.name;
      case 'Literal':
        return node.value === null || node.value === undefined ? undefined : String(node.value);
      case 'MemberExpression':
        return this.propertyNameOf(node.property);
      default:
        return undefined;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Names: undeclared identifiers, Promise, Function

  private checkGlobalReferences(): void {
    const globalScope = this.scopeManager.globalScope as Scope;
    for (const reference of globalScope.through) {
      const identifier = reference.identifier as ESTree.Identifier;
      const name = identifier.name;
      if (name === 'Promise') {
        const parent = this.parents.get(identifier);
        // `new Promise(...)` is reported by the NewExpression check.
        if (!(parent?.type === 'NewExpression' && parent.callee === identifier))
          this.report(identifier, 'Promise is not supported');
      } else if (!DECLARED_GLOBALS.has(name)) {
        // TypeScript's TS2304.
        this.report(identifier, `Cannot find name '${name}'.`, CODE_ERROR_TYPES.typeCheck);
      }
    }
  }

  private isGlobal(identifier: ESTree.Identifier): boolean {
    const reference = this.referenceOf.get(identifier);
    return reference !== undefined && reference.resolved === null;
  }

  private variableOf(identifier: ESTree.Identifier): Variable | undefined {
    return this.referenceOf.get(identifier)?.resolved ?? undefined;
  }

  /** The function a name is declared as: `function f`, a named function expression, or `const f = () => ...`. */
  private functionDeclarationOf(identifier: ESTree.Identifier): FunctionNode | undefined {
    const variable = this.variableOf(identifier);
    return variable ? this.functionValueOf(variable) : undefined;
  }

  private functionValueOf(variable: Variable): FunctionNode | undefined {
    // TypeScript's valueDeclaration is the first declaration.
    const definition = variable.defs[0];
    if (!definition) return undefined;
    if (definition.type === 'FunctionName' && isFunctionNode(definition.node as ESTree.Node)) {
      return definition.node as FunctionNode;
    }
    if (definition.type === 'Variable') {
      const declarator = definition.node as ESTree.VariableDeclarator;
      if (declarator.id.type === 'Identifier' && isFunctionNode(declarator.init)) return declarator.init;
    }
    return undefined;
  }

  /** The plugin's test for "a function": a function expression, or a name declared as a function. */
  private isFunctionValued(expression: ESTree.Expression): boolean {
    return isFunctionNode(expression) || this.isFunctionValuedIdentifier(expression);
  }

  private isFunctionValuedIdentifier(expression: ESTree.Expression): boolean {
    return expression.type === 'Identifier' && this.functionDeclarationOf(expression) !== undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Kind inference: the little of TypeScript's type inference the type-aware rules need.

  private kindOf(expression: ESTree.Expression, depth = 0): Kind | undefined {
    if (depth > MAX_INFERENCE_DEPTH) return undefined;
    const next = (inner: ESTree.Expression): Kind | undefined => this.kindOf(inner, depth + 1);
    switch (expression.type) {
      case 'Literal':
        if ('regex' in expression) return 'regexp';
        if (typeof expression.value === 'string') return 'string';
        if (typeof expression.value === 'number') return 'number';
        if (typeof expression.value === 'boolean') return 'boolean';
        return undefined;
      case 'TemplateLiteral':
        return 'string';
      case 'ArrayExpression':
        return 'array';
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return 'function';
      case 'Identifier':
        return this.kindOfName(expression, depth);
      case 'NewExpression':
        if (
          expression.callee.type === 'Identifier' &&
          Object.hasOwn(CONSTRUCTED_KINDS, expression.callee.name) &&
          this.isGlobal(expression.callee)
        ) {
          return CONSTRUCTED_KINDS[expression.callee.name];
        }
        return undefined;
      case 'CallExpression':
        return this.kindOfCall(expression, depth);
      case 'MemberExpression': {
        if (expression.computed || expression.property.type !== 'Identifier' || expression.property.name !== 'length')
          return undefined;
        const owner = expression.object.type === 'Super' ? undefined : next(expression.object);
        return owner === 'string' || owner === 'array' || owner === 'function' ? 'number' : undefined;
      }
      case 'BinaryExpression': {
        if (expression.operator === '+') {
          const left = expression.left.type === 'PrivateIdentifier' ? undefined : next(expression.left);
          const right = next(expression.right);
          if (left === 'string' || right === 'string') return 'string';
          return left === 'number' && right === 'number' ? 'number' : undefined;
        }
        if (['-', '*', '/', '%', '**', '|', '&', '^', '<<', '>>', '>>>'].includes(expression.operator)) return 'number';
        return 'boolean';
      }
      case 'UnaryExpression':
        if (expression.operator === '!' || expression.operator === 'delete') return 'boolean';
        if (expression.operator === 'typeof') return 'string';
        return expression.operator === 'void' ? undefined : 'number';
      case 'UpdateExpression':
        return 'number';
      case 'LogicalExpression':
      case 'ConditionalExpression': {
        const [first, second] =
          expression.type === 'LogicalExpression'
            ? [expression.left, expression.right]
            : [expression.consequent, expression.alternate];
        const kind = next(first);
        return kind && kind === next(second) ? kind : undefined;
      }
      case 'SequenceExpression':
        return next(expression.expressions[expression.expressions.length - 1]);
      case 'AssignmentExpression':
        return expression.operator === '=' ? next(expression.right) : undefined;
      case 'ChainExpression':
        return next(expression.expression);
      default:
        return undefined;
    }
  }

  private kindOfName(identifier: ESTree.Identifier, depth: number): Kind | undefined {
    const reference = this.referenceOf.get(identifier);
    if (!reference) return undefined;
    const variable = reference.resolved;
    if (!variable) return identifier.name === 'NaN' || identifier.name === 'Infinity' ? 'number' : undefined;
    // Each variable is inferred once: repeated names (`a + a`) stay linear, and a cycle (`let a = b, b = a`) ends
    // on the in-progress marker.
    if (this.variableKinds.has(variable)) return this.variableKinds.get(variable) ?? undefined;
    this.variableKinds.set(variable, null);
    const kind = this.declaredKind(variable, depth);
    this.variableKinds.set(variable, kind ?? null);
    return kind;
  }

  private declaredKind(variable: Variable, depth: number): Kind | undefined {
    const definition = variable.defs[0];
    if (!definition) return undefined;
    if (this.functionValueOf(variable)) return 'function';
    if (definition.type === 'Variable') {
      const declarator = definition.node as ESTree.VariableDeclarator;
      return declarator.id.type === 'Identifier' && declarator.init
        ? this.kindOf(declarator.init, depth + 1)
        : undefined;
    }
    if (definition.type === 'Parameter') {
      // A parameter with a default value has the default's type.
      const pattern = this.parents.get(definition.name as ESTree.Identifier);
      if (pattern?.type === 'AssignmentPattern' && pattern.left === definition.name)
        return this.kindOf(pattern.right, depth + 1);
    }
    return undefined;
  }

  private kindOfCall(call: ESTree.CallExpression, depth: number): Kind | undefined {
    const callee = call.callee;
    if (callee.type === 'Identifier') {
      return Object.hasOwn(GLOBAL_CALL_RESULTS, callee.name) && this.isGlobal(callee)
        ? GLOBAL_CALL_RESULTS[callee.name]
        : undefined;
    }
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier')
      return undefined;
    const method = callee.property.name;
    const receiver = callee.object;
    if (receiver.type === 'Super') return undefined;
    if (receiver.type === 'Identifier' && this.isGlobal(receiver)) {
      if (receiver.name === 'Math') return 'number';
      const results = STATIC_RESULTS[receiver.name];
      return results && Object.hasOwn(results, method) ? results[method] : undefined;
    }
    const receiverKind = this.kindOf(receiver, depth + 1);
    const results = receiverKind ? METHOD_RESULTS[receiverKind] : undefined;
    return results && Object.hasOwn(results, method) ? results[method] : undefined;
  }
}
