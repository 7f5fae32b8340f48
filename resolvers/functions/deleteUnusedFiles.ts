// Pipeline function (Lambda data source deleteAttachment): after a note change is saved, deletes the files nothing
// uses any more: the staged upload the note's attachment was copied from, the file an update replaced or removed,
// every file of a deleted note. Only keys under the note's own prefix (and the caller's own staged uploads) are ever
// sent, so one note can never delete another's file. Skipped when there is nothing to delete.
// The note change is already committed: a failed delete is reported next to the result, not instead of it.
import { runtime, util, type Context } from '@aws-appsync/utils';
import type { Note } from '../../codegen/schema.generated';
import { callerId } from '../lib/identity';
import { invoke, isHandledFailure } from '../lib/lambda';
import { noteFilePrefix } from '../lib/validate';

/** What this request leaves unused, and whether that is the whole note. */
function unusedFiles(ctx: Context): { noteId: string; keys: string[]; wholeNote: boolean } | null {
  const note = ctx.stash.note as Note | undefined;
  if (!note) {
    return null;
  }
  const keys: string[] = [];
  const obsolete = ctx.stash.obsoleteAttachmentKey as string | null | undefined;
  // A file of a note made before attachments were copied per note lives outside the note's prefix and may be shared
  // with another note: it stays.
  if (obsolete && obsolete.startsWith(noteFilePrefix(callerId(ctx), note.noteId))) {
    keys.push(obsolete);
  }
  const staged = ctx.stash.stagedUploadKey as string | undefined;
  if (staged) {
    keys.push(staged);
  }
  // A deleted note's prefix is cleared when it had a file (copies left by failed saves sit beside that file).
  const wholeNote = ctx.stash.noteDeleted === true && note.attachment !== null && note.attachment !== undefined;
  return keys.length > 0 || wholeNote ? { noteId: note.noteId, keys, wholeNote } : null;
}

export function request(ctx: Context) {
  const unused = unusedFiles(ctx);
  if (!unused) {
    return runtime.earlyReturn(ctx.prev.result);
  }
  return invoke(ctx, unused);
}

export function response(ctx: Context): unknown {
  const failure = failureOf(ctx);
  if (failure) {
    const unused = unusedFiles(ctx);
    util.appendError(
      `The note was saved, but files it no longer uses could not be deleted: ${failure.message}`,
      'AttachmentCleanupFailed',
      null,
      { keys: unused ? unused.keys : [], cause: { message: failure.message, type: failure.type } },
    );
  }
  return ctx.prev.result;
}

/** Why the delete failed: the function threw (ctx.error) or returned a failure (lib/lambda.ts). */
function failureOf(ctx: Context): { message: string; type: string | null } | null {
  if (ctx.error) {
    return ctx.error;
  }
  const result: unknown = ctx.result;
  if (!isHandledFailure(result)) {
    return null;
  }
  return { message: result.errorMessage, type: typeof result.errorType === 'string' ? result.errorType : null };
}
