// Picks a file, checks its type and size before anything is sent, and uploads it straight to storage with a progress
// bar. The note is saved later with the returned key.
import { attachmentProblem, type UploadedAttachment } from '@appsync-notes/client';
import { useId, useRef, useState } from 'react';
import { ALLOWED_CONTENT_TYPES, MAX_ATTACHMENT_BYTES } from '../config';
import { useBackend } from '../lib/backend';
import { ErrorMessage } from './ErrorMessage';

type Upload =
  | { state: 'idle' }
  | { state: 'refused'; reason: string }
  | { state: 'uploading'; fileName: string; loaded: number; total: number }
  | { state: 'failed'; error: unknown }
  | { state: 'done'; attachment: UploadedAttachment };

export function AttachmentPicker({
  label,
  onUploaded,
  onBusy,
}: {
  label: string;
  onUploaded: (attachment: UploadedAttachment | null) => void;
  onBusy: (busy: boolean) => void;
}) {
  const { notes } = useBackend();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [upload, setUpload] = useState<Upload>({ state: 'idle' });

  async function pick(file: File | undefined) {
    onUploaded(null);
    if (!file) return setUpload({ state: 'idle' });
    const reason = attachmentProblem(file);
    if (reason) return setUpload({ state: 'refused', reason });
    setUpload({ state: 'uploading', fileName: file.name, loaded: 0, total: file.size });
    onBusy(true);
    try {
      const attachment = await notes.uploadAttachment(file, {
        onProgress: ({ loaded, total }) => setUpload({ state: 'uploading', fileName: file.name, loaded, total }),
      });
      setUpload({ state: 'done', attachment });
      onUploaded(attachment);
    } catch (error) {
      setUpload({ state: 'failed', error });
    } finally {
      onBusy(false);
    }
  }

  const percent = upload.state === 'uploading' ? Math.round((upload.loaded / Math.max(upload.total, 1)) * 100) : 0;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={input}
        id={id}
        type="file"
        accept={ALLOWED_CONTENT_TYPES.join(',')}
        aria-describedby={`${id}-hint`}
        disabled={upload.state === 'uploading'}
        onChange={(event) => void pick(event.target.files?.[0])}
      />
      <p id={`${id}-hint`} className="hint">
        Images (PNG, JPEG, GIF, WebP), PDF or text, up to {MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.
      </p>
      {upload.state === 'refused' && (
        <p className="message error" role="alert">
          {upload.reason}
        </p>
      )}
      {upload.state === 'uploading' && (
        <div className="upload-progress">
          <label htmlFor={`${id}-progress`}>
            Uploading {upload.fileName}… {percent}%
          </label>
          <progress id={`${id}-progress`} max={upload.total} value={upload.loaded} />
        </div>
      )}
      {upload.state === 'failed' && <ErrorMessage error={upload.error} />}
      {upload.state === 'done' && (
        <p className="message success" role="status">
          Uploaded {upload.attachment.fileName}. Save the note to attach it.
        </p>
      )}
    </div>
  );
}
