// Pipeline function (notesTable): when updateNote replaces or removes the attachment, reads the note first to learn
// the old key (to delete its file after the update). Stale or missing notes fail here, before any Lambda runs; the
// UpdateItem condition still decides in the end.
import { runtime, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateNoteArgs } from '../../codegen/schema.generated';
import { conflictError, notFoundError } from '../lib/conflict';
import { callerId } from '../lib/identity';
import type { NoteItem } from '../lib/notes';
import { respondOrFail } from '../lib/respond';

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
  ctx.stash.previousAttachmentKey = current.attachment ? current.attachment.key : null;
  return current;
}
