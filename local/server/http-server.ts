// AppSync's HTTP contract on a local port: POST (or GET) /graphql with `{ query, variables, operationName }`,
// credentials checked before anything runs (401 UnauthorizedException), malformed requests answered 400
// MalformedHttpRequestException, GraphQL results and errors in AppSync's shapes. Also serves the GraphiQL console.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { AuthMode } from '../definition';
import { apiKeyCaller, authModes, userPoolCaller } from './auth/callers';
import { AuthError, type CognitoClaims } from './auth/cognito-jwt';
import { IamAuthError, isSigV4, verifyIamRequest, type IamSettings } from './auth/iam';
import { CONSOLE_ASSET_PREFIX, serveConsoleAsset } from './console/assets';
import type { Caller, ExecutionReport, GraphQLEngine, GraphQLRequest } from './engine';
import { RequestError, type AppSyncError } from './errors';
import { endpointUrl, requestUrl } from '../stores/shared';

export interface ServerAuth {
  default: AuthMode;
  additional?: AuthMode[];
  /** Valid `x-api-key` values, when API_KEY is one of the modes. */
  apiKeys?: string[];
  /** Verifies a user-pool JWT (signature, issuer, expiry, client), when AMAZON_COGNITO_USER_POOLS is a mode. */
  verifyUserPoolToken?: (token: string) => Promise<CognitoClaims>;
  /** Checks a SigV4-signed request against the local credentials, when AWS_IAM is a mode. */
  iam?: IamSettings;
}

export interface HttpServerOptions {
  /** The engine to run each request on; a function, so `npm run dev` can swap it without a restart. */
  engine: () => GraphQLEngine;
  auth: ServerAuth;
  port?: number;
  host?: string;
  maxBodyBytes?: number;
  /** The page served at `/`. */
  consolePage?: () => string;
  /** One line per request; with `verbose`, each resolver's evaluated handlers too. */
  log?: (line: string) => void;
  verbose?: boolean;
  /**
   * Called with every executed request before its answer is sent (real time publishes mutation results from here);
   * errors it returns are added to the response, as AppSync adds its own.
   */
  onExecuted?: (executed: { report: ExecutionReport; caller: Caller }) => AppSyncError[] | void;
  /** WebSocket upgrade requests, on every listener (real time). */
  onUpgrade?: (request: IncomingMessage, socket: Socket, head: Buffer) => void;
  /**
   * TLS with this certificate: on the main port beside plain HTTP (told apart by a connection's first byte), and on
   * a second listener of its own, both serving the same routes.
   */
  tls?: { port?: number; key: string; cert: string };
  /** JSON documents by path, for GET from any origin (the outputs file); undefined answers 404. */
  documents?: Record<string, () => unknown>;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The TLS listener's own port, when there is one. */
  tlsPort?: number;
  /**
   * Answers a GraphQL request the API sends itself (an HTTP data source naming its own endpoint) without a socket:
   * the same checks, execution and log line as over HTTP, and the headers Node's client and server would add. Other
   * paths are not served here (undefined): they go over HTTP.
   */
  answerOwnRequest(request: OwnRequest): Promise<OwnAnswer> | undefined;
  close(): Promise<void>;
}

/** A request as an HTTP client would send it to this server: headers without Host, Connection or Content-Length. */
export interface OwnRequest {
  method: string;
  /** Path and query. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

export interface OwnAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

const IDLE_CONNECTION_TIMEOUT_MS = 65_000;

// AppSync takes requests of up to 1 MB; a larger body is refused before parsing.
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers':
    'content-type, authorization, x-api-key, x-amz-date, x-amz-security-token, x-amz-user-agent',
  'access-control-max-age': '86400',
};

const JSON_TYPE = 'application/json; charset=UTF-8';

/** The headers of every answer with a body, over HTTP or to the API's own request. */
function answerHeaders(text: string, contentType = JSON_TYPE): Record<string, string> {
  return { ...CORS_HEADERS, 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)) };
}

function send(res: ServerResponse, status: number, body: unknown, contentType = JSON_TYPE): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, answerHeaders(text, contentType));
  res.end(text);
}

