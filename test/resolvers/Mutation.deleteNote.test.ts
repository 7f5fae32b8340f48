import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import { NOTE_ID, attachmentItem, cognitoIdentity, noteItem } from '../helpers/resolver-context';
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

    it('deletes the item, then its attachment file, and returns the note as it was', async () => {
      const attachment = attachmentItem();
      const run = await runField('Mutation', 'deleteNote', { arguments: { noteId: NOTE_ID }, identity }, (call) =>
        call.dataSource === 'notesTable'
          ? { result: noteItem({ attachment }) }
          : { result: { key: attachment.key, deleted: true } },
      );
      expect(run.error).toBeUndefined();
      expect(run.calls.map((call) => call.dataSource)).toEqual(['notesTable', 'deleteAttachment']);
      expect(run.calls[1].request).toMatchObject({ payload: { arguments: { key: attachment.key } } });
      expect(run.data).toMatchObject({ noteId: NOTE_ID, content: 'Buy oat milk', attachment });
    });

    it('makes one DynamoDB request and no Lambda call for a note without attachment', async () => {
      const run = await runField('Mutation', 'deleteNote', { arguments: { noteId: NOTE_ID }, identity }, () => ({
        result: noteItem(),
      }));
      expect(run.calls.map((call) => call.dataSource)).toEqual(['notesTable']);
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
