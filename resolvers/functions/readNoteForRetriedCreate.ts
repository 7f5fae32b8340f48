// Pipeline function (notesTable): runs only when createNote's put found its clientToken's note already there. The
// same request again (a client retrying after a timeout) gets that note; a different request reusing the token is a
// ValidationError. The note may have been edited since, so the comparison is with the fingerprint of the request
// that created it, not with its current content. The first attempt's success path stays one PutItem.
import { runtime, util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationCreateNoteArgs, Note } from '../../codegen/schema.generated';
import { callerId } from '../lib/identity';
import { toNote, type NoteItem } from '../lib/notes';
import { respondOrFail } from '../lib/respond';

export function request(ctx: Context<MutationCreateNoteArgs>) {
  if (ctx.stash.createConditionFailed !== true) {
    return runtime.earlyReturn(ctx.prev.result);
  }
  return ddb.get<NoteItem>({
    key: { userId: callerId(ctx), noteId: ctx.stash.noteId as string },
    consistentRead: true,
  });
}

export function response(ctx: Context<MutationCreateNoteArgs>): Note {
  const existing = respondOrFail(ctx) as NoteItem | null;
  const noteId = ctx.stash.noteId as string;
  if (!existing) {
    return util.error(
      `The note created with clientToken ${noteId} has been deleted since: create a new note with a new clientToken`,
      'NotFound',
    );
  }
  if (existing.createFingerprint !== ctx.stash.createFingerprint) {
    return util.error(
      `input.clientToken ${noteId} was already used for a different note: generate a new token for each new note`,
      'ValidationError',
    );
  }
  const note = toNote(existing);
  ctx.stash.note = note;
  // A replay changed nothing: there is no change to publish.
  ctx.stash.noteUnchanged = true;
  return note;
}
