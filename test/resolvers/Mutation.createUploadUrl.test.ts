import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOWED_CONTENT_TYPES as FUNCTION_CONTENT_TYPES,
  MAX_UPLOAD_BYTES as FUNCTION_MAX_BYTES,
} from '../../functions/lib/attachments';
import { loadResolver, type LoadedResolver } from '../../local/runtime/testing';
import { ALLOWED_CONTENT_TYPES, MAX_UPLOAD_BYTES } from '../../resolvers/lib/uploads';
import { attachmentKey, cognitoIdentity, fieldInfo } from '../helpers/resolver-context';
import { runField } from '../helpers/run-resolver';

const validInput = { fileName: 'holiday photo.png', contentType: 'image/png', size: 48_213 };

describe('Mutation.createUploadUrl', () => {
  let resolver: LoadedResolver;
  beforeAll(async () => {
    resolver = await loadResolver('resolvers/Mutation.createUploadUrl.ts', { strict: true });
  });

  const request = (input: Record<string, unknown>) =>
    resolver.request({
      arguments: { input },
      identity: cognitoIdentity(),
      info: fieldInfo('Mutation', 'createUploadUrl'),
    });

  it('checks the same upload policy as the function that signs it', () => {
    expect(ALLOWED_CONTENT_TYPES).toEqual([...FUNCTION_CONTENT_TYPES]);
    expect(MAX_UPLOAD_BYTES).toBe(FUNCTION_MAX_BYTES);
  });

  it('invokes the function with the arguments and the caller identity, shaped like an AppSync event', () => {
    const out = request(validInput);
    expect(out.result).toEqual({
      operation: 'Invoke',
      payload: {
        arguments: { input: validInput },
        identity: cognitoIdentity(),
        source: null,
        info: { fieldName: 'createUploadUrl', parentTypeName: 'Mutation', variables: {} },
      },
    });
  });

  it.each(['image/jpeg', 'application/pdf', 'text/plain', ' Image/PNG '])('accepts content type %j', (contentType) => {
    expect(request({ ...validInput, contentType }).error).toBeUndefined();
  });

  it.each(['text/html', 'image/svg+xml', 'application/octet-stream', ''])('rejects content type %j', (contentType) => {
    expect(request({ ...validInput, contentType }).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('input.contentType'),
    });
  });

  it.each([1, 10 * 1024 * 1024])('accepts a size of %i bytes', (size) => {
    expect(request({ ...validInput, size }).error).toBeUndefined();
  });

  it.each([0, -5, 10 * 1024 * 1024 + 1])('rejects a size of %i bytes', (size) => {
    expect(request({ ...validInput, size }).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('input.size'),
    });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['absurdly long', 'a'.repeat(5000)],
  ])('rejects a file name that is %s', (_, fileName) => {
    expect(request({ ...validInput, fileName }).error).toMatchObject({
      type: 'ValidationError',
      message: expect.stringContaining('input.fileName'),
    });
  });

  it('leaves path tricks in the file name to the function, which neutralises them', () => {
    expect(request({ ...validInput, fileName: '../../etc/passwd.txt' }).error).toBeUndefined();
  });

  it('rejects a caller without a user pool identity as Unauthorized', () => {
    expect(resolver.request({ arguments: { input: validInput }, identity: null }).error).toMatchObject({
      type: 'Unauthorized',
    });
  });

  it('returns the signed upload as the function made it', () => {
    const upload = {
      key: attachmentKey(),
      url: 'https://bucket.s3.eu-west-1.amazonaws.com/private/x?X-Amz-Signature=abc',
      headers: [
        { name: 'Content-Type', value: 'image/png' },
        { name: 'Content-Length', value: '48213' },
      ],
      expiresAt: '2026-11-26T14:05:00.000Z',
    };
    expect(resolver.response({ arguments: { input: validInput }, result: upload }).result).toEqual(upload);
  });

  it('raises a thrown function error with AppSync message and type', () => {
    const out = resolver.response({
      arguments: { input: validInput },
      result: null,
      error: { message: 'fileName must name a file', type: 'Lambda:Unhandled' },
    });
    expect(out.error).toMatchObject({ message: 'fileName must name a file', type: 'Lambda:Unhandled' });
  });

  it('raises a returned failure with its own type', () => {
    const out = resolver.response({
      arguments: { input: validInput },
      result: { errorMessage: 'fileName must name a file', errorType: 'ValidationError' },
    });
    expect(out.error).toMatchObject({ message: 'fileName must name a file', type: 'ValidationError' });
  });

  it('invokes nothing for a rejected input', async () => {
    const run = await runField('Mutation', 'createUploadUrl', {
      arguments: { input: { ...validInput, size: 0 } },
      identity: cognitoIdentity(),
    });
    expect(run.calls).toEqual([]);
    expect(run.error).toMatchObject({ errorType: 'ValidationError' });
  });
});
