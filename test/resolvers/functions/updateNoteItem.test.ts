import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import {
  CONDITION_FAILED,
  NOTE_ID,
  OTHER_SUB,
  OWNER_SUB,
  attachmentItem,
  attachmentKey,
  cognitoIdentity,
  noteItem,
} from '../../helpers/resolver-context';

interface UpdateRequest {
  operation: string;
  key: unknown;
  update: { expression: string; expressionNames: Record<string, string>; expressionValues: Record<string, unknown> };
  condition: { expression: string; expressionNames: Record<string, string>; expressionValues: Record<string, unknown> };
}

/** Which attribute each SET/REMOVE clause touches, with its value: independent of placeholder numbering. */
function clauses(update: UpdateRequest['update']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const section of update.expression.split(/ (?=SET |REMOVE |ADD |DELETE )/)) {
    const [verb, ...rest] = section.split(' ');
    for (const part of rest.join(' ').split(', ')) {
      const [target, value] = part.split(' = ');
      const name = update.expressionNames[target.trim()];
      out[name] =
        verb === 'REMOVE'
          ? 'REMOVE'
          : value
              .replace(/:[\w]+/g, (ph) => JSON.stringify(update.expressionValues[ph]))
              .replace(/#[\w]+/g, (ph) => update.expressionNames[ph]);
    }
  }
  return out;
}

describe('updateNoteItem', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/updateNoteItem.ts', { strict: true });
  });

  const request = (extra: Record<string, unknown>, stash: Record<string, unknown> = {}, sub = OWNER_SUB) =>
    fn.request({
      arguments: { input: { noteId: NOTE_ID, expectedVersion: 3, ...extra } },
      identity: cognitoIdentity(sub),
      stash,
    }).result as UpdateRequest;

  it('updates the note in the caller partition', () => {
    const update = request({ content: 'x' });
    expect(update.operation).toBe('UpdateItem');
    expect(update.key).toEqual({ userId: { S: OWNER_SUB }, noteId: { S: NOTE_ID } });
  });

  it('takes the partition from the identity sub', () => {
    expect(request({ content: 'x' }, {}, OTHER_SUB).key).toMatchObject({ userId: { S: OTHER_SUB } });
  });

  it('succeeds only if the note exists at the expected version', () => {
    expect(request({ content: 'x' }).condition).toEqual({
      expression: '(attribute_exists(#noteId)) AND (#version = :version_eq)',
      expressionNames: { '#noteId': 'noteId', '#version': 'version' },
      expressionValues: { ':version_eq': { N: 3 } },
    });
  });

  it('changes only the content when only content is given, bumping version and updatedAt', () => {
    const set = clauses(request({ content: 'New text' }).update);
    expect(Object.keys(set).sort()).toEqual(['content', 'updatedAt', 'version']);
    expect(set.content).toBe('{"S":"New text"}');
    expect(set.version).toBe('version + {"N":1}');
    expect(set.updatedAt).toMatch(/^\{"S":"\d{4}-\d{2}-\d{2}T/);
  });

  it('removes the attachment when it is null, leaving content alone', () => {
    const set = clauses(request({ attachment: null }).update);
    expect(set.attachment).toBe('REMOVE');
    expect(set).not.toHaveProperty('content');
  });

  it('replaces the attachment with the described metadata from the stash', () => {
    const described = attachmentItem({ size: 5 });
    const set = clauses(request({ attachment: { key: described.key } }, { attachment: described }).update);
    expect(JSON.parse(set.attachment as string)).toEqual({
      M: {
        key: { S: described.key },
        fileName: { S: described.fileName },
        contentType: { S: described.contentType },
        size: { N: 5 },
      },
    });
  });

  const respond = (result: unknown, error?: { message: string; type: string }, stash = {}) =>
    fn.response({ arguments: { input: { noteId: NOTE_ID, expectedVersion: 3 } }, result, error, stash });

  it('returns the updated note', () => {
    const out = respond(noteItem({ version: 4, content: 'New text' }));
    expect(out.result).toMatchObject({ noteId: NOTE_ID, version: 4, content: 'New text' });
    expect(out.stash.note).toEqual(out.result);
    expect(out.stash.updateConditionFailed).toBeUndefined();
  });

  // Whether AppSync supplies ctx.result after a failed condition is uncertain (aws-appsync-community #343): the
  // function decides nothing from it and leaves the verdict to readNoteAfterFailedUpdate.
  it.each([
    ['with the current item as ctx.result', noteItem({ version: 7 })],
    ['without ctx.result', undefined],
  ])('marks a failed condition for the follow-up read, %s', (_, result) => {
    const out = respond(result, { message: 'The conditional request failed', type: CONDITION_FAILED });
    expect(out.error).toBeUndefined();
    expect(out.result).toBeNull();
    expect(out.stash).toEqual({ updateConditionFailed: true });
  });

  it('raises any other DynamoDB error as reported', () => {
    const out = respond(null, { message: 'Item size has exceeded the maximum', type: 'DynamoDB:ValidationException' });
    expect(out.error).toMatchObject({ type: 'DynamoDB:ValidationException' });
  });

  it('marks a replaced attachment file for deletion', () => {
    const old = attachmentKey(OWNER_SUB, 'old.png');
    const out = respond(noteItem({ version: 4, attachment: attachmentItem() }), undefined, {
      previousAttachmentKey: old,
    });
    expect(out.stash.obsoleteAttachmentKey).toBe(old);
  });

  it('marks a removed attachment file for deletion', () => {
    const old = attachmentKey(OWNER_SUB, 'old.png');
    const out = respond(noteItem({ version: 4 }), undefined, { previousAttachmentKey: old });
    expect(out.stash.obsoleteAttachmentKey).toBe(old);
  });

  it('keeps the file when the same key is attached again', () => {
    const same = attachmentItem();
    const out = respond(noteItem({ version: 4, attachment: same }), undefined, { previousAttachmentKey: same.key });
    expect(out.stash.obsoleteAttachmentKey).toBeUndefined();
  });

  it('deletes nothing after a content-only update', () => {
    const out = respond(noteItem({ version: 4, attachment: attachmentItem() }));
    expect(out.stash.obsoleteAttachmentKey).toBeUndefined();
  });
});
