// Pipeline function (notesTable): writes a new note under the caller's partition, with the id the resolver chose.
// The condition makes the put create-only: it never overwrites a note. With a clientToken a failed condition means
// the token's note exists (a retry, or a token reused): readNoteForRetriedCreate reads it and decides.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationCreateNoteArgs, Note } from '../../codegen/schema.generated';
import { callerId } from '../lib/identity';
import { toNote, type AttachmentItem, type NoteItem } from '../lib/notes';
import { respondOrFail } from '../lib/respond';

const CONDITION_FAILED = 'DynamoDB:ConditionalCheckFailedException';

export function request(ctx: Context<MutationCreateNoteArgs>) {
  const now = util.time.nowISO8601();
  const attachment = ctx.stash.attachment as AttachmentItem | undefined;
  const fingerprint = ctx.stash.createFingerprint as string | undefined;
  const item: Partial<NoteItem> = { content: ctx.args.input.content, createdAt: now, updatedAt: now, version: 1 };
  if (attachment) {
    item.attachment = attachment;
  }
  if (fingerprint) {
    item.createFingerprint = fingerprint;
  }
  return ddb.put<NoteItem>({
    key: { userId: callerId(ctx), noteId: ctx.stash.noteId as string },
    item,
    condition: { noteId: { attributeExists: false } },
  });
}

export function response(ctx: Context<MutationCreateNoteArgs>): Note | null {
  if (ctx.error && ctx.error.type === CONDITION_FAILED && ctx.stash.createFingerprint) {
    ctx.stash.createConditionFailed = true;
    return null;
  }
  const note = toNote(respondOrFail(ctx) as NoteItem);
  ctx.stash.note = note;
  return note;
}
