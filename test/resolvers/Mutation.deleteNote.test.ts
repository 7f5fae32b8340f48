import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import { NOTE_ID, OWNER_SUB, attachmentItem, cognitoIdentity, noteItem } from '../helpers/resolver-context';
import { runField } from '../helpers/run-resolver';

describe('Mutation.deleteNote', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Mutation.deleteNote.ts', { strict: true });
  });

  it('accepts a note id', () => {
    expect(resolver.request({ arguments: { noteId: NOTE_ID }, identity: cognitoIdentity() }).error).toBeUndefined();
  });

  it('rejects a malformed note id', () => {
    const out = resolver.request({ arguments: { noteId: 'x' }, identity: cognitoIdentity() });
    expect(out.error).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('noteId') });
  });

  it('rejects a caller without a user pool identity as Unauthorized', () => {
    expect(resolver.request({ arguments: { noteId: NOTE_ID }, identity: null }).error).toMatchObject({
      type: 'Unauthorized',
    });
  });

  it('returns the deleted note', () => {
    const note = { noteId: NOTE_ID, version: 3 };
    expect(resolver.response({ arguments: { noteId: NOTE_ID }, stash: { note } }).result).toEqual(note);
  });

  describe('as a pipeline', () => {
    const identity = cognitoIdentity();

    it('deletes the item, then every file under the note’s own prefix, and returns the note as it was', async () => {
      const attachment = attachmentItem();
      const run = await runField('Mutation', 'deleteNote', { arguments: { noteId: NOTE_ID }, identity }, (call) =>
        call.dataSource === 'notesTable' ? { result: noteItem({ attachment }) } : { result: { deleted: [] } },
      );
      expect(run.error).toBeUndefined();
      expect(run.calls.map((call) => call.dataSource)).toEqual(['notesTable', 'deleteAttachment']);
      expect(run.calls[1].request).toMatchObject({
        payload: { arguments: { noteId: NOTE_ID, keys: [attachment.key], wholeNote: true } },
      });
      expect(run.data).toMatchObject({ noteId: NOTE_ID, content: 'Buy oat milk', attachment });
    });

    it('leaves a file of an older note outside the note’s prefix alone: it may be shared', async () => {
      const legacy = attachmentItem({ key: `private/${OWNER_SUB}/6f1c9a2e-4b7d-4e8f-9a0b-1c2d3e4f5a6b/old.png` });
      const run = await runField('Mutation', 'deleteNote', { arguments: { noteId: NOTE_ID }, identity }, (call) =>
        call.dataSource === 'notesTable' ? { result: noteItem({ attachment: legacy }) } : { result: { deleted: [] } },
      );
      expect(run.calls[1].request).toMatchObject({
        payload: { arguments: { noteId: NOTE_ID, keys: [], wholeNote: true } },
      });
    });

    it('makes one DynamoDB request and no Lambda call for a note without attachment', async () => {
      const run = await runField('Mutation', 'deleteNote', { arguments: { noteId: NOTE_ID }, identity }, (call) =>
        call.dataSource === 'notesTable' ? { result: noteItem() } : { result: { deleted: [] } },
      );
      expect(run.calls.map((call) => call.dataSource).filter((name) => name !== 'noteChanges')).toEqual(['notesTable']);
      expect(run.data).toMatchObject({ noteId: NOTE_ID });
    });

    it('fails with NotFound and deletes no file when the note does not exist', async () => {
      const run = await runField('Mutation', 'deleteNote', { arguments: { noteId: NOTE_ID }, identity }, () => ({
        result: null,
      }));
      expect(run.calls).toHaveLength(1);
      expect(run.data).toBeNull();
      expect(run.error).toMatchObject({ errorType: 'NotFound' });
    });

    it('calls nothing for a malformed id', async () => {
      const run = await runField('Mutation', 'deleteNote', { arguments: { noteId: '../x' }, identity });
      expect(run.calls).toEqual([]);
      expect(run.error).toMatchObject({ errorType: 'ValidationError' });
    });
  });
});
