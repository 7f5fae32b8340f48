// A note with an attachment from upload to deletion, through the typed SDK and the presigned URLs, as a web client
// would do it; the bucket is checked with the owner's credentials for files left behind.
import { describe, expect, it } from 'vitest';
import { useTarget } from './helpers/fixture';
import { allNotes, sampleBytes, textFile, uploadFile } from './helpers/notes';

/** Where attaching `uploadKey` to note `noteId` copies it: `private/<sub>/<noteId>/<upload id>/<file name>`. */
function noteFileOf(noteId: string, uploadKey: string): string {
  const [, sub, ...rest] = uploadKey.split('/');
  return ['private', sub, noteId, ...rest].join('/');
}

describe('notes lifecycle', () => {
  const target = useTarget();

  it('carries a note with an attachment from upload to deletion, leaving no file behind', async () => {
    const { alice, bucket } = target();
    const photo = { fileName: 'holiday photo.png', contentType: 'image/png', bytes: sampleBytes(4096) };
    const firstUpload = await uploadFile(alice, photo);

    const created = await alice.client.createNote({
      input: { content: 'Holiday', attachment: { key: firstUpload.key } },
    });
    const firstFile = noteFileOf(created.noteId, firstUpload.key);
    expect(created).toMatchObject({
      content: 'Holiday',
      version: 1,
      attachment: { key: firstFile, fileName: 'holiday photo.png', contentType: 'image/png', size: 4096 },
    });
    // The note owns a copy; the staged upload is gone.
    expect(await bucket.exists(firstFile)).toBe(true);
    expect(await bucket.exists(firstUpload.key)).toBe(false);

    const listed = (await alice.client.listNotes({ withDownloadUrl: true })).items.find(
      (note) => note.noteId === created.noteId,
    );
    expect(listed?.attachment?.downloadUrl).toEqual(expect.any(String));
    const download = await fetch(listed!.attachment!.downloadUrl!);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(photo.bytes);

    const replacement = textFile('the itinerary', 'itinerary.txt');
    const secondUpload = await uploadFile(alice, replacement);
    const replaced = await alice.client.updateNote({
      input: { noteId: created.noteId, expectedVersion: 1, attachment: { key: secondUpload.key } },
    });
    const secondFile = noteFileOf(created.noteId, secondUpload.key);
    expect(replaced).toMatchObject({
      content: 'Holiday',
      version: 2,
      attachment: { key: secondFile, fileName: 'itinerary.txt', contentType: 'text/plain', size: 13 },
    });
    expect(await bucket.exists(firstFile)).toBe(false);
    expect(await bucket.exists(secondFile)).toBe(true);
    expect(await bucket.exists(secondUpload.key)).toBe(false);

    const deleted = await alice.client.deleteNote({ noteId: created.noteId });
    expect(deleted).toMatchObject({ noteId: created.noteId, version: 2, attachment: { key: secondFile } });
    expect(await bucket.exists(secondFile)).toBe(false);
    expect(await alice.client.getNote({ noteId: created.noteId })).toBeNull();
    expect((await allNotes(alice.client)).map((note) => note.noteId)).not.toContain(created.noteId);
    // A multi-step flow through three Lambdas, the first call of each bundling it: more than one test's default time.
  }, 60_000);

  it('returns a created note from getNote exactly as createNote returned it', async () => {
    const { alice } = target();
    const created = await alice.client.createNote({ input: { content: 'Read me back' } });
    expect(await alice.client.getNote({ noteId: created.noteId })).toEqual(created);
  });

  it('serves the uploaded bytes and their type through downloadUrl from getNote', async () => {
    const { alice } = target();
    const pdf = { fileName: 'report.pdf', contentType: 'application/pdf', bytes: sampleBytes(1500, 3) };
    const upload = await uploadFile(alice, pdf);
    const note = await alice.client.createNote({ input: { content: 'Report', attachment: { key: upload.key } } });

    const read = await alice.client.getNote({ noteId: note.noteId, withDownloadUrl: true });
    const download = await fetch(read!.attachment!.downloadUrl!);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf.bytes);
  });

  it('removes the attachment and deletes its file when updated with attachment null', async () => {
    const { alice, bucket } = target();
    const upload = await uploadFile(alice, textFile('to be removed'));
    const note = await alice.client.createNote({ input: { content: 'With a file', attachment: { key: upload.key } } });

    const updated = await alice.client.updateNote({
      input: { noteId: note.noteId, expectedVersion: note.version, attachment: null },
    });
    expect(updated).toMatchObject({ content: 'With a file', attachment: null, version: note.version + 1 });
    expect(await bucket.exists(note.attachment!.key)).toBe(false);
  });

  it('keeps the attachment and its file when an update changes only the content', async () => {
    const { alice, bucket } = target();
    const upload = await uploadFile(alice, textFile('kept'));
    const note = await alice.client.createNote({ input: { content: 'Draft', attachment: { key: upload.key } } });

    const updated = await alice.client.updateNote({
      input: { noteId: note.noteId, expectedVersion: note.version, content: 'Final' },
    });
    expect(updated).toMatchObject({ content: 'Final', attachment: note.attachment, version: note.version + 1 });
    expect(await bucket.exists(note.attachment!.key)).toBe(true);
  });

  it('refuses to attach an upload a second time, so no two notes share a file', async () => {
    const { alice, bucket } = target();
    const upload = await uploadFile(alice, textFile('attached once'));
    const first = await alice.client.createNote({ input: { content: 'One', attachment: { key: upload.key } } });
    const again = await alice.client
      .createNote({ input: { content: 'Two', attachment: { key: upload.key } } })
      .catch((error: unknown) => error);
    expect(again).toMatchObject({ errors: [expect.objectContaining({ errorType: 'ValidationError' })] });
    await alice.client.deleteNote({ noteId: first.noteId });
    expect(await bucket.exists(first.attachment!.key)).toBe(false);
  });

  it('bumps updatedAt but keeps createdAt on an update', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'Before' } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await alice.client.updateNote({
      input: { noteId: note.noteId, expectedVersion: 1, content: 'After' },
    });
    expect(updated.createdAt).toBe(note.createdAt);
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(note.updatedAt));
  });
});
