// The plain servers the local AppSync server is measured against: graphql-http over node:http, the notes schema (with
// AppSync's scalars, built by the local server's own buildAppSyncSchema), hand-written resolvers making the same
// DynamoDB calls, each on a dynalite store in a process of its own (bench/lib/dynalite-process.ts). Two kinds:
// - same-work (BASELINE_AUTH=verify): every token's RS256 signature checked with the local server's own verifier
//   (local/server/auth/cognito-jwt.ts) behind the same cache (token-cache.ts), the store on LevelDB on disk;
// - limit (BASELINE_AUTH=decode): tokens decoded, not verified, the store in memory: the least work an emulator
//   could get away with.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createHandler } from 'graphql-http/lib/use/http';
import { decodeJwt } from 'jose';
import { apiDefinition, NOTES_TABLE } from '../../infra/api-definition';
import { AuthError, createCognitoVerifier, type CognitoClaims } from '../../local/server/auth/cognito-jwt';
import { cachedVerifier } from '../../local/server/auth/token-cache';
import { buildAppSyncSchema } from '../../local/server/appsync-schema';
import { dynamoDBClient, ensureTables } from '../../local/stores/dynamodb';
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

function tokenCheck(mode: string): (token: string) => Promise<CognitoClaims> {
  if (mode === 'decode') {
    return async (token) => {
      try {
        return decodeJwt(token) as CognitoClaims;
      } catch {
        throw new AuthError('malformed', 'Unable to parse JWT token.');
      }
    };
  }
  if (mode !== 'verify') throw new Error(`BASELINE_AUTH must be verify or decode, not ${mode}`);
  return cachedVerifier(
    createCognitoVerifier({
      issuer: required('COGNITO_ISSUER'),
      jwksUrl: required('COGNITO_JWKS_URL'),
      clientIds: [required('COGNITO_CLIENT_ID')],
    }),
  );
}

await runAsChild<BaselineReady>(async () => {
  const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
  const schema = buildAppSyncSchema(readFileSync(`${projectRoot}/${apiDefinition.schema}`, 'utf8'));
  const table = apiDefinition.dataSources[NOTES_TABLE];
  if (table.type !== 'AMAZON_DYNAMODB') throw new Error(`${NOTES_TABLE} is not a DynamoDB data source`);
  const client = dynamoDBClient(required('DYNAMODB_ENDPOINT'));
  await ensureTables(client, [table.table]);
  const verify = tokenCheck(required('BASELINE_AUTH'));

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
