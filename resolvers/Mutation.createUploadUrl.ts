// Mutation.createUploadUrl: the function signs a PUT for one file under the caller's prefix. Input is checked here
// first, so a bad request is a ValidationError and invokes nothing.
import type { Context } from '@aws-appsync/utils';
import type { MutationCreateUploadUrlArgs } from '../codegen/schema.generated';
import { callerId } from './lib/identity';
import { invoke } from './lib/lambda';
import { validationError } from './lib/respond';
import { ALLOWED_CONTENT_TYPES, MAX_RAW_FILE_NAME_LENGTH, MAX_UPLOAD_BYTES } from './lib/uploads';
import { isWholeNumber } from './lib/validate';

export function request(ctx: Context<MutationCreateUploadUrlArgs>) {
  callerId(ctx);
  const { fileName, contentType, size } = ctx.args.input;
  if (typeof fileName !== 'string' || fileName.trim().length === 0 || fileName.length > MAX_RAW_FILE_NAME_LENGTH) {
    validationError('input.fileName must name a file');
  }
  const normalizedType = typeof contentType === 'string' ? contentType.trim().toLowerCase() : '';
  if (ALLOWED_CONTENT_TYPES.indexOf(normalizedType) < 0) {
    validationError(`input.contentType must be one of ${ALLOWED_CONTENT_TYPES.join(', ')}`);
  }
  if (!isWholeNumber(size) || size < 1 || size > MAX_UPLOAD_BYTES) {
    validationError(`input.size must be a whole number of bytes from 1 to ${MAX_UPLOAD_BYTES} (10 MB)`);
  }
  return invoke(ctx, ctx.arguments);
}

// The function's UploadUrl as it is, or its failure as the field's error.
export { lambdaResultOrFail as response } from './lib/lambda';
