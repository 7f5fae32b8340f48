import { describe, expect, it } from 'vitest';
import { OTHER_SUB, OWNER_SUB, cognitoIdentity, resolverEvent } from '../helpers/appsync-lambda-events';
import { UNREACHABLE_S3_ENDPOINT, useFunctionEnv } from '../helpers/function-env';

// Every case here must be refused before any S3 call; the endpoint would fail one that slipped through.
useFunctionEnv({ S3_ENDPOINT: UNREACHABLE_S3_ENDPOINT, S3_FORCE_PATH_STYLE: 'true' });
const { handler } = await import('../../functions/delete-attachment');

const ID = '0b6f8a52-4c1d-4e3f-9a7b-2d5c8e1f3a60';
const NOTE = '01JDQ5Y0Z8K3M7N2P4R6S8T0VW';
const OTHER_NOTE = '01JDQ5Y0Z8K3M7N2P4R6S8T0VX';

function deleteEvent(keys: unknown, noteId: unknown = NOTE, identity = cognitoIdentity()) {
  return resolverEvent({
    arguments: { noteId, keys } as { noteId: string; keys: string[] },
    identity,
    fieldName: 'updateNote',
  });
}

describe('delete-attachment', () => {
  it.each([
    ['another owner’s note file', `private/${OTHER_SUB}/${NOTE}/${ID}/theirs.png`],
    ['another note’s file', `private/${OWNER_SUB}/${OTHER_NOTE}/${ID}/mine.png`],
    ['a file of an older note outside any note prefix', `private/${OWNER_SUB}/${ID}/mine.png`],
    ['another owner’s upload', `uploads/${OTHER_SUB}/${ID}/theirs.png`],
  ])('refuses to delete %s', async (_, key) => {
    expect(await handler(deleteEvent([key]))).toMatchObject({ errorType: 'Unauthorized' });
  });

  it('deletes nothing when any key of the list is refused', async () => {
    // The first key alone would go to S3 (and fail there loudly): the refusal comes first.
    const own = `private/${OWNER_SUB}/${NOTE}/${ID}/mine.png`;
    expect(await handler(deleteEvent([own, `uploads/${OTHER_SUB}/${ID}/x.png`]))).toMatchObject({
      errorType: 'Unauthorized',
    });
  });

  it('refuses a key that climbs out of the note prefix', async () => {
    expect(await handler(deleteEvent([`private/${OWNER_SUB}/${NOTE}/../${OTHER_NOTE}/${ID}/x.png`]))).toMatchObject({
      errorType: 'Unauthorized',
    });
  });

  it.each([
    ['a missing note id', null],
    ['a note id that is a path', `${NOTE}/..`],
  ])('refuses %s', async (_, noteId) => {
    expect(await handler(deleteEvent([], noteId))).toMatchObject({ errorType: 'ValidationError' });
  });

  it('refuses a list that is not a short list of keys', async () => {
    expect(await handler(deleteEvent('private/x'))).toMatchObject({ errorType: 'ValidationError' });
    expect(
      await handler(deleteEvent(Array.from({ length: 5 }, () => `uploads/${OWNER_SUB}/${ID}/a.png`))),
    ).toMatchObject({ errorType: 'ValidationError' });
  });

  it('refuses a caller without an identity', async () => {
    expect(await handler(deleteEvent([], NOTE, null as never))).toEqual({
      errorMessage: 'A signed-in user pool identity is required',
      errorType: 'Unauthorized',
    });
  });
});
