// Pipeline function (Lambda data source describeAttachment): reads what S3 stored for `input.attachment.key` into
// ctx.stash.attachment. Skipped when the input carries no attachment. Shared by createNote and updateNote, whose
// before handlers have already checked that the key is inside the caller's own prefix.
import { runtime, util, type Context } from '@aws-appsync/utils';
import type { AttachmentInput } from '../../codegen/schema.generated';
import { invoke, lambdaResultOrFail } from '../lib/lambda';
import type { AttachmentItem } from '../lib/notes';

type Args = { input: { attachment?: AttachmentInput | null } };

export function request(ctx: Context<Args>) {
  const attachment = ctx.args.input.attachment;
  if (!attachment) {
    return runtime.earlyReturn(ctx.prev.result);
  }
  return invoke(ctx, { key: attachment.key });
}

export function response(ctx: Context<Args>): AttachmentItem {
  const requestedKey = (ctx.args.input.attachment as AttachmentInput).key;
  const result = ctx.result as { errorType?: string } | null;
  // For the function a missing object is NotFound; for the caller it is a key that names no upload: bad input.
  const nothingUploaded =
    !ctx.error && result !== null && typeof result === 'object' && result.errorType === 'NotFound';
  const described = nothingUploaded ? null : (lambdaResultOrFail(ctx) as Partial<AttachmentItem> | null);
  if (!described) {
    return util.error(
      `No file has been uploaded to ${requestedKey}: upload it with the URL from createUploadUrl first`,
      'ValidationError',
    );
  }
  if (
    described.key !== requestedKey ||
    typeof described.fileName !== 'string' ||
    typeof described.contentType !== 'string' ||
    typeof described.size !== 'number'
  ) {
    return util.error('describeAttachment returned no usable metadata for the upload', 'InternalFailure');
  }
  const metadata: AttachmentItem = {
    key: described.key,
    fileName: described.fileName,
    contentType: described.contentType,
    size: described.size,
  };
  ctx.stash.attachment = metadata;
  return metadata;
}
