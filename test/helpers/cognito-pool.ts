// A local user pool for a test: its own temporary data folder and credentials, a clock the test moves, the codes it
// would email, the AWS SDK's Cognito client signing admin calls with the folder's credentials, and raw API calls.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { callUserPool, CognitoAuthError, type UserPoolConfig } from '../../client/src/auth';
import { generateLocalCredentials, type LocalCredentials } from '../../local/server/credentials';
import {
  startCognito,
  type ClientSettings,
  type CognitoMessage,
  type LocalCognito,
  type LocalUser,
} from '../../local/stores/cognito';

export interface TestClock {
  (): number;
  /** Moves the pool's time forward. */
  advance(ms: number): void;
}

/** Real time plus an offset the test adds to. */
export function testClock(): TestClock {
  let offset = 0;
  const clock = (() => Date.now() + offset) as TestClock;
  clock.advance = (ms) => {
    offset += ms;
  };
  return clock;
}

export interface TestPool extends UserPoolConfig {
  cognito: LocalCognito;
  dataDir: string;
  credentials: LocalCredentials;
  clock: TestClock;
  messages: CognitoMessage[];
  /** The AWS SDK's client, signing with the data folder's credentials. */
  admin: CognitoIdentityProviderClient;
  /** A raw API call; resolves with the answer, rejects with CognitoAuthError. */
  call<T = Record<string, unknown>>(operation: string, request: object): Promise<T>;
  /** The refusal of a call that must fail (fails the test if it succeeds). */
  refusal(operation: string, request: object): Promise<CognitoAuthError>;
  /** The last code sent to `email` (sign-up, reset, ...). */
  codeFor(email: string, kind?: CognitoMessage['kind']): string;
  /** Stops the pool, keeping its folder (for restarts). */
  stop(): Promise<void>;
  /** Stops the pool and removes its folder. */
  close(): Promise<void>;
}

export interface TestPoolOptions {
  users?: LocalUser[];
  client?: ClientSettings;
  /** Reuse a folder (restart tests); a new temporary one otherwise. */
  dataDir?: string;
  credentials?: LocalCredentials;
  port?: number;
}

export async function startTestPool(options: TestPoolOptions = {}): Promise<TestPool> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'cognito-pool-')));
  const credentials = options.credentials ?? generateLocalCredentials();
  const clock = testClock();
  const messages: CognitoMessage[] = [];
  const cognito = await startCognito({
    dir: dataDir,
    credentials,
    users: options.users,
    client: options.client,
    port: options.port,
    clock,
    onMessage: (message) => messages.push(message),
    onError: (error) => {
      throw error;
    },
  });
  const config: UserPoolConfig = {
    userPoolId: cognito.userPoolId,
    clientId: cognito.clientId,
    endpoint: cognito.endpoint,
  };
  const admin = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  const stop = async () => {
    admin.destroy();
    await cognito.close();
  };
  return {
    ...config,
    cognito,
    dataDir,
    credentials,
    clock,
    messages,
    admin,
    call: (operation, request) => callUserPool(config, operation, request),
    async refusal(operation, request) {
      const error = await callUserPool(config, operation, request).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      if (!(error instanceof CognitoAuthError)) throw new Error(`${operation} was not refused: ${String(error)}`);
      return error;
    },
    codeFor(email, kind) {
      const found = messages.filter((m) => m.destination === email && (kind === undefined || m.kind === kind)).at(-1);
      if (!found) throw new Error(`no code was sent to ${email}`);
      return found.code;
    },
    stop,
    async close() {
      await stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
