// CopyObject: a PUT naming its source in x-amz-copy-source, answered with a CopyObjectResult. The request is
// authenticated like any other (x-amz-copy-source is an x-amz-* header, so it must be signed); one key pair stands for
// the caller, so there is no separate read permission on the source to check.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
import { readBody } from '../body';
import { S3Error, S3_NAMESPACE, element, noSuchBucket, noSuchKey, notImplemented } from '../errors';
import { sendXml, type Exchange } from '../exchange';
import type { ObjectMeta } from '../object-store';
import type { S3Context } from './context';

const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];
const CHECKSUM_ELEMENTS: Record<string, string> = {
  crc32: 'ChecksumCRC32',
  crc32c: 'ChecksumCRC32C',
  crc64nvme: 'ChecksumCRC64NVME',
  sha1: 'ChecksumSHA1',
  sha256: 'ChecksumSHA256',
};

function invalidArgument(message: string, name: string, value: string): S3Error {
  return new S3Error(400, 'InvalidArgument', message, [
    ['ArgumentName', name],
    ['ArgumentValue', value],
  ]);
}

/** `bucket/key` or `/bucket/key`, URL-encoded; a version id needs versioning, which this endpoint does not have. */
function parseCopySource(header: string): { bucket: string; key: string } {
  const [path, query] = header.split('?', 2);
  if (query !== undefined) {
    if (/(^|&)versionId=/.test(query)) throw notImplemented('x-amz-copy-source with a versionId');
    throw invalidArgument('Invalid copy source encoding.', 'x-amz-copy-source', header);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith('/') ? path.slice(1) : path);
  } catch {
    throw invalidArgument('Invalid copy source encoding.', 'x-amz-copy-source', header);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw invalidArgument(
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      'x-amz-copy-source',
      header,
    );
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag === etag || `"${tag}"` === etag);
}

export async function copyObject({ store }: S3Context, exchange: Exchange, bucket: string, key: string): Promise<void> {
  const { req } = exchange;
  const header = String(req.headers['x-amz-copy-source']);
  for (const unsupported of ['x-amz-copy-source-if-modified-since', 'x-amz-copy-source-if-unmodified-since']) {
    if (req.headers[unsupported] !== undefined) throw notImplemented(unsupported);
  }
  if (req.headers['x-amz-copy-source-range'] !== undefined) {
    // A byte range is for UploadPartCopy only.
    throw invalidArgument(
      'The x-amz-copy-source-range header is only supported with UploadPartCopy.',
      'x-amz-copy-source-range',
      String(req.headers['x-amz-copy-source-range']),
    );
  }
  const directive = String(req.headers['x-amz-metadata-directive'] ?? 'COPY');
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  }
  // A copy carries no body; anything sent is refused rather than silently dropped.
  const declaredLength = Number(req.headers['content-length'] ?? 0);
  if (declaredLength !== 0 || req.headers['transfer-encoding'] !== undefined) {
    throw new S3Error(400, 'InvalidRequest', 'A copy request must not carry a body.');
  }
  await readBody(req, 0);
  const source = parseCopySource(header);
  if (!store.hasBucket(source.bucket)) throw noSuchBucket(source.bucket);
  const stored = await store.get(source.bucket, source.key);
  if (!stored) throw noSuchKey(source.key);
  if (source.bucket === bucket && source.key === key && directive === 'COPY') {
    throw new S3Error(
      400,
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's " +
        'metadata, storage class, website redirect location or encryption attributes.',
    );
  }
  const ifMatch = req.headers['x-amz-copy-source-if-match'];
  const ifNoneMatch = req.headers['x-amz-copy-source-if-none-match'];
  if (
    (typeof ifMatch === 'string' && !etagMatches(ifMatch, stored.meta.etag)) ||
    (typeof ifNoneMatch === 'string' && etagMatches(ifNoneMatch, stored.meta.etag))
  ) {
    throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [
      ['Condition', typeof ifMatch === 'string' ? 'x-amz-copy-source-If-Match' : 'x-amz-copy-source-If-None-Match'],
    ]);
  }

  const meta: ObjectMeta = {
    ...stored.meta,
    key,
    lastModified: new Date().toISOString(),
    ...(directive === 'REPLACE' ? replacedMetadata(req.headers) : {}),
  };
  await store.put(bucket, meta, stored.body);
  const checksum = meta.checksum ? element(CHECKSUM_ELEMENTS[meta.checksum.algorithm], meta.checksum.value) : '';
  sendXml(
    exchange,
    200,
    `<CopyObjectResult xmlns="${S3_NAMESPACE}">${element('LastModified', meta.lastModified)}` +
      `${element('ETag', meta.etag)}${checksum}</CopyObjectResult>`,
  );
}

/** REPLACE: the content type, stored headers and user metadata of the request, none of the source's. */
function replacedMetadata(
  headers: NodeJS.Dict<string | string[]>,
): Pick<ObjectMeta, 'contentType' | 'headers' | 'metadata'> {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') stored[name] = value;
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = String(value);
  }
  const contentType = headers['content-type'];
  return {
    contentType: typeof contentType === 'string' ? contentType : 'binary/octet-stream',
    headers: stored,
    metadata,
  };
}