const tooLarge = (limit: number) =>
  new RequestError(413, 'PayloadTooLargeException', `Request body exceeds ${limit} bytes.`);

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const UNPARSEABLE = () => new RequestError(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.');

/** The GraphQL request from a POST body or GET parameters, shaped as AppSync requires. */
function graphQLRequest(method: string, url: URL, body: string): GraphQLRequest {
  let raw: unknown;
  if (method === 'GET') {
    const variables = url.searchParams.get('variables');
    try {
      raw = {
        query: url.searchParams.get('query'),
        variables: variables ? JSON.parse(variables) : undefined,
        operationName: url.searchParams.get('operationName') ?? undefined,
      };
    } catch {
      throw UNPARSEABLE();
    }
  } else {
    if (body.trim() === '') throw new RequestError(400, 'MalformedHttpRequestException', 'Request body is empty.');
    try {
      raw = JSON.parse(body);
    } catch {
      throw UNPARSEABLE();
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw UNPARSEABLE();
  const { query, variables, operationName } = raw as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '') throw UNPARSEABLE();
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw UNPARSEABLE();
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') throw UNPARSEABLE();
  return {
    query,
    variables: (variables as Record<string, unknown> | null | undefined) ?? null,
    operationName: (operationName as string | null | undefined) ?? null,
  };
}

/** A GraphQL request as the routes read it, from a socket or from the API itself. */
interface InboundRequest {
  method: string;
  /** The request target as sent (path and query). */
  target: string;
  url: URL;
  headers: IncomingHttpHeaders;
  remoteAddress: string;
  readBody(limit: number): Promise<string>;
}

function header(req: InboundRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Who is calling, by AppSync's rules: an API key by `x-api-key`, a user-pool JWT raw in `Authorization`. */
async function authenticate(
  req: InboundRequest,
  auth: ServerAuth,
  modes: ReadonlySet<AuthMode>,
  body: string,
): Promise<Caller> {
  const apiKey = header(req, 'x-api-key');
  const token = header(req, 'authorization');
  // A SigV4 Authorization header is IAM whatever else the request carries, as AppSync tells the modes apart.
  if (isSigV4(token) && modes.has('AWS_IAM') && auth.iam) {
    try {
      const identity = await verifyIamRequest(
        { method: req.method, url: req.target, headers: req.headers, body, sourceIp: req.remoteAddress },
        auth.iam,
      );
      return { mode: 'AWS_IAM', identity, groups: [], label: `iam ${identity.username}` };
    } catch (error) {
      if (error instanceof IamAuthError) throw new RequestError(401, 'UnauthorizedException', error.message);
      throw error;
    }
  }
  if (apiKey !== undefined && modes.has('API_KEY')) {
    if (!auth.apiKeys?.includes(apiKey)) {
      throw new RequestError(401, 'UnauthorizedException', 'You are not authorized to make this call.');
    }
    return apiKeyCaller();
  }
  if (token !== undefined && modes.has('AMAZON_COGNITO_USER_POOLS') && auth.verifyUserPoolToken) {
    try {
      return userPoolCaller(await auth.verifyUserPoolToken(token), req.remoteAddress);
    } catch (error) {
      if (error instanceof AuthError) throw new RequestError(401, 'UnauthorizedException', error.message);
      throw error;
    }
  }
  const message = modes.has('AMAZON_COGNITO_USER_POOLS')
    ? 'Valid authorization header not provided.'
    : 'You are not authorized to make this call.';
  throw new RequestError(401, 'UnauthorizedException', message);
}

function describeCalls(calls: string[]): string {
  const counts = new Map<string, number>();
  for (const name of calls) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name}×${n}`).join(', ') || 'no data source';
}

function verboseLines(report: ExecutionReport): string[] {
  const lines: string[] = [];
  for (const { field, handlers } of report.trace) {
    for (const h of handlers) {
      const where = `${field}${h.functionName ? ` [${h.functionName}]` : ''} ${h.handler}`;
      const outcome = h.evaluation.error ? { error: h.evaluation.error } : { result: h.evaluation.result };
      lines.push(`  ${where}: ${JSON.stringify(outcome)}`);
      for (const log of h.evaluation.logs) lines.push(`    console: ${log}`);
    }
  }
  return lines;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const modes = authModes(options.auth);
  const log = options.log ?? (() => {});

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    const url = requestUrl(req.url);
    if (!url) {
      send(res, 400, new RequestError(400, 'BadRequestException', 'The request target is not a path.').body());
      log(`${method} ${(req.url ?? '').slice(0, 100)} 400 not a path`);
      return;
    }
    if (method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    if (url.pathname === '/' && method === 'GET' && options.consolePage) {
      send(res, 200, options.consolePage(), 'text/html; charset=UTF-8');
      return;
    }
    if (url.pathname.startsWith(CONSOLE_ASSET_PREFIX) && options.consolePage) {
      serveConsoleAsset(method, url, res);
      return;
    }
    const documentAt = options.documents && Object.hasOwn(options.documents, url.pathname);
    const document = documentAt ? options.documents![url.pathname]() : undefined;
    if (document !== undefined) {
      if (method !== 'GET' && method !== 'HEAD') {
        send(
          res,
          405,
          new RequestError(405, 'MethodNotAllowedException', `${method} is not supported; use GET.`).body(),
        );
        return;
      }
      const text = `${JSON.stringify(document, null, 2)}\n`;
      res.writeHead(200, {
        ...CORS_HEADERS,
        'content-type': 'application/json; charset=UTF-8',
        'content-length': Buffer.byteLength(text),
        // It names this run's ports and pool: never worth caching.
        'cache-control': 'no-store',
      });
      res.end(method === 'HEAD' ? undefined : text);
      return;
    }
    if (url.pathname !== '/graphql') {
      send(res, 404, new RequestError(404, 'NotFoundException', `No route for ${url.pathname}.`).body());
      return;
    }
    const inbound: InboundRequest = {
      method,
      target: req.url ?? '/',
      url,
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
      readBody: (max) => readBody(req, max),
    };
    const { status, text } = await answerGraphQL(inbound, started);
    send(res, status, text);
  }

  /** POST or GET /graphql: the caller authenticated, the request executed, the answer and its log line. */
  async function answerGraphQL(req: InboundRequest, started: bigint): Promise<{ status: number; text: string }> {
    const { method, url } = req;
    if (method !== 'POST' && method !== 'GET') {
      const refusal = new RequestError(405, 'MethodNotAllowedException', `${method} is not supported; use POST.`);
      return { status: 405, text: JSON.stringify(refusal.body()) };
    }
    let status = 200;
    let summary = '';
    let text: string;
    try {
      const body = method === 'POST' ? await req.readBody(limit) : '';
      const caller = await authenticate(req, options.auth, modes, body);
      const request = graphQLRequest(method, url, body);
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : (value ?? ''),
        ]),
      );
      const engine = options.engine();
      // AppSync's subscriptions run over its real-time endpoint; one sent here gets the error of its retired
      // MQTT path (https://github.com/aws-samples/aws-amplify-appsync-graphql-real-time-canvas/issues/28; HTTP 400
      // per https://github.com/awslabs/aws-mobile-appsync-sdk-js/issues/628).
      if (await engine.isSubscription(request)) {
        throw new RequestError(400, 'BadRequestException', 'Subscriptions over MQTT is not supported.');
      }
      const report = await engine.execute(request, caller, { headers, domainName: null });
      const added = options.onExecuted?.({ report, caller });
      if (added && added.length > 0) report.body.errors = [...(report.body.errors ?? []), ...added];
      text = JSON.stringify(report.body);
      summary = `${report.operationName ?? 'anonymous'} ${caller.label} ${describeCalls(report.dataSourceCalls)}`;
      if (options.verbose) summary += `\n${verboseLines(report).join('\n')}`;
    } catch (error) {
      if (error instanceof RequestError) {
        status = error.status;
        summary = `${error.errorType}: ${error.message}`;
        text = JSON.stringify(error.body());
      } else {
        status = 500;
        summary = `InternalFailure: ${(error as Error).stack ?? String(error)}`;
        text = JSON.stringify(new RequestError(500, 'InternalFailure', 'An internal failure occurred.').body());
      }
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log(`${method} ${url.pathname} ${status} ${ms.toFixed(1)}ms ${summary}`);
    return { status, text };
  }

  function answerOwnRequest(own: OwnRequest): Promise<OwnAnswer> | undefined {
    const started = process.hrtime.bigint();
    const url = requestUrl(own.target);
    if (url?.pathname !== '/graphql' || (own.method !== 'POST' && own.method !== 'GET')) return undefined;
    const payload = own.body ?? '';
    const length = Buffer.byteLength(payload);
    // What Node's client sends besides the caller's headers, in its order: the body's length, Host, Connection, and
    // a POST without a body says Content-Length: 0 last.
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(own.headers)) headers[name.toLowerCase()] = value;
    if (own.body !== undefined) headers['content-length'] = String(length);
    headers.host = ownHost;
    headers.connection = 'keep-alive';
    if (own.body === undefined && own.method === 'POST') headers['content-length'] = '0';
    const inbound: InboundRequest = {
      method: own.method,
      target: own.target,
      url,
      headers,
      remoteAddress: '127.0.0.1',
      readBody: async (max) => {
        if (length > max) throw tooLarge(max);
        return payload;
      },
    };
    return answerGraphQL(inbound, started).then(({ status, text }) => ({
      status,
      statusText: http.STATUS_CODES[status] ?? '',
      // What send() sets, then what Node's server adds to a kept-alive response.
      headers: {
        ...answerHeaders(text),
        date: new Date().toUTCString(),
        connection: 'keep-alive',
        'keep-alive': `timeout=${IDLE_CONNECTION_TIMEOUT_MS / 1000}`,
      },
      body: text,
    }));
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent)
        send(res, 500, new RequestError(500, 'InternalFailure', 'An internal failure occurred.').body());
      else res.destroy();
    });
  };
  const host = options.host ?? '127.0.0.1';
  const plain = http.createServer(listener);
  const secure = options.tls && https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener);
  // Idle connections stay open longer than clients keep them (undici: 4 s), so it is always the client that closes
  // one: with Node's default of 5 s, a request sent just as a busy server's timer fires finds the socket reset.
  plain.keepAliveTimeout = IDLE_CONNECTION_TIMEOUT_MS;
  if (secure) secure.keepAliveTimeout = IDLE_CONNECTION_TIMEOUT_MS;
  if (options.onUpgrade) {
    plain.on('upgrade', options.onUpgrade);
    secure?.on('upgrade', options.onUpgrade);
  }
  // The listeners accept raw connections and hand each to the HTTP or the HTTPS server, which never listen
  // themselves: one port then serves `http://` and `https://` (so Amplify's wss:// beside an http:// data.url works).
  const sockets = new Set<Socket>();
  const accept = (route: (firstByte: number) => net.Server) =>
    net.createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {}); // a reset before the first byte; afterwards the server handling it reports
      socket.once('data', (chunk: Buffer) => {
        socket.pause();
        socket.unshift(chunk); // both servers read the connection from its first byte (TLSSocket takes buffered data)
        route(chunk[0]).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    });
  const listen = async (server: net.Server, port: number): Promise<number> => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  };
  // A TLS connection opens with a handshake record, content type 22 (RFC 8446 section 5.1); HTTP with a method name.
  const TLS_HANDSHAKE = 0x16;
  const main = accept((byte) => (secure && byte === TLS_HANDSHAKE ? secure : plain));
  const port = await listen(main, options.port ?? 0);
  // The Host header of the API's own requests (answerOwnRequest), as its data sources address it.
  const ownHost = new URL(endpointUrl(host, port)).host;
  let tlsOnly: net.Server | undefined;
  let tlsPort: number | undefined;
  if (secure) {
    tlsOnly = accept(() => secure);
    try {
      tlsPort = await listen(tlsOnly, options.tls!.port ?? 0);
    } catch (error) {
      main.close();
      throw error;
    }
  }
  const stop = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url: endpointUrl(host, port),
    port,
    tlsPort,
    answerOwnRequest,
    close: async () => {
      const stopped = Promise.all([stop(main), tlsOnly ? stop(tlsOnly) : Promise.resolve()]);
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}
