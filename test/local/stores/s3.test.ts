// The local S3 endpoint against the real AWS SDK v3: presigned URLs from @aws-sdk/s3-request-presigner sent with
// global fetch, and @aws-sdk/client-s3 calls signed in the Authorization header, as our clients and Lambdas use them.
import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3ServerOptions } from '../../../local/stores/s3';

const credentials = { accessKeyId: 'AKIALOCALUPLOADS', secretAccessKey: 'local-uploads-secret' };
const BUCKET = 'uploads';
const OTHER_BUCKET = 'other-uploads';
const ALLOWED_ORIGIN = 'http://localhost:5173';

interface Running {
  endpoint: string;
  close(): Promise<void>;
}

function clientFor(endpoint: string, config: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials,
    // As functions/lib/s3.ts configures it; the SDK default is covered by its own test below.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    ...config,
  });
}

interface UploadUrlOptions {
  key: string;
  contentType?: string;
  contentLength?: number;
  bucket?: string;
  expiresIn?: number;
  signingDate?: Date;
  client?: S3Client;
  signContentType?: boolean;
}

/** A presigned PUT as the create-upload-url function makes it: Content-Type and Content-Length signed. */
function uploadUrl(s3: S3Client, options: UploadUrlOptions): Promise<string> {
  const command = new PutObjectCommand({
    Bucket: options.bucket ?? BUCKET,
    Key: options.key,
    ContentType: options.contentType ?? 'image/png',
    ContentLength: options.contentLength ?? 10,
  });
  return getSignedUrl(options.client ?? s3, command, {
    expiresIn: options.expiresIn ?? 300,
    ...(options.signingDate ? { signingDate: options.signingDate } : {}),
    ...(options.signContentType === false ? {} : { signableHeaders: new Set(['content-type']) }),
  });
}

function bytes(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 256);
}

function errorCode(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}

function errorMessage(xml: string): string | undefined {
  return /<Message>([^<]*)<\/Message>/.exec(xml)?.[1];
}

async function expectAbsent(s3: S3Client, key: string, bucket = BUCKET): Promise<void> {
  await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).rejects.toMatchObject({
    name: 'NotFound',
  });
}

async function readAll(s3: S3Client, key: string, bucket = BUCKET): Promise<Uint8Array> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToByteArray();
}

/** Sends raw bytes on a fresh connection and returns everything the server wrote back before closing. */
function rawExchange(endpoint: string, request: string | Buffer, halfClose = true): Promise<string> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' ? resolve(Buffer.concat(chunks).toString()) : reject(error),
    );
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('connect', () => {
      socket.write(request);
      if (halfClose) socket.end();
    });
  });
}

