// What updateNote and deleteNote answer when their condition fails: stale versions, missing notes, races, another
// user's note. Shared by the portable suite (concurrent-updates.test.ts: AppSync's own behaviour when deployed, the
// local server's strict default otherwise) and the local run in which the data source hands the current item to the
// resolvers after a failed condition (local/condition-failure-modes.test.ts): whether AppSync does that is uncertain
// (aws-appsync-community #343), so both outcomes must be right either way.
import { expect, it } from 'vitest';
import { NotesApiError } from '../../../client/src/index';
import { apiError } from './notes';
import type { E2ETarget } from './target';

export function updateAndDeleteOutcomes(target: () => E2ETarget): void {
  it('fails a stale expectedVersion with ConflictError carrying the current version', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'v1' } });
    await alice.client.updateNote({ input: { noteId: note.noteId, expectedVersion: 1, content: 'v2 from a phone' } });

    const error = await apiError(
      alice.client.updateNote({ input: { noteId: note.noteId, expectedVersion: 1, content: 'v2 from a laptop' } }),
    );
    expect(error.errorType).toBe('ConflictError');
    expect(error.errors[0].errorInfo).toMatchObject({ currentVersion: 2 });
    // The note as it is now comes with the error, cut to the fields the mutation selected.
    expect(error.errors[0].data).toMatchObject({ noteId: note.noteId, content: 'v2 from a phone', version: 2 });
  });

  it('changes nothing when the expectedVersion is stale', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'original' } });
    const current = await alice.client.updateNote({
      input: { noteId: note.noteId, expectedVersion: 1, content: 'current' },
    });

    await apiError(alice.client.updateNote({ input: { noteId: note.noteId, expectedVersion: 1, content: 'stale' } }));
    expect(await alice.client.getNote({ noteId: note.noteId })).toEqual(current);
  });

  it('fails an expectedVersion ahead of the note with ConflictError too', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'v1' } });
    const error = await apiError(
      alice.client.updateNote({ input: { noteId: note.noteId, expectedVersion: 7, content: 'from the future' } }),
    );
    expect(error.errorType).toBe('ConflictError');
    expect(error.errors[0].errorInfo).toMatchObject({ currentVersion: 1 });
  });

  it('lets exactly one of two updates from the same version win', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'shared' } });
    const outcomes = await Promise.allSettled(
      ['from a phone', 'from a laptop'].map((content) =>
        alice.client.updateNote({ input: { noteId: note.noteId, expectedVersion: 1, content } }),
      ),
    );
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(NotesApiError);
    expect((failures[0] as NotesApiError).errorType).toBe('ConflictError');
    expect((await alice.client.getNote({ noteId: note.noteId }))?.version).toBe(2);
  });

  it('fails an update of a note that does not exist with NotFound', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'short-lived' } });
    await alice.client.deleteNote({ noteId: note.noteId });
    const error = await apiError(
      alice.client.updateNote({ input: { noteId: note.noteId, expectedVersion: 1, content: 'too late' } }),
    );
    expect(error.errorType).toBe('NotFound');
  });

  it('fails an update of another user note with NotFound and leaves it as it was', async () => {
    const { alice, bob } = target();
    const note = await alice.client.createNote({ input: { content: 'mine' } });
    const error = await apiError(
      bob.client.updateNote({ input: { noteId: note.noteId, expectedVersion: 1, content: 'hijacked' } }),
    );
    expect(error.errorType).toBe('NotFound');
    expect(await alice.client.getNote({ noteId: note.noteId })).toEqual(note);
  });

  it('returns the deleted note as it was', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'to delete' } });
    const updated = await alice.client.updateNote({
      input: { noteId: note.noteId, expectedVersion: 1, content: 'v2' },
    });
    expect(await alice.client.deleteNote({ noteId: note.noteId })).toEqual(updated);
    expect(await alice.client.getNote({ noteId: note.noteId })).toBeNull();
  });

  it('fails deleting a note that does not exist with NotFound', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'deleted twice' } });
    await alice.client.deleteNote({ noteId: note.noteId });
    expect((await apiError(alice.client.deleteNote({ noteId: note.noteId }))).errorType).toBe('NotFound');
  });

  it('fails deleting another user note with NotFound and keeps it', async () => {
    const { alice, bob } = target();
    const note = await alice.client.createNote({ input: { content: 'keep me' } });
    expect((await apiError(bob.client.deleteNote({ noteId: note.noteId }))).errorType).toBe('NotFound');
    expect(await alice.client.getNote({ noteId: note.noteId })).toEqual(note);
  });
}
