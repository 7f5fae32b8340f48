// The DynamoDB helpers run inside the sandbox: a separate V8 realm with no Node globals, fed one esbuild bundle.
// These tests bundle them the same way and run them in a bare vm context, so a stray Node global or an import from
// outside local/runtime/realm/ fails here rather than in the sandbox.
import { createContext, runInContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { withEsbuild } from '../../../../bin/module-cache.js';

const ENTRY = `
  import * as ddb from './local/runtime/realm/dynamodb/index';
  import { dynamodb } from './local/runtime/realm/utils/dynamodb';
  import { transform } from './local/runtime/realm/utils/transform';
  globalThis.helpers = { ddb, dynamodb, transform };
`;

let bundle: { code: string; inputs: string[] };

beforeAll(async () => {
  const result = await withEsbuild((esbuild) =>
    esbuild.build({
      stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      format: 'iife',
      platform: 'neutral',
      target: 'es2022',
      write: false,
      metafile: true,
    }),
  );
  bundle = { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
});

/** Runs `expression` in a fresh bare realm that has loaded the bundle; answers its JSON. */
function inRealm(expression: string): unknown {
  const context = createContext({});
  runInContext(bundle.code, context);
  const json = runInContext(
    `JSON.stringify((() => { const { ddb, dynamodb, transform } = helpers; return ${expression}; })())`,
    context,
  );
  return json === undefined ? undefined : JSON.parse(json as string);
}

describe('DynamoDB helpers in a bare realm', () => {
  it('bundles nothing from outside local/runtime/realm/', () => {
    const outside = bundle.inputs.filter((input) => input !== '<stdin>' && !input.startsWith('local/runtime/realm/'));
    expect(outside).toStrictEqual([]);
  });

  it('builds a whole update request', () => {
    expect(
      inRealm(
        `ddb.update({ key: { id: 'x' }, update: { n: ddb.operations.increment(2), gone: ddb.operations.remove() }, condition: { v: { eq: 1 } } })`,
      ),
    ).toStrictEqual({
      operation: 'UpdateItem',
      key: { id: { S: 'x' } },
      update: {
        expression: 'SET #expName_1 = #expName_1 + :expValue_1 REMOVE #expName_2',
        expressionNames: { '#expName_1': 'n', '#expName_2': 'gone' },
        expressionValues: { ':expValue_1': { N: 2 } },
      },
      condition: {
        expression: '(#v = :v_eq)',
        expressionNames: { '#v': 'v' },
        expressionValues: { ':v_eq': { N: 1 } },
      },
    });
  });

  it('converts values, dates included, with util.dynamodb', () => {
    expect(inRealm(`dynamodb.toMapValues({ a: [1, 'b', null], d: new Date(0) })`)).toStrictEqual({
      a: { L: [{ N: 1 }, { S: 'b' }, { NULL: null }] },
      d: { S: '1970-01-01T00:00:00.000Z' },
    });
  });

  it('renders every transform', () => {
    expect(
      inRealm(`[
        transform.toDynamoDBFilterExpression({ a: { between: [1, 2] }, or: [{ b: { in: ['x'] } }, { c: { size: { gt: 1 } } }] }),
        transform.toElasticsearchQueryDSL({ a: { exists: false } }),
        transform.toSubscriptionFilter({ a: { eq: 1, ne: 2 } }, [], { r: { eq: 3 } }),
        dynamodb.fromS3ObjectJson(dynamodb.toS3Object('k', 'b', 'r', 'v').S),
      ]`),
    ).toStrictEqual([
      '{"expression":"(#a BETWEEN :a_between_start AND :a_between_end) AND ((#b IN (:or_0_b_in_0)) OR (size(#c) > :or_1_c_size_gt))",' +
        '"expressionNames":{"#a":"a","#b":"b","#c":"c"},"expressionValues":{":a_between_start":{"N":1},":a_between_end":{"N":2},' +
        '":or_0_b_in_0":{"S":"x"},":or_1_c_size_gt":{"N":1}}}',
      '{"bool":{"must_not":{"exists":{"field":"a"}}}}',
      {
        filterGroup: [
          {
            filters: [
              { fieldName: 'a', operator: 'eq', value: 1 },
              { fieldName: 'r', operator: 'eq', value: 3 },
            ],
          },
          {
            filters: [
              { fieldName: 'a', operator: 'ne', value: 2 },
              { fieldName: 'r', operator: 'eq', value: 3 },
            ],
          },
        ],
      },
      { key: 'k', bucket: 'b', region: 'r', version: 'v' },
    ]);
  });

  it('throws errors of the realm, with their message', () => {
    expect(
      inRealm(
        `(() => { try { ddb.get({}); } catch (error) { return [error instanceof TypeError, error.message]; } })()`,
      ),
    ).toStrictEqual([true, 'ddb.get: "key" is required and must be an object, got undefined']);
  });

  it('works on a frozen module, as the sandbox freezes it', () => {
    expect(
      inRealm(`(() => {
        const freeze = (value) => { Object.values(value).forEach((v) => typeof v === 'object' && v && freeze(v)); return Object.freeze(value); };
        freeze(ddb);
        return ddb.update({ key: { id: 1 }, update: { a: ddb.operations.add(1) } }).update.expression;
      })()`),
    ).toBe('SET #expName_1 = :expValue_1');
  });
});
