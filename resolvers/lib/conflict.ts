import { util } from '@aws-appsync/utils';
import { toNote, type NoteItem } from './notes';

/**
 * The note moved on since the client read it. The current note goes in `data` (filtered by the selection set) and
 * the versions in `errorInfo`, so the client can merge and retry with `expectedVersion: currentVersion`.
 */
export function conflictError(current: NoteItem, expectedVersion: number): never {
  return util.error(
    `Note ${current.noteId} is at version ${current.version}, not ${expectedVersion}: reload it and retry`,
    'ConflictError',
    toNote(current),
    { noteId: current.noteId, currentVersion: current.version, expectedVersion },
  );
}

export function notFoundError(noteId: string): never {
  return util.error(`Note ${noteId} not found`, 'NotFound');
}
