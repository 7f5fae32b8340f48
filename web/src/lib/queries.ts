// Server state through TanStack Query: the list (pages joined for "Load more"), one note, and what a change does to
// them. Notes come with their download URLs, so images show inline.
import type { Note, NoteWithDownloadUrl, NotesPage } from '@appsync-notes/client';
import { useInfiniteQuery, useQuery, type QueryClient } from '@tanstack/react-query';
import { PAGE_SIZE } from '../config';
import { useBackend } from './backend';

export const NOTES_KEY = ['notes'] as const;
export const noteKey = (noteId: string) => ['note', noteId] as const;

export function useNotesPages() {
  const { notes } = useBackend();
  return useInfiniteQuery({
    queryKey: NOTES_KEY,
    queryFn: ({ pageParam }): Promise<NotesPage<NoteWithDownloadUrl>> =>
      notes.listNotes({ limit: PAGE_SIZE, nextToken: pageParam, withDownloadUrl: true }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextToken,
  });
}

export function useNote(noteId: string) {
  const { notes } = useBackend();
  return useQuery({
    queryKey: noteKey(noteId),
    queryFn: () => notes.getNote({ noteId, withDownloadUrl: true }),
  });
}

/**
 * After a write: the list and the note are read afresh when next shown, never shown stale first (the list would
 * flash without the new note; the note's download URL is new).
 */
export function afterWrite(queryClient: QueryClient, note: Pick<Note, 'noteId'>): void {
  queryClient.removeQueries({ queryKey: noteKey(note.noteId) });
  queryClient.removeQueries({ queryKey: NOTES_KEY });
}
