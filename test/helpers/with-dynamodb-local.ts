// Runs a command with one DynamoDB Local for all of it, exported as DYNAMODB_ENDPOINT (and DYNAMODB_STORE), so a
// whole fidelity run shares one JVM instead of starting one per test file:
//   npx tsx test/helpers/with-dynamodb-local.ts npx vitest run test/local/server
import { spawn } from 'node:child_process';
import { startDynamoDBLocal } from '../../local/stores/dynamodb-local';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: tsx test/helpers/with-dynamodb-local.ts <command> [args...]');
  process.exit(2);
}

const store = await startDynamoDBLocal();
console.error(`DynamoDB Local at ${store.endpoint}`);
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, DYNAMODB_ENDPOINT: store.endpoint, DYNAMODB_STORE: 'dynamodb-local' },
});
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise<number>((resolve) =>
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))),
);
await store.close();
process.exit(code);
