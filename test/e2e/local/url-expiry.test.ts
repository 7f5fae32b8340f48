// Presigned URLs after their expiry. The local S3 endpoint runs in this process, so moving this process's clock past
// a URL's expiry is what S3 would see minutes later; a URL used just before its expiry works, so the clock is the only
// thing that changes. Local only: a deployed bucket's clock cannot be moved.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useLocalTarget } from '../helpers/fixture';
import { headersOf, putObject, s3Error, sampleBytes, textFile, uploadFile } from '../helpers/notes';

const DOWNLOAD_URL_TTL_MS = 15 * 60 * 1000;

/** X-Amz-Date (`20260102T030405Z`) of a presigned URL, in epoch milliseconds. */
function signedAt(url: URL): number {
  const date = url.searchParams.get('X-Amz-Date') ?? '';
  return Date.parse(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
}

describe('presigned URL expiry', () => {
  const target = useLocalTarget();

  afterEach(() => {
    vi.useRealTimers();
  });

  const setClock = (epochMs: number) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(epochMs);
  };

  it('accepts an upload URL a few seconds before expiresAt', async () => {
    const { alice, bucket } = target();
    const upload = await alice.client.createUploadUrl({
      input: { fileName: 'a.png', contentType: 'image/png', size: 64 },
    });
    setClock(Date.parse(upload.expiresAt) - 5_000);
    const response = await putObject(upload.url, headersOf(upload), sampleBytes(64));
    vi.useRealTimers();
    expect(response.status).toBe(200);
    expect(await bucket.exists(upload.key)).toBe(true);
  });

  it('refuses an upload URL after expiresAt with AccessDenied "Request has expired", storing nothing', async () => {
    const { alice, bucket } = target();
    const upload = await alice.client.createUploadUrl({
      input: { fileName: 'b.png', contentType: 'image/png', size: 64 },
    });
    setClock(Date.parse(upload.expiresAt) + 1_000);
    const response = await putObject(upload.url, headersOf(upload), sampleBytes(64));
    vi.useRealTimers();
    expect(response.status).toBe(403);
    expect(s3Error(await response.text())).toEqual({ code: 'AccessDenied', message: 'Request has expired' });
    expect(await bucket.exists(upload.key)).toBe(false);
  });

  it('refuses a downloadUrl fifteen minutes after it was issued', async () => {
    const { alice } = target();
    const upload = await uploadFile(alice, textFile('soon gone'));
    const note = await alice.client.createNote({ input: { content: 'c', attachment: { key: upload.key } } });
    const read = await alice.client.getNote({ noteId: note.noteId, withDownloadUrl: true });
    const url = new URL(read!.attachment!.downloadUrl!);
    expect(Number(url.searchParams.get('X-Amz-Expires')) * 1000).toBe(DOWNLOAD_URL_TTL_MS);
    setClock(signedAt(url) + DOWNLOAD_URL_TTL_MS + 1_000);
    const response = await fetch(url);
    vi.useRealTimers();
    expect(response.status).toBe(403);
    expect(s3Error(await response.text())).toEqual({ code: 'AccessDenied', message: 'Request has expired' });
  });
});
