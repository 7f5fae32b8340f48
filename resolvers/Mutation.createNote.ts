// Mutation.createNote, a pipeline: [describeUploadedAttachment, putNoteItem]. Input is checked here, before anything
// runs; an attachment is stored with the metadata S3 reports for the upload, never what the client claims.
import type { Context } from '@aws-appsync/utils';
import type { MutationCreateNoteArgs, Note } from '../codegen/schema.generated';
import { callerId } from './lib/identity';
import { requireContent, requireOwnAttachmentKey } from './lib/validate';

export function request(ctx: Context<MutationCreateNoteArgs>) {
  const owner = callerId(ctx);
  const { content, attachment } = ctx.args.input;
  requireContent(content, 'input.content');
  if (attachment) {
    requireOwnAttachmentKey(attachment.key, owner, 'input.attachment.key');
  }
  return {};
}

export function response(ctx: Context<MutationCreateNoteArgs>): Note {
  return ctx.stash.note as Note;
}
