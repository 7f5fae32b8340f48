import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import { OTHER_SUB, OWNER_SUB, attachmentItem, cognitoIdentity, noteItem } from '../../helpers/resolver-context';

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('putNoteItem', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/putNoteItem.ts', { strict: true });
  });

  const put = (stash: Record<string, unknown> = {}, sub = OWNER_SUB) =>
    fn.request({ arguments: { input: { content: 'Buy oat milk' } }, identity: cognitoIdentity(sub), stash }).result as {
      operation: string;
      key: { userId: { S: string }; noteId: { S: string } };
      attributeValues: Record<string, Record<string, unknown>>;
      condition: unknown;
    };

  it('puts under the caller partition with a fresh ULID', () => {
    const request = put();
    expect(request.operation).toBe('PutItem');
    expect(request.key.userId).toEqual({ S: OWNER_SUB });
    expect(request.key.noteId.S).toMatch(ULID);
  });

  it('takes the partition from the identity sub', () => {
    expect(put({}, OTHER_SUB).key.userId).toEqual({ S: OTHER_SUB });
  });

  it('gives every note a new id', () => {
    expect(put().key.noteId.S).not.toBe(put().key.noteId.S);
  });

  it('only creates: the put fails if the key already exists', () => {
    expect(put().condition).toEqual({
      expression: '(attribute_not_exists(#noteId))',
      expressionNames: { '#noteId': 'noteId' },
    });
  });

  it('starts at version 1 with equal creation and update times', () => {
    const values = put().attributeValues;
    expect(values.version).toEqual({ N: 1 });
    expect(values.content).toEqual({ S: 'Buy oat milk' });
    expect(values.createdAt.S).toMatch(ISO_DATE_TIME);
    expect(values.updatedAt).toEqual(values.createdAt);
  });

  it('stores no attachment attribute when there is none', () => {
    expect(put().attributeValues).not.toHaveProperty('attachment');
  });

  it('stores the described attachment from the stash', () => {
    const attachment = attachmentItem({ size: 7 });
    expect(put({ attachment }).attributeValues.attachment).toEqual({
      M: {
        key: { S: attachment.key },
        fileName: { S: attachment.fileName },
        contentType: { S: attachment.contentType },
        size: { N: 7 },
      },
    });
  });

  it('returns the written note and keeps it for the pipeline result', () => {
    const out = fn.response({ arguments: { input: { content: 'x' } }, result: noteItem({ version: 1 }) });
    expect(out.result).toMatchObject({ noteId: noteItem().noteId, version: 1 });
    expect(out.stash.note).toEqual(out.result);
  });

  it('raises a failed put as the data source reported it', () => {
    const out = fn.response({
      arguments: { input: { content: 'x' } },
      result: null,
      error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
    });
    expect(out.error).toMatchObject({ type: 'DynamoDB:ConditionalCheckFailedException' });
  });
});
