import { util, type Context } from '@aws-appsync/utils';

/**
 * The caller's Cognito `sub`: the owner of every note and file the request may touch. Arguments never name the
 * owner, so a caller can reach nothing outside its own partition.
 */
export function callerId(ctx: Context): string {
  const identity = ctx.identity as { sub?: unknown } | null | undefined;
  const sub = identity ? identity.sub : undefined;
  if (typeof sub !== 'string' || sub === '') {
    return util.unauthorized();
  }
  return sub;
}
