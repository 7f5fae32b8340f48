// Pipeline function (notesTable): when updateNote names an attachment (or null), reads the note first to learn the
// old key (to delete its file after the update) and whether a note-file key is the current one (kept). Stale or missing notes fail here, before any Lambda runs; the
// UpdateItem condition still decides in the end.
import { runtime, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateNoteArgs } from '../../codegen/schema.generated';
import { conflictError, notFoundError } from '../lib/conflict';
import { callerId } from '../lib/identity';
import type { NoteItem } from '../lib/notes';
import { respondOrFail, validationError } from '../lib/respond';
import { isNoteFileKey } from '../lib/validate';

export function request(ctx: Context<MutationUpdateNoteArgs>) {
  if (ctx.args.input.attachment === undefined) {
    return runtime.earlyReturn(ctx.prev.result);
  }
  return ddb.get<NoteItem>({ key: { userId: callerId(ctx), noteId: ctx.args.input.noteId }, consistentRead: true });
}

export function response(ctx: Context<MutationUpdateNoteArgs>): NoteItem {
  const { noteId, expectedVersion } = ctx.args.input;
  const current = respondOrFail(ctx) as NoteItem | null;
  if (!current) {
    return notFoundError(noteId);
  }
  if (current.version !== expectedVersion) {
    return conflictError(current, expectedVersion);
  }
  const currentKey = current.attachment ? current.attachment.key : null;
  const requested = ctx.args.input.attachment;
  // A key under the note's own prefix can only mean "keep the current file": anything else would share or resurrect
  // a file this note does not hold.
  if (requested && isNoteFileKey(requested.key, callerId(ctx), noteId)) {
    if (requested.key !== currentKey) {
      return validationError(
        'input.attachment.key must be a new upload (a key returned by createUploadUrl) or the note’s current attachment',
      );
    }
    ctx.stash.keepsAttachment = true;
  }
  ctx.stash.previousAttachmentKey = currentKey;
  return current;
}
