// The callers AppSync's authorization modes produce, for HTTP requests and real-time connections and starts alike.
import type { AuthMode } from '../../definition';
import type { Caller } from '../engine';
import { cognitoIdentity, type CognitoClaims } from './cognito-jwt';

/** The modes an API accepts: its default and its additional ones. */
export function authModes(auth: { default: AuthMode; additional?: readonly AuthMode[] }): ReadonlySet<AuthMode> {
  return new Set([auth.default, ...(auth.additional ?? [])]);
}

/** A caller with one of the API's keys: no identity (ctx.identity is null). */
export function apiKeyCaller(): Caller {
  return { mode: 'API_KEY', identity: null, groups: [], label: 'api-key' };
}

/** A caller with a verified user-pool token, logged by email when the token carries one. */
export function userPoolCaller(claims: CognitoClaims, sourceIp: string): Caller {
  const identity = cognitoIdentity(claims, sourceIp);
  return {
    mode: 'AMAZON_COGNITO_USER_POOLS',
    identity,
    groups: identity.groups ?? [],
    label: (claims.email as string | undefined) ?? identity.username,
  };
}
