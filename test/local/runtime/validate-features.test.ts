// The feature lists the validator and the sandbox realm share, checked against what the AppSync guide and the
// eslint plugin say (facts recorded here so a change to the lists is a deliberate one).
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_MODULES,
  DOCUMENTED_MEMBERS,
  IMPLEMENTED_MODULES,
  SUPPORTED_GLOBALS,
  UNSUPPORTED_MEMBERS,
} from '../../../local/runtime/features';

describe('features', () => {
  it('supports every global the guide names', () => {
    // "Supported runtime features": Globals, Primitive objects, Built-in objects and functions.
    const documented = [
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
    ];
    expect(SUPPORTED_GLOBALS).toEqual(expect.arrayContaining(documented));
  });

  it('supports Date, whose methods the eslint plugin partly denies', () => {
    expect(SUPPORTED_GLOBALS).toContain('Date');
  });

  it('supports no global the guide rules out (promises, the Function constructor)', () => {
    expect(SUPPORTED_GLOBALS).not.toContain('Promise');
    expect(SUPPORTED_GLOBALS).not.toContain('Function');
    expect(SUPPORTED_GLOBALS).not.toContain('eval');
  });

  it('lists each global once', () => {
    expect(new Set(SUPPORTED_GLOBALS).size).toBe(SUPPORTED_GLOBALS.length);
  });

  it('keeps String.raw, which the guide supports although the plugin denies it', () => {
    expect(UNSUPPORTED_MEMBERS.String).not.toContain('raw');
  });

  it('lists apply, bind and call of functions as unsupported (guide, Function)', () => {
    expect(UNSUPPORTED_MEMBERS['Function.prototype']).toEqual(['apply', 'bind', 'call']);
  });

  it('does not list any method the guide names as supported', () => {
    const guideSupported: Record<string, string[]> = {
      Object: ['assign', 'entries', 'hasOwn', 'keys', 'values'],
      'String.prototype': [
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
      ],
      'Array.prototype': [
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
      ],
    };
    for (const [owner, names] of Object.entries(guideSupported)) {
      expect(UNSUPPORTED_MEMBERS[owner].filter((name) => names.includes(name))).toEqual([]);
    }
  });

  it('documents exactly the members the guide lists for each object it names', () => {
    // https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html, read 2025: "Number" lists
    // isFinite and isNaN only, "Math" six functions, "Array" instance methods only (no Array.isArray, no includes).
    expect(DOCUMENTED_MEMBERS.Object).toEqual(['assign', 'entries', 'hasOwn', 'keys', 'values']);
    expect(DOCUMENTED_MEMBERS.String).toEqual(['raw']);
    expect(DOCUMENTED_MEMBERS.Number).toEqual(['isFinite', 'isNaN']);
    expect(DOCUMENTED_MEMBERS.Math).toEqual(['random', 'min', 'max', 'round', 'floor', 'ceil']);
    expect(DOCUMENTED_MEMBERS.Array).toEqual([]);
    expect(DOCUMENTED_MEMBERS['Number.prototype']).toEqual([]);
    expect(DOCUMENTED_MEMBERS.console).toEqual(['error', 'log']);
    expect(DOCUMENTED_MEMBERS.JSON).toEqual(['parse', 'stringify']);
    expect(DOCUMENTED_MEMBERS['String.prototype']).toHaveLength(16);
    expect(DOCUMENTED_MEMBERS['String.prototype']).not.toContain('includes');
    expect(DOCUMENTED_MEMBERS['String.prototype']).not.toContain('charCodeAt');
    expect(DOCUMENTED_MEMBERS['Array.prototype']).toHaveLength(27);
    expect(DOCUMENTED_MEMBERS['Array.prototype']).not.toContain('includes');
    expect(Object.isFrozen(DOCUMENTED_MEMBERS)).toBe(true);
  });

  it('allows the four modules AppSync provides and implements all but the ai module locally', () => {
    expect(ALLOWED_MODULES).toEqual([
      '@aws-appsync/utils',
      '@aws-appsync/utils/dynamodb',
      '@aws-appsync/utils/rds',
      '@aws-appsync/utils/ai',
    ]);
    expect(IMPLEMENTED_MODULES.every((name) => ALLOWED_MODULES.includes(name))).toBe(true);
    expect(IMPLEMENTED_MODULES).toEqual([
      '@aws-appsync/utils',
      '@aws-appsync/utils/dynamodb',
      '@aws-appsync/utils/rds',
    ]);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(SUPPORTED_GLOBALS)).toBe(true);
    expect(Object.isFrozen(UNSUPPORTED_MEMBERS)).toBe(true);
    expect(Object.values(UNSUPPORTED_MEMBERS).every((names) => Object.isFrozen(names))).toBe(true);
    expect(Object.isFrozen(ALLOWED_MODULES)).toBe(true);
  });
});
