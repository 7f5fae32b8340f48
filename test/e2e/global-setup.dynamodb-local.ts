// Global setup of the DynamoDB Local run: AWS's own DynamoDB Local (Java) starts once for the whole run, and every
// test file's server uses it instead of dynalite (the tables are shared; each file's users are new, so their
// partitions are too).
import type { TestProject } from 'vitest/node';
import { startDynamoDBLocal } from '../../local/stores/dynamodb-local';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const store = await startDynamoDBLocal();
  project.provide('dynamodbEndpoint', store.endpoint);
  return () => store.close();
}
