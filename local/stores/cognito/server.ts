// The pool's HTTP front, as Cognito's endpoint answers: the API on `POST /` (AWS JSON 1.1, the operation in
// X-Amz-Target), each pool's JWKS and OpenID configuration, and CORS for browser clients. IAM-only operations need a
// SigV4 signature made with the data folder's credentials (service cognito-idp). API calls run one at a time, so
// each sees the pool as the previous one left it on disk.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LocalCredentials } from '../../server/credentials';
import { SigV4Error, verifySigV4 } from '../../server/auth/sigv4';
import { BodyTooLargeError, IncompleteBodyError, readBodyWithin, requestUrl } from '../shared';
import type { PoolContext } from './context';
import { CognitoError } from './errors';
import { OPERATIONS, UNSUPPORTED_PUBLIC_OPERATIONS } from './operations';

const SERVICE = 'AWSCognitoIdentityProviderService';
const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/x-amz-json-1.1';

export interface FrontOptions {
  ctx: PoolContext;
  /** The key pair IAM-signed calls must be signed with, and the region they are scoped to. */
  credentials: LocalCredentials;
  region: string;
  /** Unexpected internal errors (never client mistakes). */
  onError(error: unknown): void;
}

export function createPoolServer(options: FrontOptions): Server {
  const api = oneAtATime((operation: string, request: Record<string, unknown>) =>
    OPERATIONS[operation].run(options.ctx, request),
  );
  const server = createServer((req, res) => {
    handle(req, res, options, api).catch((error: unknown) => {
      options.onError(error);
      if (!res.headersSent) sendError(res, new CognitoError('InternalErrorException', 'Internal error', 500));
      else res.destroy();
    });
  });
  return server;
}

type Api = (operation: string, request: Record<string, unknown>) => Promise<unknown>;

function oneAtATime(api: Api): Api {
  let queue: Promise<unknown> = Promise.resolve();
  return (operation, request) => {
    const run = queue.then(() => api(operation, request));
    queue = run.catch(() => undefined);
    return run;
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: FrontOptions, api: Api): Promise<void> {
  // Cognito's API answers browsers from any origin, and lets them read its error headers.
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date');
  res.setHeader('x-amzn-requestid', randomUUID());
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
    res.setHeader('access-control-max-age', '86400');
    res.writeHead(204).end();
    return;
  }
  const url = requestUrl(req.url);
  if (!url) {
    req.resume();
    return sendJson(res, 400, { message: `Not a request target: ${req.url ?? ''}` }, 'application/json');
  }
  const path = url.pathname;
  if (req.method === 'GET') {
    req.resume();
    const wellKnown = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(path);
    if (wellKnown) return serveWellKnown(res, options.ctx, wellKnown[1], wellKnown[2]);
    if (path === '/health') return sendJson(res, 200, { ok: true }, 'application/json');
  }
  if (req.method === 'POST' && path === '/') return serveApi(req, res, options, api);
  req.resume();
  sendJson(res, 404, { message: `No route for ${req.method ?? ''} ${path}` }, 'application/json');
}

function serveWellKnown(res: ServerResponse, ctx: PoolContext, poolId: string, document: string): void {
  if (poolId !== ctx.store.doc.pool.id) {
    return sendJson(res, 404, { message: `User pool ${poolId} does not exist.` }, 'application/json');
  }
  if (document === 'jwks.json') {
    return sendJson(res, 200, { keys: [ctx.keys.id.publicJwk, ctx.keys.access.publicJwk] }, 'application/json');
  }
  const issuer = ctx.issuer();
  sendJson(
    res,
    200,
    {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['code', 'token'],
    },
    'application/json',
  );
}

async function serveApi(req: IncomingMessage, res: ServerResponse, options: FrontOptions, api: Api): Promise<void> {
  const target = req.headers['x-amz-target'];
  const [service, operation] = typeof target === 'string' ? target.split('.') : [];
  let body: Buffer;
  try {
    body = await readBodyWithin(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return sendError(
        res,
        new CognitoError('SerializationException', `Request body is over ${MAX_BODY_BYTES} bytes`, 413),
      );
    }
    if (error instanceof IncompleteBodyError) return;
    throw error;
  }
  if (service !== SERVICE || !operation) {
    return sendError(
      res,
      new CognitoError('UnknownOperationException', `Missing or unknown X-Amz-Target: ${String(target)}`),
    );
  }
  const entry = OPERATIONS[operation];
  if (!entry) {
    if (UNSUPPORTED_PUBLIC_OPERATIONS.has(operation)) {
      return sendError(
        res,
        new CognitoError('UnsupportedOperationException', `The local user pool does not support ${operation}.`),
      );
    }
    if (!req.headers.authorization) {
      return sendError(res, new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token'));
    }
    return sendError(
      res,
      new CognitoError('UnknownOperationException', `The local user pool does not support ${operation}.`),
    );
  }
  if (entry.caller === 'iam') {
    try {
      await verifySigV4(
        { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
        { service: 'cognito-idp', region: options.region, credentials: options.credentials },
      );
    } catch (error) {
      if (error instanceof SigV4Error) return sendError(res, new CognitoError(error.code, error.message, error.status));
      throw error;
    }
  }
  let request: unknown;
  try {
    request = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return sendError(res, new CognitoError('SerializationException', 'The request body is not valid JSON'));
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return sendError(res, new CognitoError('SerializationException', 'The request body must be a JSON object'));
  }
  try {
    const result = await api(operation, request as Record<string, unknown>);
    sendJson(res, 200, result ?? {}, JSON_TYPE);
  } catch (error) {
    if (error instanceof CognitoError) return sendError(res, error);
    throw error;
  }
}

function sendError(res: ServerResponse, error: CognitoError): void {
  res.setHeader('x-amzn-errortype', error.code);
  sendJson(res, error.status, { __type: error.code, message: error.message }, JSON_TYPE);
}

function sendJson(res: ServerResponse, status: number, body: unknown, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(body));
}
