import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import {
  CONDITION_FAILED,
  NOTE_ID,
  OTHER_SUB,
  OWNER_SUB,
  attachmentItem,
  cognitoIdentity,
  noteItem,
} from '../../helpers/resolver-context';

describe('deleteNoteItem', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/deleteNoteItem.ts', { strict: true });
  });

  it('deletes from the caller partition only if the note exists', () => {
    const out = fn.request({ arguments: { noteId: NOTE_ID }, identity: cognitoIdentity(OWNER_SUB) });
    expect(out.result).toEqual({
      operation: 'DeleteItem',
      key: { userId: { S: OWNER_SUB }, noteId: { S: NOTE_ID } },
      condition: { expression: '(attribute_exists(#noteId))', expressionNames: { '#noteId': 'noteId' } },
    });
  });

  it('takes the partition from the identity sub', () => {
    const out = fn.request({ arguments: { noteId: NOTE_ID }, identity: cognitoIdentity(OTHER_SUB) });
    expect(out.result).toMatchObject({ key: { userId: { S: OTHER_SUB } } });
  });

  it('returns the deleted note and marks its attachment file for deletion', () => {
    const attachment = attachmentItem();
    const out = fn.response({ arguments: { noteId: NOTE_ID }, result: noteItem({ attachment }) });
    expect(out.result).toMatchObject({ noteId: NOTE_ID, attachment });
    expect(out.stash.note).toEqual(out.result);
    expect(out.stash.obsoleteAttachmentKey).toBe(attachment.key);
  });

  it('marks nothing for deletion when the note had no attachment', () => {
    const out = fn.response({ arguments: { noteId: NOTE_ID }, result: noteItem() });
    expect(out.stash.obsoleteAttachmentKey).toBeNull();
  });

  // AppSync re-reads the item after a failed condition; for DeleteItem, finding none counts as success, so the
  // response handler sees no error and no item.
  it('fails with NotFound when the delete reports success without an item', () => {
    const out = fn.response({ arguments: { noteId: NOTE_ID }, result: null });
    expect(out.error).toMatchObject({ type: 'NotFound', message: expect.stringContaining(NOTE_ID) });
  });

  it('fails with NotFound when the condition failure is reported', () => {
    const out = fn.response({
      arguments: { noteId: NOTE_ID },
      result: null,
      error: { message: 'The conditional request failed', type: CONDITION_FAILED },
    });
    expect(out.error).toMatchObject({ type: 'NotFound' });
  });

  it('raises any other DynamoDB error as reported', () => {
    const out = fn.response({
      arguments: { noteId: NOTE_ID },
      result: null,
      error: { message: 'Throttled', type: 'DynamoDB:ThrottlingException' },
    });
    expect(out.error).toMatchObject({ message: 'Throttled', type: 'DynamoDB:ThrottlingException' });
  });
});
