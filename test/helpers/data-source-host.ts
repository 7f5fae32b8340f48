// A DataSourceHost for testing one data source kind on its own: no stores, a temporary or absent data folder, the
// server log collected in `logs`.
import { generateLocalCredentials } from '../../local/server/credentials';
import type { DataSourceHost } from '../../local/server/datasources';
import { dynamoDBClient } from '../../local/stores/dynamodb';

export interface TestHost extends DataSourceHost {
  logs: string[];
  closeAll(): Promise<void>;
}

export function testHost(overrides: Partial<DataSourceHost> = {}): TestHost {
  const logs: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  const shared = new Map<string, unknown>();
  return {
    rootDir: process.cwd(),
    dataDir: undefined,
    region: 'us-east-1',
    accountId: '000000000000',
    credentials: generateLocalCredentials(),
    endpoints: {},
    selfEndpoint: () => 'http://127.0.0.1:9',
    // No server here: a request to the API itself goes over HTTP to selfEndpoint.
    answerOwnRequest: () => undefined,
    // Nothing listens on the discard port: a kind that should not touch DynamoDB fails loudly if it does.
    dynamodb: { client: dynamoDBClient('http://127.0.0.1:9') },
    lambdaEnvironment: {},
    log: (line) => logs.push(line),
    count: () => {},
    shared<T>(key: string, make: () => T): T {
      if (!shared.has(key)) shared.set(key, make());
      return shared.get(key) as T;
    },
    onClose: (close) => {
      closers.push(close);
    },
    ...overrides,
    logs,
    async closeAll() {
      for (const close of closers) await close();
    },
  };
}
