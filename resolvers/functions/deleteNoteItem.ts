// Pipeline function (notesTable): a conditional DeleteItem that returns the old item. When the note does not exist
// the condition fails, AppSync reads the item, finds none and (as documented for DeleteItem) reports success with
// no item: both that and a reported condition failure are NotFound here.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationDeleteNoteArgs, Note } from '../../codegen/schema.generated';
import { notFoundError } from '../lib/conflict';
import { callerId } from '../lib/identity';
import { toNote, type NoteItem } from '../lib/notes';

const CONDITION_FAILED = 'DynamoDB:ConditionalCheckFailedException';

export function request(ctx: Context<MutationDeleteNoteArgs>) {
  return ddb.remove<NoteItem>({
    key: { userId: callerId(ctx), noteId: ctx.args.noteId },
    condition: { noteId: { attributeExists: true } },
  });
}

export function response(ctx: Context<MutationDeleteNoteArgs>): Note {
  if (ctx.error) {
    if (ctx.error.type === CONDITION_FAILED) {
      return notFoundError(ctx.args.noteId);
    }
    util.error(ctx.error.message, ctx.error.type);
  }
  const deleted = ctx.result as NoteItem | null;
  if (!deleted) {
    return notFoundError(ctx.args.noteId);
  }
  const note = toNote(deleted);
  ctx.stash.obsoleteAttachmentKey = note.attachment ? note.attachment.key : null;
  ctx.stash.noteDeleted = true;
  ctx.stash.note = note;
  return note;
}
