// Mutation.closeNoteSubscriptions (NONE data source): ends the caller's onNoteChange subscriptions on every device,
// for "sign out everywhere". Cognito's GlobalSignOut revokes refresh tokens, but AppSync keeps a subscription open
// while its token is valid; this closes them now.
import { extensions, type Context } from '@aws-appsync/utils';
import { callerId } from './lib/identity';

export function request(ctx: Context) {
  callerId(ctx);
  return { payload: true };
}

export function response(ctx: Context): boolean {
  extensions.invalidateSubscriptions({ subscriptionField: 'onNoteChange', payload: { owner: callerId(ctx) } });
  return true;
}
