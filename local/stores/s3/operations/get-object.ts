// GetObject and HeadObject: conditional requests, a single byte range, response header overrides, checksums.
import type { IncomingMessage } from 'node:http';
import { S3Error, noSuchKey } from '../errors';
import { send, type Exchange } from '../exchange';
import type { ObjectMeta, ObjectStore, StoredObject } from '../object-store';
import type { S3Context } from './context';
import { single, type Target } from '../target';

// Characters Node (and HTTP) can carry in a response header value.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

function objectHeaders(meta: ObjectMeta, withChecksum: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': meta.contentType,
    etag: meta.etag,
    'last-modified': new Date(meta.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...meta.headers,
  };
  for (const [name, value] of Object.entries(meta.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (withChecksum && meta.checksum) {
    headers[`x-amz-checksum-${meta.checksum.algorithm}`] = meta.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return headers;
}

/** 304/412 per the conditional headers, or undefined to go on. If-Match and If-None-Match win over the dates. */
function conditionalOutcome(req: IncomingMessage, meta: ObjectMeta): 304 | 412 | undefined {
  const etagMatches = (header: string) =>
    header
      .split(',')
      .map((tag) => tag.trim())
      .some((tag) => tag === '*' || tag.replace(/^W\//, '') === meta.etag || `"${tag}"` === meta.etag);
  const modified = Math.floor(new Date(meta.lastModified).getTime() / 1000) * 1000;
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  const ifModifiedSince = Date.parse(req.headers['if-modified-since'] ?? '');
  const ifUnmodifiedSince = Date.parse(req.headers['if-unmodified-since'] ?? '');
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch)) return 412;
  } else if (!Number.isNaN(ifUnmodifiedSince) && modified > ifUnmodifiedSince) {
    return 412;
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch)) return 304;
  } else if (!Number.isNaN(ifModifiedSince) && modified <= ifModifiedSince) {
    return 304;
  }
  return undefined;
}

/** A single `bytes=` range as S3 honours it; multiple or malformed ranges mean the whole object. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

export async function getObject(
  { store }: S3Context,
  exchange: Exchange,
  target: Target,
  bucket: string,
  key: string,
): Promise<void> {
  const { req } = exchange;
  // HEAD needs only the metadata; GET reads metadata and bytes together so they always belong to one version.
  const stored = req.method === 'HEAD' ? headOnly(store, bucket, key) : await store.get(bucket, key);
  if (!stored) throw noSuchKey(key);
  const { meta, body } = stored;
  const condition = conditionalOutcome(req, meta);
  if (condition === 412) {
    throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [
      ['Condition', req.headers['if-match'] !== undefined ? 'If-Match' : 'If-Unmodified-Since'],
    ]);
  }
  if (condition === 304) {
    send(exchange, 304, { etag: meta.etag, 'last-modified': new Date(meta.lastModified).toUTCString() });
    return;
  }
  const checksumMode = req.headers['x-amz-checksum-mode'] ?? single(target.query, 'x-amz-checksum-mode');
  const headers = objectHeaders(meta, checksumMode === 'ENABLED');
  if (req.method === 'GET') {
    for (const [parameter, header] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = single(target.query, parameter);
      if (value === undefined) continue;
      if (!HEADER_VALUE.test(value)) {
        throw new S3Error(400, 'InvalidArgument', 'Header value cannot be represented using ISO-8859-1.', [
          ['ArgumentName', parameter],
          ['ArgumentValue', value],
        ]);
      }
      headers[header] = value;
    }
  }
  const range = parseRange(typeof req.headers.range === 'string' ? req.headers.range : undefined, meta.size);
  if (range === 'unsatisfiable') {
    throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', [
      ['RangeRequested', String(req.headers.range)],
      ['ActualObjectSize', String(meta.size)],
    ]);
  }
  let status = 200;
  let start = 0;
  let end = meta.size - 1;
  if (range) {
    // A part of the object has no full-object checksum to offer.
    for (const name of Object.keys(headers)) if (name.startsWith('x-amz-checksum-')) delete headers[name];
    headers['content-range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
    ({ start, end } = range);
    status = 206;
  }
  if (req.method === 'HEAD') {
    send(exchange, status, { ...headers, 'content-length': String(end - start + 1) });
  } else {
    send(exchange, status, headers, body.subarray(start, end + 1));
  }
}

function headOnly(store: ObjectStore, bucket: string, key: string): StoredObject | undefined {
  const meta = store.head(bucket, key);
  return meta && { meta, body: Buffer.alloc(0) };
}
