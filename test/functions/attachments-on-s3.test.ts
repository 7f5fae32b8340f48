// The attachment functions against a real S3-compatible endpoint (the local S3 server, which checks SigV4 the way S3
// does): what a browser does with the URLs they sign, and what S3 answers to their copies, HEADs and DELETEs.
import { afterAll, describe, expect, it } from 'vitest';
import type { UploadUrl } from '../../codegen/schema.generated';
import { startS3Server } from '../../local/stores/s3';
import { OTHER_SUB, OWNER_SUB, cognitoIdentity, resolverEvent } from '../helpers/appsync-lambda-events';
import { TEST_BUCKET, TEST_CREDENTIALS, TEST_REGION, useFunctionEnv } from '../helpers/function-env';

const server = await startS3Server({ credentials: TEST_CREDENTIALS, buckets: [TEST_BUCKET], region: TEST_REGION });
useFunctionEnv({ S3_ENDPOINT: server.endpoint, S3_FORCE_PATH_STYLE: 'true' });
const createUploadUrl = (await import('../../functions/create-upload-url')).handler;
const attachUpload = (await import('../../functions/attach-upload')).handler;
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

const NOTE = '01JDQ5Y0Z8K3M7N2P4R6S8T0VW';
const OTHER_NOTE = '01JDQ5Y0Z8K3M7N2P4R6S8T0VX';

const attachEvent = (key: string, noteId = NOTE, identity = cognitoIdentity()) =>
  resolverEvent({ arguments: { key, noteId }, identity, fieldName: 'createNote' });
const deleteEvent = (noteId: string, keys: string[], wholeNote = false, identity = cognitoIdentity()) =>
  resolverEvent({ arguments: { noteId, keys, wholeNote }, identity, fieldName: 'deleteNote' });

/** The note's own copy of an upload: `private/<sub>/<noteId>/<upload id>/<name>`. */
function copyKey(upload: UploadUrl, noteId = NOTE, owner = OWNER_SUB): string {
  return `private/${owner}/${noteId}/${upload.key.split('/').slice(2).join('/')}`;
}

async function download(key: string): Promise<Response> {
  const [result] = await downloadUrls([
    resolverEvent({ arguments: {}, source: { key }, parentTypeName: 'Attachment', fieldName: 'downloadUrl' }),
  ]);
  if (!result.data) throw new Error(JSON.stringify(result));
  return fetch(result.data);
}

describe('attachments on S3', () => {
  it('accepts an upload with exactly the returned headers, in the staging prefix', async () => {
    const upload = await uploadUrlFor('photo.png', 'image/png', 4);
    expect(upload.key).toMatch(new RegExp(`^uploads/${OWNER_SUB}/[0-9a-f-]{36}/photo\\.png$`));
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

  it("copies an upload to the note's own key and describes what S3 stored there", async () => {
    const upload = await uploaded('Report (final).txt');
    expect(await attachUpload(attachEvent(upload.key))).toEqual({
      key: copyKey(upload),
      fileName: 'Report (final).txt',
      contentType: 'text/plain',
      size: Buffer.byteLength(TEXT),
    });
    expect(await (await download(copyKey(upload))).text()).toBe(TEXT);
  });

  it('gives two notes their own copies of one upload, so deleting one leaves the other', async () => {
    const upload = await uploaded();
    const first = await attachUpload(attachEvent(upload.key, NOTE));
    const second = await attachUpload(attachEvent(upload.key, OTHER_NOTE));
    expect(first).toMatchObject({ key: copyKey(upload, NOTE) });
    expect(second).toMatchObject({ key: copyKey(upload, OTHER_NOTE) });
    await deleteAttachment(deleteEvent(NOTE, [], true));
    expect((await download(copyKey(upload, NOTE))).status).toBe(404);
    expect(await (await download(copyKey(upload, OTHER_NOTE))).text()).toBe(TEXT);
  });

  it('finds its copy again when a retry comes after the staged upload was deleted', async () => {
    const upload = await uploaded();
    await attachUpload(attachEvent(upload.key));
    await deleteAttachment(deleteEvent(NOTE, [upload.key]));
    expect(await attachUpload(attachEvent(upload.key))).toMatchObject({ key: copyKey(upload), size: TEXT.length });
  });

  it('reports an upload that was issued but never made as NotFound, copying nothing', async () => {
    const upload = await uploadUrlFor('never.txt', 'text/plain', 3);
    expect(await attachUpload(attachEvent(upload.key))).toEqual({
      errorMessage: `No file has been uploaded to ${upload.key}: upload it with the URL from createUploadUrl first`,
      errorType: 'NotFound',
    });
  });

  it('refuses to attach another user’s upload', async () => {
    const upload = await uploaded();
    expect(await attachUpload(attachEvent(upload.key, NOTE, cognitoIdentity(OTHER_SUB)))).toMatchObject({
      errorType: 'Unauthorized',
    });
  });

  it('refuses to attach a file a note already owns', async () => {
    const upload = await uploaded();
    await attachUpload(attachEvent(upload.key, NOTE));
    expect(await attachUpload(attachEvent(copyKey(upload, NOTE), OTHER_NOTE))).toMatchObject({
      errorType: 'Unauthorized',
    });
  });

  it('deletes the staged upload and a replaced file of the note', async () => {
    const upload = await uploaded();
    await attachUpload(attachEvent(upload.key));
    expect(await deleteAttachment(deleteEvent(NOTE, [copyKey(upload), upload.key]))).toEqual({
      deleted: [copyKey(upload), upload.key],
    });
    expect(await attachUpload(attachEvent(upload.key))).toMatchObject({ errorType: 'NotFound' });
  });

  it('deletes every file under a deleted note’s prefix, and only there', async () => {
    const kept = await uploaded();
    const upload = await uploaded();
    await attachUpload(attachEvent(upload.key, NOTE));
    await attachUpload(attachEvent(kept.key, OTHER_NOTE));
    const result = await deleteAttachment(deleteEvent(NOTE, [], true));
    expect(result).toMatchObject({ deleted: expect.arrayContaining([copyKey(upload)]) });
    expect(
      (result as { deleted: string[] }).deleted.every((key) => key.startsWith(`private/${OWNER_SUB}/${NOTE}/`)),
    ).toBe(true);
    expect((await download(copyKey(kept, OTHER_NOTE))).status).toBe(200);
  });

  it('deletes a missing object without complaint, so a retried delete succeeds', async () => {
    const upload = await uploadUrlFor('gone.txt', 'text/plain', 3);
    expect(await deleteAttachment(deleteEvent(NOTE, [upload.key]))).toEqual({ deleted: [upload.key] });
  });

  it('refuses to delete another note’s file or another user’s upload, which stay', async () => {
    const upload = await uploaded();
    await attachUpload(attachEvent(upload.key, OTHER_NOTE));
    expect(await deleteAttachment(deleteEvent(NOTE, [copyKey(upload, OTHER_NOTE)]))).toMatchObject({
      errorType: 'Unauthorized',
    });
    expect(await deleteAttachment(deleteEvent(NOTE, [upload.key], false, cognitoIdentity(OTHER_SUB)))).toMatchObject({
      errorType: 'Unauthorized',
    });
    expect((await download(copyKey(upload, OTHER_NOTE))).status).toBe(200);
    expect(await attachUpload(attachEvent(upload.key))).toMatchObject({ contentType: 'text/plain' });
  });

  it('signs download URLs that return the uploaded bytes', async () => {
    const upload = await uploaded();
    await attachUpload(attachEvent(upload.key));
    expect(await (await download(copyKey(upload))).text()).toBe(TEXT);
  });
});
