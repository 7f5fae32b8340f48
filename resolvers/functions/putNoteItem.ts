// Pipeline function (notesTable): writes a new note under the caller's partition. The condition makes the put
// create-only: it can never overwrite an existing note.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { MutationCreateNoteArgs, Note } from '../../codegen/schema.generated';
import { callerId } from '../lib/identity';
import { toNote, type AttachmentItem, type NoteItem } from '../lib/notes';
import { respondOrFail } from '../lib/respond';

export function request(ctx: Context<MutationCreateNoteArgs>) {
  const now = util.time.nowISO8601();
  const attachment = ctx.stash.attachment as AttachmentItem | undefined;
  const item: Partial<NoteItem> = { content: ctx.args.input.content, createdAt: now, updatedAt: now, version: 1 };
  if (attachment) {
    item.attachment = attachment;
  }
  return ddb.put<NoteItem>({
    key: { userId: callerId(ctx), noteId: util.autoUlid() },
    item,
    condition: { noteId: { attributeExists: false } },
  });
}

export function response(ctx: Context<MutationCreateNoteArgs>): Note {
  const note = toNote(respondOrFail(ctx) as NoteItem);
  ctx.stash.note = note;
  return note;
}
