// Attaches an upload to a note: copies `uploads/<sub>/<upload id>/<name>` to the note's own key
// `private/<sub>/<noteId>/<upload id>/<name>` and reports what S3 stored there, so the note records the type and size
// that were signed for, never what the client claims. The staged object stays until the note is saved (the resolver
// then deletes it) or the bucket's lifecycle rule expires it: a failed save can be retried with the same upload.
//
// Each note gets its own copy, so no two notes ever share an object and deleting one never touches another's file.
// The copy's key depends only on the note and the upload, so a retried createNote (same clientToken) whose first
// attempt already saved the note and removed the staged object finds its copy in place.
import { CopyObjectCommand, HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { AppSyncResolverEvent } from 'aws-lambda';
import type { Attachment } from '../codegen/schema.generated';
import { noteFileKey, ownerOf, parseStagedKey, requireNoteId } from './lib/attachments';
import { AttachmentError, orHandledFailure, type HandledFailure } from './lib/errors';
import { withRequestLogging } from './lib/logging';
import { bucketName, s3 } from './lib/s3';

export interface AttachUploadArgs {
  /** The staged upload's key, as createUploadUrl returned it. */
  key: string;
  noteId: string;
}

/** What a note stores for its attachment; `downloadUrl` is signed per request, never stored. */
export type AttachmentMetadata = Required<Omit<Attachment, 'downloadUrl' | '__typename'>>;

export const handler = withRequestLogging(
  'attach-upload',
  async (event: AppSyncResolverEvent<AttachUploadArgs>): Promise<AttachmentMetadata | HandledFailure> =>
    orHandledFailure(() => attachUpload(event)),
);

async function attachUpload(event: AppSyncResolverEvent<AttachUploadArgs>): Promise<AttachmentMetadata> {
  const owner = ownerOf(event.identity);
  const upload = parseStagedKey(event.arguments?.key, owner);
  const noteId = requireNoteId(event.arguments?.noteId);
  const key = noteFileKey(owner, noteId, upload);
  try {
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucketName,
        Key: key,
        CopySource: `${bucketName}/${encodeURIComponent(upload.key)}`,
        MetadataDirective: 'COPY',
      }),
    );
  } catch (error) {
    // Nothing staged: either never uploaded (or expired), or already attached to this note by an earlier attempt.
    if (!isMissingObject(error)) throw error;
  }
  const stored = await describe(key);
  if (!stored) {
    throw new AttachmentError(
      'NotFound',
      `No file has been uploaded to ${upload.key}: upload it with the URL from createUploadUrl first`,
    );
  }
  return { key, fileName: upload.fileName, ...stored };
}

async function describe(key: string): Promise<Pick<AttachmentMetadata, 'contentType' | 'size'> | null> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucketName, Key: key }));
    return { contentType: head.ContentType ?? 'application/octet-stream', size: head.ContentLength ?? 0 };
  } catch (error) {
    if (isMissingObject(error)) return null;
    throw error;
  }
}

// Without s3:ListBucket on the key's prefix S3 answers 403 rather than 404 for a missing key.
function isMissingObject(error: unknown): boolean {
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  return status === 404 || status === 403;
}
