import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import { NOTE_ID, OTHER_SUB, cognitoIdentity, noteItem } from '../../helpers/resolver-context';

describe('readNoteAfterFailedUpdate', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/readNoteAfterFailedUpdate.ts', { strict: true });
  });

  const args = { input: { noteId: NOTE_ID, expectedVersion: 3, content: 'x' } };

  it('is skipped after a successful update, passing its note on', () => {
    const updated = { noteId: NOTE_ID, version: 4 };
    const out = fn.request({ arguments: args, identity: cognitoIdentity(), prev: { result: updated }, stash: {} });
    expect(out.earlyReturn).toBeDefined();
    expect(out.result).toEqual(updated);
  });

  it('reads the note in the caller partition, strongly consistent, after a failed condition', () => {
    const out = fn.request({
      arguments: args,
      identity: cognitoIdentity(OTHER_SUB),
      stash: { updateConditionFailed: true },
    });
    expect(out.earlyReturn).toBeUndefined();
    expect(out.result).toEqual({
      operation: 'GetItem',
      key: { userId: { S: OTHER_SUB }, noteId: { S: NOTE_ID } },
      consistentRead: true,
    });
  });

  it('reports a note that moved on as ConflictError with the note as it is now', () => {
    const out = fn.response({ arguments: args, result: noteItem({ version: 7, content: 'elsewhere' }) });
    expect(out.error).toMatchObject({
      type: 'ConflictError',
      message: expect.stringContaining('version 7'),
      errorInfo: { noteId: NOTE_ID, currentVersion: 7, expectedVersion: 3 },
      data: expect.objectContaining({ version: 7, content: 'elsewhere' }),
    });
    expect(JSON.stringify(out.error?.data)).not.toContain('userId');
  });

  it('reports a note that is not there as NotFound', () => {
    const out = fn.response({ arguments: args, result: null });
    expect(out.error).toMatchObject({ type: 'NotFound', message: expect.stringContaining(NOTE_ID) });
  });

  it('raises a failed read as reported', () => {
    const out = fn.response({
      arguments: args,
      result: null,
      error: {
        message: 'Throughput exceeds the current capacity',
        type: 'DynamoDB:ProvisionedThroughputExceededException',
      },
    });
    expect(out.error).toMatchObject({ type: 'DynamoDB:ProvisionedThroughputExceededException' });
  });
});
