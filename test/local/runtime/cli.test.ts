import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve('bin/appsync-local.js');
let dir: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'appsync-cli-'));
  await writeFile(
    path.join(dir, 'resolver.js'),
    "import { util } from '@aws-appsync/utils';\nexport function request(ctx) { return { id: ctx.args.id }; }\nexport function response(ctx) { util.error('nope', 'NotFound'); }\n",
  );
  await writeFile(
    path.join(dir, 'resolver.ts'),
    "import { util, type Context } from '@aws-appsync/utils';\nexport function request(ctx: Context<{ id: string }>) { return { id: util.str.toUpper(ctx.args.id) }; }\nexport function response(ctx: Context) { return ctx.result; }\n",
  );
  await writeFile(
    path.join(dir, 'undocumented.js'),
    'export function request(ctx) { return { whole: Number.isInteger(ctx.args.n) }; }\nexport function response(ctx) { return ctx.result; }\n',
  );
  await writeFile(path.join(dir, 'ctx.json'), '{"arguments":{"id":"abc"}}');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('appsync-local evaluate', () => {
  it('prints the EvaluateCode output as JSON', async () => {
    const { code, stdout } = await cli(
      'evaluate',
      '--code',
      'resolver.js',
      '--context',
      'ctx.json',
      '--function',
      'request',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ evaluationResult: '{"id":"abc"}', logs: [] });
  });

  it('exits 0 when the evaluation reports an error, as the AWS CLI does', async () => {
    const { code, stdout } = await cli(
      'evaluate',
      '--code',
      'resolver.js',
      '--context',
      'file://ctx.json',
      '--function',
      'response',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).error).toEqual({ message: 'nope' });
  });

  it('takes the context inline', async () => {
    const { stdout } = await cli('evaluate', '--code', 'resolver.js', '--context', '{"arguments":{"id":"inline"}}');
    expect(JSON.parse(stdout).evaluationResult).toBe('{"id":"inline"}');
  });

  it('bundles a TypeScript resolver as deployment does before evaluating it', async () => {
    const { stdout } = await cli('evaluate', '--code', 'resolver.ts', '--context', 'ctx.json');
    expect(JSON.parse(stdout).evaluationResult).toBe('{"id":"ABC"}');
  });

  it('warns on stderr about a member the guide does not list, and still evaluates the code', async () => {
    const { code, stdout, stderr } = await cli(
      'evaluate',
      '--code',
      'undocumented.js',
      '--context',
      '{"arguments":{"n":2}}',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).evaluationResult).toBe('{"whole":true}');
    expect(stderr).toMatch(/^warning undocumented\.js:1:48 Number\.isInteger is not listed/m);
  });

  it('reports the member as a code error with --strict', async () => {
    const { code, stdout, stderr } = await cli(
      'evaluate',
      '--code',
      'undocumented.js',
      '--context',
      '{"arguments":{"n":2}}',
      '--strict',
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).error).toEqual({
      message: 'The code contains one or more errors.',
      codeErrors: [
        {
          errorType: 'LINT_ERROR',
          value: expect.stringMatching(/^Number\.isInteger is not listed/),
          location: { line: 1, column: 48, span: 'Number.isInteger'.length },
        },
      ],
    });
  });

  it('exits 1 with usage when the code file is missing', async () => {
    const { code, stderr } = await cli('evaluate', '--code', 'missing.js');
    expect(code).toBe(1);
    expect(stderr).toMatch(/missing\.js/);
  });

  it('exits 1 on an unknown command', async () => {
    const { code, stderr } = await cli('frobnicate');
    expect(code).toBe(1);
    expect(stderr).toMatch(/Unknown command/);
  });
});
