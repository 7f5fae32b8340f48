// createNote with a clientToken is safe to retry: a client that timed out sends the same request again and gets the
// note its first attempt created, never a second one. The same token with a different request is refused.
import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, ulidAt } from '../helpers/ulid';
import { useTarget } from './helpers/fixture';
import { allNotes, apiError, mapConcurrently, textFile, uploadFile } from './helpers/notes';

describe('createNote retried with a clientToken', () => {
  const target = useTarget();
  const newToken = () => ulidAt(Date.now() - MINUTE_MS);

  it('returns the first note to a retry of the same request, and lists it once', async () => {
    const { alice } = target();
    const input = { content: 'Sent twice after a timeout', clientToken: newToken() };
    const first = await alice.client.createNote({ input });
    const retry = await alice.client.createNote({ input });
    expect(first.noteId).toBe(input.clientToken);
    expect(retry).toEqual(first);
    expect((await allNotes(alice.client)).filter((note) => note.noteId === first.noteId)).toHaveLength(1);
  });

  it('creates one note from the same request sent five times at once', async () => {
    const { alice } = target();
    const input = { content: 'Sent five times at once', clientToken: newToken() };
    const notes = await mapConcurrently([1, 2, 3, 4, 5], 5, () => alice.client.createNote({ input }));
    expect(new Set(notes.map((note) => note.noteId))).toEqual(new Set([input.clientToken]));
    expect(new Set(notes.map((note) => note.createdAt)).size).toBe(1);
  });

  it('returns the note as it is now when it was edited before the retry arrived', async () => {
    const { alice } = target();
    const input = { content: 'Original', clientToken: newToken() };
    const created = await alice.client.createNote({ input });
    const edited = await alice.client.updateNote({
      input: { noteId: created.noteId, expectedVersion: 1, content: 'Edited on another device' },
    });
    expect(await alice.client.createNote({ input })).toEqual(edited);
  });

  it('refuses the same token with different content, and leaves the note alone', async () => {
    const { alice } = target();
    const clientToken = newToken();
    const created = await alice.client.createNote({ input: { content: 'First note', clientToken } });
    const error = await apiError(alice.client.createNote({ input: { content: 'Another note', clientToken } }));
    expect(error.errorType).toBe('ValidationError');
    expect(error.message).toContain('already used for a different note');
    expect(await alice.client.getNote({ noteId: created.noteId })).toEqual(created);
  });

  it('refuses the same token with an attachment the first request did not have', async () => {
    const { alice } = target();
    const clientToken = newToken();
    await alice.client.createNote({ input: { content: 'No file', clientToken } });
    const upload = await uploadFile(alice, textFile('a file'));
    const error = await apiError(
      alice.client.createNote({ input: { content: 'No file', clientToken, attachment: { key: upload.key } } }),
    );
    expect(error.errorType).toBe('ValidationError');
    // A multi-step flow through three Lambdas, the first call of each bundling it: more than one test's default time.
  }, 60_000);

  it('keeps users apart: the same token from another user makes that user a note of their own', async () => {
    const { alice, bob } = target();
    const clientToken = newToken();
    const alices = await alice.client.createNote({ input: { content: 'Alice', clientToken } });
    const bobs = await bob.client.createNote({ input: { content: 'Bob', clientToken } });
    expect(bobs).toMatchObject({ noteId: clientToken, content: 'Bob' });
    expect(await alice.client.getNote({ noteId: clientToken })).toEqual(alices);
  });

  it('refuses a token made more than 24 hours ago and writes nothing', async () => {
    const { alice } = target();
    const clientToken = ulidAt(Date.now() - 25 * HOUR_MS);
    const error = await apiError(alice.client.createNote({ input: { content: 'Too late', clientToken } }));
    expect(error.errorType).toBe('ValidationError');
    expect(await alice.client.getNote({ noteId: clientToken })).toBeNull();
  });

  it('refuses a token from more than 5 minutes ahead of the server clock', async () => {
    const { alice } = target();
    const clientToken = ulidAt(Date.now() + 10 * MINUTE_MS);
    expect((await apiError(alice.client.createNote({ input: { content: 'Early', clientToken } }))).errorType).toBe(
      'ValidationError',
    );
  });

  it('refuses a token that is not a ULID', async () => {
    const { alice } = target();
    const error = await apiError(alice.client.createNote({ input: { content: 'x', clientToken: 'retry-1' } }));
    expect(error.errorType).toBe('ValidationError');
    expect(error.message).toContain('input.clientToken');
  });

  it('creates a new note for every request without a token', async () => {
    const { alice } = target();
    const input = { content: 'No token, two notes' };
    const [first, second] = [await alice.client.createNote({ input }), await alice.client.createNote({ input })];
    expect(first.noteId).not.toBe(second.noteId);
  });
});
