import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import {
  NOTE_ID,
  attachmentItem,
  attachmentKey,
  cognitoIdentity,
  fieldInfo,
  uploadKey,
} from '../../helpers/resolver-context';

describe('attachUpload', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/attachUpload.ts', { strict: true });
  });

  const key = uploadKey();
  const copy = attachmentKey();
  const args = { input: { content: 'Photo', attachment: { key } } };
  const stash = { noteId: NOTE_ID };

  it('invokes the function with the upload, the note, the caller identity and the field, like an AppSync event', () => {
    const identity = cognitoIdentity();
    const out = fn.request({
      arguments: args,
      identity,
      stash,
      info: fieldInfo('Mutation', 'createNote', { content: 'Photo' }),
    });
    expect(out.result).toEqual({
      operation: 'Invoke',
      payload: {
        arguments: { key, noteId: NOTE_ID },
        identity,
        source: null,
        info: { fieldName: 'createNote', parentTypeName: 'Mutation', variables: { content: 'Photo' } },
      },
    });
  });

  it('is skipped when the input has no attachment, passing the previous result on', () => {
    const out = fn.request({ arguments: { input: { content: 'x' } }, prev: { result: { kept: true } } });
    expect(out.earlyReturn).toBeDefined();
    expect(out.result).toEqual({ kept: true });
  });

  it('is skipped when the attachment is null (removal needs no description)', () => {
    const out = fn.request({ arguments: { input: { attachment: null } }, prev: { result: {} } });
    expect(out.earlyReturn).toBeDefined();
  });

  it('uses the note id of updateNote input when no new note id is stashed', () => {
    const out = fn.request({
      arguments: { input: { noteId: NOTE_ID, attachment: { key } } },
      identity: cognitoIdentity(),
    });
    expect(out.result).toMatchObject({ payload: { arguments: { key, noteId: NOTE_ID } } });
  });

  it('is skipped when updateNote keeps the current attachment', () => {
    const out = fn.request({ arguments: args, stash: { keepsAttachment: true }, prev: { result: {} } });
    expect(out.earlyReturn).toBeDefined();
  });

  it("keeps exactly the metadata S3 reported for the note's copy, and the staged key for deletion after the write", () => {
    const attached = attachmentItem({ key: copy, contentType: 'application/pdf', size: 99 });
    const out = fn.response({
      arguments: args,
      identity: cognitoIdentity(),
      stash,
      result: { ...attached, etag: '"abc"' },
    });
    expect(out.result).toEqual(attached);
    expect(out.stash.attachment).toEqual(attached);
    expect(out.stash.stagedUploadKey).toBe(key);
  });

  it("turns the function's NotFound into a ValidationError: the key names no upload", () => {
    const out = fn.response({
      arguments: args,
      result: { errorMessage: 'No file has been uploaded to the key', errorType: 'NotFound' },
    });
    expect(out.error).toMatchObject({ type: 'ValidationError' });
    expect(out.error?.message).toMatch(/No file has been uploaded/);
  });

  it('rejects a missing upload reported as null', () => {
    const out = fn.response({ arguments: args, stash, result: null });
    expect(out.error).toMatchObject({ type: 'ValidationError', message: expect.stringContaining(key) });
    expect(out.stash.attachment).toBeUndefined();
  });

  it('raises a thrown function error with AppSync message and type', () => {
    const out = fn.response({
      arguments: args,
      result: null,
      error: { message: `No file has been uploaded to ${key}`, type: 'Lambda:Unhandled' },
    });
    expect(out.error).toMatchObject({ message: `No file has been uploaded to ${key}`, type: 'Lambda:Unhandled' });
  });

  it('raises a failure the function returned, keeping its type', () => {
    const out = fn.response({
      arguments: args,
      result: { errorMessage: 'The attachment key is outside your own uploads', errorType: 'Unauthorized' },
    });
    expect(out.error).toMatchObject({
      message: 'The attachment key is outside your own uploads',
      type: 'Unauthorized',
    });
  });

  it.each([
    ['the staged upload itself', uploadKey()],
    ['another file name', attachmentKey(undefined, 'other.png')],
    ['another note', attachmentKey(undefined, undefined, undefined, '01JDQ5Y0Z8K3M7N2P4R6S8T0VX')],
  ])('rejects metadata for a key other than the note’s own copy: %s', (_, reported) => {
    const out = fn.response({
      arguments: args,
      identity: cognitoIdentity(),
      stash,
      result: attachmentItem({ key: reported }),
    });
    expect(out.error).toMatchObject({ type: 'InternalFailure' });
    expect(out.stash.attachment).toBeUndefined();
  });

  it('rejects metadata without a numeric size', () => {
    const out = fn.response({
      arguments: args,
      identity: cognitoIdentity(),
      stash,
      result: { ...attachmentItem({ key: copy }), size: '12' },
    });
    expect(out.error).toMatchObject({ type: 'InternalFailure' });
  });
});
