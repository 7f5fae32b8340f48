// Startup as a developer meets it: `npm start`'s command as a child process on free ports with a data folder, timed
// from spawn to the first listNotes answered for a user who signed in through the local Cognito API. Also records
// when the banner appeared and how much CPU the server (and esbuild's service process) had used by then: the CPU
// figure barely depends on how busy the machine is, the wall-clock ones do.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { signIn } from '../../client/src/auth';
import { readLocalCognito, type LocalCognitoState } from '../../local/stores/cognito';
import { graphqlCall } from './load';

export interface StartupRun {
  /** Spawn to the banner on stdout. */
  bannerMs: number;
  /** Spawn to the first answered, authenticated listNotes. */
  firstAnswerMs: number;
  /** CPU time of the server process and its children (esbuild's service) at the first answer. */
  cpuMs: number;
}

const LIST_QUERY = 'query ($limit: Int) { listNotes(limit: $limit) { items { noteId } nextToken } }';
const TIMEOUT_MS = 120_000;
const POLL_MS = 20;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port p with p+1 and p+2 free too: the server puts the user pool and S3 next to the GraphQL port. */
export async function freePortTriple(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: chosen } = server.address() as net.AddressInfo;
        server.close(() => resolve(chosen));
      });
    });
    if (port > 65000) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 1)) && (await portIsFree(port + 2))) return port;
  }
  throw new Error('no three consecutive free ports found');
}

let ticksPerSecond: number | undefined;

/** utime + stime of a process and its direct children, from /proc (Linux). */
function processTreeCpuMs(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const read = (id: string) => {
    try {
      const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
    } catch {
      return undefined;
    }
  };
  let ticks = read(String(pid))?.ticks ?? 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(entry);
    if (stat?.ppid === pid) ticks += stat.ticks;
  }
  return (ticks / ticksPerSecond) * 1000;
}

export async function measureStartup(opts: {
  projectRoot: string;
  dataDir: string;
  user: { email: string; password: string };
}): Promise<StartupRun> {
  const port = await freePortTriple();
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/appsync-local.js', 'serve', '--config', 'appsync-local.config.ts'], {
    cwd: opts.projectRoot,
    env: { ...process.env, PORT: String(port), DATA_DIR: opts.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let bannerMs = Number.NaN;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (Number.isNaN(bannerMs) && output.includes('is running locally')) bannerMs = performance.now() - started;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  try {
    let cognito: LocalCognitoState | undefined;
    let token: string | undefined;
    for (;;) {
      if (exited) throw new Error(`the server exited before answering:\n${output}`);
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`no answer within ${TIMEOUT_MS} ms:\n${output}`);
      try {
        cognito ??= await readLocalCognito(opts.dataDir);
        token ??= (await signIn(cognito, opts.user.email, opts.user.password)).idToken;
        const answer = await graphqlCall(`http://127.0.0.1:${port}/graphql`, token, LIST_QUERY, { limit: 20 });
        if (answer.status === 200 && answer.body.data?.listNotes && !answer.body.errors) break;
      } catch {
        // Not up yet: the state file, the user pool or the GraphQL port is not there. A state file left by an earlier
        // run names ports nobody listens on any more: read it again until the new server has written its own.
        if (!token) cognito = undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const firstAnswerMs = performance.now() - started;
    const cpuMs = processTreeCpuMs(child.pid!);
    return { bannerMs, firstAnswerMs, cpuMs };
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(killer);
  }
}
