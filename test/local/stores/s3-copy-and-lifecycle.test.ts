// CopyObject and lifecycle expiration on the local S3 endpoint, through the AWS SDK v3 as the Lambdas use it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiryOf, startS3Server, type S3Server } from '../../../local/stores/s3';

const credentials = { accessKeyId: 'AKIALOCALCOPIES', secretAccessKey: 'local-copies-secret' };
const BUCKET = 'attachments';
const OTHER_BUCKET = 'elsewhere';

function clientFor(endpoint: string, secretAccessKey = credentials.secretAccessKey): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { ...credentials, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
}

async function s3ErrorOf(promise: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return { name: error.name, status: error.$metadata.httpStatusCode };
    throw error;
  }
  throw new Error('the request succeeded');
}

async function text(s3: S3Client, key: string, bucket = BUCKET): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToString();
}

describe('CopyObject', () => {
  let server: S3Server;
  let s3: S3Client;

  beforeAll(async () => {
    server = await startS3Server({ credentials, buckets: [BUCKET, OTHER_BUCKET] });
    s3 = clientFor(server.endpoint);
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'uploads/u1/a b/photo ü.png',
        Body: 'the photo',
        ContentType: 'image/png',
        Metadata: { origin: 'camera' },
        CacheControl: 'max-age=60',
      }),
    );
  });

  afterAll(async () => {
    s3.destroy();
    await server.close();
  });

  it('copies the bytes, type and metadata to the new key and leaves the source', async () => {
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'private/u1/note-1/photo ü.png',
        CopySource: `${BUCKET}/${encodeURIComponent('uploads/u1/a b/photo ü.png')}`,
      }),
    );
    const source = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/u1/a b/photo ü.png' }));
    expect(copied.CopyObjectResult?.ETag).toBe(source.ETag);
    expect(copied.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'private/u1/note-1/photo ü.png' }));
    expect(head).toMatchObject({
      ContentType: 'image/png',
      ContentLength: 9,
      Metadata: { origin: 'camera' },
      CacheControl: 'max-age=60',
    });
    expect(await text(s3, 'private/u1/note-1/photo ü.png')).toBe('the photo');
    expect(await text(s3, 'uploads/u1/a b/photo ü.png')).toBe('the photo');
  });

  it('copies between buckets', async () => {
    await s3.send(
      new CopyObjectCommand({
        Bucket: OTHER_BUCKET,
        Key: 'copy.png',
        CopySource: `/${BUCKET}/${encodeURIComponent('uploads/u1/a b/photo ü.png')}`,
      }),
    );
    expect(await text(s3, 'copy.png', OTHER_BUCKET)).toBe('the photo');
  });

  it('replaces type and metadata with REPLACE', async () => {
    await s3.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'replaced.txt',
        CopySource: `${BUCKET}/${encodeURIComponent('uploads/u1/a b/photo ü.png')}`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/plain',
        Metadata: { reviewed: 'yes' },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'replaced.txt' }));
    expect(head).toMatchObject({ ContentType: 'text/plain', Metadata: { reviewed: 'yes' } });
    expect(head.CacheControl).toBeUndefined();
  });

  it('answers a missing source with NoSuchKey and writes nothing', async () => {
    expect(
      await s3ErrorOf(
        s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'never.png', CopySource: `${BUCKET}/uploads/none.png` })),
      ),
    ).toEqual({ name: 'NoSuchKey', status: 404 });
    expect(await s3ErrorOf(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'never.png' })))).toMatchObject({
      status: 404,
    });
  });

  it('answers a missing source bucket with NoSuchBucket', async () => {
    expect(
      await s3ErrorOf(s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'x', CopySource: 'no-such-bucket/a' }))),
    ).toEqual({ name: 'NoSuchBucket', status: 404 });
  });

  it('refuses to copy an object onto itself without changing anything, as S3 does', async () => {
    const key = 'uploads/u1/a b/photo ü.png';
    expect(
      await s3ErrorOf(
        s3.send(
          new CopyObjectCommand({ Bucket: BUCKET, Key: key, CopySource: `${BUCKET}/${encodeURIComponent(key)}` }),
        ),
      ),
    ).toEqual({ name: 'InvalidRequest', status: 400 });
  });

  it('honours x-amz-copy-source-if-match', async () => {
    expect(
      await s3ErrorOf(
        s3.send(
          new CopyObjectCommand({
            Bucket: BUCKET,
            Key: 'conditional.png',
            CopySource: `${BUCKET}/${encodeURIComponent('uploads/u1/a b/photo ü.png')}`,
            CopySourceIfMatch: '"not-the-etag"',
          }),
        ),
      ),
    ).toEqual({ name: 'PreconditionFailed', status: 412 });
  });

  it('checks the signature of a copy like any other request', async () => {
    const forger = clientFor(server.endpoint, 'not-the-secret');
    expect(
      await s3ErrorOf(
        forger.send(
          new CopyObjectCommand({
            Bucket: BUCKET,
            Key: 'stolen.png',
            CopySource: `${BUCKET}/${encodeURIComponent('uploads/u1/a b/photo ü.png')}`,
          }),
        ),
      ),
    ).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
    forger.destroy();
  });

  it('refuses an unsigned x-amz-copy-source header', async () => {
    // A presigned PUT for one key must not become a copy of another object: S3 requires every x-amz-* header signed.
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/u2/mine.png' }), {
      expiresIn: 60,
    });
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'x-amz-copy-source': `${BUCKET}/${encodeURIComponent('uploads/u1/a b/photo ü.png')}` },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
  });
});

