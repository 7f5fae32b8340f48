// Startup as a developer meets it: the server's command spawned on free ports (PORT=0) with a data folder, timed from
// spawn to the first listNotes answered for a user who signed in through the local user pool, either straight
// (`node bin/appsync-local.js serve ...`) or through npm (`npm start`, which runs the same command under npm and
// scripts/start.js; with PORT=0 it leaves the web app out). Also records when the banner appeared and how much CPU
// the whole process tree had used by then: the CPU figure barely depends on how busy the machine is, the wall-clock
// ones do.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { signIn } from '../../client/src/auth';
import { readLocalCognito, type LocalCognitoState } from '../../local/stores/cognito';
import { SERVE_ARGS, stopTree } from './local-cli';
import { graphqlCall } from './load';
import { treeCpuMs } from './process-tree';

export interface StartupRun {
  /** Spawn to the banner on stdout. */
  bannerMs: number;
  /** Spawn to the first answered, authenticated listNotes. */
  firstAnswerMs: number;
  /** CPU time of the whole process tree at the first answer. */
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

export async function measureStartup(opts: {
  projectRoot: string;
  dataDir: string;
  user: { email: string; password: string };
  viaNpm: boolean;
}): Promise<StartupRun> {
  const started = performance.now();
  const [command, args] = opts.viaNpm ? ['npm', ['start']] : [process.execPath, SERVE_ARGS];
  const child = spawn(command, args, {
    cwd: opts.projectRoot,
    env: { ...process.env, PORT: '0', DATA_DIR: opts.dataDir },
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
  child.once('exit', () => {
    exited = true;
  });

  try {
    let cognito: LocalCognitoState | undefined;
    let token: string | undefined;
    let graphqlUrl: string | undefined;
    for (;;) {
      if (exited) throw new Error(`the server exited before answering:\n${output}`);
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`no answer within ${TIMEOUT_MS} ms:\n${output}`);
      try {
        cognito ??= await readLocalCognito(opts.dataDir);
        token ??= (await signIn(cognito, opts.user.email, opts.user.password)).idToken;
        graphqlUrl ??= (
          JSON.parse(await readFile(`${opts.dataDir}/amplify_outputs.json`, 'utf8')) as { data: { url: string } }
        ).data.url;
        const answer = await graphqlCall(graphqlUrl, token, LIST_QUERY, { limit: 20 });
        if (answer.status === 200 && answer.body.data?.listNotes && !answer.body.errors) break;
      } catch {
        // Not up yet: a state file, the user pool or the GraphQL port is not there. A warm data folder holds the
        // files of the previous run, naming ports nobody listens on any more: read them again until the new server
        // has written its own.
        if (!token) cognito = undefined;
        graphqlUrl = undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const firstAnswerMs = performance.now() - started;
    return { bannerMs, firstAnswerMs, cpuMs: treeCpuMs(child.pid!) };
  } finally {
    await stopTree(child);
  }
}
