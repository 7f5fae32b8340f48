// The WebSocket handshake on /graphql/realtime: the `graphql-ws` subprotocol, and the header object carrying the
// connection's authorization in one of the three places AWS documents [doc]:
//   1. the `header` query parameter, base64 of the JSON object, with `payload` (base64 of `{}`) beside it;
//   2. a `header-<base64url of the JSON object>` subprotocol next to `graphql-ws` (what Amplify JS v6 sends);
//   3. plain HTTP headers on the upgrade request.
//   [doc] https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html
import type { IncomingMessage } from 'node:http';
import type { HeaderObject } from './authorize';
import { GRAPHQL_WS_PROTOCOL, HEADER_PROTOCOL_PREFIX } from './protocol';
import { requestUrl } from '../../stores/shared';

export const REALTIME_PATH = '/graphql/realtime';

export type Handshake =
  { ok: true; header: HeaderObject; source: 'query' | 'subprotocol' | 'headers' } | { ok: false; message: string };

/** The subprotocols a client offered, in order. */
export function offeredProtocols(request: IncomingMessage): string[] {
  const raw = request.headers['sec-websocket-protocol'];
  const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Decodes base64 or base64url text holding a JSON object; undefined when it is not one. */
function decodeObject(text: string): HeaderObject | undefined {
  try {
    const json = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as HeaderObject) : undefined;
  } catch {
    return undefined;
  }
}

const HTTP_AUTH_HEADERS = [
  'authorization',
  'x-api-key',
  'x-amz-date',
  'x-amz-security-token',
  'host',
  'accept',
  'content-encoding',
  'content-type',
];

export function readHandshake(request: IncomingMessage): Handshake {
  const url = requestUrl(request.url);
  if (!url) return { ok: false, message: 'The request target is not a path.' };
  const query = url.searchParams.get('header');
  if (query !== null) {
    const header = decodeObject(query);
    if (!header) return { ok: false, message: 'The header query parameter is not base64-encoded JSON.' };
    const payload = url.searchParams.get('payload');
    if (payload === null || decodeObject(payload) === undefined) {
      return { ok: false, message: 'The payload query parameter must be base64-encoded JSON ({} is e30=).' };
    }
    return { ok: true, header, source: 'query' };
  }
  const headerProtocol = offeredProtocols(request).find((p) => p.startsWith(HEADER_PROTOCOL_PREFIX));
  if (headerProtocol !== undefined) {
    const header = decodeObject(headerProtocol.slice(HEADER_PROTOCOL_PREFIX.length));
    if (!header) return { ok: false, message: 'The header subprotocol is not base64url-encoded JSON.' };
    return { ok: true, header, source: 'subprotocol' };
  }
  const header: HeaderObject = {};
  for (const name of HTTP_AUTH_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') header[name] = value;
  }
  return { ok: true, header, source: 'headers' };
}

export function offersGraphqlWs(request: IncomingMessage): boolean {
  return offeredProtocols(request).includes(GRAPHQL_WS_PROTOCOL);
}
