// Attachment.downloadUrl for a whole page of notes in one invocation (AppSync BatchInvoke): one short-lived presigned
// GET per attachment, in the order AppSync sent them.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AppSyncResolverEvent } from 'aws-lambda';
import type { Attachment } from '../codegen/schema.generated';
import { DOWNLOAD_URL_TTL_SECONDS, ownerOf, parseNoteFileKey } from './lib/attachments';
import { orHandledFailure, validationError, type HandledFailure } from './lib/errors';
import { withRequestLogging } from './lib/logging';
import { bucketName, presigner } from './lib/s3';

export type AttachmentSource = Pick<Attachment, 'key'>;

/**
 * AppSync's per-item batch result: `data` for the field, or an error for this item alone (the response handler
 * raises it with `util.error(errorMessage, errorType)`), so one foreign key does not fail the whole page.
 */
export type DownloadUrlResult = { data: string } | ({ data: null } & HandledFailure);

export type DownloadUrlEvent = AppSyncResolverEvent<Record<string, never>, AttachmentSource | null>;

export const handler = withRequestLogging(
  'attachment-download-urls',
  async (events: DownloadUrlEvent[]): Promise<DownloadUrlResult[]> => {
    if (!Array.isArray(events)) {
      // Not a batch at all: a wiring mistake, so the whole invocation fails.
      throw validationError('attachment-download-urls expects a BatchInvoke array of events');
    }
    return Promise.all(
      events.map(async (event) => {
        const result = await orHandledFailure(() => downloadUrlFor(event));
        return typeof result === 'string' ? { data: result } : { data: null, ...result };
      }),
    );
  },
);

async function downloadUrlFor(event: DownloadUrlEvent): Promise<string> {
  const owner = ownerOf(event?.identity);
  const { key } = parseNoteFileKey(event?.source?.key, owner);
  return getSignedUrl(presigner, new GetObjectCommand({ Bucket: bucketName, Key: key }), {
    expiresIn: DOWNLOAD_URL_TTL_SECONDS,
  });
}
