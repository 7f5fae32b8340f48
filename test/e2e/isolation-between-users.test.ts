// Two signed-in users: bob can neither see, change, delete nor download alice's notes and files, whatever ids or keys
// he learns.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTarget } from './helpers/fixture';
import {
  allNotes,
  apiError,
  headersOf,
  putObject,
  s3Error,
  sampleBytes,
  textFile,
  uploadFile,
  type Note,
  type UploadUrl,
} from './helpers/notes';
import { uploadPrefix } from './helpers/target';

describe('isolation between users', () => {
  const target = useTarget();
  const alicePhoto = { fileName: 'private.png', contentType: 'image/png', bytes: sampleBytes(2000, 11) };
  let aliceUpload: UploadUrl;
  let aliceNote: Note;
  /** The note's own copy of the upload, which the staged upload became. */
  let aliceFile: string;

  beforeAll(async () => {
    const { alice } = target();
    aliceUpload = await uploadFile(alice, alicePhoto);
    aliceNote = await alice.client.createNote({
      input: { content: 'Only for alice', attachment: { key: aliceUpload.key } },
    });
    aliceFile = aliceNote.attachment!.key;
  });

  it('answers null when bob asks for alice note by its id', async () => {
    expect(await target().bob.client.getNote({ noteId: aliceNote.noteId, withDownloadUrl: true })).toBeNull();
  });

  it('leaves alice notes out of bob list', async () => {
    const ids = (await allNotes(target().bob.client)).map((note) => note.noteId);
    expect(ids).not.toContain(aliceNote.noteId);
  });

  it('refuses bob update of alice note with NotFound and leaves the note as it was', async () => {
    const { alice, bob } = target();
    const error = await apiError(
      bob.client.updateNote({ input: { noteId: aliceNote.noteId, expectedVersion: 1, content: 'hijacked' } }),
    );
    expect(error.errorType).toBe('NotFound');
    expect(await alice.client.getNote({ noteId: aliceNote.noteId })).toEqual(aliceNote);
  });

  it('refuses bob removing the attachment of alice note and keeps her file', async () => {
    const { bob, bucket } = target();
    const error = await apiError(
      bob.client.updateNote({ input: { noteId: aliceNote.noteId, expectedVersion: 1, attachment: null } }),
    );
    expect(error.errorType).toBe('NotFound');
    expect(await bucket.exists(aliceFile)).toBe(true);
  });

  it('refuses bob delete of alice note with NotFound and keeps the note and its file', async () => {
    const { alice, bob, bucket } = target();
    expect((await apiError(bob.client.deleteNote({ noteId: aliceNote.noteId }))).errorType).toBe('NotFound');
    expect(await alice.client.getNote({ noteId: aliceNote.noteId })).toEqual(aliceNote);
    expect(await bucket.exists(aliceFile)).toBe(true);
  });

  it('refuses alice attachment key in bob createNote and writes nothing', async () => {
    const { bob } = target();
    const before = await allNotes(bob.client);
    const error = await apiError(
      bob.client.createNote({ input: { content: 'stolen photo', attachment: { key: aliceUpload.key } } }),
    );
    expect(error.errorType).toBe('ValidationError');
    expect(await allNotes(bob.client)).toEqual(before);
  });

  it("refuses alice note's file in bob createNote, and in a new note of alice's own", async () => {
    const { alice, bob } = target();
    for (const client of [bob.client, alice.client]) {
      const error = await apiError(
        client.createNote({ input: { content: 'shared?', attachment: { key: aliceFile } } }),
      );
      expect(error.errorType).toBe('ValidationError');
    }
  });

  it('refuses alice attachment key in an update of bob own note', async () => {
    const { bob } = target();
    const own = await bob.client.createNote({ input: { content: 'bob note' } });
    const error = await apiError(
      bob.client.updateNote({
        input: { noteId: own.noteId, expectedVersion: 1, attachment: { key: aliceUpload.key } },
      }),
    );
    expect(error.errorType).toBe('ValidationError');
    expect(await bob.client.getNote({ noteId: own.noteId })).toEqual(own);
  });

  it('gives bob no downloadUrl for alice file from any of his queries', async () => {
    const { bob } = target();
    const page = await bob.client.listNotes({ limit: 100, withDownloadUrl: true });
    const keys = page.items.flatMap((note) => (note.attachment ? [note.attachment.key] : []));
    expect(keys).not.toContain(aliceFile);
    expect(page.items.every((note) => !note.attachment?.downloadUrl?.includes(aliceFile))).toBe(true);
  });

  it('refuses an unsigned GET of alice file with 403 AccessDenied', async () => {
    const response = await fetch(target().bucket.unsignedUrl(aliceFile));
    expect(response.status).toBe(403);
    expect(s3Error(await response.text()).code).toBe('AccessDenied');
  });

  it('refuses bob upload URL pointed at alice file and leaves her bytes intact', async () => {
    const { alice, bob } = target();
    const bobUpload = await bob.client.createUploadUrl({
      input: { fileName: 'private.png', contentType: 'image/png', size: alicePhoto.bytes.byteLength },
    });
    const url = new URL(bobUpload.url);
    url.pathname = url.pathname.replace(encodeURI(bobUpload.key), encodeURI(aliceFile));
    expect(url.pathname).toContain(aliceFile);

    const response = await putObject(url.href, headersOf(bobUpload), sampleBytes(alicePhoto.bytes.byteLength, 99));
    expect(response.status).toBe(403);
    expect(s3Error(await response.text()).code).toBe('SignatureDoesNotMatch');
    const read = await alice.client.getNote({ noteId: aliceNote.noteId, withDownloadUrl: true });
    const download = await fetch(read!.attachment!.downloadUrl!);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(alicePhoto.bytes);
  });

  it('issues bob upload keys under his own prefix only', async () => {
    const { alice, bob } = target();
    const upload = await uploadFile(bob, textFile('mine'));
    expect(upload.key.startsWith(uploadPrefix(bob))).toBe(true);
    expect(upload.key.startsWith(uploadPrefix(alice))).toBe(false);
  });
});
