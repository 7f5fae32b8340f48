// PutObject: the declared length, metadata limits, aws-chunked bodies and every integrity check before storing.
import { createHash } from 'node:crypto';
import { UNSIGNED_PAYLOAD } from '@smithy/signature-v4';
import { SHA256_HEX, STREAMING_UNSIGNED_TRAILER, type Authenticated } from '../authentication';
import { decodeAwsChunked, readBody } from '../body';
import { verifyChecksums, verifyContentMd5 } from '../checksums';
import { S3Error, entityTooLarge, notImplemented } from '../errors';
import { send, type Exchange } from '../exchange';
import type { ObjectMeta } from '../object-store';
import type { S3Context } from './context';

const MAX_USER_METADATA_BYTES = 2048;
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

export async function putObject(
  { store, maxObjectSize }: S3Context,
  exchange: Exchange,
  bucket: string,
  key: string,
  auth: Authenticated,
): Promise<void> {
  const { req } = exchange;
  const contentEncodings = String(req.headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const chunked = auth.payloadHash.startsWith('STREAMING-');
  if (chunked && auth.payloadHash !== STREAMING_UNSIGNED_TRAILER)
    throw notImplemented(`x-amz-content-sha256: ${auth.payloadHash}`);
  if (!chunked && auth.payloadHash !== UNSIGNED_PAYLOAD && !SHA256_HEX.test(auth.payloadHash)) {
    throw new S3Error(
      400,
      'InvalidArgument',
      'X-Amz-Content-Sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.',
      [
        ['ArgumentName', 'X-Amz-Content-Sha256'],
        ['ArgumentValue', auth.payloadHash],
      ],
    );
  }

  const lengthHeader = req.headers['content-length'];
  const declaredLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
  const decodedHeader = req.headers['x-amz-decoded-content-length'];
  let expectedObjectSize: number;
  if (chunked) {
    if (typeof decodedHeader !== 'string' || !/^\d+$/.test(decodedHeader)) {
      throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    }
    expectedObjectSize = Number(decodedHeader);
  } else {
    if (declaredLength === undefined || !Number.isSafeInteger(declaredLength)) {
      throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    }
    expectedObjectSize = declaredLength;
  }
  if (expectedObjectSize > maxObjectSize) throw entityTooLarge(expectedObjectSize, maxObjectSize);

  const metadata: Record<string, string> = {};
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith('x-amz-meta-')) continue;
    const metaName = name.slice('x-amz-meta-'.length);
    metadata[metaName] = String(value);
    metadataBytes += Buffer.byteLength(metaName) + Buffer.byteLength(String(value));
  }
  if (metadataBytes > MAX_USER_METADATA_BYTES) {
    throw new S3Error(400, 'MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', [
      ['Size', String(metadataBytes)],
      ['MaxSizeAllowed', String(MAX_USER_METADATA_BYTES)],
    ]);
  }

  // The raw body limit leaves room for aws-chunked framing (a few bytes per chunk, plus the trailer).
  const raw = await readBody(
    req,
    chunked ? expectedObjectSize + 64 * 1024 + expectedObjectSize / 64 : expectedObjectSize,
  );
  if (!chunked && raw.length !== declaredLength) {
    throw new S3Error(
      400,
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header.',
    );
  }
  if (SHA256_HEX.test(auth.payloadHash)) {
    const computed = createHash('sha256').update(raw).digest('hex');
    if (computed !== auth.payloadHash) {
      throw new S3Error(
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        [
          ['ClientComputedContentSHA256', auth.payloadHash],
          ['S3ComputedContentSHA256', computed],
        ],
      );
    }
  }
  let body = raw;
  let trailers = new Map<string, string>();
  if (chunked) {
    ({ data: body, trailers } = decodeAwsChunked(raw));
    if (body.length !== expectedObjectSize) {
      throw new S3Error(
        400,
        'IncompleteBody',
        'You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header.',
      );
    }
    const announcedTrailer = req.headers['x-amz-trailer'];
    if (typeof announcedTrailer === 'string' && !trailers.has(announcedTrailer.toLowerCase())) {
      throw new S3Error(
        400,
        'MalformedTrailerError',
        'The request contained trailing data that was not well-formed or did not conform to our published schema.',
      );
    }
  }
  const md5 = createHash('md5').update(body).digest();
  verifyContentMd5(req, md5);
  const checksum = verifyChecksums(req, body, trailers);

  const storedHeaders: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string' && value !== '') storedHeaders[name] = value;
  }
  const remainingEncodings = contentEncodings.filter((encoding) => encoding !== 'aws-chunked');
  if (remainingEncodings.length > 0) storedHeaders['content-encoding'] = remainingEncodings.join(', ');
  else delete storedHeaders['content-encoding'];

  const meta: ObjectMeta = {
    key,
    size: body.length,
    etag: `"${md5.toString('hex')}"`,
    lastModified: new Date().toISOString(),
    contentType: typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : 'binary/octet-stream',
    headers: storedHeaders,
    metadata,
    ...(checksum ? { checksum } : {}),
  };
  // Bytes past the declared length arrive as a malformed next request, which gets the connection dropped; an upload
  // whose sender can no longer learn the outcome is not committed.
  if (req.socket.destroyed) {
    throw new S3Error(400, 'IncompleteBody', 'The connection failed before the upload could be acknowledged.');
  }
  await store.put(bucket, meta, body);
  const headers: Record<string, string> = { etag: meta.etag, 'x-amz-server-side-encryption': 'AES256' };
  if (checksum) {
    headers[`x-amz-checksum-${checksum.algorithm}`] = checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  send(exchange, 200, headers, '');
}
