// Every operation of the notes API (queries, mutations, the subscription sent over HTTP, the IAM-only
// publishNoteChange), aimed at one victim's note: a credential wrongly taken for the victim's would read, change or
// delete it. The matrices send each one with every credential under test.
import { OPERATIONS } from './notes';

export interface NotesOperation {
  name: string;
  query: string;
  variables(): Record<string, unknown>;
}

export interface Victim {
  sub: string;
  note: { noteId: string } & Record<string, unknown>;
}

export const PUBLISH_NOTE_CHANGE = `mutation Publish($input: NoteChangeInput!) {
  publishNoteChange(input: $input) { owner kind noteId changedAt note { noteId content version } }
}`;

export function notesOperations(victim: () => Victim): NotesOperation[] {
  return [
    {
      name: 'getNote',
      query: OPERATIONS.getNote,
      variables: () => ({ noteId: victim().note.noteId, withDownloadUrl: true }),
    },
    { name: 'listNotes', query: OPERATIONS.listNotes, variables: () => ({ limit: 100, withDownloadUrl: true }) },
    { name: 'createNote', query: OPERATIONS.createNote, variables: () => ({ input: { content: 'forged' } }) },
    {
      name: 'updateNote',
      query: OPERATIONS.updateNote,
      variables: () => ({ input: { noteId: victim().note.noteId, expectedVersion: 1, content: 'forged' } }),
    },
    { name: 'deleteNote', query: OPERATIONS.deleteNote, variables: () => ({ noteId: victim().note.noteId }) },
    {
      name: 'createUploadUrl',
      query: OPERATIONS.createUploadUrl,
      variables: () => ({ input: { fileName: 'forged.png', contentType: 'image/png', size: 10 } }),
    },
    { name: 'closeNoteSubscriptions', query: OPERATIONS.closeNoteSubscriptions, variables: () => ({}) },
    { name: 'onNoteChange (subscription over HTTP)', query: OPERATIONS.onNoteChange, variables: () => ({}) },
    {
      name: 'publishNoteChange',
      query: PUBLISH_NOTE_CHANGE,
      variables: () => ({
        input: {
          owner: victim().sub,
          kind: 'UPDATED',
          note: JSON.stringify({ ...victim().note, content: 'forged' }),
        },
      }),
    },
  ];
}
