// Live updates: while someone is signed in, every change to their notes made on another device (or tab) is applied
// to what this one shows, through the SDK's onNoteChange subscription. A change carries the note without a download
// URL, so where a new or different attachment would need one the affected query is read again instead.
import type { NoteChange, NoteWithDownloadUrl, NotesPage } from '@appsync-notes/client';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useBackend } from './backend';
import { NOTES_KEY, noteKey } from './queries';

type Pages = InfiniteData<NotesPage<NoteWithDownloadUrl>, string | null>;

/** The changed note with the cached one's download URL, or null when the attachment is not the cached one. */
function merged(cached: NoteWithDownloadUrl | null, change: NoteChange): NoteWithDownloadUrl | null {
  const attachment = change.note.attachment;
  if (!attachment) return { ...change.note, attachment: null };
  if (!cached?.attachment || cached.attachment.key !== attachment.key) return null;
  return { ...change.note, attachment: { ...attachment, downloadUrl: cached.attachment.downloadUrl } };
}

function applyToNote(queryClient: QueryClient, change: NoteChange): void {
  const key = noteKey(change.noteId);
  const cached = queryClient.getQueryData<NoteWithDownloadUrl | null>(key);
  if (cached === undefined) return;
  if (change.kind === 'DELETED') {
    queryClient.setQueryData(key, null);
    return;
  }
  // Events may arrive after a newer read: never go back in versions.
  if (cached && cached.version >= change.note.version) return;
  const next = merged(cached, change);
  if (next) queryClient.setQueryData(key, next);
  else void queryClient.invalidateQueries({ queryKey: key });
}

function applyToList(queryClient: QueryClient, change: NoteChange): void {
  const pages = queryClient.getQueryData<Pages>(NOTES_KEY);
  if (!pages) return;
  const listed = pages.pages.flatMap((page) => page.items).find((note) => note.noteId === change.noteId);
  if (change.kind === 'DELETED') {
    if (!listed) return;
    queryClient.setQueryData<Pages>(NOTES_KEY, {
      ...pages,
      pages: pages.pages.map((page) => ({ ...page, items: page.items.filter((n) => n.noteId !== change.noteId) })),
    });
    return;
  }
  if (listed && listed.version >= change.note.version) return;
  const next = merged(listed ?? null, change);
  if (!next) {
    void queryClient.invalidateQueries({ queryKey: NOTES_KEY });
    return;
  }
  if (listed) {
    queryClient.setQueryData<Pages>(NOTES_KEY, {
      ...pages,
      pages: pages.pages.map((page) => ({
        ...page,
        items: page.items.map((n) => (n.noteId === change.noteId ? next : n)),
      })),
    });
    return;
  }
  if (change.kind !== 'CREATED') return; // a note on a page not loaded yet
  // Newest first by id (a ULID): the note goes into the first page holding an older one, or at the end of the list
  // when every page is loaded; otherwise it belongs to a page not loaded yet.
  let target = pages.pages.findIndex((page) => page.items.some((n) => n.noteId < change.noteId));
  if (target === -1 && pages.pages.at(-1)?.nextToken === null) target = pages.pages.length - 1;
  if (target === -1) return;
  queryClient.setQueryData<Pages>(NOTES_KEY, {
    ...pages,
    pages: pages.pages.map((page, index) =>
      index === target ? { ...page, items: [...page.items, next].sort(newestFirst) } : page,
    ),
  });
}

const newestFirst = (a: { noteId: string }, b: { noteId: string }) =>
  a.noteId < b.noteId ? 1 : a.noteId > b.noteId ? -1 : 0;

export function applyNoteChange(queryClient: QueryClient, change: NoteChange): void {
  applyToNote(queryClient, change);
  applyToList(queryClient, change);
}

/** Subscribes while mounted (the app mounts it while someone is signed in). */
export function useLiveNotes(): void {
  const { notes } = useBackend();
  const queryClient = useQueryClient();
  useEffect(() => {
    const subscription = notes.subscribeToNoteChanges({
      onChange: (change) => applyNoteChange(queryClient, change),
      // Changes made while the connection was down were not delivered: read everything shown again.
      onReconnect: () => void queryClient.invalidateQueries(),
      onError: (error) => console.warn(`Live updates stopped: ${error.message}`),
    });
    // Changes made between the first reads and the subscription's start were not delivered either.
    subscription.ready.then(
      () => void queryClient.invalidateQueries(),
      () => {}, // a refusal already reached onError
    );
    return () => subscription.unsubscribe();
  }, [notes, queryClient]);
}
