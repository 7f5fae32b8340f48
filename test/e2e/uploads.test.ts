// Presigned upload URLs as S3 enforces them: the PUT must carry exactly the signed type and length, to exactly the
// signed key, with the signature untouched. Every refusal is S3's XML error with 403, and nothing is stored.
import { describe, expect, it } from 'vitest';
import { useTarget } from './helpers/fixture';
import { headersOf, putObject, s3Error, sampleBytes, type UploadUrl } from './helpers/notes';

const SIZE = 1024;

describe('presigned upload URLs', () => {
  const target = useTarget();

  const signUpload = (fileName = 'scan.png', contentType = 'image/png', size = SIZE): Promise<UploadUrl> =>
    target().alice.client.createUploadUrl({ input: { fileName, contentType, size } });

  /** S3 refused the PUT with 403 and this error code, and no object exists at `key`. */
  async function expectRefusedAndNothingStored(response: Response, code: string, key: string): Promise<void> {
    const body = await response.text();
    expect(response.status, body).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    expect(s3Error(body).code).toBe(code);
    expect(await target().bucket.exists(key)).toBe(false);
  }

  it('stores the bytes of a PUT with exactly the returned headers', async () => {
    const upload = await signUpload();
    const response = await putObject(upload.url, headersOf(upload), sampleBytes(SIZE));
    expect(response.status).toBe(200);
    expect(await target().bucket.exists(upload.key)).toBe(true);
  });

  it('returns exactly the Content-Type and Content-Length headers, both signed in the URL', async () => {
    const upload = await signUpload('a.pdf', 'application/pdf', 77);
    expect(upload.headers).toEqual([
      { name: 'Content-Type', value: 'application/pdf' },
      { name: 'Content-Length', value: '77' },
    ]);
    const signed = new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')?.split(';');
    expect(signed).toEqual(expect.arrayContaining(['content-type', 'content-length', 'host']));
  });

  it('expires the URL five minutes after it was issued', async () => {
    const before = Date.now();
    const upload = await signUpload();
    const expiresIn = Date.parse(upload.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(290_000);
    expect(expiresIn).toBeLessThanOrEqual(301_000);
    expect(new URL(upload.url).searchParams.get('X-Amz-Expires')).toBe('300');
  });

  it('refuses a PUT with another content type than the one signed', async () => {
    const upload = await signUpload();
    const headers = { ...headersOf(upload), 'Content-Type': 'text/html' };
    await expectRefusedAndNothingStored(
      await putObject(upload.url, headers, sampleBytes(SIZE)),
      'SignatureDoesNotMatch',
      upload.key,
    );
  });

  it('refuses a PUT of more bytes than the length signed', async () => {
    const upload = await signUpload();
    const body = sampleBytes(SIZE * 4);
    const headers = { ...headersOf(upload), 'Content-Length': String(body.byteLength) };
    await expectRefusedAndNothingStored(
      await putObject(upload.url, headers, body),
      'SignatureDoesNotMatch',
      upload.key,
    );
  });

  it('refuses a PUT of fewer bytes than the length signed', async () => {
    const upload = await signUpload();
    const body = sampleBytes(SIZE - 1);
    const headers = { ...headersOf(upload), 'Content-Length': String(body.byteLength) };
    await expectRefusedAndNothingStored(
      await putObject(upload.url, headers, body),
      'SignatureDoesNotMatch',
      upload.key,
    );
  });

  it('refuses a PUT whose signature was altered', async () => {
    const upload = await signUpload();
    const url = new URL(upload.url);
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set('X-Amz-Signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
    await expectRefusedAndNothingStored(
      await putObject(url.href, headersOf(upload), sampleBytes(SIZE)),
      'SignatureDoesNotMatch',
      upload.key,
    );
  });

  it('refuses a PUT whose expiry was stretched in the URL', async () => {
    const upload = await signUpload();
    const url = new URL(upload.url);
    url.searchParams.set('X-Amz-Expires', '604800');
    await expectRefusedAndNothingStored(
      await putObject(url.href, headersOf(upload), sampleBytes(SIZE)),
      'SignatureDoesNotMatch',
      upload.key,
    );
  });

  it('refuses the URL sent to another key, storing neither key', async () => {
    const upload = await signUpload();
    const otherKey = upload.key.replace(/[^/]+$/, 'other.png');
    const url = new URL(upload.url);
    url.pathname = url.pathname.replace(/[^/]+$/, 'other.png');
    await expectRefusedAndNothingStored(
      await putObject(url.href, headersOf(upload), sampleBytes(SIZE)),
      'SignatureDoesNotMatch',
      otherKey,
    );
    expect(await target().bucket.exists(upload.key)).toBe(false);
  });

  it('refuses a PUT without any signature', async () => {
    const upload = await signUpload();
    const response = await putObject(target().bucket.unsignedUrl(upload.key), headersOf(upload), sampleBytes(SIZE));
    await expectRefusedAndNothingStored(response, 'AccessDenied', upload.key);
  });
});
