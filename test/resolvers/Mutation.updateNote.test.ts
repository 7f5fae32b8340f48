import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import {
  CONDITION_FAILED,
  NOTE_ID,
  OTHER_SUB,
  OWNER_SUB,
  attachmentItem,
  attachmentKey,
  uploadKey,
  OTHER_NOTE_ID,
  cognitoIdentity,
  noteItem,
} from '../helpers/resolver-context';
import { runField } from '../helpers/run-resolver';

const OTHER_UPLOAD_ID = '0b6f8a52-4c1d-4e3f-9a7b-2d5c8e1f3a60';

describe('Mutation.updateNote', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Mutation.updateNote.ts', { strict: true });
  });

  const before = (extra: Record<string, unknown>) =>
    resolver.request({
      arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, ...extra } },
      identity: cognitoIdentity(OWNER_SUB),
    });

  it('accepts a content change', () => {
    expect(before({ content: 'New text' }).error).toBeUndefined();
  });

  it('accepts an attachment removal alone', () => {
    expect(before({ attachment: null }).error).toBeUndefined();
  });

  it('accepts an attachment from the caller own uploads', () => {
    expect(before({ attachment: { key: uploadKey(OWNER_SUB) } }).error).toBeUndefined();
  });

  it("accepts the note's own file (kept if it is the current attachment)", () => {
    expect(before({ attachment: { key: attachmentKey(OWNER_SUB) } }).error).toBeUndefined();
  });

  it("rejects another note's file: notes never share one", () => {
    const otherNotesFile = attachmentKey(OWNER_SUB, 'a.png', undefined, OTHER_NOTE_ID);
    expect(before({ attachment: { key: otherNotesFile } }).error).toMatchObject({ type: 'ValidationError' });
  });

  it('rejects an input that changes nothing', () => {
    expect(before({}).error).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('change') });
  });

  it('rejects content set to null: a note always has content', () => {
    expect(before({ content: null }).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('input.content'),
    });
  });

  it('rejects empty content', () => {
    expect(before({ content: '' }).error).toMatchObject({ type: 'ValidationError' });
  });

  it('rejects content over 100,000 characters', () => {
    expect(before({ content: 'x'.repeat(100_001) }).error).toMatchObject({ type: 'ValidationError' });
  });

  it('rejects an attachment key in another user prefix', () => {
    expect(before({ attachment: { key: uploadKey(OTHER_SUB) } }).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('input.attachment.key'),
    });
  });

  it('rejects a malformed note id', () => {
    const out = resolver.request({
      arguments: { input: { noteId: 'note-1', expectedVersion: 3, content: 'x' } },
      identity: cognitoIdentity(),
    });
    expect(out.error).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('input.noteId') });
  });

  it.each([0, -2, 1.5])('rejects an expected version of %s', (expectedVersion) => {
    const out = resolver.request({
      arguments: { input: { noteId: NOTE_ID, expectedVersion, content: 'x' } },
      identity: cognitoIdentity(),
    });
    expect(out.error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('input.expectedVersion'),
    });
  });

  it('returns the updated note', () => {
    const note = { noteId: NOTE_ID, version: 4 };
    expect(resolver.response({ arguments: {}, stash: { note } }).result).toEqual(note);
  });

  describe('as a pipeline', () => {
    const identity = cognitoIdentity();
    it('changes content with exactly one UpdateItem and no Lambda', async () => {
      const run = await runField(
        'Mutation',
        'updateNote',
        { arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, content: 'New' } }, identity },
        () => ({ result: noteItem({ version: 4, content: 'New' }) }),
      );
      expect(run.error).toBeUndefined();
      expect(run.calls.map((call) => (call.request as { operation: string }).operation)).toEqual(['UpdateItem']);
      expect(run.data).toMatchObject({ content: 'New', version: 4 });
    });

    it('replaces an attachment: reads the old key, copies the upload, updates, then deletes the old file and the staged upload', async () => {
      const oldAttachment = attachmentItem({ key: attachmentKey(OWNER_SUB, 'old.png', OTHER_UPLOAD_ID) });
      const staged = uploadKey(OWNER_SUB, 'new.png');
      const newAttachment = attachmentItem({ key: attachmentKey(OWNER_SUB, 'new.png'), contentType: 'image/png' });
      const run = await runField(
        'Mutation',
        'updateNote',
        { arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, attachment: { key: staged } } }, identity },
        (call) => {
          switch (call.functionName) {
            case 'getNoteItemForUpdate':
              return { result: noteItem({ attachment: oldAttachment }) };
            case 'attachUpload':
              return { result: newAttachment };
            case 'updateNoteItem':
              return { result: noteItem({ version: 4, attachment: newAttachment }) };
            default:
              return { result: { deleted: [oldAttachment.key, staged] } };
          }
        },
      );
      expect(run.error).toBeUndefined();
      expect(run.calls.map((call) => call.functionName)).toEqual([
        'getNoteItemForUpdate',
        'attachUpload',
        'updateNoteItem',
        'deleteUnusedFiles',
      ]);
      expect(run.calls[1].request).toMatchObject({ payload: { arguments: { key: staged, noteId: NOTE_ID } } });
      expect(run.calls[3]).toMatchObject({
        dataSource: 'deleteAttachment',
        request: { payload: { arguments: { noteId: NOTE_ID, keys: [oldAttachment.key, staged], wholeNote: false } } },
      });
      expect(run.data).toMatchObject({ version: 4, attachment: newAttachment });
    });

    it("keeps the attachment when the input names the note's current file: no copy, no delete", async () => {
      const current = attachmentItem();
      const run = await runField(
        'Mutation',
        'updateNote',
        {
          arguments: {
            input: { noteId: NOTE_ID, expectedVersion: 3, content: 'New', attachment: { key: current.key } },
          },
          identity,
        },
        (call) =>
          call.functionName === 'getNoteItemForUpdate'
            ? { result: noteItem({ attachment: current }) }
            : { result: noteItem({ version: 4, content: 'New', attachment: current }) },
      );
      expect(run.error).toBeUndefined();
      expect(run.calls.map((call) => call.functionName)).toEqual(['getNoteItemForUpdate', 'updateNoteItem']);
      expect(JSON.stringify(run.calls[1].request)).not.toContain('attachment');
      expect(run.data).toMatchObject({ version: 4, attachment: current });
    });

    it('refuses a file of this note that is not its current attachment, writing nothing', async () => {
      const run = await runField(
        'Mutation',
        'updateNote',
        {
          arguments: {
            input: { noteId: NOTE_ID, expectedVersion: 3, attachment: { key: attachmentKey(OWNER_SUB, 'gone.png') } },
          },
          identity,
        },
        () => ({ result: noteItem({ attachment: attachmentItem() }) }),
      );
      expect(run.calls.map((call) => call.functionName)).toEqual(['getNoteItemForUpdate']);
      expect(run.error).toMatchObject({ errorType: 'ValidationError' });
    });

    it('removes an attachment and deletes its file, with no description', async () => {
      const oldAttachment = attachmentItem();
      const run = await runField(
        'Mutation',
        'updateNote',
        { arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, attachment: null } }, identity },
        (call) => {
          if (call.functionName === 'getNoteItemForUpdate') return { result: noteItem({ attachment: oldAttachment }) };
          if (call.functionName === 'updateNoteItem') return { result: noteItem({ version: 4 }) };
          return { result: { key: oldAttachment.key, deleted: true } };
        },
      );
      expect(run.calls.map((call) => call.functionName)).toEqual([
        'getNoteItemForUpdate',
        'updateNoteItem',
        'deleteUnusedFiles',
      ]);
      expect(run.calls[2].request).toMatchObject({
        payload: { arguments: { noteId: NOTE_ID, keys: [oldAttachment.key], wholeNote: false } },
      });
      expect(run.data).toMatchObject({ version: 4, attachment: null });
    });

    it('writes nothing and deletes nothing when the note moved on before the read', async () => {
      const run = await runField(
        'Mutation',
        'updateNote',
        { arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, attachment: null } }, identity },
        () => ({ result: noteItem({ version: 6, attachment: attachmentItem() }) }),
      );
      expect(run.calls.map((call) => call.functionName)).toEqual(['getNoteItemForUpdate']);
      expect(run.data).toBeNull();
      expect(run.error).toMatchObject({ errorType: 'ConflictError', errorInfo: { currentVersion: 6 } });
    });

    // AppSync may or may not hand the current item over with a failed condition (aws-appsync-community #343): the
    // outcome must be the same either way, read with a GetItem after the failed update.
    const conditionFailed = { message: 'The conditional request failed', type: CONDITION_FAILED };
    const failedUpdate = [
      ['with ctx.result', (item: unknown) => ({ result: item, error: conditionFailed })],
      ['without ctx.result', () => ({ error: conditionFailed })],
    ] as const;

    it.each(failedUpdate)('deletes no file when the update itself loses a race (%s)', async (_, failure) => {
      const current = noteItem({ version: 4, content: 'changed elsewhere', attachment: attachmentItem() });
      const run = await runField(
        'Mutation',
        'updateNote',
        { arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, attachment: null } }, identity },
        (call) => {
          if (call.functionName === 'getNoteItemForUpdate')
            return { result: noteItem({ attachment: attachmentItem() }) };
          if (call.functionName === 'updateNoteItem') return failure(current);
          return { result: current };
        },
      );
      expect(run.calls.map((call) => call.functionName)).toEqual([
        'getNoteItemForUpdate',
        'updateNoteItem',
        'readNoteAfterFailedUpdate',
      ]);
      expect(run.calls[2].request).toMatchObject({ operation: 'GetItem', consistentRead: true });
      expect(run.error).toMatchObject({
        errorType: 'ConflictError',
        errorInfo: { currentVersion: 4, expectedVersion: 3 },
      });
      expect(run.data).toBeNull();
    });

    it('writes nothing when the new upload is missing', async () => {
      const key = uploadKey();
      const run = await runField(
        'Mutation',
        'updateNote',
        { arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, attachment: { key } } }, identity },
        (call) =>
          call.functionName === 'getNoteItemForUpdate'
            ? { result: noteItem() }
            : { error: { message: `No file has been uploaded to ${key}`, type: 'Lambda:Unhandled' } },
      );
      expect(run.calls.map((call) => call.functionName)).toEqual(['getNoteItemForUpdate', 'attachUpload']);
      expect(run.data).toBeNull();
    });

    it('returns the note with an AttachmentCleanupFailed error when the old file cannot be deleted', async () => {
      const run = await runField(
        'Mutation',
        'updateNote',
        { arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, attachment: null } }, identity },
        (call) => {
          if (call.functionName === 'getNoteItemForUpdate')
            return { result: noteItem({ attachment: attachmentItem() }) };
          if (call.functionName === 'updateNoteItem') return { result: noteItem({ version: 4 }) };
          return { error: { message: 'Access Denied', type: 'Lambda:Unhandled' } };
        },
      );
      expect(run.data).toMatchObject({ version: 4 });
      expect(run.outErrors).toEqual([expect.objectContaining({ errorType: 'AttachmentCleanupFailed' })]);
    });

    it.each(failedUpdate)('reports NotFound for a note that does not exist (%s)', async (_, failure) => {
      const run = await runField(
        'Mutation',
        'updateNote',
        { arguments: { input: { noteId: NOTE_ID, expectedVersion: 1, content: 'x' } }, identity },
        (call) => (call.functionName === 'updateNoteItem' ? failure(null) : { result: null }),
      );
      expect(run.calls.map((call) => call.functionName)).toEqual(['updateNoteItem', 'readNoteAfterFailedUpdate']);
      expect(run.error).toMatchObject({ errorType: 'NotFound' });
    });

    it.each(failedUpdate)('reports ConflictError for a stale content edit (%s)', async (_, failure) => {
      const current = noteItem({ version: 5, content: 'from a phone' });
      const run = await runField(
        'Mutation',
        'updateNote',
        { arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, content: 'from a laptop' } }, identity },
        (call) => (call.functionName === 'updateNoteItem' ? failure(current) : { result: current }),
      );
      expect(run.error).toMatchObject({ errorType: 'ConflictError', errorInfo: { currentVersion: 5 } });
    });
  });
});
