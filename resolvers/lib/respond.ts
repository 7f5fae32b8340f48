import { util, type Context } from '@aws-appsync/utils';

/** Raises a data source error as the field's error (same message and type), otherwise passes the result on. */
export function respondOrFail(ctx: Context): unknown {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}

/** Stops with a ValidationError: the request is rejected before anything is read or written. */
export function validationError(message: string): never {
  return util.error(message, 'ValidationError');
}
