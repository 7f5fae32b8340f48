import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import {
  OTHER_SUB,
  OWNER_SUB,
  UPLOAD_ID,
  attachmentItem,
  attachmentKey,
  cognitoIdentity,
  uploadKey,
} from '../helpers/resolver-context';
import { runField } from '../helpers/run-resolver';
import { itemPutBy } from '../helpers/typed-values';
import { HOUR_MS, MINUTE_MS, ulidAt } from '../helpers/ulid';

const CONDITION_FAILED = {
  message: 'The conditional request failed',
  type: 'DynamoDB:ConditionalCheckFailedException',
};

describe('Mutation.createNote', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Mutation.createNote.ts', { strict: true });
  });

  const before = (input: Record<string, unknown>, sub = OWNER_SUB) =>
    resolver.request({ arguments: { input }, identity: cognitoIdentity(sub) });

  it('accepts content alone', () => {
    const out = before({ content: 'Buy oat milk' });
    expect(out.error).toBeUndefined();
    expect(out.earlyReturn).toBeUndefined();
  });

  it('accepts content of exactly 100,000 characters', () => {
    expect(before({ content: 'x'.repeat(100_000) }).error).toBeUndefined();
  });

  it('accepts an attachment key from the caller own uploads', () => {
    expect(before({ content: 'Photo', attachment: { key: uploadKey(OWNER_SUB) } }).error).toBeUndefined();
  });

  it('rejects empty content', () => {
    expect(before({ content: '' }).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('input.content'),
    });
  });

  it('rejects content over 100,000 characters', () => {
    expect(before({ content: 'x'.repeat(100_001) }).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('100000'),
    });
  });

  it('rejects an attachment key in another user prefix', () => {
    expect(before({ content: 'Photo', attachment: { key: uploadKey(OTHER_SUB) } }).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('input.attachment.key'),
    });
  });

  it.each([
    ['outside uploads/', 'public/holiday.png'],
    ['a path climbing out of the prefix', `uploads/${OWNER_SUB}/../${OTHER_SUB}/${UPLOAD_ID}/a.png`],
    ['missing the upload id', `uploads/${OWNER_SUB}/holiday.png`],
    ['an upload id createUploadUrl never makes', `uploads/${OWNER_SUB}/not-a-uuid/holiday.png`],
    ['extra segments', `${uploadKey()}/more`],
    ['a dot-only file name', uploadKey(OWNER_SUB, '..')],
    ['a control character in the name', uploadKey(OWNER_SUB, 'a\u0000.png')],
    ['a file name over 255 characters', uploadKey(OWNER_SUB, `${'a'.repeat(252)}.png`)],
    ['the prefix of a user whose sub starts with the caller sub', uploadKey(`${OWNER_SUB}x`)],
    // Attaching another note's file would make two notes share it: only uploads can be attached.
    ['a file another note already owns', attachmentKey(OWNER_SUB)],
  ])('rejects an attachment key with %s', (_, key) => {
    expect(before({ content: 'Photo', attachment: { key } }).error).toMatchObject({ type: 'ValidationError' });
  });

  it('rejects a caller without a user pool identity as Unauthorized', () => {
    const out = resolver.request({ arguments: { input: { content: 'x' } }, identity: undefined });
    expect(out.error).toMatchObject({ type: 'Unauthorized' });
  });

  describe('clientToken', () => {
    it('makes a ULID from the client the note id, with a fingerprint of the request', () => {
      const token = ulidAt(Date.now());
      const out = before({ content: 'Retry me', clientToken: token });
      expect(out.error).toBeUndefined();
      expect(out.stash.noteId).toBe(token);
      expect(out.stash.createFingerprint).toMatch(/^v1:8:\d+\.\d+:-$/);
    });

    it('gives a note without a token a new ULID and no fingerprint', () => {
      const out = before({ content: 'No token' });
      expect(out.stash.noteId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
      expect(out.stash).not.toHaveProperty('createFingerprint');
      expect(before({ content: 'No token', clientToken: null }).stash).not.toHaveProperty('createFingerprint');
    });

    it('fingerprints the attachment key with the content', () => {
      const token = ulidAt(Date.now());
      const key = uploadKey(OWNER_SUB);
      const withFile = before({ content: 'x', clientToken: token, attachment: { key } }).stash.createFingerprint;
      expect(String(withFile).endsWith(`:${key}`)).toBe(true);
      expect(withFile).not.toBe(before({ content: 'x', clientToken: token }).stash.createFingerprint);
    });

    it.each([
      ['made 23 hours ago', -23 * HOUR_MS],
      ['made 4 minutes ahead of the server clock', 4 * MINUTE_MS],
    ])('accepts a token %s', (_, offset) => {
      expect(before({ content: 'x', clientToken: ulidAt(Date.now() + offset) }).error).toBeUndefined();
    });

    it.each([
      ['made more than 24 hours ago', -(24 * HOUR_MS + MINUTE_MS), /more than 24 hours ago/],
      ['more than 5 minutes ahead of the server clock', 6 * MINUTE_MS, /more than 5 minutes ahead/],
    ])('rejects a token %s', (_, offset, message) => {
      expect(before({ content: 'x', clientToken: ulidAt(Date.now() + offset) }).error).toMatchObject({
        type: 'ValidationError',
        message: expect.stringMatching(message),
      });
    });

    it.each([
      ['not a ULID', 'retry-1'],
      ['in lower case', ulidAt(Date.now()).toLowerCase()],
      ['with a letter Crockford base32 leaves out', `${ulidAt(Date.now()).slice(0, 25)}U`],
      ['one character short', ulidAt(Date.now()).slice(0, 25)],
    ])('rejects a token %s', (_, clientToken) => {
      expect(before({ content: 'x', clientToken }).error).toMatchObject({
        type: 'ValidationError',
        message: expect.stringContaining('input.clientToken'),
      });
    });
  });

  it('returns the note the put wrote', () => {
    const note = { noteId: '01JDQ5Y0Z8K3M7N2P4R6S8T0VW', content: 'x', version: 1 };
    expect(resolver.response({ arguments: { input: { content: 'x' } }, stash: { note } }).result).toEqual(note);
  });

  describe('as a pipeline', () => {
    const identity = cognitoIdentity();

    it('puts the note with one DynamoDB request and invokes no Lambda when there is no attachment', async () => {
      const run = await runField(
        'Mutation',
        'createNote',
        { arguments: { input: { content: 'Hi' } }, identity },
        (call) => {
          return { result: itemPutBy(call.request) };
        },
      );
      expect(run.error).toBeUndefined();
      expect(run.calls.map((call) => call.dataSource)).toEqual(['notesTable']);
      expect(run.data).toMatchObject({ content: 'Hi', version: 1, attachment: null });
    });

    it('copies the upload to the note, stores what S3 reported, then deletes the staged upload', async () => {
      const key = uploadKey();
      let copiedTo = '';
      const run = await runField(
        'Mutation',
        'createNote',
        { arguments: { input: { content: 'Photo', attachment: { key } } }, identity },
        (call) => {
          if (call.dataSource === 'attachUpload') {
            const { noteId } = (call.request as { payload: { arguments: { noteId: string } } }).payload.arguments;
            copiedTo = attachmentKey(OWNER_SUB, 'holiday photo.png', UPLOAD_ID, noteId);
            return { result: attachmentItem({ key: copiedTo, contentType: 'image/png', size: 1234 }) };
          }
          if (call.dataSource === 'deleteAttachment') return { result: { deleted: [key] } };
          return { result: itemPutBy(call.request) };
        },
      );
      expect(run.error).toBeUndefined();
      expect(run.calls.map((call) => call.dataSource)).toEqual(['attachUpload', 'notesTable', 'deleteAttachment']);
      const noteId = (run.data as { noteId: string }).noteId;
      expect(run.calls[0].request).toMatchObject({ operation: 'Invoke', payload: { arguments: { key, noteId } } });
      expect(copiedTo.startsWith(`private/${OWNER_SUB}/${noteId}/`)).toBe(true);
      expect(run.calls[1].request).toMatchObject({
        attributeValues: {
          attachment: {
            M: {
              key: { S: copiedTo },
              fileName: { S: 'holiday photo.png' },
              contentType: { S: 'image/png' },
              size: { N: 1234 },
            },
          },
        },
      });
      expect(run.calls[2].request).toMatchObject({
        payload: { arguments: { noteId, keys: [key], wholeNote: false } },
      });
      expect(run.data).toMatchObject({ attachment: { key: copiedTo, contentType: 'image/png', size: 1234 } });
    });

    it('refuses a copy the function reports under any other key, writing nothing', async () => {
      const run = await runField(
        'Mutation',
        'createNote',
        { arguments: { input: { content: 'Photo', attachment: { key: uploadKey() } } }, identity },
        // A note id other than this note's: its file must never be recorded here.
        (call) => (call.dataSource === 'attachUpload' ? { result: attachmentItem() } : { result: {} }),
      );
      expect(run.calls.map((call) => call.dataSource)).toEqual(['attachUpload']);
      expect(run.error).toMatchObject({ errorType: 'InternalFailure' });
    });

    it('keeps the staged upload when the note could not be written, so the save can be retried', async () => {
      const run = await runField(
        'Mutation',
        'createNote',
        { arguments: { input: { content: 'Photo', attachment: { key: uploadKey() } } }, identity },
        (call) => {
          if (call.dataSource === 'attachUpload') {
            const { noteId } = (call.request as { payload: { arguments: { noteId: string } } }).payload.arguments;
            return {
              result: attachmentItem({ key: attachmentKey(OWNER_SUB, 'holiday photo.png', UPLOAD_ID, noteId) }),
            };
          }
          return { error: { message: 'Throughput exceeded', type: 'DynamoDB:ProvisionedThroughputExceededException' } };
        },
      );
      expect(run.calls.map((call) => call.dataSource)).toEqual(['attachUpload', 'notesTable']);
      expect(run.error).toMatchObject({ errorType: 'DynamoDB:ProvisionedThroughputExceededException' });
    });

    it('writes nothing when the upload does not exist', async () => {
      const key = uploadKey();
      const run = await runField(
        'Mutation',
        'createNote',
        { arguments: { input: { content: 'Photo', attachment: { key } } }, identity },
        () => ({
          error: {
            message: `No file has been uploaded to ${key}: upload it with createUploadUrl first`,
            type: 'Lambda:Unhandled',
          },
        }),
      );
      expect(run.calls.map((call) => call.dataSource)).toEqual(['attachUpload']);
      expect(run.data).toBeNull();
      expect(run.error).toMatchObject({ errorType: 'Lambda:Unhandled', message: expect.stringContaining(key) });
    });

    it('writes nothing when the input is invalid', async () => {
      const run = await runField('Mutation', 'createNote', { arguments: { input: { content: '' } }, identity });
      expect(run.calls).toEqual([]);
      expect(run.error).toMatchObject({ errorType: 'ValidationError' });
    });

    describe('with a clientToken', () => {
      const token = ulidAt(Date.now() - MINUTE_MS);

      it('creates the note under the token with one PutItem that stores the request fingerprint', async () => {
        const run = await runField(
          'Mutation',
          'createNote',
          { arguments: { input: { content: 'Hi', clientToken: token } }, identity },
          (call) => ({ result: itemPutBy(call.request) }),
        );
        expect(run.error).toBeUndefined();
        expect(run.calls.map((call) => (call.request as { operation: string }).operation)).toEqual(['PutItem']);
        expect(run.calls[0].request).toMatchObject({
          key: { noteId: { S: token } },
          attributeValues: { createFingerprint: { S: expect.stringMatching(/^v1:2:/) } },
          condition: { expression: '(attribute_not_exists(#noteId))' },
        });
        expect(run.data).toMatchObject({ noteId: token, content: 'Hi', version: 1 });
        expect(run.data).not.toHaveProperty('createFingerprint');
      });

      /** A first attempt that succeeded, then was edited: what the table holds when the retry arrives. */
      async function storedByFirstAttempt(input: Record<string, unknown>): Promise<Record<string, unknown>> {
        const first = await runField('Mutation', 'createNote', { arguments: { input }, identity }, (call) => ({
          result: itemPutBy(call.request),
        }));
        const written = itemPutBy(first.calls[0].request);
        return { ...written, content: 'edited since', version: 3 };
      }

      it('returns the note the first attempt created when the same request comes again', async () => {
        const input = { content: 'Hi', clientToken: token };
        const stored = await storedByFirstAttempt(input);
        const retry = await runField('Mutation', 'createNote', { arguments: { input }, identity }, (call) =>
          call.functionName === 'putNoteItem' ? { error: CONDITION_FAILED } : { result: stored },
        );
        expect(retry.error).toBeUndefined();
        expect(retry.calls.map((call) => call.functionName)).toEqual(['putNoteItem', 'readNoteForRetriedCreate']);
        expect(retry.calls[1].request).toMatchObject({
          operation: 'GetItem',
          key: { noteId: { S: token } },
          consistentRead: true,
        });
        expect(retry.data).toMatchObject({ noteId: token, content: 'edited since', version: 3 });
      });

      it.each([
        ['different content', { content: 'Hello' }],
        ['an attachment added', { attachment: { key: uploadKey() } }],
      ])('rejects the token with %s as a ValidationError', async (_, change) => {
        const stored = await storedByFirstAttempt({ content: 'Hi', clientToken: token });
        const run = await runField(
          'Mutation',
          'createNote',
          { arguments: { input: { content: 'Hi', clientToken: token, ...change } }, identity },
          (call) => {
            if (call.functionName === 'attachUpload') {
              return {
                result: attachmentItem({ key: attachmentKey(OWNER_SUB, 'holiday photo.png', UPLOAD_ID, token) }),
              };
            }
            return call.functionName === 'putNoteItem' ? { error: CONDITION_FAILED } : { result: stored };
          },
        );
        expect(run.data).toBeNull();
        expect(run.error).toMatchObject({
          errorType: 'ValidationError',
          message: expect.stringContaining('already used for a different note'),
        });
      });

      it('rejects a token that names a note created without one', async () => {
        const run = await runField(
          'Mutation',
          'createNote',
          { arguments: { input: { content: 'Hi', clientToken: token } }, identity },
          (call) =>
            call.functionName === 'putNoteItem'
              ? { error: CONDITION_FAILED }
              : { result: { userId: identity.sub, noteId: token, content: 'Hi', version: 1 } },
        );
        expect(run.error).toMatchObject({ errorType: 'ValidationError' });
      });

      it('reports NotFound when the note was deleted between the put and the read', async () => {
        const run = await runField(
          'Mutation',
          'createNote',
          { arguments: { input: { content: 'Hi', clientToken: token } }, identity },
          (call) => (call.functionName === 'putNoteItem' ? { error: CONDITION_FAILED } : { result: null }),
        );
        expect(run.error).toMatchObject({ errorType: 'NotFound' });
      });
    });
  });
});
