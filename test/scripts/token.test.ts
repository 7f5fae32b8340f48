// `npm run token -- <email> [--access] [--data-dir <dir>]` signs in to the local user pool of the server whose data
// folder it is given (--data-dir, else DATA_DIR, else .data) and prints a token the API takes. Run as users run it,
// against a real server on a temporary data folder that is not the default.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListNotesDocument } from '../../client/src/operation-text.generated';
import {
  PROJECT_ROOT,
  newDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
} from '../reliability/helpers/server';

const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function token(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'token', '--', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATA_DIR: undefined, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

let server: ServerProcess;
let emptyDir: string;

beforeAll(async () => {
  server = await startServer({ dataDir: await newDataDir() });
  emptyDir = await mkdtemp(path.join(tmpdir(), 'token-empty-'));
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (server) await removeDataDir(server.dataDir);
  await rm(emptyDir, { recursive: true, force: true });
});

describe('npm run token', () => {
  it("prints an ID token of the --data-dir server's pool that its API accepts", { timeout: 60_000 }, async () => {
    const outcome = await token(['alice@example.com', '--data-dir', server.dataDir]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const idToken = outcome.stdout.trim();
    expect(claims(idToken)).toMatchObject({ token_use: 'id', email: 'alice@example.com', iss: server.pool!.issuer });
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: idToken },
      body: JSON.stringify({ query: ListNotesDocument.toString() }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ listNotes: { items: [], nextToken: null } });
  });

  it(
    'prints the access token with --access, and reads DATA_DIR when no flag is given',
    { timeout: 60_000 },
    async () => {
      const outcome = await token(['bob@example.com', '--access'], { DATA_DIR: server.dataDir });
      expect(outcome.code).toBe(0);
      expect(claims(outcome.stdout.trim())).toMatchObject({ token_use: 'access', iss: server.pool!.issuer });
    },
  );

  it('is shown in the banner with the data folder the server uses', () => {
    expect(server.output()).toContain(`a token for curl:  npm run token -- <email> --data-dir ${server.dataDir}`);
  });

  it('lets --data-dir win over DATA_DIR', { timeout: 60_000 }, async () => {
    const outcome = await token(['alice@example.com', '--data-dir', server.dataDir], { DATA_DIR: emptyDir });
    expect(outcome.code).toBe(0);
    expect(claims(outcome.stdout.trim())).toMatchObject({ email: 'alice@example.com' });
  });

  it(
    'says no local user pool runs for a data folder without one, and prints no token',
    { timeout: 60_000 },
    async () => {
      const outcome = await token(['alice@example.com', '--data-dir', emptyDir]);
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toContain(`No local Cognito is running for data folder ${emptyDir}`);
    },
  );
});
