// Query.getNote: one GetItem on the caller's own partition, so another user's note is simply absent (null).
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { Note, QueryGetNoteArgs } from '../codegen/schema.generated';
import { callerId } from './lib/identity';
import { toNote, type NoteItem } from './lib/notes';
import { respondOrFail } from './lib/respond';
import { requireNoteId } from './lib/validate';

export function request(ctx: Context<QueryGetNoteArgs>) {
  const noteId = requireNoteId(ctx.args.noteId, 'noteId');
  return ddb.get<NoteItem>({ key: { userId: callerId(ctx), noteId } });
}

export function response(ctx: Context<QueryGetNoteArgs>): Note | null {
  const item = respondOrFail(ctx) as NoteItem | null;
  return item ? toNote(item) : null;
}
