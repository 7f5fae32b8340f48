// AppSync's "Supported runtime features" guide, section "Globals", lists `util`, `extensions` and `runtime` next to
// NaN, Infinity and undefined: resolver code may use them without importing @aws-appsync/utils.
// https://docs.aws.amazon.com/appsync/latest/devguide/supported-features.html
//
// AWS's own CDK sample depends on it: aws-samples/aws-appsync-resolver-samples,
// examples/cdk/dynamodb-todo-app/lib/appsync/resolvers/utils.ts calls `util.error` and `util.dynamodb.toMapValues`
// without an import, while the resolvers that bundle it import `util`. esbuild then renames the imported binding
// (`util as util2`), so the helper's `util` is the global one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleResolverSync } from '../../../local/runtime/bundle';
import { validateCode } from '../../../local/runtime/validate';
import { evaluate, resultOf } from '../../helpers/evaluate';

const HELPER_TS = `import type { Context } from '@aws-appsync/utils';

export function checkErrorsAndRespond(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}

export function putRequest(key: Record<string, unknown>, values: Record<string, unknown>) {
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues(key),
    attributeValues: util.dynamodb.toMapValues(values),
  };
}
`;

const RESOLVER_TS = `import { util, type Context } from '@aws-appsync/utils';
import { putRequest } from './utils';
export { checkErrorsAndRespond as response } from './utils';

export function request(ctx: Context<{ title: string }>) {
  return putRequest({ id: util.autoId() }, { title: ctx.args.title });
}
`;

let workDir: string;
let bundled: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'globals-'));
  writeFileSync(join(workDir, 'utils.ts'), HELPER_TS);
  writeFileSync(join(workDir, 'Mutation.createTodo.ts'), RESOLVER_TS);
  bundled = bundleResolverSync(join(workDir, 'Mutation.createTodo.ts'));
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the documented globals', () => {
  it('are there without an import', () => {
    const code = `export function request(ctx) {
  return { id: typeof util.autoId(), early: typeof runtime.earlyReturn, filter: typeof extensions.setSubscriptionFilter };
}
export function response(ctx) { return ctx.result; }
`;
    expect(validateCode(code)).toEqual([]);
    expect(resultOf(evaluate(code))).toEqual({ id: 'string', early: 'function', filter: 'function' });
  });

  it('are the same objects as the imported ones, and visible on globalThis', () => {
    const code = `import * as utils from '@aws-appsync/utils';
export function request(ctx) {
  return [utils.util === util, utils.runtime === runtime, utils.extensions === extensions, globalThis.util === util];
}
export function response(ctx) { return ctx.result; }
`;
    expect(resultOf(evaluate(code))).toEqual([true, true, true, true]);
  });

  it('cannot be replaced by resolver code', () => {
    const code = `export function request(ctx) { util = null; return 1; }\nexport function response(ctx) { return ctx.result; }`;
    expect(evaluate(code).error?.message).toMatch(/TypeError: Cannot assign to read only property 'util'/);
    const after = `export function request(ctx) { return typeof util.error; }\nexport function response(ctx) { return ctx.result; }`;
    expect(resultOf(evaluate(after))).toBe('function');
  });

  it('serve a bundled helper whose `util` is the global while the resolver imports it', () => {
    // The bundle really has the renamed import, with the helper's bare `util` left to the global.
    expect(bundled).toMatch(/import \{ util as util\d \} from "@aws-appsync\/utils"/);
    expect(bundled).toContain('util.dynamodb.toMapValues(key)');
    expect(validateCode(bundled)).toEqual([]);

    const request = resultOf(evaluate(bundled, { arguments: { title: 'milk' } })) as Record<string, unknown>;
    expect(request).toMatchObject({ operation: 'PutItem', attributeValues: { title: { S: 'milk' } } });
    expect((request.key as { id: { S: string } }).id.S).toMatch(/^[0-9a-f-]{36}$/);

    const failed = evaluate(
      bundled,
      { error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' } },
      'response',
    );
    expect(failed.error?.message).toBe('The conditional request failed');
    expect(resultOf(evaluate(bundled, { result: { id: 'a' } }, 'response'))).toEqual({ id: 'a' });
  });
});
