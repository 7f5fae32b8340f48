// Subscription.onNoteChange (NONE data source): the owner is always the subscriber. The filter is set on the server,
// so no argument a client passes can widen it; the same condition is the invalidation filter that
// closeNoteSubscriptions matches.
import { extensions, util, type Context } from '@aws-appsync/utils';
import { callerId } from './lib/identity';

export function request(ctx: Context) {
  callerId(ctx);
  return { payload: null };
}

export function response(ctx: Context): null {
  const filter = util.transform.toSubscriptionFilter({ owner: { eq: callerId(ctx) } });
  extensions.setSubscriptionFilter(filter);
  extensions.setSubscriptionInvalidationFilter(filter);
  return null;
}
