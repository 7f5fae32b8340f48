// However the local AppSync is stopped, nothing of it stays behind: started the ways the README tells users to
// (`npx appsync-local serve`, `npm start`, `node bin/appsync-local.js serve`), then stopped by Ctrl-C (SIGINT to the
// whole process group, as a terminal sends it), by SIGTERM or SIGHUP to the launcher alone, or by killing the launcher
// outright (SIGKILL, which nothing can pass on). Afterwards every process the launcher started is gone, every port of
// the banner is free, and the next start on the same data folder works (a server still answering there would make
// the user pool refuse it).
//
// A SIGINT sent to npm alone is not among the cases: npm passes it to the shell it runs the command with, and the
// shell, as POSIX shells do, waits for its command to end before acting on it. Nothing reaches the server, and npm
// keeps running: nothing is orphaned, the stop just does not happen (SIGINT to `node bin/appsync-local.js` alone
// does stop it, below).
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killGroup, processTree, spawnTracked, stopGroup } from '../reliability/helpers/processes';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 120_000;
const GONE_TIMEOUT_MS = 30_000;

type Launcher = 'npx' | 'npm start' | 'node';
type Stop = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGKILL' | 'Ctrl-C';

function launch(launcher: Launcher, dataDir: string): ChildProcess {
  const serverArgs = ['--port', '0', '--data-dir', dataDir];
  const [command, args] =
    launcher === 'npx'
      ? ['npx', ['appsync-local', 'serve', '--config', 'appsync-local.config.ts', ...serverArgs]]
      : launcher === 'npm start'
        ? ['npm', ['start', '--', ...serverArgs]]
        : [process.execPath, ['bin/appsync-local.js', 'serve', '--config', 'appsync-local.config.ts', ...serverArgs]];
  return spawnTracked(command, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: undefined, DATA_DIR: undefined, WEB: '0' },
  });
}

/** The launcher's output once the server's banner is out (it lists the data folder last). */
function banner(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${output}`)), START_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/^ {2}Data +/m.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the launcher exited (${signal ?? code}) before the banner:\n${output}`));
    });
  });
}

/** A process's start time, which tells it from a later process given the same pid; undefined once it is gone. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // An exited process nobody has reaped yet (state Z) holds nothing.
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return `${pid} (gone meanwhile)`;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Checked every 50 ms: a check reads a few /proc files or binds a few ports, and each case waits twice.
async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

let dataDir: string;
const launched: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'stopping-'));
});

afterAll(async () => {
  for (const child of launched) await stopGroup(child, 2_000);
  await rm(dataDir, { recursive: true, force: true });
});

describe('stopping the local AppSync', () => {
  const cases: Array<[Launcher, Stop]> = [
    ['npx', 'Ctrl-C'],
    ['npx', 'SIGTERM'],
    ['npx', 'SIGHUP'],
    ['npx', 'SIGKILL'],
    ['npm start', 'Ctrl-C'],
    ['npm start', 'SIGTERM'],
    ['npm start', 'SIGHUP'],
    ['npm start', 'SIGKILL'],
    ['node', 'SIGINT'],
    ['node', 'SIGHUP'],
    ['node', 'SIGKILL'],
  ];

  // One data folder for all: each start also proves the previous server let go of it.
  it.each(cases)('%s stopped by %s leaves no process and no port behind', { timeout: 240_000 }, async (how, stop) => {
    const launcher = launch(how, dataDir);
    launched.push(launcher);
    const output = await banner(launcher);
    const ports = [...output.matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
    // GraphQL, TLS, user pool, S3 and DynamoDB.
    expect(new Set(ports).size).toBeGreaterThanOrEqual(5);
    const processes = processTree(launcher.pid!).map((pid) => ({ pid, started: startTime(pid) }));
    // The launcher and the server at least (npx and npm start add npm's shell and more).
    expect(processes.length).toBeGreaterThanOrEqual(how === 'node' ? 1 : 3);

    if (stop === 'Ctrl-C') killGroup(launcher.pid, 'SIGINT');
    else process.kill(launcher.pid!, stop);

    const left = () => processes.filter(({ pid, started }) => started !== undefined && startTime(pid) === started);
    await waitFor(() => left().length === 0, GONE_TIMEOUT_MS);
    expect(left().map(({ pid }) => commandLine(pid))).toEqual([]);
    // A killed process's last threads may still be closing its sockets a moment after it shows as exited.
    const held = async () => {
      const taken: number[] = [];
      for (const port of new Set(ports)) if (!(await portFree(port))) taken.push(port);
      return taken;
    };
    await waitFor(async () => (await held()).length === 0, GONE_TIMEOUT_MS);
    expect(await held()).toEqual([]);
  });

  it('starts again on the same data folder after all of them', { timeout: 240_000 }, async () => {
    const launcher = launch('node', dataDir);
    launched.push(launcher);
    expect(await banner(launcher)).toMatch(/is running locally/);
    await stopGroup(launcher);
  });
});
