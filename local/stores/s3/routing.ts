// Routing: which operation a request names (path-style addressing), in the order S3 checks things.
import { authenticate, type AuthSettings } from './authentication';
import type { BucketCors } from './cors';
import { S3Error, S3_NAMESPACE, escapeXml, methodNotAllowed, noSuchBucket, notImplemented } from './errors';
import { send, sendXml, type Exchange } from './exchange';
import type { S3Context } from './operations/context';
import { copyObject } from './operations/copy-object';
import { getObject } from './operations/get-object';
import { listBuckets, listObjects } from './operations/list';
import { putObject } from './operations/put-object';
import { parseTarget } from './target';

const MAX_KEY_BYTES = 1024;
// Sub-resources of S3 operations this endpoint does not implement; a request naming one gets 501, never a wrong answer.
const UNSUPPORTED_SUBRESOURCES = [
  'acl',
  'tagging',
  'uploads',
  'uploadId',
  'partNumber',
  'versionId',
  'versions',
  'retention',
  'legal-hold',
  'torrent',
  'restore',
  'select',
  'attributes',
  'cors',
  'policy',
  'lifecycle',
  'website',
  'versioning',
  'notification',
  'replication',
  'encryption',
  'logging',
  'object-lock',
  'ownershipControls',
  'publicAccessBlock',
  'accelerate',
  'requestPayment',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'delete',
  'session',
];

/** One running endpoint: its objects and settings, its credentials and its bucket CORS rule. */
export interface Endpoint {
  context: S3Context;
  auth: AuthSettings;
  cors: BucketCors;
}

/** Sends one request to its operation; anything refused is thrown as an S3Error. */
export async function route(endpoint: Endpoint, exchange: Exchange): Promise<void> {
  const { context, cors, auth: settings } = endpoint;
  const { store, region } = context;
  const { req } = exchange;
  const method = req.method ?? '';
  const target = parseTarget(req.url);
  const origin = req.headers.origin;
  if (method === 'OPTIONS') {
    cors.preflight(exchange, target, (bucket) => store.hasBucket(bucket));
    return;
  }
  if (typeof origin === 'string' && cors.allows(origin, method)) {
    exchange.corsHeaders = cors.headersFor(origin);
  }

  if (target.bucket === undefined) {
    if (method !== 'GET') throw methodNotAllowed(method, 'SERVICE');
    await authenticate(req, target, settings);
    listBuckets(context, exchange);
    return;
  }
  const { bucket, key } = target;
  if (!['GET', 'HEAD', 'PUT', 'DELETE', 'POST'].includes(method)) {
    throw methodNotAllowed(method, key === undefined ? 'BUCKET' : 'OBJECT');
  }
  if (!store.hasBucket(bucket)) throw noSuchBucket(bucket);
  if (key !== undefined && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', [
      ['Size', String(Buffer.byteLength(key, 'utf8'))],
      ['MaxSizeAllowed', String(MAX_KEY_BYTES)],
    ]);
  }
  const auth = await authenticate(req, target, settings);
  const subresource = UNSUPPORTED_SUBRESOURCES.find((name) => target.query[name] !== undefined);
  if (subresource !== undefined) throw notImplemented(`?${subresource}`);
  if (method === 'POST') throw notImplemented(`POST on ${key === undefined ? 'a bucket' : 'an object'}`);

  if (key === undefined) {
    if (method === 'HEAD') {
      send(exchange, 200, { 'x-amz-bucket-region': region }, '');
    } else if (method === 'GET') {
      if (target.query.location !== undefined) {
        sendXml(
          exchange,
          200,
          `<LocationConstraint xmlns="${S3_NAMESPACE}">${region === 'us-east-1' ? '' : escapeXml(region)}</LocationConstraint>`,
        );
      } else {
        listObjects(context, exchange, target, bucket);
      }
    } else {
      throw notImplemented(`${method} on a bucket`);
    }
    return;
  }
  switch (method) {
    case 'PUT':
      if (req.headers['x-amz-copy-source'] !== undefined) {
        await copyObject(context, exchange, bucket, key);
        return;
      }
      await putObject(context, exchange, bucket, key, auth);
      return;
    case 'GET':
    case 'HEAD':
      await getObject(context, exchange, target, bucket, key);
      return;
    case 'DELETE':
      await store.delete(bucket, key);
      send(exchange, 204, {});
      return;
  }
}
