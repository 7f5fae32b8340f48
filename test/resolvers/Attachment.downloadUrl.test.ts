import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import { attachmentItem, cognitoIdentity, fieldInfo } from '../helpers/resolver-context';

const URL = 'https://bucket.s3.eu-west-1.amazonaws.com/private/x/holiday.png?X-Amz-Expires=900&X-Amz-Signature=abc';

describe('Attachment.downloadUrl', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Attachment.downloadUrl.ts', { strict: true });
  });

  it('asks for a batched invocation carrying the attachment as source and the caller identity', () => {
    const source = attachmentItem();
    const identity = cognitoIdentity();
    const out = resolver.request({
      arguments: {},
      source,
      identity,
      info: fieldInfo('Attachment', 'downloadUrl', { withDownloadUrl: true }),
    });
    expect(out.result).toEqual({
      operation: 'BatchInvoke',
      payload: {
        arguments: {},
        identity,
        source,
        info: { fieldName: 'downloadUrl', parentTypeName: 'Attachment', variables: { withDownloadUrl: true } },
      },
    });
  });

  it('returns the URL from this item of the batch result', () => {
    expect(resolver.response({ source: attachmentItem(), result: { data: URL } }).result).toBe(URL);
  });

  it('raises an error reported for this item alone, with its type', () => {
    const out = resolver.response({
      source: attachmentItem(),
      result: { data: null, errorMessage: 'The attachment key is outside your own uploads', errorType: 'Unauthorized' },
    });
    expect(out.error).toMatchObject({
      message: 'The attachment key is outside your own uploads',
      type: 'Unauthorized',
    });
  });

  it('returns null for a null item', () => {
    const out = resolver.response({ source: attachmentItem(), result: null });
    expect(out.error).toBeUndefined();
    expect(out.result).toBeNull();
  });

  it('raises a failed batch (a thrown error) for every item', () => {
    const out = resolver.response({
      source: attachmentItem(),
      result: null,
      error: { message: 'Task timed out after 3.00 seconds', type: 'Lambda:Unhandled' },
    });
    expect(out.error).toMatchObject({ message: 'Task timed out after 3.00 seconds', type: 'Lambda:Unhandled' });
  });
});
