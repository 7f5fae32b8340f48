import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import { OTHER_SUB, OWNER_SUB, attachmentItem, cognitoIdentity, noteItem } from '../../helpers/resolver-context';

const NOTE_ID = '01JDQ5Y0Z8K3M7N2P4R6S8T0VW';
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('putNoteItem', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/putNoteItem.ts', { strict: true });
  });

  const put = (stash: Record<string, unknown> = {}, sub = OWNER_SUB) =>
    fn.request({
      arguments: { input: { content: 'Buy oat milk' } },
      identity: cognitoIdentity(sub),
      stash: { noteId: NOTE_ID, ...stash },
    }).result as {
      operation: string;
      key: { userId: { S: string }; noteId: { S: string } };
      attributeValues: Record<string, Record<string, unknown>>;
      condition: unknown;
    };

  it('puts under the caller partition with the id the resolver chose', () => {
    const request = put();
    expect(request.operation).toBe('PutItem');
    expect(request.key).toEqual({ userId: { S: OWNER_SUB }, noteId: { S: NOTE_ID } });
  });

  it('takes the partition from the identity sub', () => {
    expect(put({}, OTHER_SUB).key.userId).toEqual({ S: OTHER_SUB });
  });

  it('stores the request fingerprint when there is one, and none otherwise', () => {
    expect(put({ createFingerprint: 'v1:2:1.2:-' }).attributeValues.createFingerprint).toEqual({ S: 'v1:2:1.2:-' });
    expect(put().attributeValues).not.toHaveProperty('createFingerprint');
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

  it('marks a failed condition for the retry check when the request has a clientToken', () => {
    const out = fn.response({
      arguments: { input: { content: 'x' } },
      stash: { createFingerprint: 'v1:1:1.2:-' },
      error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
    });
    expect(out.error).toBeUndefined();
    expect(out.result).toBeNull();
    expect(out.stash.createConditionFailed).toBe(true);
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