describe('lifecycle expiration', () => {
  const DAY = 24 * 60 * 60 * 1000;

  it('expires at the midnight UTC after creation plus the days (S3 user guide example)', () => {
    // "created on 1/15/2014 10:30 AM UTC ... 3 days ... rounded off to the next day midnight time 1/19/2014 00:00"
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
    expect(expiryOf(new Date('2014-01-15T10:30:00Z'), 3).toISOString()).toBe('2014-01-19T00:00:00.000Z');
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3-lifecycle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes expired objects under the rule prefix at start and on each interval, and nothing else', async () => {
    let now = new Date();
    const options = {
      credentials,
      buckets: [BUCKET],
      dir,
      lifecycleRules: [{ id: 'expire-staged-uploads', prefix: 'uploads/', expirationDays: 1 }],
      now: () => now,
    };
    const first = await startS3Server(options);
    const s3 = clientFor(first.endpoint);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/u1/old.png', Body: 'old' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'private/u1/n1/kept.png', Body: 'kept' }));
    await first.close();

    // Restarted the next day: not yet due (due at the second midnight).
    now = new Date(now.getTime() + DAY);
    const second = await startS3Server(options);
    expect(await text(clientFor(second.endpoint), 'uploads/u1/old.png')).toBe('old');
    await second.close();

    // Two days later the start removes it; the note's file stays.
    now = new Date(now.getTime() + DAY);
    const third = await startS3Server(options);
    const after = clientFor(third.endpoint);
    expect(await s3ErrorOf(after.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/u1/old.png' })))).toEqual({
      name: 'NotFound',
      status: 404,
    });
    expect(await text(after, 'private/u1/n1/kept.png')).toBe('kept');
    await third.close();

    // While running, each interval applies the rules again.
    const running = await startS3Server({ ...options, lifecycleIntervalMs: 50 });
    const live = clientFor(running.endpoint);
    await live.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/u1/new.png', Body: 'new' }));
    now = new Date(now.getTime() + 3 * DAY);
    await expect
      .poll(() => s3ErrorOf(live.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/u1/new.png' }))), {
        timeout: 5000,
      })
      .toEqual({ name: 'NotFound', status: 404 });
    expect(await text(live, 'private/u1/n1/kept.png')).toBe('kept');
    await running.close();
    for (const client of [s3, after, live]) client.destroy();
  });

  it('refuses a rule S3 would refuse', async () => {
    await expect(
      startS3Server({ credentials, buckets: [BUCKET], lifecycleRules: [{ id: 'r', prefix: '', expirationDays: 0 }] }),
    ).rejects.toThrow(/whole number of days/);
  });
});
