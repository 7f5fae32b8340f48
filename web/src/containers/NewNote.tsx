import { newClientToken } from '@appsync-notes/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { useBackend } from '../lib/backend';
import { afterWrite } from '../lib/queries';
import { followLink, navigate } from '../lib/router';
import { NoteForm, type NoteDraft } from './NoteForm';

export function NewNote() {
  const { notes } = useBackend();
  const queryClient = useQueryClient();
  // One token for this note: pressing Save again after a failure cannot create it twice.
  const [clientToken] = useState(newClientToken);
  const create = useMutation({
    mutationFn: (draft: NoteDraft) =>
      notes.createNote({
        input: {
          content: draft.content,
          clientToken,
          attachment: draft.attachment.kind === 'replace' ? { key: draft.attachment.attachment.key } : null,
        },
      }),
    onSuccess: (note) => {
      navigate('/');
      afterWrite(queryClient, note);
    },
  });

  return (
    <main className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href="/" onClick={followLink}>
          ← Your notes
        </a>
      </nav>
      <h1>New note</h1>
      <NoteForm
        label="New note"
        initialContent=""
        currentAttachment={null}
        saving={create.isPending}
        saveLabel="Create note"
        onSave={(draft) => create.mutate(draft)}
      >
        <ErrorMessage error={create.error} />
      </NoteForm>
    </main>
  );
}
