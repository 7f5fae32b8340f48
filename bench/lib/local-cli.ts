// The local AppSync server exactly as `npm start` runs it: `node bin/appsync-local.js serve --config
// appsync-local.config.ts` in the project folder, with its own stores (dynalite on a thread, the user pool, S3) and
// its own data folder, on free ports (PORT=0). The bench learns its addresses the way a client does: from the outputs
// file and the user pool's state file in the data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { readLocalCognito, type LocalCognitoState } from '../../local/stores/cognito';
import { signalTree } from './process-tree';

export const SERVE_ARGS = ['bin/appsync-local.js', 'serve', '--config', 'appsync-local.config.ts'];
const BANNER = 'is running locally';
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;

export interface LocalServer {
  pid: number;
  graphqlUrl: string;
  cognito: LocalCognitoState;
  dataDir: string;
  /** Resolves with the server's exit code (null when a signal ended it). */
  stop(): Promise<number | null>;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Stops a server tree: SIGTERM to each process (the server closes its stores), SIGKILL after a grace period. Resolves
 * with the exit code of the tree's root.
 */
export async function stopTree(child: ChildProcess): Promise<number | null> {
  const done = exited(child);
  signalTree(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => signalTree(child.pid!, 'SIGKILL'), STOP_GRACE_MS);
  const code = await done;
  clearTimeout(timer);
  return code;
}

export async function startLocalServer(opts: {
  projectRoot: string;
  dataDir: string;
  logFile: string;
  /** Extra Node flags (the request counter's --require). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<LocalServer> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...SERVE_ARGS], {
    cwd: opts.projectRoot,
    env: { ...process.env, ...opts.env, PORT: '0', DATA_DIR: opts.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const settle = (error?: Error) => {
        clearTimeout(timer);
        child.stdout.off('data', onOutput);
        child.stderr.off('data', onOutput);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => settle(new Error(`no banner within ${READY_TIMEOUT_MS} ms:\n${output}`)),
        READY_TIMEOUT_MS,
      );
      const onOutput = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes(BANNER)) settle();
      };
      const onExit = (code: number | null, signal: string | null) =>
        settle(new Error(`the local server exited (${signal ?? code}) before its banner:\n${output}`));
      child.stdout.on('data', onOutput);
      child.stderr.on('data', onOutput);
      child.once('exit', onExit);
    });
    const outputs = JSON.parse(await readFile(`${opts.dataDir}/amplify_outputs.json`, 'utf8')) as {
      data: { url: string };
    };
    return {
      pid: child.pid!,
      graphqlUrl: outputs.data.url,
      cognito: await readLocalCognito(opts.dataDir),
      dataDir: opts.dataDir,
      stop: () => stopTree(child),
    };
  } catch (error) {
    await stopTree(child);
    throw error;
  }
}
