// Local Lambda functions: handlers found and called as the Node.js runtime does, each function in an environment of
// its own. Handler names follow aws/aws-lambda-nodejs-runtime-interface-client (src/utils/handler-path.ts: module up
// to the first dot, then a dotted export path; src/function/module-loader.ts: '', .js, .mjs, .cjs tried in order;
// src/function/handler-resolver.ts: `default` as a fallback; src/utils/errors.ts: the Runtime.* error names).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleHandler,
  createLocalFunction,
  LambdaError,
  locateHandler,
  type LocalFunction,
} from '../../../local/lambda/local-function';
import { writeFiles } from '../../helpers/files';

let dir: string;
const started: LocalFunction[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'local-lambda-'));
  const files: Record<string, string> = {
    'esm.mjs': 'export const handler = async (event) => ({ got: event, env: process.env.GREETING ?? null });',
    'cjs.js': "module.exports.handler = async (event) => ({ style: 'cjs', n: event.n + 1 });",
    'nested.cjs': 'exports.handlers = { create: async () => "created" };',
    'callback.js':
      "exports.handler = (event, context, callback) => setTimeout(() => callback(null, 'called back'), 5);",
    'fails.mjs':
      "export const handler = async () => { const e = new Error('no such todo'); e.name = 'NotFound'; throw e; };",
    'slow.mjs': 'export const handler = () => new Promise((resolve) => setTimeout(resolve, 5000));',
    'exits.mjs': 'export const handler = async (event) => { if (event.exit) process.exit(3); return "alive"; };',
    'remaining.mjs': 'export const handler = async (event, context) => context.getRemainingTimeInMillis();',
    'broken.mjs': 'export const handler = async () => {',
    'src/app.ts': 'export const create = async (event: { name: string }): Promise<string> => `made ${event.name}`;',
    'pkg/package.json': '{ "type": "module" }',
    'pkg/index.js': 'export default { handler: async () => "from default" };',
  };
  await writeFiles(dir, files);
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((fn) => fn.stop()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function start(handler: string, options: { environment?: Record<string, string>; timeoutMs?: number } = {}) {
  const fn = createLocalFunction({
    functionName: handler.replace(/\W/g, '-'),
    location: async () => locateHandler(dir, handler, { prebuilt: true }),
    handlerName: handler,
    environment: options.environment ?? {},
    timeoutMs: options.timeoutMs ?? 3000,
    region: 'us-east-1',
    accountId: '000000000000',
  });
  started.push(fn);
  return fn;
}

async function failure(promise: Promise<unknown>): Promise<LambdaError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LambdaError);
  return error as LambdaError;
}

describe('locateHandler', () => {
  it('takes a path to a file as that file’s handler export', () => {
    expect(locateHandler(dir, 'esm.mjs')).toEqual({ file: path.join(dir, 'esm.mjs'), exportPath: 'handler' });
  });

  it('reads file.export as the runtime does, trying .js, .mjs and .cjs', () => {
    expect(locateHandler(dir, 'cjs.handler', { prebuilt: true })).toEqual({
      file: path.join(dir, 'cjs.js'),
      exportPath: 'handler',
    });
    expect(locateHandler(dir, 'nested.handlers.create', { prebuilt: true })).toEqual({
      file: path.join(dir, 'nested.cjs'),
      exportPath: 'handlers.create',
    });
  });

  it('finds TypeScript sources only when the code is not prebuilt', () => {
    expect(locateHandler(dir, 'src/app.create').file).toBe(path.join(dir, 'src/app.ts'));
    expect(() => locateHandler(dir, 'src/app.create', { prebuilt: true })).toThrow(/no module src\/app/);
  });

  it('refuses a name that is neither a file nor file.export', () => {
    expect(() => locateHandler(dir, 'handler')).toThrow(/Bad handler 'handler'/);
  });
});

describe('a local Lambda function', () => {
  it('runs an ES module handler with its own environment', async () => {
    const fn = start('esm.handler', { environment: { GREETING: 'hello' } });
    await expect(fn.invoke({ a: 1 })).resolves.toEqual({ got: { a: 1 }, env: 'hello' });
  });

  it('keeps each function’s environment to itself', async () => {
    const one = start('esm.handler', { environment: { GREETING: 'one' } });
    const two = start('esm.handler', { environment: { GREETING: 'two' } });
    const [a, b] = await Promise.all([one.invoke(null), two.invoke(null)]);
    expect([a, b]).toEqual([
      { got: null, env: 'one' },
      { got: null, env: 'two' },
    ]);
  });

  it('runs a CommonJS handler (module.exports)', async () => {
    await expect(start('cjs.handler').invoke({ n: 41 })).resolves.toEqual({ style: 'cjs', n: 42 });
  });

  it('follows a dotted export path', async () => {
    await expect(start('nested.handlers.create').invoke({})).resolves.toBe('created');
  });

  it('falls back to the default export', async () => {
    await expect(start('pkg/index.handler').invoke({})).resolves.toBe('from default');
  });

  it('waits for a callback handler’s callback', async () => {
    await expect(start('callback.handler').invoke({})).resolves.toBe('called back');
  });

  it('reports a thrown error as Lambda’s error document', async () => {
    const error = await failure(start('fails.handler').invoke({}));
    expect(error.errorType).toBe('NotFound');
    expect(error.errorMessage).toBe('no such todo');
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    const error = await failure(start('esm.nothing').invoke({}));
    expect(error.errorType).toBe('Runtime.HandlerNotFound');
    expect(error.errorMessage).toBe('esm.nothing is undefined or not exported');
  });

  it('reports code that does not parse as Runtime.UserCodeSyntaxError', async () => {
    const error = await failure(start('broken.handler').invoke({}));
    expect(error.errorType).toBe('Runtime.UserCodeSyntaxError');
  });

  it('times an invocation out with Lambda’s message', async () => {
    const fn = start('slow.handler', { timeoutMs: 200 });
    const error = await failure(fn.invoke({}));
    expect(error.errorType).toBe('Sandbox.Timedout');
    expect(error.errorMessage).toBe('Task timed out after 0.20 seconds');
  });

  it('tells the handler how much time is left', async () => {
    const remaining = (await start('remaining.handler', { timeoutMs: 2000 }).invoke({})) as number;
    expect(remaining).toBeGreaterThan(1000);
    expect(remaining).toBeLessThanOrEqual(2000);
  });

  it('survives a handler that exits the process, starting a new environment', async () => {
    const fn = start('exits.handler');
    const error = await failure(fn.invoke({ exit: true }));
    expect(error.errorType).toBe('Runtime.ExitError');
    expect(error.errorMessage).toBe('Runtime exited with error: exit status 3');
    await expect(fn.invoke({ exit: false })).resolves.toBe('alive');
  });
});

describe('bundleHandler', () => {
  it('bundles a TypeScript source into a module the function runs', async () => {
    const outfile = path.join(dir, 'out/app.mjs');
    await bundleHandler(path.join(dir, 'src/app.ts'), outfile);
    const fn = createLocalFunction({
      functionName: 'bundled',
      location: async () => ({ file: outfile, exportPath: 'create' }),
      handlerName: 'src/app.create',
      environment: {},
      timeoutMs: 3000,
      region: 'us-east-1',
      accountId: '000000000000',
    });
    started.push(fn);
    await expect(fn.invoke({ name: 'it' })).resolves.toBe('made it');
  });
});
