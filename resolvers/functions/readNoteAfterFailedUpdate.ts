// Pipeline function (notesTable): runs only when updateNoteItem's condition failed, and reads the note to tell a
// stale version (ConflictError, with the note as it is now) from a missing note (NotFound). Whether AppSync hands the
// current item to the response handler after a failed condition is uncertain (aws-appsync-community #343), so the
// update never relies on it: a successful update costs one UpdateItem, a failed one adds this GetItem.
import { runtime, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateNoteArgs } from '../../codegen/schema.generated';
import { conflictError, notFoundError } from '../lib/conflict';
import { callerId } from '../lib/identity';
import type { NoteItem } from '../lib/notes';
import { respondOrFail } from '../lib/respond';

export function request(ctx: Context<MutationUpdateNoteArgs>) {
  if (ctx.stash.updateConditionFailed !== true) {
    return runtime.earlyReturn(ctx.prev.result);
  }
  return ddb.get<NoteItem>({ key: { userId: callerId(ctx), noteId: ctx.args.input.noteId }, consistentRead: true });
}

export function response(ctx: Context<MutationUpdateNoteArgs>): never {
  const { noteId, expectedVersion } = ctx.args.input;
  const current = respondOrFail(ctx) as NoteItem | null;
  return current ? conflictError(current, expectedVersion) : notFoundError(noteId);
}
