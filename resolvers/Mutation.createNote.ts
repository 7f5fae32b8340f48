// Mutation.createNote, a pipeline: [attachUpload, putNoteItem, readNoteForRetriedCreate, deleteUnusedFiles,
// publishNoteChange]. Input is checked here, before anything runs. An attachment is an upload, copied to the note's
// own key before the note is written (so a note never points at a missing file) and stored with the metadata S3
// reports, never what the client claims; the staged upload is deleted once the note is saved. The note's id is chosen
// here: the client's clientToken (so a retried request finds the note its first attempt created) or a new ULID.
import { util, type Context } from '@aws-appsync/utils';
import type { MutationCreateNoteArgs, Note } from '../codegen/schema.generated';
import { createRequestFingerprint } from './lib/fingerprint';
import { callerId } from './lib/identity';
import { requireClientToken, requireContent, requireStagedUploadKey } from './lib/validate';

export function request(ctx: Context<MutationCreateNoteArgs>) {
  const owner = callerId(ctx);
  const { content, attachment, clientToken } = ctx.args.input;
  requireContent(content, 'input.content');
  if (attachment) {
    requireStagedUploadKey(attachment.key, owner, 'input.attachment.key');
  }
  if (clientToken === undefined || clientToken === null) {
    ctx.stash.noteId = util.autoUlid();
  } else {
    ctx.stash.noteId = requireClientToken(clientToken, 'input.clientToken');
    // Stored with the note: a retry must match the request that created it, even after the note was edited.
    ctx.stash.createFingerprint = createRequestFingerprint(content, attachment ? attachment.key : null);
  }
  return {};
}

export function response(ctx: Context<MutationCreateNoteArgs>): Note {
  return ctx.stash.note as Note;
}
