// AppSync real time for any API the local server runs: WebSocket upgrades on /graphql/realtime (on the plain and
// the TLS listener alike) become connections, mutations executed over HTTP are published to their subscribers.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Caller, ExecutionReport, GraphQLEngine } from '../engine';
import type { AppSyncError } from '../errors';
import { RealtimeAuthenticator, RealtimeAuthError, type RealtimeAuthOptions } from './authorize';
import { RealtimeConnection, type ConnectionTimings } from './connection';
import { offersGraphqlWs, readHandshake, REALTIME_PATH } from './handshake';
import { SubscriptionHub } from './hub';
import { requestUrl } from '../../stores/shared';
import { errors, GRAPHQL_WS_PROTOCOL, LIMITS, type RealtimeError } from './protocol';

export { REALTIME_PATH } from './handshake';

export interface RealtimeOptions {
  engine: () => GraphQLEngine;
  auth: RealtimeAuthOptions;
  log?: (line: string) => void;
  /** Shorter keep-alive and lifetime than AppSync's, for tests. */
  timings?: Partial<ConnectionTimings>;
}

export interface Realtime {
  /** For the HTTP server's `upgrade` event. */
  handleUpgrade(request: IncomingMessage, socket: Socket, head: Buffer): void;
  /** For the HTTP server's `onExecuted`: publishes mutation results; errors to add to the response. */
  publish(executed: { report: ExecutionReport; caller: Caller }): AppSyncError[];
  hub: SubscriptionHub;
  /** Open connections. */
  readonly connections: number;
  close(): Promise<void>;
}

function refuseUpgrade(socket: Socket, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message }] });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function createRealtime(options: RealtimeOptions): Realtime {
  const log = options.log ?? (() => {});
  const timings: ConnectionTimings = {
    keepAliveIntervalMs: options.timings?.keepAliveIntervalMs ?? LIMITS.keepAliveIntervalMs,
    maxConnectionDurationMs: options.timings?.maxConnectionDurationMs ?? LIMITS.maxConnectionDurationMs,
  };
  const hub = new SubscriptionHub(options.engine, options.auth.default, log);
  const auth = new RealtimeAuthenticator(options.auth);
  const connections = new Set<RealtimeConnection>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.maxInboundFrameBytes,
    // Answer with graphql-ws alone: the header-<...> subprotocol only carries the credentials.
    handleProtocols: (protocols) => (protocols.has(GRAPHQL_WS_PROTOCOL) ? GRAPHQL_WS_PROTOCOL : false),
  });

  return {
    hub,
    get connections() {
      return connections.size;
    },
    handleUpgrade(request, socket, head) {
      const path = requestUrl(request.url)?.pathname;
      if (path === undefined) {
        refuseUpgrade(socket, 400, 'Bad Request', 'The request target is not a path.');
        return;
      }
      if (path !== REALTIME_PATH) {
        refuseUpgrade(socket, 404, 'Not Found', `No WebSocket endpoint at ${path}; real time is at ${REALTIME_PATH}.`);
        return;
      }
      if (!offersGraphqlWs(request)) {
        refuseUpgrade(socket, 400, 'Bad Request', `Real time needs the ${GRAPHQL_WS_PROTOCOL} subprotocol.`);
        return;
      }
      const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
      const handshake = readHandshake(request);
      const authorized: Promise<{ caller: Caller } | { refusal: RealtimeError }> = handshake.ok
        ? auth.connect(handshake.header, sourceIp).then(
            (caller) => ({ caller }),
            (error: unknown) => {
              if (!(error instanceof RealtimeAuthError)) throw error;
              log(`WS connection refused: ${error.detail}`);
              return { refusal: errors.connectionUnauthorized(error.message) };
            },
          )
        : Promise.resolve({ refusal: errors.badRequest(handshake.message) });
      // The upgrade completes whatever the credentials: AppSync answers a refused one with connection_error on the
      // open socket, which is where clients look for it.
      wss.handleUpgrade(request, socket, head, (ws) => {
        // Messages wait for the verdict, in order.
        const early: Array<[Buffer, boolean]> = [];
        const hold = (data: Buffer, isBinary: boolean) => early.push([data, isBinary]);
        ws.on('message', hold);
        authorized.then(
          (verdict) => {
            ws.off('message', hold);
            const connection = new RealtimeConnection({
              socket: ws,
              handshake: verdict,
              sourceIp,
              engine: options.engine,
              hub,
              auth,
              timings,
              log,
              onClose: () => connections.delete(connection),
            });
            connections.add(connection);
            if ('caller' in verdict) log(`WS connected ${verdict.caller.label}`);
            for (const [data, isBinary] of early) ws.emit('message', data, isBinary);
          },
          (error: unknown) => {
            log(`WS handshake failed: ${(error as Error).stack ?? String(error)}`);
            ws.close(1011);
          },
        );
      });
    },
    publish({ report }) {
      return hub.publish(report, (outcome) => {
        if (outcome.delivered + outcome.oversized + outcome.invalidated === 0) return;
        log(
          `WS published ${report.operationName ?? 'anonymous'}: ${outcome.delivered} delivered` +
            (outcome.oversized ? `, ${outcome.oversized} over the size limit` : '') +
            (outcome.invalidated ? `, ${outcome.invalidated} invalidated` : ''),
        );
      });
    },
    async close() {
      for (const connection of [...connections]) connection.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
