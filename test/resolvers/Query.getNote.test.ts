import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import { NOTE_ID, OTHER_SUB, OWNER_SUB, attachmentItem, cognitoIdentity, noteItem } from '../helpers/resolver-context';
import { runField } from '../helpers/run-resolver';

describe('Query.getNote', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Query.getNote.ts', { strict: true });
  });

  it('gets the note from the caller partition, keyed by the identity sub', () => {
    const out = resolver.request({ arguments: { noteId: NOTE_ID }, identity: cognitoIdentity(OWNER_SUB) });
    expect(out.error).toBeUndefined();
    expect(out.result).toEqual({
      operation: 'GetItem',
      key: { userId: { S: OWNER_SUB }, noteId: { S: NOTE_ID } },
    });
  });

  it('takes the owner from the identity, so another caller asks for another key', () => {
    const out = resolver.request({ arguments: { noteId: NOTE_ID }, identity: cognitoIdentity(OTHER_SUB) });
    expect(out.result).toMatchObject({ key: { userId: { S: OTHER_SUB } } });
  });

  it('ignores an owner smuggled into the arguments', () => {
    const out = resolver.request({
      arguments: { noteId: NOTE_ID, userId: OTHER_SUB },
      identity: cognitoIdentity(OWNER_SUB),
    });
    expect(out.result).toMatchObject({ key: { userId: { S: OWNER_SUB } } });
  });

  it.each([
    ['too short', '01JDQ5Y0Z8K3M7N2P4R6S8T0V'],
    ['lower case', '01jdq5y0z8k3m7n2p4r6s8t0vw'],
    ['a letter Crockford excludes', '01JDQ5Y0Z8K3M7N2P4R6S8T0VU'],
    ['a timestamp past the ULID range', '81JDQ5Y0Z8K3M7N2P4R6S8T0VW'],
    ['a path', '../../01JDQ5Y0Z8K3M7N2P4R6'],
  ])('rejects a note id that is %s', (_, noteId) => {
    const out = resolver.request({ arguments: { noteId }, identity: cognitoIdentity() });
    expect(out.error).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('noteId') });
    expect(out.result).toBeUndefined();
  });

  it('rejects a caller without a user pool identity as Unauthorized', () => {
    const out = resolver.request({ arguments: { noteId: NOTE_ID }, identity: null });
    expect(out.error).toMatchObject({ type: 'Unauthorized' });
  });

  it('returns the note without its owner', () => {
    const out = resolver.response({
      arguments: { noteId: NOTE_ID },
      result: noteItem({ attachment: attachmentItem() }),
    });
    expect(out.result).toEqual({
      noteId: NOTE_ID,
      content: 'Buy oat milk',
      attachment: attachmentItem(),
      createdAt: '2026-11-20T09:15:00.000Z',
      updatedAt: '2026-11-21T10:30:00.000Z',
      version: 3,
    });
  });

  it('returns null when the note does not exist (or is someone else’s)', () => {
    const out = resolver.response({ arguments: { noteId: NOTE_ID }, result: null });
    expect(out.error).toBeUndefined();
    expect(out.result).toBeNull();
  });

  it('raises a DynamoDB error with its own message and type', () => {
    const out = resolver.response({
      arguments: { noteId: NOTE_ID },
      result: null,
      error: { message: 'Rate exceeded', type: 'DynamoDB:ProvisionedThroughputExceededException' },
    });
    expect(out.error).toMatchObject({
      message: 'Rate exceeded',
      type: 'DynamoDB:ProvisionedThroughputExceededException',
    });
  });

  it('makes exactly one DynamoDB request', async () => {
    const run = await runField(
      'Query',
      'getNote',
      { arguments: { noteId: NOTE_ID }, identity: cognitoIdentity() },
      () => ({ result: noteItem() }),
    );
    expect(run.calls.map((call) => call.dataSource)).toEqual(['notesTable']);
    expect(run.data).toMatchObject({ noteId: NOTE_ID, version: 3 });
  });
});
