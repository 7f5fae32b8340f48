// Attachment.downloadUrl: a short-lived presigned GET. BatchInvoke lets AppSync sign a whole page of attachments in
// one invocation, and none at all when the field is not selected.
import type { Context } from '@aws-appsync/utils';
import type { Attachment } from '../codegen/schema.generated';
import { batchInvoke } from './lib/lambda';

export function request(ctx: Context<Record<string, never>, Record<string, unknown>, undefined, Attachment>) {
  return batchInvoke(ctx, ctx.arguments);
}

// This attachment's URL from the batch result, or the error reported for it.
export { batchItemOrFail as response } from './lib/lambda';
