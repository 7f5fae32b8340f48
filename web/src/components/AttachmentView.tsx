import type { Attachment } from '@appsync-notes/client';

export type ViewableAttachment = Attachment & { downloadUrl?: string | null };

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An image inline, any other file as a download link; the URL is a short-lived presigned GET. */
export function AttachmentView({ attachment, compact = false }: { attachment: ViewableAttachment; compact?: boolean }) {
  const url = attachment.downloadUrl;
  if (url && attachment.contentType.startsWith('image/')) {
    return (
      <figure className={compact ? 'attachment image compact' : 'attachment image'}>
        <img src={url} alt={attachment.fileName} loading="lazy" />
        {!compact && (
          <figcaption>
            <a href={url} download={attachment.fileName}>
              {attachment.fileName}
            </a>{' '}
            · {formatSize(attachment.size)}
          </figcaption>
        )}
      </figure>
    );
  }
  return (
    <p className="attachment file">
      <span aria-hidden="true">📎 </span>
      {url ? (
        <a href={url} download={attachment.fileName}>
          {attachment.fileName}
        </a>
      ) : (
        attachment.fileName
      )}{' '}
      · {formatSize(attachment.size)}
    </p>
  );
}
