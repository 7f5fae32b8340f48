import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import {
  NOTE_ID,
  OWNER_SUB,
  UPLOAD_ID,
  attachmentKey,
  cognitoIdentity,
  fieldInfo,
  uploadKey,
} from '../../helpers/resolver-context';

describe('deleteUnusedFiles', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/deleteUnusedFiles.ts', { strict: true });
  });

  const key = attachmentKey();
  const staged = uploadKey();
  const note = { noteId: NOTE_ID };
  const identity = cognitoIdentity();

  it('invokes the function with the note, its obsolete file and the staged upload', () => {
    const out = fn.request({
      arguments: { input: { noteId: NOTE_ID } },
      identity,
      stash: { note, obsoleteAttachmentKey: key, stagedUploadKey: staged },
      info: fieldInfo('Mutation', 'updateNote'),
    });
    expect(out.result).toEqual({
      operation: 'Invoke',
      payload: {
        arguments: { noteId: NOTE_ID, keys: [key, staged], wholeNote: false },
        identity,
        source: null,
        info: { fieldName: 'updateNote', parentTypeName: 'Mutation', variables: {} },
      },
    });
  });

  it('asks for the whole note prefix when the note was deleted', () => {
    const out = fn.request({
      identity,
      stash: {
        note: { ...note, attachment: { key: attachmentKey() } },
        obsoleteAttachmentKey: null,
        noteDeleted: true,
      },
    });
    expect(out.result).toMatchObject({ payload: { arguments: { noteId: NOTE_ID, keys: [], wholeNote: true } } });
  });

  it('never sends a file outside the note’s own prefix', () => {
    const otherNotesFile = attachmentKey(OWNER_SUB, 'a.png', UPLOAD_ID, '01JDQ5Y0Z8K3M7N2P4R6S8T0VX');
    const legacyFile = `private/${OWNER_SUB}/${UPLOAD_ID}/old.png`;
    for (const obsolete of [otherNotesFile, legacyFile]) {
      const out = fn.request({ identity, stash: { note, obsoleteAttachmentKey: obsolete }, prev: { result: note } });
      expect(out.earlyReturn).toBeDefined();
    }
  });

  it('is skipped when nothing became unused, or nothing was saved', () => {
    for (const stash of [{ note, obsoleteAttachmentKey: null }, { stagedUploadKey: staged }]) {
      const out = fn.request({ identity, stash, prev: { result: note } });
      expect(out.earlyReturn).toBeDefined();
      expect(out.result).toEqual(note);
    }
  });

  it('succeeds quietly when the files are deleted, passing the note on', () => {
    const out = fn.response({
      identity,
      stash: { note, obsoleteAttachmentKey: key },
      prev: { result: note },
      result: { deleted: [key] },
    });
    expect(out.error).toBeUndefined();
    expect(out.outErrors).toEqual([]);
    expect(out.result).toEqual(note);
  });

  it('reports a thrown failure next to the committed change instead of failing it', () => {
    const out = fn.response({
      identity,
      stash: { note, obsoleteAttachmentKey: key },
      prev: { result: note },
      result: null,
      error: { message: 'Internal error; quote request id r-1 when reporting it', type: 'Lambda:Unhandled' },
    });
    expect(out.error).toBeUndefined();
    expect(out.result).toEqual(note);
    expect(out.outErrors).toEqual([
      expect.objectContaining({
        errorType: 'AttachmentCleanupFailed',
        message: expect.stringContaining('request id r-1'),
        errorInfo: {
          keys: [key],
          cause: { message: 'Internal error; quote request id r-1 when reporting it', type: 'Lambda:Unhandled' },
        },
      }),
    ]);
  });

  it('reports a returned failure the same way', () => {
    const out = fn.response({
      identity,
      stash: { note, stagedUploadKey: staged },
      result: { errorMessage: 'The upload key is outside your own uploads', errorType: 'Unauthorized' },
    });
    expect(out.error).toBeUndefined();
    expect(out.outErrors).toEqual([
      expect.objectContaining({
        errorType: 'AttachmentCleanupFailed',
        errorInfo: expect.objectContaining({ keys: [staged] }),
      }),
    ]);
  });
});
