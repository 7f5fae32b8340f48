// One request and its response: S3's request ids and headers on every answer, errors as S3's XML.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorXml, type S3Error } from './errors';

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  hostId: string;
  /** CORS headers for an allowed origin, added to every response including errors. */
  corsHeaders: Record<string, string>;
}

export function send(
  exchange: Exchange,
  status: number,
  headers: Record<string, string>,
  body?: Buffer | string,
): void {
  const { res } = exchange;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'x-amz-request-id': exchange.requestId,
    'x-amz-id-2': exchange.hostId,
    server: 'AmazonS3',
    ...exchange.corsHeaders,
    ...headers,
    ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
  });
  res.end(exchange.req.method === 'HEAD' ? undefined : body);
}

export function sendXml(exchange: Exchange, status: number, xml: string): void {
  send(exchange, status, { 'content-type': 'application/xml' }, '<?xml version="1.0" encoding="UTF-8"?>\n' + xml);
}

export function sendError(exchange: Exchange, error: S3Error): void {
  const body = errorXml(error, exchange.requestId, exchange.hostId);
  // HEAD errors carry no body, as on S3; the status says it all.
  send(exchange, error.status, { 'content-type': 'application/xml' }, body);
}

/** A fresh request id and host id, in the shapes S3 gives them. */
export function newRequestIds(): { requestId: string; hostId: string } {
  return { requestId: randomBytes(8).toString('hex').toUpperCase(), hostId: randomBytes(24).toString('base64') };
}
