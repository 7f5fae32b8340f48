// The local AppSync exactly as a developer runs it: `node bin/appsync-local.js serve --config <file>` in its own
// process, on free loopback ports, with a temporary data folder. The suite reads its addresses from the banner it
// prints once every store answers, and the data folder's key pair from `credentials.json`, as the README tells users.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalCredentials } from '../../../local/server/credentials';
import { readLocalCognito } from '../../../local/stores/cognito';
import { exited, killGroup, spawnTracked, stopGroup, treeRssMb } from './processes';

export const PROJECT_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const NOTES_API_CONFIG = 'appsync-local.config.ts';

const START_TIMEOUT_MS = 180_000;

export interface UserPoolAddress {
  endpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
}

export interface ServerProcess {
  pid: number;
  dataDir: string;
  graphqlUrl: string;
  /** Absent for an API without a user pool. */
  pool?: UserPoolAddress;
  s3Endpoint?: string;
  dynamodbEndpoint: string;
  credentials: LocalCredentials;
  /** Everything the server printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Resident memory of the server and its descendants, MB. */
  rssMb(): number;
  /** Whether the process still runs. */
  alive(): boolean;
  /** SIGKILL, as a crash or an OOM killer would: no cleanup of any kind. */
  kill(): Promise<void>;
  /** SIGTERM, as Ctrl-C does. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The config module, relative to the project root. */
  config?: string;
  /** Keep data here (restarts reuse it); otherwise a new temporary folder, removed by `removeDataDir`. */
  dataDir?: string;
  args?: string[];
}

function bannerValue(output: string, label: string): string | undefined {
  return new RegExp(`^ {2}${label} +(.+)$`, 'm').exec(output)?.[1].trim();
}

function parseBanner(output: string): { graphqlUrl: string; s3Endpoint?: string; dynamodbEndpoint: string } {
  const graphqlUrl = bannerValue(output, 'GraphQL');
  const dynamodbEndpoint = bannerValue(output, 'DynamoDB');
  if (!graphqlUrl || !dynamodbEndpoint) throw new Error(`the server's banner lacks its addresses:\n${output}`);
  const uploads = bannerValue(output, 'Uploads');
  return { graphqlUrl, dynamodbEndpoint, s3Endpoint: uploads ? /at (\S+)/.exec(uploads)?.[1] : undefined };
}

export async function newDataDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'reliability-'));
}

export async function removeDataDir(dataDir: string): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
}

/** Starts the server and resolves once its banner is out; a server that exits or hangs fails with its output. */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? (await newDataDir());
  const child: ChildProcess = spawnTracked(
    process.execPath,
    [
      'bin/appsync-local.js',
      'serve',
      '--config',
      options.config ?? NOTES_API_CONFIG,
      '--data-dir',
      dataDir,
      '--port',
      '0',
      ...(options.args ?? []),
    ],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  const pid = child.pid!;
  let output = '';
  const collect = (chunk: Buffer) => {
    // The per-request log grows without end under load; the banner and the last words are what matter.
    output = output.length > 200_000 ? output.slice(0, 20_000) + output.slice(-100_000) : output;
    output += chunk.toString('utf8');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  try {
    const banner = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the server did not start in time:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const check = () => {
        if (/^ {2}Data +/m.test(output)) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve(output);
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${signal ?? code}) before it was ready:\n${output}`));
      });
    });
    const addresses = parseBanner(banner);
    const credentials = JSON.parse(await readFile(path.join(dataDir, 'credentials.json'), 'utf8')) as LocalCredentials;
    let pool: UserPoolAddress | undefined;
    if (/^ {2}Sign-in +/m.test(banner)) {
      const state = await readLocalCognito(dataDir);
      pool = {
        endpoint: state.endpoint,
        region: state.region,
        userPoolId: state.userPoolId,
        clientId: state.clientId,
        issuer: state.issuer,
      };
    }
    return {
      pid,
      dataDir,
      ...addresses,
      pool,
      credentials,
      output: () => output,
      rssMb: () => treeRssMb(pid),
      alive: () => child.exitCode === null && child.signalCode === null,
      async kill() {
        const done = exited(child);
        killGroup(pid, 'SIGKILL');
        await done;
      },
      stop: () => stopGroup(child),
    };
  } catch (error) {
    await stopGroup(child, 2_000);
    throw error;
  }
}
