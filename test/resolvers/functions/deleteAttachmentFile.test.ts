import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import { attachmentKey, cognitoIdentity, fieldInfo } from '../../helpers/resolver-context';

describe('deleteAttachmentFile', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/deleteAttachmentFile.ts', { strict: true });
  });

  const key = attachmentKey();
  const note = { noteId: '01JDQ5Y0Z8K3M7N2P4R6S8T0VW' };

  it('invokes the function with the obsolete key in arguments', () => {
    const identity = cognitoIdentity();
    const out = fn.request({
      arguments: { noteId: note.noteId },
      identity,
      stash: { obsoleteAttachmentKey: key },
      info: fieldInfo('Mutation', 'deleteNote'),
    });
    expect(out.result).toEqual({
      operation: 'Invoke',
      payload: {
        arguments: { key },
        identity,
        source: null,
        info: { fieldName: 'deleteNote', parentTypeName: 'Mutation', variables: {} },
      },
    });
  });

  it('is skipped when no file became obsolete', () => {
    const out = fn.request({ stash: { obsoleteAttachmentKey: null }, prev: { result: note } });
    expect(out.earlyReturn).toBeDefined();
    expect(out.result).toEqual(note);
  });

  it('succeeds quietly when the file is deleted', () => {
    const out = fn.response({ stash: { obsoleteAttachmentKey: key }, result: { key, deleted: true } });
    expect(out.error).toBeUndefined();
    expect(out.outErrors).toEqual([]);
  });

  it('reports a thrown failure next to the committed change instead of failing it', () => {
    const out = fn.response({
      stash: { obsoleteAttachmentKey: key },
      prev: { result: note },
      result: null,
      error: { message: 'Access Denied', type: 'Lambda:Unhandled' },
    });
    expect(out.error).toBeUndefined();
    expect(out.outErrors).toEqual([
      expect.objectContaining({
        errorType: 'AttachmentCleanupFailed',
        message: expect.stringContaining('Access Denied'),
        errorInfo: { key, cause: { message: 'Access Denied', type: 'Lambda:Unhandled' } },
      }),
    ]);
  });

  it('reports a returned failure the same way', () => {
    const out = fn.response({
      stash: { obsoleteAttachmentKey: key },
      result: { errorMessage: 'The attachment key is outside your own uploads', errorType: 'Unauthorized' },
    });
    expect(out.error).toBeUndefined();
    expect(out.outErrors).toEqual([
      expect.objectContaining({ errorType: 'AttachmentCleanupFailed', errorInfo: expect.objectContaining({ key }) }),
    ]);
  });
});
