// Mutation.updateNote, a pipeline: [getNoteItemForUpdate, attachUpload, updateNoteItem, readNoteAfterFailedUpdate,
// deleteUnusedFiles, publishNoteChange]. Only the fields given change; `attachment: null` removes the attachment; a
// new upload's key replaces it (copied to the note's own key first); the note's current attachment key keeps it.
// The first GetItem and the Lambda calls run only when the attachment changes, the second only when the update's
// condition failed: a successful content edit is one UpdateItem.
import type { Context } from '@aws-appsync/utils';
import type { MutationUpdateNoteArgs, Note } from '../codegen/schema.generated';
import { callerId } from './lib/identity';
import { validationError } from './lib/respond';
import { isNoteFileKey, requireContent, requireNoteId, requireStagedUploadKey, requireVersion } from './lib/validate';

export function request(ctx: Context<MutationUpdateNoteArgs>) {
  const owner = callerId(ctx);
  const { noteId, expectedVersion, content, attachment } = ctx.args.input;
  requireNoteId(noteId, 'input.noteId');
  requireVersion(expectedVersion, 'input.expectedVersion');
  if (content === undefined && attachment === undefined) {
    validationError('input must change content or attachment');
  }
  if (content !== undefined) {
    requireContent(content, 'input.content');
  }
  // Either the note's own file (kept; getNoteItemForUpdate checks it is the current one) or a new upload.
  if (attachment && !isNoteFileKey(attachment.key, owner, noteId)) {
    requireStagedUploadKey(attachment.key, owner, 'input.attachment.key');
  }
  return {};
}

export function response(ctx: Context<MutationUpdateNoteArgs>): Note {
  return ctx.stash.note as Note;
}
