// The HTTP server: one Exchange per request, routed to its operation; every failure answered as S3's XML error,
// including requests too malformed for Node to parse.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { SigV4Signer } from '../../server/auth/sigv4';
import { closeServer, endpointUrl, listen } from '../shared';
import type { AuthSettings } from './authentication';
import { discardBody } from './body';
import { BucketCors, DEFAULT_CORS_RULE } from './cors';
import { S3Error, errorXml } from './errors';
import { newRequestIds, sendError, type Exchange } from './exchange';
import { expireObjects } from './lifecycle';
import { ObjectStore } from './object-store';
import { DEFAULT_MAX_OBJECT_SIZE, validateOptions, type S3Server, type S3ServerOptions } from './options';
import { route, type Endpoint } from './routing';

/** S3 evaluates lifecycle rules asynchronously; an hour keeps the local bucket close to that without busy work. */
const LIFECYCLE_INTERVAL_MS = 60 * 60 * 1000;

export async function startS3Server(opts: S3ServerOptions): Promise<S3Server> {
  validateOptions(opts);
  const region = opts.region ?? 'us-east-1';
  const host = opts.host ?? '127.0.0.1';
  const cors = new BucketCors(opts.corsOrigins ?? [], opts.corsRule ?? DEFAULT_CORS_RULE);
  const auth: AuthSettings = {
    accessKeyId: opts.credentials.accessKeyId,
    region,
    // S3 signs the path as sent, with no second encoding.
    verifier: new SigV4Signer({ ...opts.credentials }, region, 's3', { uriEscapePath: false }),
  };
  const store = new ObjectStore(opts.dir, [...new Set(opts.buckets)]);
  await store.load();
  const lifecycleRules = opts.lifecycleRules ?? [];
  const now = opts.now ?? (() => new Date());
  const applyLifecycle = () =>
    expireObjects(store, lifecycleRules, now()).catch((error: unknown) =>
      console.error('[s3] applying lifecycle rules failed:', error),
    );
  let lifecycleTimer: NodeJS.Timeout | undefined;
  if (lifecycleRules.length > 0) {
    await applyLifecycle();
    lifecycleTimer = setInterval(applyLifecycle, opts.lifecycleIntervalMs ?? LIFECYCLE_INTERVAL_MS);
    lifecycleTimer.unref();
  }
  const endpoint: Endpoint = {
    context: {
      store,
      region,
      startedAt: new Date().toISOString(),
      maxObjectSize: opts.maxObjectSize ?? DEFAULT_MAX_OBJECT_SIZE,
    },
    auth,
    cors,
  };
  // Sockets with a request in progress: a protocol error there must not get a second response written into it.
  const busySockets = new Set<Socket>();

  const server = createServer((req, res) => handle(endpoint, req, res, busySockets));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (busySockets.has(socket) || !socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    answerUnparsable(socket, error);
  });

  const port = await listen(server, opts.port ?? 0, host);
  return {
    endpoint: endpointUrl(host, port),
    async close() {
      clearInterval(lifecycleTimer);
      await closeServer(server);
      await store.settle();
    },
  };
}

async function handle(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  busySockets: Set<Socket>,
): Promise<void> {
  const exchange: Exchange = { req, res, ...newRequestIds(), corsHeaders: {} };
  busySockets.add(req.socket);
  res.on('close', () => busySockets.delete(req.socket));
  res.on('error', () => res.destroy());
  req.on('error', () => undefined);
  try {
    await route(endpoint, exchange);
  } catch (error) {
    const s3Error =
      error instanceof S3Error
        ? error
        : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
    if (!(error instanceof S3Error)) console.error('[s3] internal error:', error);
    try {
      await discardBody(req, res);
      sendError(exchange, s3Error);
    } catch {
      res.destroy();
    }
  }
}

/** A request Node's parser refused (bad syntax, headers too large): S3's 400, then the connection closes. */
function answerUnparsable(socket: Socket, error: NodeJS.ErrnoException): void {
  const s3Error =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new S3Error(
          400,
          'RequestHeaderSectionTooLarge',
          'Your request header section exceeds the maximum allowed size.',
        )
      : new S3Error(400, 'BadRequest', 'An error occurred when parsing the HTTP request.');
  const { requestId, hostId } = newRequestIds();
  const body = errorXml(s3Error, requestId, hostId);
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
