// The local AppSync server under test: the notes API exactly as `npm start` configures it (appsync-local.config.ts),
// except that it uses the bench's shared DynamoDB store. Its per-request log lines go to the process's stdout (the
// bench sends that to a file), as `npm start` prints them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import notesApiConfig from '../../appsync-local.config';
import { serveLocalApi } from '../../local/server/serve';
import { processAnswers, runAsChild } from './child';

export interface LocalServerReady {
  graphqlUrl: string;
  cognito: { endpoint: string; userPoolId: string; clientId: string; region: string; issuer: string; jwksUrl: string };
}

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

await runAsChild<LocalServerReady>(async () => {
  const dynamodbEndpoint = process.env.DYNAMODB_ENDPOINT;
  const dataDir = process.env.DATA_DIR;
  if (!dynamodbEndpoint || !dataDir) throw new Error('DYNAMODB_ENDPOINT and DATA_DIR are required');
  const api = await serveLocalApi({
    ...notesApiConfig,
    rootDir: path.resolve(projectRoot, notesApiConfig.rootDir),
    dataDir,
    port: 0,
    dynamodbEndpoint,
  });
  const cognito = api.cognito;
  if (!cognito) throw new Error('the notes API started without its user pool');
  return {
    ready: {
      graphqlUrl: api.graphqlUrl,
      cognito: {
        endpoint: cognito.endpoint,
        userPoolId: cognito.userPoolId,
        clientId: cognito.clientId,
        region: cognito.region,
        issuer: cognito.issuer,
        jwksUrl: cognito.jwksUrl,
      },
    },
    answers: { ...(await processAnswers()), counters: () => ({ ...api.counters }) },
    close: () => api.close(),
  };
});
