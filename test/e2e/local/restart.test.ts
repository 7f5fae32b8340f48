// Data that survives a restart: `npm start`, stop, `npm start` again on the same data folder. Notes, uploaded files and
// users are all still there (tokens are not: the issuer names the port, and these servers use ephemeral ones).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTarget, type LocalTarget } from '../helpers/local-target';
import { allNotes, sampleBytes, uploadFile, type Note } from '../helpers/notes';

describe('restart on the same data folder', () => {
  let dataDir: string;
  let restarted: LocalTarget | undefined;
  let note: Note;
  let aliceSubBefore: string;
  const photo = { fileName: 'kept.png', contentType: 'image/png', bytes: sampleBytes(3000, 5) };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'notes-restart-'));
    const first = await startLocalTarget({ dataDir });
    try {
      const upload = await uploadFile(first.alice, photo);
      note = await first.alice.client.createNote({ input: { content: 'survives', attachment: { key: upload.key } } });
      aliceSubBefore = first.alice.sub;
    } finally {
      await first.close();
    }
    restarted = await startLocalTarget({ dataDir });
  });

  afterAll(async () => {
    await restarted?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the users: alice signs in again as the same sub', () => {
    expect(restarted!.alice.sub).toBe(aliceSubBefore);
  });

  it('keeps the note', async () => {
    expect(await restarted!.alice.client.getNote({ noteId: note.noteId })).toEqual(note);
  });

  it('keeps the note in the list', async () => {
    expect((await allNotes(restarted!.alice.client)).map((listed) => listed.noteId)).toContain(note.noteId);
  });

  it('keeps the uploaded bytes, served through a new downloadUrl', async () => {
    const read = await restarted!.alice.client.getNote({ noteId: note.noteId, withDownloadUrl: true });
    const download = await fetch(read!.attachment!.downloadUrl!);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(photo.bytes);
  });

  it('deletes the kept file with its note', async () => {
    const { alice, bucket } = restarted!;
    await alice.client.deleteNote({ noteId: note.noteId });
    expect(await bucket.exists(note.attachment!.key)).toBe(false);
  });
});
