// Pipeline function (notesTable): one UpdateItem that changes only the fields given, bumps version and updatedAt, and
// succeeds only if the note exists at the version the client saw. A failed condition is only marked here:
// readNoteAfterFailedUpdate reads the note to tell ConflictError from NotFound, as ctx.result cannot be relied on
// after a failed condition.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateNoteArgs, Note } from '../../codegen/schema.generated';
import { callerId } from '../lib/identity';
import { toNote, type AttachmentItem, type NoteItem } from '../lib/notes';

const CONDITION_FAILED = 'DynamoDB:ConditionalCheckFailedException';

export function request(ctx: Context<MutationUpdateNoteArgs>) {
  const { noteId, expectedVersion, content, attachment } = ctx.args.input;
  const update: ddb.DynamoDBUpdateObject<NoteItem> = {
    updatedAt: util.time.nowISO8601(),
    version: ddb.operations.increment(1),
  };
  if (typeof content === 'string') {
    update.content = content;
  }
  if (attachment === null) {
    update.attachment = ddb.operations.remove();
  } else if (attachment && ctx.stash.keepsAttachment !== true) {
    update.attachment = ddb.operations.replace(ctx.stash.attachment as AttachmentItem);
  }
  return ddb.update<NoteItem>({
    key: { userId: callerId(ctx), noteId },
    update,
    condition: { noteId: { attributeExists: true }, version: { eq: expectedVersion } },
  });
}

export function response(ctx: Context<MutationUpdateNoteArgs>): Note | null {
  if (ctx.error) {
    if (ctx.error.type === CONDITION_FAILED) {
      ctx.stash.updateConditionFailed = true;
      return null;
    }
    util.error(ctx.error.message, ctx.error.type);
  }
  const note = toNote(ctx.result as NoteItem);
  const previousKey = ctx.stash.previousAttachmentKey as string | null | undefined;
  if (previousKey && (!note.attachment || note.attachment.key !== previousKey)) {
    ctx.stash.obsoleteAttachmentKey = previousKey;
  }
  ctx.stash.note = note;
  return note;
}
