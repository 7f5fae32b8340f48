// The plain baseline the local AppSync server is measured against: graphql-http over node:http, the notes schema
// (with AppSync's scalars, built by the local server's own buildAppSyncSchema), hand-written resolvers making the same
// DynamoDB calls, and the same user-pool token check (local/server/auth/cognito-jwt.ts). What remains between the two
// servers is AppSync emulation: resolver sandbox, request mapping, AppSync's HTTP and error contract, request log.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createHandler } from 'graphql-http/lib/use/http';
import { apiDefinition, NOTES_TABLE } from '../../infra/api-definition';
import { AuthError, createCognitoVerifier } from '../../local/server/auth/cognito-jwt';
import { buildAppSyncSchema } from '../../local/server/appsync-schema';
import { dynamoDBClient } from '../../local/stores/dynamodb';
import { processAnswers, runAsChild } from '../lib/child';
import { notesRootValue, type CallerContext } from './notes-resolvers';

export interface BaselineReady {
  graphqlUrl: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

await runAsChild<BaselineReady>(async () => {
  const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
  const schema = buildAppSyncSchema(readFileSync(`${projectRoot}/${apiDefinition.schema}`, 'utf8'));
  const table = apiDefinition.dataSources[NOTES_TABLE];
  if (table.type !== 'AMAZON_DYNAMODB') throw new Error(`${NOTES_TABLE} is not a DynamoDB data source`);
  const client = dynamoDBClient(required('DYNAMODB_ENDPOINT'));
  const verify = createCognitoVerifier({
    issuer: required('COGNITO_ISSUER'),
    jwksUrl: required('COGNITO_JWKS_URL'),
    clientIds: [required('COGNITO_CLIENT_ID')],
  });

  const callers = new WeakMap<IncomingMessage, CallerContext>();
  const graphql = createHandler<CallerContext>({
    schema,
    rootValue: notesRootValue(client, table.table.name),
    context: (req) => callers.get(req.raw)!,
  });
  const server = http.createServer((req, res) => {
    const refuse = (message: string) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message }] }));
    };
    const token = req.headers.authorization;
    if (!token) return refuse('Valid authorization header not provided.');
    verify(token)
      .then(
        (claims) => {
          callers.set(req, { sub: claims.sub });
          return graphql(req, res);
        },
        (error: unknown) => {
          if (error instanceof AuthError) refuse(error.message);
          else throw error;
        },
      )
      .catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    ready: { graphqlUrl: `http://127.0.0.1:${port}/graphql` },
    answers: await processAnswers(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
