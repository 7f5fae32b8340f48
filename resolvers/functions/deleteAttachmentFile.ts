// Pipeline function (Lambda data source deleteAttachment): after a note lost its attachment (deleted note, replaced
// or removed attachment), deletes the old S3 object so no file is orphaned. Skipped when there is none.
// The note change is already committed: a failed delete is reported next to the result, not instead of it.
import { runtime, util, type Context } from '@aws-appsync/utils';
import { invoke } from '../lib/lambda';

export function request(ctx: Context) {
  const key = ctx.stash.obsoleteAttachmentKey as string | null | undefined;
  if (!key) {
    return runtime.earlyReturn(ctx.prev.result);
  }
  return invoke(ctx, { key });
}

export function response(ctx: Context): unknown {
  const key = ctx.stash.obsoleteAttachmentKey as string;
  const failure = ctx.error ? ctx.error : readHandledFailure(ctx.result);
  if (failure) {
    util.appendError(
      `The note was saved, but its old attachment file could not be deleted: ${failure.message}`,
      'AttachmentCleanupFailed',
      null,
      { key, cause: { message: failure.message, type: failure.type } },
    );
    return ctx.prev.result;
  }
  return ctx.result;
}

function readHandledFailure(result: unknown): { message: string; type: string | null } | null {
  const failure = result as { errorMessage?: unknown; errorType?: unknown } | null | undefined;
  if (failure && typeof failure.errorMessage === 'string') {
    return { message: failure.errorMessage, type: typeof failure.errorType === 'string' ? failure.errorType : null };
  }
  return null;
}
