// Pipeline function (Lambda data source attachUpload): copies the upload `input.attachment.key` to the note's own key
// (private/<sub>/<noteId>/<upload id>/<file name>) and stashes what S3 stored there as ctx.stash.attachment, before
// the note is written, so a note never points at a file that is not there. Skipped when the input carries no
// attachment, or keeps the note's current one. Shared by createNote (the note's id is in ctx.stash.noteId) and
// updateNote, whose before handlers have already checked that the key is one of the caller's own uploads.
import { runtime, util, type Context } from '@aws-appsync/utils';
import type { AttachmentInput } from '../../codegen/schema.generated';
import { callerId } from '../lib/identity';
import { invoke, lambdaResultOrFail } from '../lib/lambda';
import type { AttachmentItem } from '../lib/notes';
import { noteFileKeyFor } from '../lib/validate';

type Args = { input: { attachment?: AttachmentInput | null; noteId?: string } };

function noteIdOf(ctx: Context<Args>): string {
  return (ctx.stash.noteId as string | undefined) ?? (ctx.args.input.noteId as string);
}

export function request(ctx: Context<Args>) {
  const attachment = ctx.args.input.attachment;
  if (!attachment || ctx.stash.keepsAttachment === true) {
    return runtime.earlyReturn(ctx.prev.result);
  }
  return invoke(ctx, { key: attachment.key, noteId: noteIdOf(ctx) });
}

export function response(ctx: Context<Args>): AttachmentItem {
  const stagedKey = (ctx.args.input.attachment as AttachmentInput).key;
  const result = ctx.result as { errorType?: string } | null;
  // For the function a missing upload is NotFound; for the caller it is a key that names no upload: bad input.
  const nothingUploaded =
    !ctx.error && result !== null && typeof result === 'object' && result.errorType === 'NotFound';
  const attached = nothingUploaded ? null : (lambdaResultOrFail(ctx) as Partial<AttachmentItem> | null);
  if (!attached) {
    return util.error(
      `No file has been uploaded to ${stagedKey}: upload it with the URL from createUploadUrl first (an upload ` +
        'not attached within a day is deleted)',
      'ValidationError',
    );
  }
  if (
    attached.key !== noteFileKeyFor(stagedKey, callerId(ctx), noteIdOf(ctx)) ||
    typeof attached.fileName !== 'string' ||
    typeof attached.contentType !== 'string' ||
    typeof attached.size !== 'number'
  ) {
    return util.error('attachUpload returned no usable metadata for the upload', 'InternalFailure');
  }
  const metadata: AttachmentItem = {
    key: attached.key,
    fileName: attached.fileName,
    contentType: attached.contentType,
    size: attached.size,
  };
  ctx.stash.attachment = metadata;
  // Deleted once the note is saved; until then a failed save can be retried with the same upload.
  ctx.stash.stagedUploadKey = stagedKey;
  return metadata;
}
