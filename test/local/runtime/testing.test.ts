import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResolver } from '../../../local/runtime/testing';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'appsync-testing-'));
  await writeFile(
    path.join(dir, 'Query.getThing.ts'),
    [
      "import { util, type Context } from '@aws-appsync/utils';",
      "import { get } from '@aws-appsync/utils/dynamodb';",
      'export function request(ctx: Context<{ id: string }>) {',
      "  if (!ctx.args.id) util.error('id is required', 'ValidationError');",
      '  return get({ key: { id: ctx.args.id } });',
      '}',
      'export function response(ctx: Context) {',
      '  return ctx.result;',
      '}',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'Query.isWhole.ts'),
    [
      "import type { Context } from '@aws-appsync/utils';",
      'export function request(ctx: Context<{ n: number }>) {',
      '  return { payload: Number.isInteger(ctx.args.n) };',
      '}',
      'export function response(ctx: Context) {',
      '  return ctx.result;',
      '}',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'Query.loops.ts'),
    'export function request() { let n = 0; while (n < 3) { n += 1; } return n; }\nexport function response() { return null; }\n',
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadResolver', () => {
  it('bundles TypeScript as deployed and evaluates the request handler', async () => {
    const resolver = await loadResolver(path.join(dir, 'Query.getThing.ts'));
    expect(resolver.request({ arguments: { id: 'a1' } }).result).toEqual({
      operation: 'GetItem',
      key: { id: { S: 'a1' } },
    });
  });

  it('evaluates the response handler with ctx.result', async () => {
    const resolver = await loadResolver(path.join(dir, 'Query.getThing.ts'));
    expect(resolver.response({ result: { id: 'a1' } }).result).toEqual({ id: 'a1' });
  });

  it('reports util.error with its type', async () => {
    const resolver = await loadResolver(path.join(dir, 'Query.getThing.ts'));
    expect(resolver.request({ arguments: {} }).error).toMatchObject({
      message: 'id is required',
      type: 'ValidationError',
    });
  });

  it('keeps the deployed bundle, with an inline source map and no sources', async () => {
    const resolver = await loadResolver(path.join(dir, 'Query.getThing.ts'));
    expect(resolver.code).toMatch(/sourceMappingURL=data:application\/json;base64,/);
    const map = JSON.parse(Buffer.from(resolver.code.split('base64,')[1], 'base64').toString('utf8'));
    expect(map.sourcesContent).toBeUndefined();
  });

  it('refuses code AppSync would reject, naming the location', async () => {
    await expect(loadResolver(path.join(dir, 'Query.loops.ts'))).rejects.toThrow(
      /would be rejected by AppSync:\n\s+\d+:\d+ \S+ .*while/i,
    );
  });

  it('loads a member the guide does not list, reporting it as a warning', async () => {
    const resolver = await loadResolver(path.join(dir, 'Query.isWhole.ts'));
    expect(resolver.warnings).toEqual([
      expect.objectContaining({ errorType: 'LINT_WARNING', value: expect.stringMatching(/^Number\.isInteger /) }),
    ]);
    expect(resolver.request({ arguments: { n: 2 } }).result).toEqual({ payload: true });
  });

  it('refuses that member with strict', async () => {
    await expect(loadResolver(path.join(dir, 'Query.isWhole.ts'), { strict: true })).rejects.toThrow(
      /would be rejected by AppSync:\n\s+3:\d+ LINT_ERROR Number\.isInteger is not listed/,
    );
  });

  it('has no warnings for code that uses only documented members', async () => {
    const resolver = await loadResolver(path.join(dir, 'Query.getThing.ts'), { strict: true });
    expect(resolver.warnings).toEqual([]);
  });
});
