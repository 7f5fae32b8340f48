// The attachment functions against a real S3-compatible endpoint (the local S3 server, which checks SigV4 the way S3
// does): what a browser does with the URLs they sign, and what S3 answers to their HEAD and DELETE.
import { afterAll, describe, expect, it } from 'vitest';
import type { UploadUrl } from '../../codegen/schema.generated';
import { startS3Server } from '../../local/stores/s3';
import { OTHER_SUB, cognitoIdentity, resolverEvent } from '../helpers/appsync-lambda-events';
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION, useFunctionEnv } from '../helpers/function-env';

const server = await startS3Server({ credentials: TEST_CREDENTIALS, buckets: [TEST_BUCKET], region: TEST_REGION });
useFunctionEnv({ S3_ENDPOINT: server.endpoint, S3_FORCE_PATH_STYLE: 'true' });
const createUploadUrl = (await import('../../functions/create-upload-url')).handler;
const describeAttachment = (await import('../../functions/describe-attachment')).handler;
const deleteAttachment = (await import('../../functions/delete-attachment')).handler;
const downloadUrls = (await import('../../functions/attachment-download-urls')).handler;

afterAll(() => server.close());

const TEXT = 'hello, attachments';

async function uploadUrlFor(fileName: string, contentType: string, size: number): Promise<UploadUrl> {
  const result = await createUploadUrl(
    resolverEvent({ arguments: { input: { fileName, contentType, size } }, fieldName: 'createUploadUrl' }),
  );
  if ('errorMessage' in result) {
    throw new Error(result.errorMessage);
  }
  return result;
}

/** The PUT a browser makes: the returned headers, and a body whose length the runtime sets itself. */
function put(upload: UploadUrl, body: string, headers = upload.headers): Promise<Response> {
  const sent = Object.fromEntries(
    headers.filter(({ name }) => name.toLowerCase() !== 'content-length').map(({ name, value }) => [name, value]),
  );
  return fetch(upload.url, { method: 'PUT', headers: sent, body });
}

async function uploaded(fileName = 'notes.txt'): Promise<UploadUrl> {
  const upload = await uploadUrlFor(fileName, 'text/plain', Buffer.byteLength(TEXT));
  const response = await put(upload, TEXT);
  if (response.status !== 200) {
    throw new Error(`upload failed with ${response.status}: ${await response.text()}`);
  }
  return upload;
}

const keyEvent = (key: string, identity = cognitoIdentity()) => resolverEvent({ arguments: { key }, identity });

describe('attachments on S3', () => {
  it('accepts an upload with exactly the returned headers', async () => {
    const upload = await uploadUrlFor('photo.png', 'image/png', 4);
    expect((await put(upload, 'abcd')).status).toBe(200);
  });

  it('refuses an upload of another content type', async () => {
    const upload = await uploadUrlFor('photo.png', 'image/png', 4);
    const response = await put(upload, 'abcd', [{ name: 'Content-Type', value: 'text/html' }]);
    expect(response.status).toBe(403);
  });

  it('refuses an upload of another size', async () => {
    const upload = await uploadUrlFor('photo.png', 'image/png', 4);
    expect((await put(upload, 'abcdefgh')).status).toBe(403);
  });

  it('describes an upload from what S3 stored', async () => {
    const upload = await uploaded('Report (final).txt');
    expect(await describeAttachment(keyEvent(upload.key))).toEqual({
      key: upload.key,
      fileName: 'Report (final).txt',
      contentType: 'text/plain',
      size: Buffer.byteLength(TEXT),
    });
  });

  it('reports a key that was issued but never uploaded as NotFound', async () => {
    const upload = await uploadUrlFor('never.txt', 'text/plain', 3);
    expect(await describeAttachment(keyEvent(upload.key))).toEqual({
      errorMessage: `No file has been uploaded to ${upload.key}: upload it with createUploadUrl first`,
      errorType: 'NotFound',
    });
  });

  it('refuses to describe another user’s upload', async () => {
    const upload = await uploaded();
    expect(await describeAttachment(keyEvent(upload.key, cognitoIdentity(OTHER_SUB)))).toMatchObject({
      errorType: 'Unauthorized',
    });
  });

  it('deletes an upload', async () => {
    const upload = await uploaded();
    expect(await deleteAttachment(keyEvent(upload.key))).toEqual({ key: upload.key, deleted: true });
  });

  it('leaves nothing behind once deleted', async () => {
    const upload = await uploaded();
    await deleteAttachment(keyEvent(upload.key));
    expect(await describeAttachment(keyEvent(upload.key))).toMatchObject({ errorType: 'NotFound' });
  });

  it('deletes a missing object without complaint, so a retried delete succeeds', async () => {
    const upload = await uploadUrlFor('gone.txt', 'text/plain', 3);
    expect(await deleteAttachment(keyEvent(upload.key))).toEqual({ key: upload.key, deleted: true });
  });

  it('refuses to delete another user’s upload, which stays', async () => {
    const upload = await uploaded();
    await deleteAttachment(keyEvent(upload.key, cognitoIdentity(OTHER_SUB)));
    expect(await describeAttachment(keyEvent(upload.key))).toMatchObject({ contentType: 'text/plain' });
  });

  it('signs download URLs that return the uploaded bytes', async () => {
    const upload = await uploaded();
    const [result] = await downloadUrls([
      resolverEvent({
        arguments: {},
        source: { key: upload.key },
        parentTypeName: 'Attachment',
        fieldName: 'downloadUrl',
      }),
    ]);
    const response = await fetch(result.data!);
    expect(await response.text()).toBe(TEXT);
  });
});
