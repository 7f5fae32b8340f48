import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import {
  NOTE_ID,
  OWNER_SUB,
  attachmentItem,
  attachmentKey,
  uploadKey,
  cognitoIdentity,
  noteItem,
} from '../../helpers/resolver-context';

describe('getNoteItemForUpdate', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/getNoteItemForUpdate.ts', { strict: true });
  });

  const input = (extra: Record<string, unknown>) => ({ input: { noteId: NOTE_ID, expectedVersion: 3, ...extra } });

  it('is skipped for a content-only update, so that costs one DynamoDB request', () => {
    const out = fn.request({ arguments: input({ content: 'x' }), identity: cognitoIdentity(), prev: { result: {} } });
    expect(out.earlyReturn).toBeDefined();
  });

  it('reads the note, strongly consistent, when the attachment is replaced', () => {
    const out = fn.request({
      arguments: input({ attachment: { key: attachmentKey() } }),
      identity: cognitoIdentity(OWNER_SUB),
    });
    expect(out.result).toEqual({
      operation: 'GetItem',
      key: { userId: { S: OWNER_SUB }, noteId: { S: NOTE_ID } },
      consistentRead: true,
    });
  });

  it('reads the note when the attachment is removed', () => {
    const out = fn.request({ arguments: input({ attachment: null }), identity: cognitoIdentity() });
    expect(out.result).toMatchObject({ operation: 'GetItem' });
  });

  it('remembers the old attachment key for deletion after the update', () => {
    const old = attachmentItem();
    const out = fn.response({ arguments: input({ attachment: null }), result: noteItem({ attachment: old }) });
    expect(out.error).toBeUndefined();
    expect(out.stash.previousAttachmentKey).toBe(old.key);
  });

  it('remembers that there was no old attachment', () => {
    const out = fn.response({
      arguments: input({ attachment: { key: uploadKey() } }),
      identity: cognitoIdentity(),
      result: noteItem(),
    });
    expect(out.error).toBeUndefined();
    expect(out.stash.previousAttachmentKey).toBeNull();
    expect(out.stash.keepsAttachment).toBeUndefined();
  });

  it("keeps the attachment when the input names the note's current file", () => {
    const current = attachmentItem();
    const out = fn.response({
      arguments: input({ attachment: { key: current.key } }),
      identity: cognitoIdentity(),
      result: noteItem({ attachment: current }),
    });
    expect(out.error).toBeUndefined();
    expect(out.stash.keepsAttachment).toBe(true);
  });

  it('refuses a file of the note that is not its current attachment', () => {
    const out = fn.response({
      arguments: input({ attachment: { key: attachmentKey(OWNER_SUB, 'earlier.png') } }),
      identity: cognitoIdentity(),
      result: noteItem({ attachment: attachmentItem() }),
    });
    expect(out.error).toMatchObject({ type: 'ValidationError' });
    expect(out.stash.keepsAttachment).toBeUndefined();
  });

  it('fails with NotFound when the note does not exist', () => {
    const out = fn.response({ arguments: input({ attachment: null }), result: null });
    expect(out.error).toMatchObject({ type: 'NotFound', message: expect.stringContaining(NOTE_ID) });
  });

  it('fails with ConflictError carrying the current version when the note moved on', () => {
    const out = fn.response({ arguments: input({ attachment: null }), result: noteItem({ version: 5 }) });
    expect(out.error).toMatchObject({
      type: 'ConflictError',
      errorInfo: { noteId: NOTE_ID, currentVersion: 5, expectedVersion: 3 },
      data: expect.objectContaining({ noteId: NOTE_ID, version: 5 }),
    });
  });

  it('raises a DynamoDB error as reported', () => {
    const out = fn.response({
      arguments: input({ attachment: null }),
      result: null,
      error: { message: 'Throttled', type: 'DynamoDB:ThrottlingException' },
    });
    expect(out.error).toMatchObject({ message: 'Throttled', type: 'DynamoDB:ThrottlingException' });
  });
});
