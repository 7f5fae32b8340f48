import { describe, expect, it } from 'vitest';
import { OTHER_SUB, OWNER_SUB, cognitoIdentity, resolverEvent } from '../helpers/appsync-lambda-events';
import { UNREACHABLE_S3_ENDPOINT, useFunctionEnv } from '../helpers/function-env';

// Every case here must be refused before any S3 call; the endpoint would fail one that slipped through.
useFunctionEnv({ S3_ENDPOINT: UNREACHABLE_S3_ENDPOINT, S3_FORCE_PATH_STYLE: 'true' });
const { handler } = await import('../../functions/describe-attachment');

const ID = '0b6f8a52-4c1d-4e3f-9a7b-2d5c8e1f3a60';

function describeEvent(key: unknown, identity = cognitoIdentity()) {
  return resolverEvent({ arguments: { key } as { key: string }, identity, fieldName: 'describeAttachment' });
}

describe('describe-attachment', () => {
  it('refuses to describe another owner file', async () => {
    expect(await handler(describeEvent(`private/${OTHER_SUB}/${ID}/theirs.png`))).toEqual({
      errorMessage: 'The attachment key is outside your own uploads',
      errorType: 'Unauthorized',
    });
  });

  it('refuses a key that climbs out of the caller prefix', async () => {
    expect(await handler(describeEvent(`private/${OWNER_SUB}/../${OTHER_SUB}/${ID}/theirs.png`))).toEqual({
      errorMessage: 'key is not an attachment key issued by createUploadUrl',
      errorType: 'ValidationError',
    });
  });

  it('refuses the caller whole prefix', async () => {
    expect(await handler(describeEvent(`private/${OWNER_SUB}/`))).toMatchObject({ errorType: 'ValidationError' });
  });

  it('refuses a missing key', async () => {
    expect(await handler(describeEvent(undefined))).toEqual({
      errorMessage: 'key must be a non-empty string',
      errorType: 'ValidationError',
    });
  });

  it('refuses a caller without an identity', async () => {
    expect(await handler(describeEvent(`private/${OWNER_SUB}/${ID}/mine.png`, null as never))).toEqual({
      errorMessage: 'A signed-in user pool identity is required',
      errorType: 'Unauthorized',
    });
  });
});
