// Request bodies: exactly the declared bytes, no more than the size limit, and the SDK's aws-chunked framing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBodyWithin } from '../shared';
import { S3Error, entityTooLarge, notImplemented } from './errors';

// A refused upload's body is read and dropped up to this size so the connection stays usable; beyond it we close.
const DRAIN_LIMIT = 1024 * 1024;

/** The body, at most `limit` bytes, as S3's errors when it is too large or the connection ends early. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  try {
    return await readBodyWithin(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw entityTooLarge(error.received, limit);
    throw new S3Error(
      400,
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header.',
    );
  }
}

interface DecodedChunks {
  data: Buffer;
  trailers: Map<string, string>;
}

/** aws-chunked: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n<trailer>:<value>\r\n\r\n`. */
export function decodeAwsChunked(raw: Buffer): DecodedChunks {
  const malformed = () => new S3Error(400, 'IncompleteBody', 'The aws-chunked request body is malformed or truncated.');
  const parts: Buffer[] = [];
  let position = 0;
  const readLine = (): string => {
    const end = raw.indexOf('\r\n', position);
    if (end === -1) throw malformed();
    const line = raw.subarray(position, end).toString('latin1');
    position = end + 2;
    return line;
  };
  for (;;) {
    const header = readLine();
    const sizeText = header.split(';')[0];
    if (header.includes(';')) throw notImplemented('chunk-signed aws-chunked bodies');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed();
    const size = parseInt(sizeText, 16);
    if (size === 0) break;
    if (
      position + size + 2 > raw.length ||
      raw.subarray(position + size, position + size + 2).toString('latin1') !== '\r\n'
    ) {
      throw malformed();
    }
    parts.push(raw.subarray(position, position + size));
    position += size + 2;
  }
  const trailers = new Map<string, string>();
  for (;;) {
    if (position >= raw.length) break;
    const line = readLine();
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed();
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  if (position !== raw.length) throw malformed();
  return { data: Buffer.concat(parts), trailers };
}

/** Leaves the connection reusable after a refusal: reads and drops a small unread body, or closes the socket. */
export async function discardBody(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.complete || req.readableEnded) return;
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared <= DRAIN_LIMIT) {
    await new Promise<void>((resolve) => {
      req.on('end', resolve);
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.resume();
    });
    return;
  }
  res.setHeader('connection', 'close');
  req.resume();
}
