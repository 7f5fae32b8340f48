// Reads what S3 stored for an uploaded attachment, so a note records the type and size that were signed for, not
// what the client claims.
import { HeadObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { AppSyncResolverEvent } from 'aws-lambda';
import type { Attachment } from '../codegen/schema.generated';
import { ownerOf, parseOwnedKey } from './lib/attachments';
import { AttachmentError, orHandledFailure, type HandledFailure } from './lib/errors';
import { bucketName, s3 } from './lib/s3';

export interface DescribeAttachmentArgs {
  key: string;
}

/** What a note stores for its attachment; `downloadUrl` is signed per request, never stored. */
export type AttachmentMetadata = Required<Omit<Attachment, 'downloadUrl' | '__typename'>>;

export async function handler(
  event: AppSyncResolverEvent<DescribeAttachmentArgs>,
): Promise<AttachmentMetadata | HandledFailure> {
  return orHandledFailure(() => describeAttachment(event));
}

async function describeAttachment(event: AppSyncResolverEvent<DescribeAttachmentArgs>): Promise<AttachmentMetadata> {
  const owner = ownerOf(event.identity);
  const { key, fileName } = parseOwnedKey(event.arguments?.key, owner);
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucketName, Key: key }));
    return {
      key,
      fileName,
      contentType: head.ContentType ?? 'application/octet-stream',
      size: head.ContentLength ?? 0,
    };
  } catch (error) {
    if (isMissingObject(error)) {
      throw new AttachmentError(
        'NotFound',
        `No file has been uploaded to ${key}: upload it with createUploadUrl first`,
      );
    }
    throw error;
  }
}

// Without s3:ListBucket (which these functions deliberately lack) S3 answers 403 rather than 404 for a missing key.
function isMissingObject(error: unknown): boolean {
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  return status === 404 || status === 403;
}
