// `appsync-local serve --config <file>` loads the config the way the user's package would run it: `.ts`, `.mts` and
// `.js`, from a package with "type": "module" and from a CommonJS one (no "type"), in each module syntax such a file
// may use there (ESM `export default`, `module.exports`, TypeScript's `export =`, tsc's CommonJS `exports.default`,
// `__dirname`). Each case is a temporary package served through the real command line; the API is named after the
// case, so the banner shows it is that config being served, and it answers a query. A file Node itself cannot load in its package is
// refused with Node's reason, and nothing starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const API_KEY = 'da2-configmodulestest0000000';
const START_TIMEOUT_MS = 90_000;

type PackageKind = 'ESM' | 'CommonJS';

/** The config object's text: an API named `name`, whose `hello` answers "hi". */
function configObject(name: string, rootDir: string): string {
  return `{
  definition: {
    name: '${name}',
    schema: 'schema.graphql',
    auth: { default: 'API_KEY' },
    dataSources: { none: { type: 'NONE' } },
    resolvers: [{ kind: 'UNIT', typeName: 'Query', fieldName: 'hello', dataSource: 'none', code: 'hello.js' }],
  },
  rootDir: ${rootDir},
  apiKeys: ['${API_KEY}'],
}`;
}

const CASES: Array<{ kind: PackageKind; file: string; text: (name: string) => string }> = [
  { kind: 'ESM', file: 'appsync.config.ts', text: (name) => `export default ${configObject(name, "'.'")};\n` },
  {
    kind: 'ESM',
    file: 'appsync.config.mts',
    text: (name) =>
      "import { fileURLToPath } from 'node:url';\n" +
      `export default ${configObject(name, "fileURLToPath(new URL('.', import.meta.url))")};\n`,
  },
  { kind: 'ESM', file: 'appsync.config.js', text: (name) => `export default ${configObject(name, "'.'")};\n` },
  // The case that failed with "Cannot require() ES Module ... in a cycle" under a TypeScript loader.
  {
    kind: 'CommonJS',
    file: 'appsync.config.ts',
    text: (name) => `export default ${configObject(name, '__dirname')};\n`,
  },
  { kind: 'CommonJS', file: 'export-equals.config.ts', text: (name) => `export = ${configObject(name, "'.'")};\n` },
  { kind: 'CommonJS', file: 'appsync.config.mts', text: (name) => `export default ${configObject(name, "'.'")};\n` },
  {
    kind: 'CommonJS',
    file: 'appsync.config.js',
    text: (name) => `module.exports = ${configObject(name, "require('node:path').join(__dirname)")};\n`,
  },
  {
    kind: 'CommonJS',
    file: 'compiled.config.js',
    text: (name) =>
      "'use strict';\nObject.defineProperty(exports, '__esModule', { value: true });\n" +
      `exports.default = ${configObject(name, "'.'")};\n`,
  },
];

let root: string;
const packages = new Map<PackageKind, string>();
const running = new Set<ChildProcess>();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'config-modules-'));
  for (const kind of ['ESM', 'CommonJS'] as const) {
    const dir = path.join(root, kind);
    await mkdir(dir);
    const manifest = { name: `config-${kind.toLowerCase()}`, version: '1.0.0', private: true };
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify(kind === 'ESM' ? { ...manifest, type: 'module' } : manifest),
    );
    await writeFile(path.join(dir, 'schema.graphql'), 'type Query { hello: String }\n');
    await writeFile(
      path.join(dir, 'hello.js'),
      "export function request() { return { payload: 'hi' }; }\nexport function response(ctx) { return ctx.result; }\n",
    );
    packages.set(kind, dir);
  }
});

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function serve(dir: string, configFile: string): Served {
  const child = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'bin/appsync-local.js'),
      'serve',
      '--config',
      configFile,
      '--port',
      '0',
      '--data-dir',
      path.join(dir, `.data-${configFile}`),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: undefined, DATA_DIR: undefined } },
  );
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => output, exit };
}

async function graphqlUrl(served: Served): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const url = /^ {2}GraphQL +(\S+)/m.exec(served.output())?.[1];
    if (url && /^ {2}Data +/m.test(served.output())) return url;
    if (served.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not start:\n${served.output()}`);
}

describe('config files', () => {
  it.each(CASES)('serves a $kind package $file', { timeout: 120_000 }, async ({ kind, file, text }) => {
    const dir = packages.get(kind)!;
    const name = `${kind}-${file}`.replace(/[^A-Za-z0-9]/g, '-');
    await writeFile(path.join(dir, file), text(name));
    const served = serve(dir, file);
    const url = await graphqlUrl(served);
    expect(served.output()).toContain(`${name} is running locally`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(await response.json()).toEqual({ data: { hello: 'hi' } });
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);
  });

  it("refuses a CommonJS file in an ESM package with Node's reason, and starts nothing", async () => {
    const dir = packages.get('ESM')!;
    await writeFile(path.join(dir, 'wrong.config.js'), `module.exports = ${configObject('wrong', "'.'")};\n`);
    const served = serve(dir, 'wrong.config.js');
    expect(await served.exit).toBe(1);
    expect(served.output()).toMatch(/module is not defined in ES module scope/);
    expect(served.output()).not.toMatch(/is running locally/);
  });
});
