// Removes an attachment's S3 object when its note is deleted or the attachment replaced, so no file is orphaned.
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { AppSyncResolverEvent } from 'aws-lambda';
import { ownerOf, parseOwnedKey } from './lib/attachments';
import { orHandledFailure, type HandledFailure } from './lib/errors';
import { bucketName, s3 } from './lib/s3';

export interface DeleteAttachmentArgs {
  key: string;
}

export interface DeletedAttachment {
  key: string;
  deleted: true;
}

export async function handler(
  event: AppSyncResolverEvent<DeleteAttachmentArgs>,
): Promise<DeletedAttachment | HandledFailure> {
  return orHandledFailure(() => deleteAttachment(event));
}

async function deleteAttachment(event: AppSyncResolverEvent<DeleteAttachmentArgs>): Promise<DeletedAttachment> {
  const owner = ownerOf(event.identity);
  const { key } = parseOwnedKey(event.arguments?.key, owner);
  // S3 answers a delete of a missing key with success too, so a retried delete is harmless.
  await s3.send(new DeleteObjectCommand({ Bucket: bucketName, Key: key }));
  return { key, deleted: true };
}
