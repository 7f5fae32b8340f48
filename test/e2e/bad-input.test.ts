// Each bad input of the notes API over HTTP: the right errorType, and nothing written (the caller's notes and files
// are the same before and after).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTarget } from './helpers/fixture';
import { allNotes, apiError, textFile, uploadFile, type Note } from './helpers/notes';
import { noteFilesPrefix, uploadPrefix } from './helpers/target';

const MAX_CONTENT = 100_000;
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

describe('bad input to the notes API', () => {
  const target = useTarget();
  let existing: Note;

  beforeAll(async () => {
    existing = await target().alice.client.createNote({ input: { content: 'already here' } });
  });

  /** `call` fails with `errorType`, and alice's notes and files are exactly as they were. */
  async function expectRejectedWithoutWrites(call: () => Promise<unknown>, errorType: string): Promise<void> {
    const { alice, bucket } = target();
    const files = async () => [
      ...(await bucket.keys(uploadPrefix(alice))),
      ...(await bucket.keys(noteFilesPrefix(alice))),
    ];
    const [notesBefore, filesBefore] = await Promise.all([allNotes(alice.client), files()]);
    const error = await apiError(call());
    expect(error.errorType, error.message).toBe(errorType);
    expect(error.data).toBeNull();
    expect(await allNotes(alice.client)).toEqual(notesBefore);
    expect(await files()).toEqual(filesBefore);
  }

  const client = () => target().alice.client;
  const fakeKeyOf = (owner: string, fileName = 'photo.png') => `uploads/${owner}/${randomUUID()}/${fileName}`;

  describe('createNote', () => {
    it('rejects empty content', async () => {
      await expectRejectedWithoutWrites(() => client().createNote({ input: { content: '' } }), 'ValidationError');
    });

    it('rejects content over 100,000 characters', async () => {
      await expectRejectedWithoutWrites(
        () => client().createNote({ input: { content: 'x'.repeat(MAX_CONTENT + 1) } }),
        'ValidationError',
      );
    });

    it('accepts content of exactly 100,000 characters', async () => {
      const note = await client().createNote({ input: { content: 'y'.repeat(MAX_CONTENT) } });
      expect(note.content).toHaveLength(MAX_CONTENT);
      await client().deleteNote({ noteId: note.noteId });
    });

    it('rejects an attachment key in another user prefix', async () => {
      await expectRejectedWithoutWrites(
        () => client().createNote({ input: { content: 'c', attachment: { key: fakeKeyOf(randomUUID()) } } }),
        'ValidationError',
      );
    });

    it('rejects an attachment key that climbs out of the caller prefix', async () => {
      const { alice } = target();
      const key = `${uploadPrefix(alice)}../${randomUUID()}/${randomUUID()}/photo.png`;
      await expectRejectedWithoutWrites(
        () => client().createNote({ input: { content: 'c', attachment: { key } } }),
        'ValidationError',
      );
    });

    it('rejects the bare caller prefix as an attachment key', async () => {
      await expectRejectedWithoutWrites(
        () => client().createNote({ input: { content: 'c', attachment: { key: uploadPrefix(target().alice) } } }),
        'ValidationError',
      );
    });

    it('rejects a well-formed key in the caller prefix that nothing was uploaded to', async () => {
      await expectRejectedWithoutWrites(
        () => client().createNote({ input: { content: 'c', attachment: { key: fakeKeyOf(target().alice.sub) } } }),
        'ValidationError',
      );
    });

    it('rejects the key of an upload URL whose PUT never happened', async () => {
      const upload = await client().createUploadUrl({
        input: { fileName: 'never-sent.txt', contentType: 'text/plain', size: 5 },
      });
      await expectRejectedWithoutWrites(
        () => client().createNote({ input: { content: 'c', attachment: { key: upload.key } } }),
        'ValidationError',
      );
    });
  });

  describe('getNote, updateNote and deleteNote', () => {
    it('rejects a noteId that is not a ULID in getNote', async () => {
      expect((await apiError(client().getNote({ noteId: 'not-a-note-id' }))).errorType).toBe('ValidationError');
    });

    it('rejects a noteId that is not a ULID in updateNote', async () => {
      await expectRejectedWithoutWrites(
        () => client().updateNote({ input: { noteId: 'x'.repeat(26), expectedVersion: 1, content: 'c' } }),
        'ValidationError',
      );
    });

    it('rejects a noteId that is not a ULID in deleteNote', async () => {
      await expectRejectedWithoutWrites(
        () => client().deleteNote({ noteId: `${existing.noteId}/../x` }),
        'ValidationError',
      );
    });

    it('rejects an update that changes nothing', async () => {
      await expectRejectedWithoutWrites(
        () => client().updateNote({ input: { noteId: existing.noteId, expectedVersion: existing.version } }),
        'ValidationError',
      );
    });

    it('rejects an update to empty content', async () => {
      await expectRejectedWithoutWrites(
        () =>
          client().updateNote({ input: { noteId: existing.noteId, expectedVersion: existing.version, content: '' } }),
        'ValidationError',
      );
    });

    it('rejects an update to content over 100,000 characters', async () => {
      const content = 'z'.repeat(MAX_CONTENT + 1);
      await expectRejectedWithoutWrites(
        () => client().updateNote({ input: { noteId: existing.noteId, expectedVersion: existing.version, content } }),
        'ValidationError',
      );
    });

    it('rejects an expectedVersion of 0', async () => {
      await expectRejectedWithoutWrites(
        () => client().updateNote({ input: { noteId: existing.noteId, expectedVersion: 0, content: 'c' } }),
        'ValidationError',
      );
    });

    it('rejects an update to an attachment key in another user prefix', async () => {
      const key = fakeKeyOf(randomUUID());
      await expectRejectedWithoutWrites(
        () =>
          client().updateNote({
            input: { noteId: existing.noteId, expectedVersion: existing.version, attachment: { key } },
          }),
        'ValidationError',
      );
    });
  });

  describe('listNotes', () => {
    it('rejects limit 0', async () => {
      expect((await apiError(client().listNotes({ limit: 0 }))).errorType).toBe('ValidationError');
    });

    it('rejects limit 101', async () => {
      expect((await apiError(client().listNotes({ limit: 101 }))).errorType).toBe('ValidationError');
    });

    it('rejects a negative limit', async () => {
      expect((await apiError(client().listNotes({ limit: -5 }))).errorType).toBe('ValidationError');
    });

    it('rejects a nextToken that is not a token at all', async () => {
      expect((await apiError(client().listNotes({ nextToken: 'not a token!' }))).errorType).toBe('ValidationError');
    });

    it('rejects an empty nextToken', async () => {
      expect((await apiError(client().listNotes({ nextToken: '' }))).errorType).toBe('ValidationError');
    });
  });

  describe('createUploadUrl', () => {
    const upload = (input: { fileName: string; contentType: string; size: number }) => () =>
      client().createUploadUrl({ input });

    it('rejects a content type outside the allow-list', async () => {
      await expectRejectedWithoutWrites(
        upload({ fileName: 'setup.exe', contentType: 'application/x-msdownload', size: 10 }),
        'ValidationError',
      );
    });

    it('rejects text/html, which a browser would render from the bucket', async () => {
      await expectRejectedWithoutWrites(
        upload({ fileName: 'page.html', contentType: 'text/html', size: 10 }),
        'ValidationError',
      );
    });

    it('rejects a size of 0 bytes', async () => {
      await expectRejectedWithoutWrites(
        upload({ fileName: 'empty.txt', contentType: 'text/plain', size: 0 }),
        'ValidationError',
      );
    });

    it('rejects a size over 10 MB', async () => {
      await expectRejectedWithoutWrites(
        upload({ fileName: 'big.pdf', contentType: 'application/pdf', size: MAX_UPLOAD_BYTES + 1 }),
        'ValidationError',
      );
    });

    it('accepts a size of exactly 10 MB', async () => {
      const signed = await upload({ fileName: 'big.pdf', contentType: 'application/pdf', size: MAX_UPLOAD_BYTES })();
      expect(signed.headers).toContainEqual({ name: 'Content-Length', value: String(MAX_UPLOAD_BYTES) });
    });

    it('rejects an empty file name', async () => {
      await expectRejectedWithoutWrites(
        upload({ fileName: '', contentType: 'text/plain', size: 1 }),
        'ValidationError',
      );
    });

    it('rejects a file name made only of dots', async () => {
      await expectRejectedWithoutWrites(
        upload({ fileName: '..', contentType: 'text/plain', size: 1 }),
        'ValidationError',
      );
    });

    it('rejects a file name with control characters', async () => {
      await expectRejectedWithoutWrites(
        upload({ fileName: 'a\u0000b\nc.txt', contentType: 'text/plain', size: 1 }),
        'ValidationError',
      );
    });

    it('rejects a file name of 300 characters', async () => {
      await expectRejectedWithoutWrites(
        upload({ fileName: `${'n'.repeat(296)}.txt`, contentType: 'text/plain', size: 1 }),
        'ValidationError',
      );
    });

    it('keeps only the last part of a file name that climbs directories, inside the caller prefix', async () => {
      const { alice } = target();
      const signed = await upload({ fileName: '../../../etc/passwd.txt', contentType: 'text/plain', size: 4 })();
      expect(signed.key.startsWith(uploadPrefix(alice))).toBe(true);
      const [, , uploadId, fileName, ...rest] = signed.key.split('/');
      expect(uploadId).toMatch(/^[0-9a-f-]{36}$/);
      expect(fileName).toBe('passwd.txt');
      expect(rest).toEqual([]);
    });

    it('uploads a file whose neutralised name is then attachable', async () => {
      const { alice } = target();
      const signed = await uploadFile(alice, textFile('safe', 'C:\\Users\\me\\notes.txt'));
      const note = await alice.client.createNote({ input: { content: 'c', attachment: { key: signed.key } } });
      expect(note.attachment?.fileName).toBe('notes.txt');
    });
  });
});