/** node:crypto SHA-256/HMAC in the shape @smithy/signature-v4 takes, for requests the SDK would not send. */
class Sha256 {
  private readonly hash;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** Signs a request in the Authorization header with full control over headers and date, then sends it with fetch. */
async function signedFetch(
  endpoint: string,
  init: {
    method: string;
    path: string;
    query?: Record<string, string>;
    headers: Record<string, string>;
    body?: Uint8Array;
    signingDate?: Date;
  },
): Promise<Response> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials,
    sha256: Sha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign(
    {
      method: init.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: init.path,
      query: init.query ?? {},
      headers: { host: url.host, ...init.headers },
      body: init.body,
    },
    { signingDate: init.signingDate ?? new Date() },
  );
  const headers = { ...signed.headers };
  delete headers.host;
  const search = new URLSearchParams(init.query).toString().replace(/=$/, '');
  return fetch(`${endpoint}${init.path}${search ? `?${search}` : ''}`, {
    method: init.method,
    headers,
    body: init.body,
  });
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('startS3Server', () => {
  let server: Running;
  let s3: S3Client;

  beforeAll(async () => {
    server = await startS3Server({
      credentials,
      buckets: [BUCKET, OTHER_BUCKET],
      corsOrigins: [ALLOWED_ORIGIN],
      maxObjectSize: 64 * 1024,
    });
    s3 = clientFor(server.endpoint);
  });

  afterAll(async () => {
    s3.destroy();
    await server.close();
  });

  describe('presigned PUT', () => {
    it('accepts an upload with exactly the signed Content-Type and Content-Length', async () => {
      const body = bytes(10);
      const url = await uploadUrl(s3, { key: 'u1/exact.png' });
      const response = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'u1/exact.png' }));
      expect(head.ContentType).toBe('image/png');
      expect(head.ContentLength).toBe(10);
      expect(await readAll(s3, 'u1/exact.png')).toEqual(body);
    });

    it('signs Content-Type and Content-Length into the URL when asked to', async () => {
      const url = new URL(await uploadUrl(s3, { key: 'u1/signed-headers.png' }));
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    });

    it('refuses a Content-Type other than the signed one and stores nothing', async () => {
      const url = await uploadUrl(s3, { key: 'u1/wrong-type.png' });
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'text/html' } });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('SignatureDoesNotMatch');
      await expectAbsent(s3, 'u1/wrong-type.png');
    });

    it('refuses a body longer than the signed Content-Length and stores nothing', async () => {
      const url = await uploadUrl(s3, { key: 'u1/too-long.png' });
      const response = await fetch(url, { method: 'PUT', body: bytes(11), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('SignatureDoesNotMatch');
      await expectAbsent(s3, 'u1/too-long.png');
    });

    it('refuses a body shorter than the signed Content-Length and stores nothing', async () => {
      const url = await uploadUrl(s3, { key: 'u1/too-short.png' });
      const response = await fetch(url, { method: 'PUT', body: bytes(9), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('SignatureDoesNotMatch');
      await expectAbsent(s3, 'u1/too-short.png');
    });

    it('stores nothing when the connection ends before the declared Content-Length', async () => {
      const url = new URL(await uploadUrl(s3, { key: 'u1/cut-off.png' }));
      const head =
        `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: image/png\r\n` +
        'Content-Length: 10\r\nConnection: close\r\n\r\n';
      const reply = await rawExchange(server.endpoint, Buffer.concat([Buffer.from(head), Buffer.from(bytes(5))]));
      expect(reply).not.toMatch(/^HTTP\/1\.1 200/);
      await expectAbsent(s3, 'u1/cut-off.png');
    });

    it('stores nothing when the body runs past the declared Content-Length', async () => {
      const url = new URL(await uploadUrl(s3, { key: 'u1/overrun.png' }));
      const head =
        `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: image/png\r\n` +
        'Content-Length: 10\r\n\r\n';
      const reply = await rawExchange(
        server.endpoint,
        Buffer.concat([Buffer.from(head), Buffer.from(bytes(15))]),
        false,
      );
      expect(reply).not.toMatch(/^HTTP\/1\.1 200/);
      await expectAbsent(s3, 'u1/overrun.png');
    });

    it('refuses a chunked upload that declares no Content-Length', async () => {
      const url = new URL(await uploadUrl(s3, { key: 'u1/chunked.png' }));
      const request =
        `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: image/png\r\n` +
        'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\na\r\n0123456789\r\n0\r\n\r\n';
      const reply = await rawExchange(server.endpoint, request, false);
      expect(reply).toMatch(/^HTTP\/1\.1 403/);
      expect(errorCode(reply)).toBe('SignatureDoesNotMatch');
      await expectAbsent(s3, 'u1/chunked.png');
    });

    it('refuses a tampered signature', async () => {
      const url = new URL(await uploadUrl(s3, { key: 'u1/tampered.png' }));
      const signature = url.searchParams.get('X-Amz-Signature')!;
      url.searchParams.set('X-Amz-Signature', (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1));
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('SignatureDoesNotMatch');
      await expectAbsent(s3, 'u1/tampered.png');
    });

    it('refuses the URL when it is used for another key', async () => {
      const url = new URL(await uploadUrl(s3, { key: 'u1/mine.png' }));
      url.pathname = `/${BUCKET}/u2/theirs.png`;
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('SignatureDoesNotMatch');
      await expectAbsent(s3, 'u2/theirs.png');
    });

    it('refuses the URL when it is used for another bucket', async () => {
      const url = new URL(await uploadUrl(s3, { key: 'u1/bucket.png' }));
      url.pathname = `/${OTHER_BUCKET}/u1/bucket.png`;
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('SignatureDoesNotMatch');
      await expectAbsent(s3, 'u1/bucket.png', OTHER_BUCKET);
    });

    it('refuses the URL for another HTTP method', async () => {
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'u1/method.png' }), {
        expiresIn: 60,
      });
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('SignatureDoesNotMatch');
      await expectAbsent(s3, 'u1/method.png');
    });

    it('refuses an expired URL with "Request has expired" and stores nothing', async () => {
      const url = await uploadUrl(s3, {
        key: 'u1/expired.png',
        expiresIn: 60,
        signingDate: new Date(Date.now() - 61_000),
      });
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      const xml = await response.text();
      expect(errorCode(xml)).toBe('AccessDenied');
      expect(errorMessage(xml)).toBe('Request has expired');
      expect(xml).toContain('<X-Amz-Expires>60</X-Amz-Expires>');
      await expectAbsent(s3, 'u1/expired.png');
    });

    it('accepts a URL until its last second', async () => {
      const url = await uploadUrl(s3, {
        key: 'u1/not-yet-expired.png',
        expiresIn: 60,
        signingDate: new Date(Date.now() - 50_000),
      });
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(200);
    });

    it('refuses a URL signed with an access key it does not know', async () => {
      const stranger = clientFor(server.endpoint, {
        credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: credentials.secretAccessKey },
      });
      const url = await uploadUrl(s3, { key: 'u1/stranger.png', client: stranger });
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      const xml = await response.text();
      expect(errorCode(xml)).toBe('InvalidAccessKeyId');
      expect(xml).toContain('<AWSAccessKeyId>AKIASTRANGER</AWSAccessKeyId>');
      await expectAbsent(s3, 'u1/stranger.png');
    });

    it('refuses a URL signed with the right key id but another secret', async () => {
      const forger = clientFor(server.endpoint, {
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'guessed' },
      });
      const url = await uploadUrl(s3, { key: 'u1/forged.png', client: forger });
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('SignatureDoesNotMatch');
      await expectAbsent(s3, 'u1/forged.png');
    });

    it('refuses a URL scoped to another region and names the expected one', async () => {
      const elsewhere = clientFor(server.endpoint, { region: 'eu-west-1' });
      const url = await uploadUrl(s3, { key: 'u1/region.png', client: elsewhere });
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(400);
      const xml = await response.text();
      expect(errorCode(xml)).toBe('AuthorizationQueryParametersError');
      expect(xml).toContain('<Region>us-east-1</Region>');
    });

    it('refuses an X-Amz-Expires longer than a week before looking at the signature', async () => {
      const url = new URL(await uploadUrl(s3, { key: 'u1/week.png' }));
      url.searchParams.set('X-Amz-Expires', '604801');
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(400);
      expect(errorMessage(await response.text())).toBe(
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
      );
    });

    it('refuses a URL whose signing date lies in the future', async () => {
      const url = await uploadUrl(s3, { key: 'u1/future.png', signingDate: new Date(Date.now() + 3_600_000) });
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(403);
      expect(errorMessage(await response.text())).toBe('Request is not yet valid');
    });

    it('refuses a URL missing one of the SigV4 query parameters', async () => {
      const url = new URL(await uploadUrl(s3, { key: 'u1/partial.png' }));
      url.searchParams.delete('X-Amz-Date');
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(400);
      expect(errorCode(await response.text())).toBe('AuthorizationQueryParametersError');
    });

    it('refuses an x-amz-* header that the URL did not sign', async () => {
      const url = await uploadUrl(s3, { key: 'u1/acl.png' });
      const response = await fetch(url, {
        method: 'PUT',
        body: bytes(10),
        headers: { 'content-type': 'image/png', 'x-amz-acl': 'public-read' },
      });
      expect(response.status).toBe(403);
      const xml = await response.text();
      expect(errorMessage(xml)).toBe('There were headers present in the request which were not signed');
      expect(xml).toContain('<HeadersNotSigned>x-amz-acl</HeadersNotSigned>');
      await expectAbsent(s3, 'u1/acl.png');
    });

    it('accepts any Content-Type when the URL leaves it unsigned, as the presigner does by default', async () => {
      const url = await uploadUrl(s3, { key: 'u1/unsigned-type.png', signContentType: false });
      expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'text/html' } });
      expect(response.status).toBe(200);
      expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'u1/unsigned-type.png' }))).ContentType).toBe(
        'text/html',
      );
    });

    it("ignores the empty-body CRC32 that the SDK's default checksum mode puts in the URL, as S3 does", async () => {
      // LocalStack's S3 maintainers measured that AWS ignores x-amz-checksum-* query parameters on presigned PUTs
      // (localstack/localstack#12169); only checksum headers sent with the upload are verified.
      const defaults = clientFor(server.endpoint, { requestChecksumCalculation: 'WHEN_SUPPORTED' });
      const url = await uploadUrl(s3, { key: 'u1/default-checksum.png', client: defaults });
      expect(new URL(url).searchParams.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
      const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/png' } });
      expect(response.status).toBe(200);
    });

    it('leaves an existing object unchanged when a replacement is refused', async () => {
      const original = bytes(10, 7);
      await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'u1/kept.png', Body: original, ContentType: 'image/png' }),
      );
      const url = await uploadUrl(s3, { key: 'u1/kept.png' });
      const response = await fetch(url, {
        method: 'PUT',
        body: bytes(10, 9),
        headers: { 'content-type': 'image/gif' },
      });
      expect(response.status).toBe(403);
      expect(await readAll(s3, 'u1/kept.png')).toEqual(original);
    });

    it('refuses an object larger than the configured maximum', async () => {
      const size = 64 * 1024 + 1;
      const url = await uploadUrl(s3, {
        key: 'u1/large.bin',
        contentLength: size,
        contentType: 'application/octet-stream',
      });
      const response = await fetch(url, {
        method: 'PUT',
        body: bytes(size),
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(response.status).toBe(400);
      expect(errorCode(await response.text())).toBe('EntityTooLarge');
      await expectAbsent(s3, 'u1/large.bin');
    });
  });

  describe('presigned GET', () => {
    it('downloads the object with its bytes and content type', async () => {
      const body = bytes(32);
      await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'u1/download.jpg', Body: body, ContentType: 'image/jpeg' }),
      );
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'u1/download.jpg' }), {
        expiresIn: 60,
      });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
    });

    it('refuses a download URL after it expires', async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'u1/old-link.jpg', Body: bytes(4) }));
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'u1/old-link.jpg' }), {
        expiresIn: 30,
        signingDate: new Date(Date.now() - 31_000),
      });
      const response = await fetch(url);
      expect(response.status).toBe(403);
      expect(errorMessage(await response.text())).toBe('Request has expired');
    });

    it('answers NoSuchKey for a signed download of a missing object', async () => {
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'u1/never-uploaded.jpg' }), {
        expiresIn: 60,
      });
      const response = await fetch(url);
      expect(response.status).toBe(404);
      expect(errorCode(await response.text())).toBe('NoSuchKey');
    });

    it('applies a signed response-content-disposition override', async () => {
      await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'u1/report.pdf', Body: bytes(4), ContentType: 'application/pdf' }),
      );
      const command = new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'u1/report.pdf',
        ResponseContentDisposition: 'attachment; filename="report.pdf"',
      });
      const response = await fetch(await getSignedUrl(s3, command, { expiresIn: 60 }));
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="report.pdf"');
    });

    it('serves a single byte range', async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'u1/ranged.bin', Body: bytes(100) }));
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'u1/ranged.bin' }), {
        expiresIn: 60,
      });
      const response = await fetch(url, { headers: { range: 'bytes=10-19' } });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe('bytes 10-19/100');
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes(100).subarray(10, 20));
    });
  });

  describe('SDK calls signed in the Authorization header', () => {
    it('puts an object and reports its type, length and MD5 ETag on HeadObject', async () => {
      const body = Buffer.from('hello, notes');
      const put = await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/head.txt', Body: body, ContentType: 'text/plain' }),
      );
      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sdk/head.txt' }));
      const md5 = `"${createHash('md5').update(body).digest('hex')}"`;
      expect(put.ETag).toBe(md5);
      expect(head).toMatchObject({ ContentType: 'text/plain', ContentLength: body.length, ETag: md5 });
      expect(head.LastModified).toBeInstanceOf(Date);
    });

    it('gets the bytes back with GetObject', async () => {
      const body = bytes(300, 3);
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/get.bin', Body: body }));
      expect(await readAll(s3, 'sdk/get.bin')).toEqual(body);
    });

    it('deletes an object with DeleteObject', async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/delete.txt', Body: 'bye' }));
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'sdk/delete.txt' }));
      await expectAbsent(s3, 'sdk/delete.txt');
    });

    it('answers DeleteObject of a missing key with success, as S3 does', async () => {
      const result = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'sdk/never-there.txt' }));
      expect(result.$metadata.httpStatusCode).toBe(204);
    });

    it('reports NoSuchKey from GetObject of a missing key', async () => {
      await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sdk/missing.txt' }))).rejects.toMatchObject({
        name: 'NoSuchKey',
        $metadata: { httpStatusCode: 404 },
      });
    });

    it('reports NoSuchBucket for a bucket it does not serve', async () => {
      await expect(s3.send(new GetObjectCommand({ Bucket: 'not-a-bucket', Key: 'x' }))).rejects.toMatchObject({
        name: 'NoSuchBucket',
      });
    });

    it('verifies and returns the CRC32 the SDK sends by default', async () => {
      const defaults = clientFor(server.endpoint, { requestChecksumCalculation: 'WHEN_SUPPORTED' });
      const put = await defaults.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/crc32.txt', Body: 'hello' }));
      expect(put.ChecksumCRC32).toBe('NhCmhg==');
      const got = await defaults.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: 'sdk/crc32.txt', ChecksumMode: 'ENABLED' }),
      );
      expect(got.ChecksumCRC32).toBe('NhCmhg==');
      expect(await got.Body!.transformToString()).toBe('hello');
    });

    it('verifies a CRC32C checksum', async () => {
      const put = await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/crc32c.txt', Body: '123456789', ChecksumAlgorithm: 'CRC32C' }),
      );
      // CRC-32C check value for "123456789" is 0xE3069283.
      expect(put.ChecksumCRC32C).toBe(Buffer.from('e3069283', 'hex').toString('base64'));
    });

    it('verifies a SHA-256 checksum', async () => {
      const put = await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/sha256.txt', Body: 'abc', ChecksumAlgorithm: 'SHA256' }),
      );
      expect(put.ChecksumSHA256).toBe(createHash('sha256').update('abc').digest('base64'));
    });

    it('verifies a CRC64NVME checksum against the algorithm check value', async () => {
      const body = Buffer.from('123456789');
      // CRC-64/NVME check value for "123456789" is 0xAE8B14860A799888.
      const checksum = Buffer.from('ae8b14860a799888', 'hex').toString('base64');
      const response = await signedFetch(server.endpoint, {
        method: 'PUT',
        path: `/${BUCKET}/sdk/crc64.txt`,
        headers: {
          'content-length': '9',
          'x-amz-content-sha256': sha256Hex(body),
          'x-amz-checksum-crc64nvme': checksum,
        },
        body,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-amz-checksum-crc64nvme')).toBe(checksum);
    });

    it('refuses a body that does not match its CRC32 and stores nothing', async () => {
      const command = new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'sdk/bad-crc.txt',
        Body: 'hello',
        ChecksumCRC32: 'AAAAAA==',
      });
      await expect(s3.send(command)).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
      await expectAbsent(s3, 'sdk/bad-crc.txt');
    });

    it('refuses a Content-MD5 that is not a base64 MD5', async () => {
      const command = new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'sdk/odd-md5.txt',
        Body: 'hello',
        ContentMD5: 'abc',
      });
      await expect(s3.send(command)).rejects.toMatchObject({ name: 'InvalidDigest' });
      await expectAbsent(s3, 'sdk/odd-md5.txt');
    });

    it('refuses a body that does not match its Content-MD5 and stores nothing', async () => {
      const wrongMd5 = createHash('md5').update('something else').digest('base64');
      const command = new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'sdk/bad-md5.txt',
        Body: 'hello',
        ContentMD5: wrongMd5,
      });
      await expect(s3.send(command)).rejects.toMatchObject({ name: 'BadDigest' });
      await expectAbsent(s3, 'sdk/bad-md5.txt');
    });

    it('stores the decoded bytes of a streamed upload (aws-chunked with a trailing checksum)', async () => {
      const defaults = clientFor(server.endpoint, { requestChecksumCalculation: 'WHEN_SUPPORTED' });
      const body = Buffer.from(bytes(5000, 5));
      await defaults.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'sdk/streamed.bin',
          Body: Readable.from([body.subarray(0, 2000), body.subarray(2000)]),
          ContentLength: body.length,
        }),
      );
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: BUCKET, Key: 'sdk/streamed.bin', ChecksumMode: 'ENABLED' }),
      );
      expect(head.ContentLength).toBe(5000);
      expect(head.ContentEncoding).toBeUndefined();
      expect(head.ChecksumCRC32).toBeDefined();
      expect(await readAll(s3, 'sdk/streamed.bin')).toEqual(new Uint8Array(body));
    });

    it('refuses a request signed with another secret', async () => {
      const forger = clientFor(server.endpoint, {
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'guessed' },
      });
      await expect(
        forger.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/forged.txt', Body: 'x' })),
      ).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
      });
      await expectAbsent(s3, 'sdk/forged.txt');
    });

    it('refuses a request signed with an unknown access key', async () => {
      const stranger = clientFor(server.endpoint, {
        credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' },
      });
      await expect(stranger.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sdk/head.txt' }))).rejects.toMatchObject({
        name: 'InvalidAccessKeyId',
      });
    });

    it('refuses a payload whose SHA-256 differs from the signed x-amz-content-sha256', async () => {
      const response = await signedFetch(server.endpoint, {
        method: 'PUT',
        path: `/${BUCKET}/sdk/swapped.txt`,
        headers: { 'content-length': '5', 'x-amz-content-sha256': sha256Hex('other') },
        body: Buffer.from('hello'),
      });
      expect(response.status).toBe(400);
      expect(errorCode(await response.text())).toBe('XAmzContentSHA256Mismatch');
      await expectAbsent(s3, 'sdk/swapped.txt');
    });

    it('refuses a header-signed request dated more than 15 minutes away', async () => {
      const response = await signedFetch(server.endpoint, {
        method: 'GET',
        path: `/${BUCKET}/sdk/head.txt`,
        headers: { 'x-amz-content-sha256': sha256Hex('') },
        signingDate: new Date(Date.now() - 16 * 60_000),
      });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('RequestTimeTooSkewed');
    });

    it('refuses a header-signed request without x-amz-content-sha256', async () => {
      const url = new URL(server.endpoint);
      const signer = new SignatureV4({
        service: 's3',
        region: 'us-east-1',
        credentials,
        sha256: Sha256,
        uriEscapePath: false,
        applyChecksum: false,
      });
      const signed = await signer.sign({
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: `/${BUCKET}/sdk/head.txt`,
        query: {},
        headers: { host: url.host },
      });
      const headers = { ...signed.headers };
      delete headers.host;
      const response = await fetch(`${server.endpoint}/${BUCKET}/sdk/head.txt`, { headers });
      expect(response.status).toBe(400);
      expect(errorMessage(await response.text())).toBe(
        'Missing required header for this request: x-amz-content-sha256',
      );
    });

    it('lists keys under a prefix with ListObjectsV2', async () => {
      for (const key of ['list/a.txt', 'list/b.txt', 'list/sub/c.txt', 'listing-not-this.txt']) {
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
      }
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'list/' }));
      expect(listed.Contents?.map((object) => object.Key)).toEqual(['list/a.txt', 'list/b.txt', 'list/sub/c.txt']);
      expect(listed.Contents?.[0]).toMatchObject({ Size: 'list/a.txt'.length, StorageClass: 'STANDARD' });
      expect(listed.KeyCount).toBe(3);
    });

    it('pages a listing with continuation tokens', async () => {
      for (const key of ['page/1', 'page/2', 'page/3'])
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
      const first = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'page/', MaxKeys: 2 }));
      expect(first.Contents?.map((object) => object.Key)).toEqual(['page/1', 'page/2']);
      expect(first.IsTruncated).toBe(true);
      const second = await s3.send(
        new ListObjectsV2Command({
          Bucket: BUCKET,
          Prefix: 'page/',
          MaxKeys: 2,
          ContinuationToken: first.NextContinuationToken,
        }),
      );
      expect(second.Contents?.map((object) => object.Key)).toEqual(['page/3']);
      expect(second.IsTruncated).toBe(false);
    });

    it('rolls keys up into common prefixes with a delimiter', async () => {
      for (const key of ['tree/x/1', 'tree/x/2', 'tree/y/1', 'tree/z'])
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'tree/', Delimiter: '/' }));
      expect(listed.CommonPrefixes?.map((entry) => entry.Prefix)).toEqual(['tree/x/', 'tree/y/']);
      expect(listed.Contents?.map((object) => object.Key)).toEqual(['tree/z']);
    });
  });

  describe('unsigned requests', () => {
    it('refuses an anonymous download with AccessDenied', async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'anon/secret.txt', Body: 'secret' }));
      const response = await fetch(`${server.endpoint}/${BUCKET}/anon/secret.txt`);
      expect(response.status).toBe(403);
      const xml = await response.text();
      expect(errorCode(xml)).toBe('AccessDenied');
      expect(xml).not.toContain('secret</');
    });

    it('refuses an anonymous upload and stores nothing', async () => {
      const response = await fetch(`${server.endpoint}/${BUCKET}/anon/upload.txt`, { method: 'PUT', body: 'x' });
      expect(response.status).toBe(403);
      expect(errorCode(await response.text())).toBe('AccessDenied');
      await expectAbsent(s3, 'anon/upload.txt');
    });

    it('refuses an anonymous delete', async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'anon/keep.txt', Body: 'keep' }));
      const response = await fetch(`${server.endpoint}/${BUCKET}/anon/keep.txt`, { method: 'DELETE' });
      expect(response.status).toBe(403);
      expect(await readAll(s3, 'anon/keep.txt')).toEqual(new Uint8Array(Buffer.from('keep')));
    });

    it('refuses a request that carries both a presigned query and an Authorization header', async () => {
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'anon/keep.txt' }), {
        expiresIn: 60,
      });
      const response = await fetch(url, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' } });
      expect(response.status).toBe(400);
      expect(errorCode(await response.text())).toBe('InvalidArgument');
    });

    it('refuses Signature Version 2', async () => {
      const response = await fetch(`${server.endpoint}/${BUCKET}/anon/keep.txt`, {
        headers: { authorization: 'AWS AKIA:c2lnbmF0dXJl' },
      });
      expect(response.status).toBe(400);
      expect(errorCode(await response.text())).toBe('InvalidRequest');
    });
  });

  describe('keys', () => {
    it('uploads through a presigned URL and reads back a key with spaces and unicode', async () => {
      const key = 'u1/Résumé final 2024 ✓ 📝.pdf';
      const body = bytes(10);
      const url = await uploadUrl(s3, { key, contentType: 'application/pdf' });
      const response = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'application/pdf' } });
      expect(response.status).toBe(200);
      expect(await readAll(s3, key)).toEqual(body);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'u1/Résumé' }));
      expect(listed.Contents?.map((object) => object.Key)).toEqual([key]);
    });

    it('keeps "+", "%" and reserved characters literal in keys', async () => {
      const key = "odd/a+b %41 (1)!*'~=&?#.txt";
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'odd' }));
      expect(await readAll(s3, key)).toEqual(new Uint8Array(Buffer.from('odd')));
      await expectAbsent(s3, "odd/a b %41 (1)!*'~=&?#.txt");
      await expectAbsent(s3, "odd/a+b A (1)!*'~=&?#.txt");
    });

    it('accepts lower-case percent escapes for the key a URL was signed for', async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'escapes/é.txt', Body: 'accent' }));
      const url = new URL(
        await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'escapes/é.txt' }), { expiresIn: 60 }),
      );
      expect(url.pathname).toBe(`/${BUCKET}/escapes/%C3%A9.txt`);
      const response = await fetch(`${url.origin}/${BUCKET}/escapes/%c3%a9.txt${url.search}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('accent');
    });

    it('keeps keys that look like paths inside the bucket', async () => {
      const key = '../../../etc/passwd';
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'not a file outside' }));
      expect(Buffer.from(await readAll(s3, key)).toString()).toBe('not a file outside');
    });
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin', async () => {
      const response = await fetch(`${server.endpoint}/${BUCKET}/u1/cors.png`, {
        method: 'OPTIONS',
        headers: {
          origin: ALLOWED_ORIGIN,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
      expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    });

    it('refuses a preflight from another origin', async () => {
      const response = await fetch(`${server.endpoint}/${BUCKET}/u1/cors.png`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(errorCode(await response.text())).toBe('AccessForbidden');
    });

    it('refuses a preflight asking for a request header outside the rule', async () => {
      const response = await fetch(`${server.endpoint}/${BUCKET}/u1/cors.png`, {
        method: 'OPTIONS',
        headers: {
          origin: ALLOWED_ORIGIN,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type,x-amz-acl',
        },
      });
      expect(response.status).toBe(403);
    });

    it('refuses a preflight for a method outside the rule', async () => {
      const response = await fetch(`${server.endpoint}/${BUCKET}/u1/cors.png`, {
        method: 'OPTIONS',
        headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'DELETE' },
      });
      expect(response.status).toBe(403);
    });

    it('adds Access-Control-Allow-Origin to an upload from an allowed origin', async () => {
      const url = await uploadUrl(s3, { key: 'u1/cors-upload.png' });
      const response = await fetch(url, {
        method: 'PUT',
        body: bytes(10),
        headers: { 'content-type': 'image/png', origin: ALLOWED_ORIGIN },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('access-control-expose-headers')).toContain('ETag');
    });

    it('adds no Access-Control-Allow-Origin for another origin', async () => {
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'u1/cors-upload.png' }), {
        expiresIn: 60,
      });
      const response = await fetch(url, { headers: { origin: 'https://evil.example' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('bad input', () => {
    it('answers a malformed percent-encoding with InvalidURI', async () => {
      const reply = await rawExchange(
        server.endpoint,
        `GET /${BUCKET}/bad%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        false,
      );
      expect(reply).toMatch(/^HTTP\/1\.1 400/);
      expect(errorCode(reply)).toBe('InvalidURI');
    });

    it('answers an oversized header section with 400 and keeps serving', async () => {
      const reply = await rawExchange(
        server.endpoint,
        `GET /${BUCKET}/x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
        false,
      );
      expect(reply).toMatch(/^HTTP\/1\.1 400/);
      expect(errorCode(reply)).toBe('RequestHeaderSectionTooLarge');
      await expectAbsent(s3, 'still-alive.txt');
    });

    it('answers garbage instead of HTTP with 400 and keeps serving', async () => {
      const reply = await rawExchange(server.endpoint, '\u0000\u0001 not http at all\r\n\r\n', false);
      expect(reply).toMatch(/^HTTP\/1\.1 400/);
      await expectAbsent(s3, 'still-alive.txt');
    });

    it('answers an unsupported method with MethodNotAllowed', async () => {
      const response = await fetch(`${server.endpoint}/${BUCKET}/x.txt`, { method: 'PATCH', body: 'x' });
      expect(response.status).toBe(405);
      expect(errorCode(await response.text())).toBe('MethodNotAllowed');
    });

    it('answers a multipart upload request with NotImplemented', async () => {
      const response = await signedFetch(server.endpoint, {
        method: 'POST',
        path: `/${BUCKET}/big.bin`,
        query: { uploads: '' },
        headers: { 'x-amz-content-sha256': sha256Hex('') },
      });
      expect(response.status).toBe(501);
      expect(errorCode(await response.text())).toBe('NotImplemented');
    });

    it('answers a key longer than 1024 bytes with KeyTooLongError', async () => {
      await expect(
        s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k'.repeat(1025), Body: 'x' })),
      ).rejects.toMatchObject({
        name: 'KeyTooLongError',
      });
    });
  });
});

describe('startS3Server with a data folder', () => {
  let dir: string;
  const running: Running[] = [];

  async function start(options: Partial<S3ServerOptions> = {}): Promise<{ server: Running; s3: S3Client }> {
    const server = await startS3Server({ credentials, buckets: [BUCKET], dir, ...options });
    running.push(server);
    return { server, s3: clientFor(server.endpoint) };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3-store-'));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves objects written before a restart', async () => {
    const first = await start();
    const url = await uploadUrl(first.s3, { key: 'u1/persisted.png' });
    const body = bytes(10, 11);
    expect((await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'image/png' } })).status).toBe(200);
    await first.server.close();

    const second = await start();
    const head = await second.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'u1/persisted.png' }));
    expect(head.ContentType).toBe('image/png');
    expect(await readAll(second.s3, 'u1/persisted.png')).toEqual(body);
    const listed = await second.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'u1/' }));
    expect(listed.Contents?.map((object) => object.Key)).toContain('u1/persisted.png');
  });

  it('forgets deleted objects across a restart', async () => {
    const first = await start();
    await first.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone.txt', Body: 'x' }));
    await first.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.txt' }));
    await first.server.close();

    const second = await start();
    await expectAbsent(second.s3, 'gone.txt');
  });

  it('writes no file for a refused upload', async () => {
    const { s3 } = await start();
    const before = await readdir(join(dir, BUCKET));
    const url = await uploadUrl(s3, { key: 'u1/refused.png' });
    const response = await fetch(url, { method: 'PUT', body: bytes(10), headers: { 'content-type': 'image/jpeg' } });
    expect(response.status).toBe(403);
    expect(await readdir(join(dir, BUCKET))).toEqual(before);
  });
});

describe('startS3Server options', () => {
  it('rejects a bucket name S3 would not accept', async () => {
    await expect(startS3Server({ credentials, buckets: ['Uploads_Bucket'] })).rejects.toThrow(/Invalid bucket name/);
  });

  it('rejects missing credentials', async () => {
    await expect(
      startS3Server({ credentials: { accessKeyId: '', secretAccessKey: '' }, buckets: [BUCKET] }),
    ).rejects.toThrow(/credentials/);
  });
});
