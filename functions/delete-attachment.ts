// Deletes files a note no longer uses, after the note change is saved: the staged upload a save just copied, the
// file an update replaced or removed, or every file of a deleted note. It deletes only the caller's own staged
// uploads and files under the note's own prefix `private/<sub>/<noteId>/`, so no note can delete another's file.
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { AppSyncResolverEvent } from 'aws-lambda';
import { notePrefix, ownerOf, parseStagedKey, requireNoteId } from './lib/attachments';
import { orHandledFailure, validationError, type HandledFailure } from './lib/errors';
import { withRequestLogging } from './lib/logging';
import { bucketName, s3 } from './lib/s3';

export interface DeleteAttachmentArgs {
  noteId: string;
  /** Staged uploads of the caller, or files under the note's prefix. */
  keys?: string[];
  /** Every file under the note's prefix: the note is gone. */
  wholeNote?: boolean;
}

export interface DeletedFiles {
  deleted: string[];
}

/** More keys than one note change can release is a wiring mistake, not a request to honour. */
const MAX_KEYS = 4;

export const handler = withRequestLogging(
  'delete-attachment',
  async (event: AppSyncResolverEvent<DeleteAttachmentArgs>): Promise<DeletedFiles | HandledFailure> =>
    orHandledFailure(() => deleteFiles(event)),
);

async function deleteFiles(event: AppSyncResolverEvent<DeleteAttachmentArgs>): Promise<DeletedFiles> {
  const owner = ownerOf(event.identity);
  const noteId = requireNoteId(event.arguments?.noteId);
  const prefix = notePrefix(owner, noteId);
  const keys: unknown = event.arguments?.keys ?? [];
  if (!Array.isArray(keys) || keys.length > MAX_KEYS) {
    throw validationError(`keys must be a list of at most ${MAX_KEYS} keys`);
  }
  // Every key is checked before anything is deleted.
  const targets = keys.map((key: unknown) =>
    typeof key === 'string' && key.startsWith(prefix) && !key.slice(prefix.length).split('/').includes('..')
      ? key
      : parseStagedKey(key, owner).key,
  );
  if (event.arguments?.wholeNote === true) {
    targets.push(...(await listUnder(prefix)));
  }
  const unique = [...new Set(targets)];
  // S3 answers a delete of a missing key with success too, so a retried delete is harmless.
  await Promise.all(unique.map((key) => s3.send(new DeleteObjectCommand({ Bucket: bucketName, Key: key }))));
  return { deleted: unique };
}

async function listUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucketName, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}
