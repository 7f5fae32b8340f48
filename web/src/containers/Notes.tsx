// The signed-in user's notes, newest first, a page at a time.
import type { NoteWithDownloadUrl } from '@appsync-notes/client';
import { AttachmentView } from '../components/AttachmentView';
import { ErrorMessage } from '../components/ErrorMessage';
import { LoaderButton } from '../components/LoaderButton';
import { useNotesPages } from '../lib/queries';
import { followLink } from '../lib/router';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function NoteItem({ note }: { note: NoteWithDownloadUrl }) {
  const [title, ...rest] = note.content.split('\n');
  const edited = note.updatedAt !== note.createdAt;
  return (
    <li className="note-item">
      <a href={`/notes/${note.noteId}`} onClick={followLink} className="note-link">
        <span className="note-title">{title.trim() || 'Untitled'}</span>
        {rest.join(' ').trim() && <span className="note-excerpt">{rest.join(' ').trim()}</span>}
        <span className="note-meta">
          {edited ? 'Edited ' : 'Created '}
          <time dateTime={note.updatedAt}>{dateFormat.format(new Date(note.updatedAt))}</time>
        </span>
      </a>
      {note.attachment && <AttachmentView attachment={note.attachment} compact />}
    </li>
  );
}

export function Notes() {
  const pages = useNotesPages();
  const notes = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <main className="page">
      <div className="page-heading">
        <h1>Your notes</h1>
        <a className="button primary" href="/notes/new" onClick={followLink}>
          New note
        </a>
      </div>
      {pages.isPending && <p className="loading">Loading your notes…</p>}
      <ErrorMessage error={pages.error} />
      {pages.isSuccess && notes.length === 0 && (
        <div className="card empty">
          <p>No notes yet. Write your first one: a list, an idea, a photo of a whiteboard.</p>
        </div>
      )}
      {notes.length > 0 && (
        <ul className="note-list" aria-label="Notes">
          {notes.map((note) => (
            <NoteItem key={note.noteId} note={note} />
          ))}
        </ul>
      )}
      {pages.hasNextPage && (
        <div className="load-more">
          <LoaderButton
            type="button"
            className="button"
            busy={pages.isFetchingNextPage}
            busyLabel="Loading…"
            onClick={() => void pages.fetchNextPage()}
          >
            Load more
          </LoaderButton>
        </div>
      )}
    </main>
  );
}
