import { describe, expect, it } from 'vitest';
import { OWNER_SUB, cognitoIdentity, resolverEvent } from '../helpers/appsync-lambda-events';
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION, useFunctionEnv } from '../helpers/function-env';
import { verifyPresignedRequest } from '../helpers/sigv4-presigned';
import type { UploadUrl } from '../../codegen/schema.generated';

useFunctionEnv();
const { handler } = await import('../../functions/create-upload-url');

type Input = { fileName: unknown; contentType: unknown; size: unknown };

function uploadEvent(input: Partial<Input> = {}, identity = cognitoIdentity()) {
  return resolverEvent({
    arguments: { input: { fileName: 'photo.png', contentType: 'image/png', size: 2048, ...input } as never },
    identity,
    fieldName: 'createUploadUrl',
  });
}

/** A successful answer, or the test fails with the function's reason. */
async function issue(input: Partial<Input> = {}, identity = cognitoIdentity()): Promise<UploadUrl> {
  const result = await handler(uploadEvent(input, identity));
  if ('errorMessage' in result) {
    throw new Error(`expected an upload URL, got ${result.errorType}: ${result.errorMessage}`);
  }
  return result;
}

function headersOf(result: { headers: Array<{ name: string; value: string }> }): Record<string, string> {
  return Object.fromEntries(result.headers.map(({ name, value }) => [name, value]));
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('create-upload-url', () => {
  it('issues a key under the caller staging prefix, a fresh id and the file name', async () => {
    const result = await issue();
    expect(result.key).toMatch(new RegExp(`^uploads/${OWNER_SUB}/${UUID}/photo\\.png$`));
  });

  it('issues a different key each time for the same file name', async () => {
    const first = await issue();
    const second = await issue();
    expect(first.key).not.toBe(second.key);
  });

  it('points the URL at the key in the configured bucket', async () => {
    const result = await issue();
    const url = new URL(result.url);
    expect(`${url.host}${url.pathname}`).toBe(`${TEST_BUCKET}.s3.${TEST_REGION}.amazonaws.com/${result.key}`);
  });

  it('signs Content-Type and Content-Length as headers', async () => {
    const result = await issue();
    const signed = new URL(result.url).searchParams.get('X-Amz-SignedHeaders')?.split(';');
    expect(signed).toEqual(expect.arrayContaining(['content-type', 'content-length', 'host']));
  });

  it('keeps Content-Type and Content-Length out of the query string', async () => {
    const result = await issue();
    const names = [...new URL(result.url).searchParams.keys()].map((name) => name.toLowerCase());
    expect(names.filter((name) => name.includes('content-type') || name.includes('content-length'))).toEqual([]);
  });

  it('carries no checksum of the empty presign-time body', async () => {
    // The SDK's default would add x-amz-checksum-crc32=AAAAAA== and S3 would reject every real upload.
    const result = await issue();
    expect(result.url).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
  });

  it('expires the URL after five minutes', async () => {
    const result = await issue();
    expect(new URL(result.url).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('reports expiresAt as the signing time plus five minutes in ISO-8601', async () => {
    const result = await issue();
    const amzDate = new URL(result.url).searchParams.get('X-Amz-Date')!;
    const signedAt = Date.parse(
      amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    expect(result.expiresAt).toBe(new Date(signedAt + 300_000).toISOString());
  });

  it('returns exactly the headers the PUT must carry', async () => {
    const result = await issue({ contentType: 'application/pdf', size: 12345 });
    expect(result.headers).toEqual([
      { name: 'Content-Type', value: 'application/pdf' },
      { name: 'Content-Length', value: '12345' },
    ]);
  });

  it('gives a URL that S3 accepts for a PUT with the returned headers', async () => {
    const result = await issue();
    const verdict = verifyPresignedRequest(
      { method: 'PUT', url: result.url, headers: headersOf(result) },
      TEST_CREDENTIALS,
      new Date(),
    );
    expect(verdict).toEqual({ ok: true });
  });

  it('gives a URL that S3 refuses for another content type', async () => {
    const result = await issue();
    const headers = { ...headersOf(result), 'Content-Type': 'text/html' };
    const verdict = verifyPresignedRequest({ method: 'PUT', url: result.url, headers }, TEST_CREDENTIALS, new Date());
    expect(verdict).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('gives a URL that S3 refuses for another size', async () => {
    const result = await issue({ size: 2048 });
    const headers = { ...headersOf(result), 'Content-Length': '20480000' };
    const verdict = verifyPresignedRequest({ method: 'PUT', url: result.url, headers }, TEST_CREDENTIALS, new Date());
    expect(verdict).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('gives a URL that S3 refuses without the Content-Type header', async () => {
    const result = await issue();
    const headers = { 'Content-Length': '2048' };
    const verdict = verifyPresignedRequest({ method: 'PUT', url: result.url, headers }, TEST_CREDENTIALS, new Date());
    expect(verdict).toEqual({ ok: false, reason: 'signed header content-type was not sent' });
  });

  it('gives a URL that S3 refuses after five minutes', async () => {
    const result = await issue();
    const later = new Date(Date.parse(result.expiresAt) + 1000);
    const verdict = verifyPresignedRequest(
      { method: 'PUT', url: result.url, headers: headersOf(result) },
      TEST_CREDENTIALS,
      later,
    );
    expect(verdict).toEqual({ ok: false, reason: 'request has expired' });
  });

  it('gives a URL that cannot be used to read the object', async () => {
    const result = await issue();
    const verdict = verifyPresignedRequest(
      { method: 'GET', url: result.url, headers: headersOf(result) },
      TEST_CREDENTIALS,
      new Date(),
    );
    expect(verdict).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('accepts a content type in any letter case and signs its canonical form', async () => {
    const result = await issue({ contentType: 'Image/JPEG' });
    expect(headersOf(result)['Content-Type']).toBe('image/jpeg');
  });

  it.each(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'])(
    'allows %s',
    async (contentType) => {
      const result = await issue({ contentType });
      expect(headersOf(result)['Content-Type']).toBe(contentType);
    },
  );

  it.each(['text/html', 'image/svg+xml', 'application/octet-stream', 'text/plain; charset=utf-8', '', 42, null])(
    'rejects the content type %j',
    async (contentType) => {
      expect(await handler(uploadEvent({ contentType }))).toEqual({
        errorMessage:
          'contentType must be one of image/png, image/jpeg, image/gif, image/webp, application/pdf, text/plain',
        errorType: 'ValidationError',
      });
    },
  );

  it('allows a one-byte file', async () => {
    const result = await issue({ size: 1 });
    expect(headersOf(result)['Content-Length']).toBe('1');
  });

  it('allows a file of exactly 10 MB', async () => {
    const result = await issue({ size: 10 * 1024 * 1024 });
    expect(headersOf(result)['Content-Length']).toBe('10485760');
  });

  it.each([0, -1, 10 * 1024 * 1024 + 1, 1.5, Number.NaN, '2048', null])('rejects the size %j', async (size) => {
    expect(await handler(uploadEvent({ size }))).toEqual({
      errorMessage: 'size must be a whole number of bytes from 1 to 10485760 (10 MB)',
      errorType: 'ValidationError',
    });
  });

  it('rejects a missing input', async () => {
    const event = resolverEvent({ arguments: {} as never, fieldName: 'createUploadUrl' });
    expect(await handler(event)).toEqual({
      errorMessage: 'input with fileName, contentType and size is required',
      errorType: 'ValidationError',
    });
  });

  it.each([
    ['an empty name', ''],
    ['a name of only dots', '..'],
    ['a control character', 'a\u0000.png'],
    ['a 300-character name', `${'a'.repeat(296)}.png`],
  ])('rejects a fileName with %s', async (_, fileName) => {
    expect(await handler(uploadEvent({ fileName }))).toMatchObject({ errorType: 'ValidationError' });
  });

  it('signs nothing when the input is rejected', async () => {
    const result = await handler(uploadEvent({ size: 0 }));
    expect(Object.keys(result).sort()).toEqual(['errorMessage', 'errorType']);
  });

  it('rejects a caller without an identity', async () => {
    expect(await handler(uploadEvent({}, null as never))).toEqual({
      errorMessage: 'A signed-in user pool identity is required',
      errorType: 'Unauthorized',
    });
  });

  it('rejects an identity whose sub could escape its prefix', async () => {
    expect(await handler(uploadEvent({}, cognitoIdentity(`${OWNER_SUB}/..`)))).toMatchObject({
      errorType: 'Unauthorized',
    });
  });

  it('keeps only the last part of a path-like file name', async () => {
    const result = await issue({ fileName: '../../other-user/evil.png' });
    expect(result.key).toMatch(new RegExp(`^uploads/${OWNER_SUB}/${UUID}/evil\\.png$`));
  });
});
