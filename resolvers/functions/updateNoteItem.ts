// Pipeline function (notesTable): one UpdateItem that changes only the fields given, bumps version and updatedAt, and
// succeeds only if the note exists at the version the client saw. On a failed condition AppSync reads the item
// (strongly consistent) and hands it over as ctx.result next to ctx.error: absent means NotFound, present means
// someone else updated it first.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateNoteArgs, Note } from '../../codegen/schema.generated';
import { conflictError, notFoundError } from '../lib/conflict';
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
  } else if (attachment) {
    update.attachment = ddb.operations.replace(ctx.stash.attachment as AttachmentItem);
  }
  return ddb.update<NoteItem>({
    key: { userId: callerId(ctx), noteId },
    update,
    condition: { noteId: { attributeExists: true }, version: { eq: expectedVersion } },
  });
}

export function response(ctx: Context<MutationUpdateNoteArgs>): Note {
  const { noteId, expectedVersion } = ctx.args.input;
  if (ctx.error) {
    if (ctx.error.type === CONDITION_FAILED) {
      const current = ctx.result as NoteItem | null;
      return current ? conflictError(current, expectedVersion) : notFoundError(noteId);
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
