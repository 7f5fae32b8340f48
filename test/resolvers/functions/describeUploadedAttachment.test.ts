import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import { attachmentItem, attachmentKey, cognitoIdentity, fieldInfo } from '../../helpers/resolver-context';

describe('describeUploadedAttachment', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/describeUploadedAttachment.ts', { strict: true });
  });

  const key = attachmentKey();
  const args = { input: { content: 'Photo', attachment: { key } } };

  it('invokes the function with the key, the caller identity and the field, shaped like an AppSync event', () => {
    const identity = cognitoIdentity();
    const out = fn.request({
      arguments: args,
      identity,
      info: fieldInfo('Mutation', 'createNote', { content: 'Photo' }),
    });
    expect(out.result).toEqual({
      operation: 'Invoke',
      payload: {
        arguments: { key },
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

  it('keeps exactly the metadata S3 reported, in the stash for the write', () => {
    const described = attachmentItem({ key, contentType: 'application/pdf', size: 99 });
    const out = fn.response({ arguments: args, result: { ...described, etag: '"abc"' } });
    expect(out.result).toEqual(described);
    expect(out.stash.attachment).toEqual(described);
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
    const out = fn.response({ arguments: args, result: null });
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

  it('rejects metadata for another key than the one asked for', () => {
    const out = fn.response({
      arguments: args,
      result: attachmentItem({ key: attachmentKey(undefined, 'other.png') }),
    });
    expect(out.error).toMatchObject({ type: 'InternalFailure' });
  });

  it('rejects metadata without a numeric size', () => {
    const out = fn.response({ arguments: args, result: { ...attachmentItem({ key }), size: '12' } });
    expect(out.error).toMatchObject({ type: 'InternalFailure' });
  });
});
