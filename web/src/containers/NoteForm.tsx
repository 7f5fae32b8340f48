// The editor both screens share: the text, the current attachment (kept, removed or replaced), and the actions.
import type { UploadedAttachment } from '@appsync-notes/client';
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { AttachmentPicker } from '../components/AttachmentPicker';
import { AttachmentView, type ViewableAttachment } from '../components/AttachmentView';
import { LoaderButton } from '../components/LoaderButton';

/** What saving does to the attachment. */
export type AttachmentChange =
  { kind: 'keep' } | { kind: 'remove' } | { kind: 'replace'; attachment: UploadedAttachment };

export interface NoteDraft {
  content: string;
  attachment: AttachmentChange;
}

const MAX_CONTENT = 100_000;

export function NoteForm({
  label,
  initialContent,
  currentAttachment,
  saving,
  saveLabel,
  onSave,
  onDirtyChange,
  children,
}: {
  label: string;
  initialContent: string;
  currentAttachment: ViewableAttachment | null;
  saving: boolean;
  saveLabel: string;
  onSave: (draft: NoteDraft) => void;
  /** Hears whether the form holds changes not saved yet. */
  onDirtyChange?: (dirty: boolean) => void;
  /** Messages and further actions shown under the form. */
  children?: ReactNode;
}) {
  const id = useId();
  const [content, setContent] = useState(initialContent);
  const [removeCurrent, setRemoveCurrent] = useState(false);
  const [uploaded, setUploaded] = useState<UploadedAttachment | null>(null);
  const [uploading, setUploading] = useState(false);
  const dirty = content !== initialContent || removeCurrent || uploaded !== null || uploading;
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const attachment: AttachmentChange = uploaded
      ? { kind: 'replace', attachment: uploaded }
      : removeCurrent
        ? { kind: 'remove' }
        : { kind: 'keep' };
    onSave({ content, attachment });
  }

  const empty = content.trim() === '';
  return (
    <form className="card form editor" onSubmit={submit} aria-label={label}>
      <div className="field">
        <label htmlFor={`${id}-content`}>Note</label>
        <textarea
          id={`${id}-content`}
          required
          rows={10}
          maxLength={MAX_CONTENT}
          value={content}
          onChange={(event) => setContent(event.target.value)}
        />
      </div>
      {currentAttachment && !uploaded && (
        <div className="field current-attachment">
          <span className="label">Attachment</span>
          {removeCurrent ? (
            <p className="message" role="status">
              {currentAttachment.fileName} will be removed when you save.{' '}
              <button type="button" className="link" onClick={() => setRemoveCurrent(false)}>
                Keep it
              </button>
            </p>
          ) : (
            <>
              <AttachmentView attachment={currentAttachment} />
              <button type="button" className="button subtle" onClick={() => setRemoveCurrent(true)}>
                Remove attachment
              </button>
            </>
          )}
        </div>
      )}
      <AttachmentPicker
        label={currentAttachment ? 'Replace the attachment' : 'Attach a file'}
        onUploaded={setUploaded}
        onBusy={setUploading}
      />
      {children}
      <div className="actions">
        <LoaderButton type="submit" busy={saving} busyLabel="Saving…" disabled={uploading || empty}>
          {saveLabel}
        </LoaderButton>
      </div>
    </form>
  );
}
