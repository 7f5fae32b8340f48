import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import { NOTE_ID, OTHER_SUB, cognitoIdentity, noteItem } from '../../helpers/resolver-context';

describe('readNoteForRetriedCreate', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/readNoteForRetriedCreate.ts', { strict: true });
  });

  const args = { input: { content: 'x', clientToken: NOTE_ID } };
  const fingerprint = 'v1:1:11.22:-';

  it('is skipped after a successful put, passing its note on', () => {
    const created = { noteId: NOTE_ID, version: 1 };
    const out = fn.request({ arguments: args, identity: cognitoIdentity(), prev: { result: created }, stash: {} });
    expect(out.earlyReturn).toBeDefined();
    expect(out.result).toEqual(created);
  });

  it('reads the token note in the caller partition, strongly consistent, after a failed put', () => {
    const out = fn.request({
      arguments: args,
      identity: cognitoIdentity(OTHER_SUB),
      stash: { noteId: NOTE_ID, createConditionFailed: true, createFingerprint: fingerprint },
    });
    expect(out.result).toEqual({
      operation: 'GetItem',
      key: { userId: { S: OTHER_SUB }, noteId: { S: NOTE_ID } },
      consistentRead: true,
    });
  });

  const respond = (result: unknown) =>
    fn.response({ arguments: args, result, stash: { noteId: NOTE_ID, createFingerprint: fingerprint } });

  it('returns the note as it is now when it was created by the same request', () => {
    const out = respond(noteItem({ version: 4, content: 'edited', createFingerprint: fingerprint }));
    expect(out.error).toBeUndefined();
    expect(out.result).toEqual(expect.objectContaining({ noteId: NOTE_ID, version: 4, content: 'edited' }));
    expect(out.result).not.toHaveProperty('createFingerprint');
    expect(out.stash.note).toEqual(out.result);
    // Nothing changed: the pipeline's publish step skips it.
    expect(out.stash.noteUnchanged).toBe(true);
  });

  it('rejects a token used for a different request', () => {
    expect(respond(noteItem({ createFingerprint: 'v1:1:99.22:-' })).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining(NOTE_ID),
    });
  });

  it('rejects a token naming a note made without a token', () => {
    expect(respond(noteItem()).error).toMatchObject({ type: 'ValidationError' });
  });

  it('reports a note deleted since as NotFound', () => {
    expect(respond(null).error).toMatchObject({ type: 'NotFound' });
  });
});
