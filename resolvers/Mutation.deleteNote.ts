// Mutation.deleteNote, a pipeline: [deleteNoteItem, deleteUnusedFiles, publishNoteChange]. Returns the note as it
// was; its attachment file goes with it.
import type { Context } from '@aws-appsync/utils';
import type { MutationDeleteNoteArgs, Note } from '../codegen/schema.generated';
import { callerId } from './lib/identity';
import { requireNoteId } from './lib/validate';

export function request(ctx: Context<MutationDeleteNoteArgs>) {
  callerId(ctx);
  requireNoteId(ctx.args.noteId, 'noteId');
  return {};
}

export function response(ctx: Context<MutationDeleteNoteArgs>): Note {
  return ctx.stash.note as Note;
}
