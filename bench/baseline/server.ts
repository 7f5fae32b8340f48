// The plain servers the local AppSync server is measured against: graphql-http over node:http, the notes schema (with
// AppSync's scalars, built by the local server's own buildAppSyncSchema), hand-written resolvers making the same
// DynamoDB calls, each on a dynalite store in a process of its own (bench/lib/dynalite-process.ts). Two kinds:
// - same-work (BASELINE_AUTH=verify, BASELINE_PUBLISH=sigv4): every token's RS256 signature checked with the local
//   server's own verifier (local/server/auth/cognito-jwt.ts) behind the same cache (token-cache.ts), the store on
//   LevelDB on disk; and createNote publishes the change as the notes API does, with a SigV4-signed publishNoteChange
//   request to its own /graphql, whose signature it checks with the local server's verifier (auth/sigv4.ts), handed
//   to its request handler in-process as the local server answers its API's own requests;
// - limit (BASELINE_AUTH=decode): tokens decoded, not verified, the store in memory, nothing published: the least
//   work an emulator could get away with.
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createHandler } from 'graphql-http';
import { decodeJwt } from 'jose';
import { apiDefinition, NOTES_TABLE } from '../../infra/api-definition';
import { AuthError, createCognitoVerifier, type CognitoClaims } from '../../local/server/auth/cognito-jwt';
import { SigV4Error, verifySigV4 } from '../../local/server/auth/sigv4';
import { cachedVerifier } from '../../local/server/auth/token-cache';
import { generateLocalCredentials } from '../../local/server/credentials';
import { buildAppSyncSchema } from '../../local/server/appsync-schema';
import { dynamoDBClient, ensureTables } from '../../local/stores/dynamodb';
import { readBodyWithin } from '../../local/stores/shared';
import { processAnswers, runAsChild } from '../lib/child';
import { notesRootValue, publisherTo, type CallerContext } from './notes-resolvers';

const MAX_BODY_BYTES = 1024 * 1024;

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
  // The same client settings as the local server's data sources: the same DynamoDB calls at the same cost.
  const client = dynamoDBClient(required('DYNAMODB_ENDPOINT'), 'us-east-1', { cacheMiddleware: true });
  await ensureTables(client, [table.table]);
  const verify = tokenCheck(required('BASELINE_AUTH'));
  const publishing = process.env.BASELINE_PUBLISH === 'sigv4';
  // The notes API's service role, as the local server keeps one per data folder.
  const credentials = generateLocalCredentials();
  const region = 'us-east-1';
  let graphqlUrl = '';

  const graphql = createHandler<null, CallerContext, CallerContext>({
    schema,
    rootValue: notesRootValue(
      client,
      table.table.name,
      publishing ? publisherTo(() => graphqlUrl, credentials, region, answer) : undefined,
    ),
    context: (req) => req.context,
  });

  interface Inbound {
    method: string;
    target: string;
    headers: IncomingHttpHeaders;
    body: string;
  }

  /** The caller a request's Authorization header names, or an AuthError/SigV4Error. */
  async function callerOf(req: Inbound): Promise<CallerContext> {
    const authorization = req.headers.authorization;
    if (!authorization) throw new AuthError('missing', 'Valid authorization header not provided.');
    if (publishing && authorization.startsWith('AWS4-HMAC-SHA256 ')) {
      await verifySigV4(
        { method: req.method, url: req.target, headers: req.headers, body: req.body },
        { service: 'appsync', region, credentials },
      );
      return { sub: null };
    }
    return { sub: (await verify(authorization)).sub };
  }

  /** One request, from a socket or from the server's own publisher. */
  async function answer(req: Inbound): Promise<{ status: number; headers?: Record<string, string>; body: string }> {
    let caller: CallerContext;
    try {
      caller = await callerOf(req);
    } catch (error) {
      if (!(error instanceof AuthError || error instanceof SigV4Error)) throw error;
      const refusal = { errors: [{ errorType: 'UnauthorizedException', message: error.message }] };
      return { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify(refusal) };
    }
    const [text, init] = await graphql({
      method: req.method,
      url: req.target,
      headers: { get: (name) => (req.headers[name] as string | undefined) ?? null },
      body: req.body,
      raw: null,
      context: caller,
    });
    return { status: init.status, headers: init.headers as Record<string, string> | undefined, body: text ?? '' };
  }

  const server = http.createServer((req, res) => {
    // The body is read first, as a SigV4 signature covers it; at most 1 MB, as the local server reads.
    readBodyWithin(req, MAX_BODY_BYTES)
      .then(async (buffer) => {
        const { status, headers, body } = await answer({
          method: req.method ?? 'POST',
          target: req.url ?? '/',
          headers: req.headers,
          body: buffer.toString('utf8'),
        });
        res.writeHead(status, headers).end(body);
      })
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
  graphqlUrl = `http://127.0.0.1:${port}/graphql`;
  return {
    ready: { graphqlUrl },
    answers: await processAnswers(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
