// Mutation.publishNoteChange (NONE data source): the API's own mutations call it, signed with IAM, once a change is
// committed. It only returns the NoteChange; @aws_subscribe then fans it out to the owner's onNoteChange
// subscriptions, whose filter matches `owner`. The schema lets IAM callers alone reach this field.
import { util, type Context } from '@aws-appsync/utils';
import type { MutationPublishNoteChangeArgs, Note, NoteChange } from '../codegen/schema.generated';

export function request(ctx: Context<MutationPublishNoteChangeArgs>) {
  const { owner, kind, note } = ctx.args.input;
  // AWSJSON arguments may reach a resolver as text or already parsed; accept both.
  const parsed = (typeof note === 'string' ? JSON.parse(note) : note) as Note | null;
  if (!parsed || typeof parsed.noteId !== 'string' || typeof parsed.version !== 'number') {
    util.error('input.note must be a stored note as JSON', 'ValidationError');
  }
  const change: NoteChange = {
    owner,
    kind,
    noteId: parsed.noteId,
    note: parsed,
    changedAt: kind === 'DELETED' ? util.time.nowISO8601() : parsed.updatedAt,
  };
  return { payload: change };
}

export function response(ctx: Context<MutationPublishNoteChangeArgs>): NoteChange {
  return ctx.result as NoteChange;
}
