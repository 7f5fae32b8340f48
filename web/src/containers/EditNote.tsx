// One note: edit it (against the version this screen loaded), or delete it. While the editor holds no edits, it
// follows changes made on other devices live; with edits, it keeps them and says a newer version exists. When the
// note changed elsewhere since, the save is refused with a ConflictError and the screen says so and offers to load
// the current version.
import { hasErrorType, type NoteWithDownloadUrl, type UpdateNoteInput } from '@appsync-notes/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { useBackend } from '../lib/backend';
import { afterWrite, useNote } from '../lib/queries';
import { followLink, navigate } from '../lib/router';
import { NoteForm, type NoteDraft } from './NoteForm';

export function EditNote({ noteId }: { noteId: string }) {
  const note = useNote(noteId);
  const [dirty, setDirty] = useState(false);
  // The version in the editor: the latest one while there are no unsaved edits, then held until they are saved or
  // dropped.
  const [editing, setEditing] = useState(note.data);
  if (!dirty && note.data !== editing) setEditing(note.data);
  const newer = note.data && editing && note.data.version > editing.version ? note.data : null;
  const reload = () => {
    setDirty(false);
    void note.refetch();
  };
  return (
    <main className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href="/" onClick={followLink}>
          ← Your notes
        </a>
      </nav>
      <h1>Edit note</h1>
      {note.isPending && <p className="loading">Loading the note…</p>}
      <ErrorMessage error={note.error} />
      {note.isSuccess && note.data === null && (
        <p className="message error" role="alert">
          This note does not exist. It may have been deleted.
        </p>
      )}
      {newer && (
        <div className="message warning" role="status">
          <p>
            <strong>This note was changed on another device</strong>{' '}
            {`(now version ${newer.version}). Your edits here are to version ${editing?.version}: saving them will be refused. `}
          </p>
          <button type="button" className="button" onClick={() => setDirty(false)}>
            Show the new version (drop my edits)
          </button>
        </div>
      )}
      {/* A new version (after a reload, or from another device) starts a fresh editor. */}
      {note.data && editing && (
        <Editor key={editing.version} note={editing} onReload={reload} onDirtyChange={setDirty} />
      )}
    </main>
  );
}

function Editor({
  note,
  onReload,
  onDirtyChange,
}: {
  note: NoteWithDownloadUrl;
  onReload: () => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const { notes } = useBackend();
  const queryClient = useQueryClient();
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const update = useMutation({
    mutationFn: (draft: NoteDraft) => {
      const input: UpdateNoteInput = { noteId: note.noteId, expectedVersion: note.version, content: draft.content };
      if (draft.attachment.kind === 'remove') input.attachment = null;
      if (draft.attachment.kind === 'replace') input.attachment = { key: draft.attachment.attachment.key };
      return notes.updateNote({ input });
    },
    onSuccess: (saved) => {
      navigate('/');
      afterWrite(queryClient, saved);
    },
  });
  const remove = useMutation({
    mutationFn: () => notes.deleteNote({ noteId: note.noteId }),
    onSuccess: (deleted) => {
      navigate('/', { replace: true });
      afterWrite(queryClient, deleted);
    },
  });

  const conflict = hasErrorType(update.error, 'ConflictError');
  return (
    <>
      <NoteForm
        label="Edit note"
        initialContent={note.content}
        currentAttachment={note.attachment}
        saving={update.isPending}
        saveLabel="Save changes"
        onSave={(draft) => update.mutate(draft)}
        onDirtyChange={onDirtyChange}
      >
        {conflict ? (
          <div className="message warning" role="alert">
            <p>
              <strong>This note was changed elsewhere.</strong>{' '}
              {`It is now at version ${conflict.errorInfo.currentVersion}; you edited version ${note.version}. `}
              Your changes were not saved: reload to see the current note, then make them again.
            </p>
            <button type="button" className="button" onClick={onReload}>
              Reload note
            </button>
          </div>
        ) : (
          <ErrorMessage error={update.error} />
        )}
        <ErrorMessage error={remove.error} />
      </NoteForm>
      <div className="danger-zone">
        <button type="button" className="button danger" onClick={() => setConfirmingDelete(true)}>
          Delete note
        </button>
      </div>
      <ConfirmDialog
        open={confirmingDelete}
        title="Delete this note?"
        confirmLabel={remove.isPending ? 'Deleting…' : 'Delete'}
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={() => {
          setConfirmingDelete(false);
          remove.mutate();
        }}
      >
        <p>
          The note{note.attachment ? ` and its attachment ${note.attachment.fileName}` : ''} will be deleted for good.
        </p>
      </ConfirmDialog>
    </>
  );
}
