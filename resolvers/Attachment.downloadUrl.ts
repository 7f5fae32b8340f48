// Attachment.downloadUrl: a short-lived presigned GET. BatchInvoke lets AppSync sign a whole page of attachments in
// one invocation, and none at all when the field is not selected.
import type { Context } from '@aws-appsync/utils';
import type { Attachment } from '../codegen/schema.generated';
import { batchInvoke, batchItemOrFail } from './lib/lambda';

export function request(ctx: Context<Record<string, never>, Record<string, unknown>, undefined, Attachment>) {
  return batchInvoke(ctx, ctx.arguments);
}

export function response(ctx: Context): string | null {
  return batchItemOrFail(ctx) as string | null;
}
