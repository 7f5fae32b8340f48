import { describe, expect, it } from 'vitest';
import { OTHER_SUB, OWNER_SUB, cognitoIdentity, resolverEvent } from '../helpers/appsync-lambda-events';
import { TEST_CREDENTIALS, useFunctionEnv } from '../helpers/function-env';
import { captureStdout, lambdaContext } from '../helpers/lambda-logs';
import { verifyPresignedRequest } from '../helpers/sigv4-presigned';

useFunctionEnv();
const { handler } = await import('../../functions/attachment-download-urls');

const NOTE = '01JDQ5Y0Z8K3M7N2P4R6S8T0VW';
const ownKey = (n: number) => `private/${OWNER_SUB}/${NOTE}/0b6f8a52-4c1d-4e3f-9a7b-2d5c8e1f3a6${n}/file-${n}.png`;
const foreignKey = `private/${OTHER_SUB}/${NOTE}/0b6f8a52-4c1d-4e3f-9a7b-2d5c8e1f3a60/theirs.png`;

function fieldEvent(source: { key: string } | null, identity = cognitoIdentity()) {
  return resolverEvent({
    arguments: {},
    identity,
    source,
    parentTypeName: 'Attachment',
    fieldName: 'downloadUrl',
  });
}

function urlOf(result: { data: string | null }): URL {
  if (result.data === null) {
    throw new Error('expected a URL');
  }
  return new URL(result.data);
}

describe('attachment-download-urls', () => {
  it('answers every item of the batch, in order', async () => {
    const results = await handler([1, 2, 3].map((n) => fieldEvent({ key: ownKey(n) })));
    expect(results.map((result) => decodeURIComponent(urlOf(result).pathname))).toEqual([
      `/${ownKey(1)}`,
      `/${ownKey(2)}`,
      `/${ownKey(3)}`,
    ]);
  });

  it('signs URLs that S3 accepts for a GET', async () => {
    const [result] = await handler([fieldEvent({ key: ownKey(1) })]);
    const verdict = verifyPresignedRequest(
      { method: 'GET', url: result.data!, headers: {} },
      TEST_CREDENTIALS,
      new Date(),
    );
    expect(verdict).toEqual({ ok: true });
  });

  it('signs URLs that cannot be used to overwrite the object', async () => {
    const [result] = await handler([fieldEvent({ key: ownKey(1) })]);
    const verdict = verifyPresignedRequest(
      { method: 'PUT', url: result.data!, headers: {} },
      TEST_CREDENTIALS,
      new Date(),
    );
    expect(verdict).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('expires the URLs after fifteen minutes', async () => {
    const [result] = await handler([fieldEvent({ key: ownKey(1) })]);
    expect(urlOf(result).searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('returns an error entry for a key outside the caller prefix', async () => {
    const [result] = await handler([fieldEvent({ key: foreignKey })]);
    expect(result).toEqual({
      data: null,
      errorMessage: 'The attachment key is outside your own files',
      errorType: 'Unauthorized',
    });
  });

  it('fails only the foreign item of a mixed batch', async () => {
    const results = await handler([
      fieldEvent({ key: ownKey(1) }),
      fieldEvent({ key: foreignKey }),
      fieldEvent({ key: ownKey(3) }),
    ]);
    expect(results.map((result) => (result.data === null ? result.errorType : 'url'))).toEqual([
      'url',
      'Unauthorized',
      'url',
    ]);
  });

  it('judges each item by its own identity', async () => {
    const results = await handler([
      fieldEvent({ key: foreignKey }, cognitoIdentity(OTHER_SUB)),
      fieldEvent({ key: foreignKey }, cognitoIdentity(OWNER_SUB)),
    ]);
    expect(results.map((result) => result.data === null)).toEqual([false, true]);
  });

  it('returns an error entry for an item without an attachment key', async () => {
    const [result] = await handler([fieldEvent(null)]);
    expect(result).toEqual({
      data: null,
      errorMessage: 'key must be a non-empty string',
      errorType: 'ValidationError',
    });
  });

  it('returns an error entry for an item without an identity', async () => {
    const [result] = await handler([fieldEvent({ key: ownKey(1) }, null as never)]);
    expect(result).toMatchObject({ data: null, errorType: 'Unauthorized' });
  });

  it('answers an empty batch with an empty list', async () => {
    expect(await handler([])).toEqual([]);
  });

  it('fails an event that is not a batch with a generic error naming the request, the reason only in the log', async () => {
    const logged = captureStdout();
    try {
      await expect(handler(fieldEvent({ key: ownKey(1) }) as never, lambdaContext('req-42'))).rejects.toThrow(
        'Internal error; quote request id req-42 when reporting it',
      );
    } finally {
      logged.stop();
    }
    const entry = logged.json().find((line) => line.level === 'ERROR');
    expect(entry).toMatchObject({
      message: 'Unexpected failure',
      requestId: 'req-42',
      function: 'attachment-download-urls',
      error: expect.objectContaining({ message: 'attachment-download-urls expects a BatchInvoke array of events' }),
    });
  });
});
