import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import { OTHER_SUB, OWNER_SUB, attachmentItem, attachmentKey, cognitoIdentity } from '../helpers/resolver-context';
import { runField } from '../helpers/run-resolver';
import { itemPutBy } from '../helpers/typed-values';

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
    expect(before({ content: 'Photo', attachment: { key: attachmentKey(OWNER_SUB) } }).error).toBeUndefined();
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
    expect(before({ content: 'Photo', attachment: { key: attachmentKey(OTHER_SUB) } }).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('input.attachment.key'),
    });
  });

  it.each([
    ['outside private/', 'public/holiday.png'],
    [
      'a path climbing out of the prefix',
      `private/${OWNER_SUB}/../${OTHER_SUB}/6f1c9a2e-4b7d-4e8f-9a0b-1c2d3e4f5a6b/a.png`,
    ],
    ['missing the upload id', `private/${OWNER_SUB}/holiday.png`],
    ['an upload id createUploadUrl never makes', `private/${OWNER_SUB}/not-a-uuid/holiday.png`],
    ['extra segments', `${attachmentKey()}/more`],
    ['a dot-only file name', attachmentKey(OWNER_SUB, '..')],
    ['a control character in the name', attachmentKey(OWNER_SUB, 'a\u0000.png')],
    ['a file name over 255 characters', attachmentKey(OWNER_SUB, `${'a'.repeat(252)}.png`)],
    ['the prefix of a user whose sub starts with the caller sub', attachmentKey(`${OWNER_SUB}x`)],
  ])('rejects an attachment key with %s', (_, key) => {
    expect(before({ content: 'Photo', attachment: { key } }).error).toMatchObject({ type: 'ValidationError' });
  });

  it('rejects a caller without a user pool identity as Unauthorized', () => {
    const out = resolver.request({ arguments: { input: { content: 'x' } }, identity: undefined });
    expect(out.error).toMatchObject({ type: 'Unauthorized' });
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

    it('describes the upload, then stores what S3 reported rather than anything the client sent', async () => {
      const key = attachmentKey();
      const described = attachmentItem({ key, contentType: 'image/png', size: 1234 });
      const run = await runField(
        'Mutation',
        'createNote',
        { arguments: { input: { content: 'Photo', attachment: { key } } }, identity },
        (call) => {
          if (call.dataSource === 'describeAttachment') return { result: described };
          return { result: itemPutBy(call.request) };
        },
      );
      expect(run.calls.map((call) => call.dataSource)).toEqual(['describeAttachment', 'notesTable']);
      expect(run.calls[0].request).toMatchObject({ operation: 'Invoke', payload: { arguments: { key } } });
      expect(run.calls[1].request).toMatchObject({
        attributeValues: {
          attachment: {
            M: {
              key: { S: key },
              fileName: { S: described.fileName },
              contentType: { S: 'image/png' },
              size: { N: 1234 },
            },
          },
        },
      });
      expect(run.data).toMatchObject({ attachment: described });
    });

    it('writes nothing when the upload does not exist', async () => {
      const key = attachmentKey();
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
      expect(run.calls.map((call) => call.dataSource)).toEqual(['describeAttachment']);
      expect(run.data).toBeNull();
      expect(run.error).toMatchObject({ errorType: 'Lambda:Unhandled', message: expect.stringContaining(key) });
    });

    it('writes nothing when the input is invalid', async () => {
      const run = await runField('Mutation', 'createNote', { arguments: { input: { content: '' } }, identity });
      expect(run.calls).toEqual([]);
      expect(run.error).toMatchObject({ errorType: 'ValidationError' });
    });
  });
});
