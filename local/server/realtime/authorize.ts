// Who is connecting, and who is starting each subscription. The same header object serves both: AppSync reads it
// from the handshake (query parameter, subprotocol or HTTP headers) and again from every start message's
// `extensions.authorization`, and a connection may carry subscriptions of different modes [doc].
//   - API key: `x-api-key`, one of the API's keys.
//   - Cognito user pools: `Authorization`, a pool JWT; unlike HTTP, real time documents a Bearer scheme as allowed.
//   - IAM: SigV4 headers over POST <graphql url>/connect with body "{}" for the connection, and over POST
//     <graphql url> with the start's `data` as body for a subscription [doc].
// A token is checked when it is presented and not afterwards: AWS keeps a connection and its subscriptions until it
// closes them after 24 hours [doc] ("keeps sending these messages and servicing the registered subscriptions until
// it shuts down the connection automatically"), while an expired token is refused when a client connects again
// (aws-mobile-appsync-sdk-js#666) or starts a subscription (aws-appsync-realtime-client-ios#108). So is it here.
//   [doc] https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html
import type { AuthMode } from '../../definition';
import { apiKeyCaller, authModes, userPoolCaller } from '../auth/callers';
import { AuthError } from '../auth/cognito-jwt';
import type { Caller } from '../engine';
import type { ServerAuth } from '../http-server';

/** A SigV4-signed request as AppSync checks it; resolves to the caller, or throws when the signature is refused. */
export type IamVerifier = (request: {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<Caller>;

export interface RealtimeAuthOptions extends ServerAuth {
  verifyIamRequest?: IamVerifier;
}

/** A refused header object: `message` is AppSync's wording, `detail` goes to the server log. */
export class RealtimeAuthError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

export type HeaderObject = Record<string, unknown>;

function lookup(header: HeaderObject, name: string): string | undefined {
  for (const [key, value] of Object.entries(header)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

function stringHeaders(header: HeaderObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(header)) if (typeof value === 'string') out[key.toLowerCase()] = value;
  return out;
}

const NOT_AUTHORIZED = 'You are not authorized to make this call.';
const NO_HEADER = 'Valid authorization header not provided.';

export class RealtimeAuthenticator {
  private readonly modes: ReadonlySet<AuthMode>;

  constructor(private readonly auth: RealtimeAuthOptions) {
    this.modes = authModes(auth);
  }

  /** The connection's caller, from the handshake's header object. */
  connect(header: HeaderObject, sourceIp: string): Promise<Caller> {
    return this.identify(header, sourceIp, { path: '/connect', body: '{}' }, NOT_AUTHORIZED);
  }

  /** A start message's caller, from its `extensions.authorization` and its `data` (what IAM signs). */
  start(header: unknown, data: string, sourceIp: string): Promise<Caller> {
    if (header === null || typeof header !== 'object' || Array.isArray(header)) {
      return Promise.reject(new RealtimeAuthError(NO_HEADER, 'the start message has no extensions.authorization'));
    }
    return this.identify(header as HeaderObject, sourceIp, { path: '', body: data }, NO_HEADER);
  }

  private async identify(
    header: HeaderObject,
    sourceIp: string,
    signed: { path: string; body: string },
    refusal: string,
  ): Promise<Caller> {
    const apiKey = lookup(header, 'x-api-key');
    const authorization = lookup(header, 'authorization');
    if (apiKey !== undefined && this.modes.has('API_KEY')) {
      if (!this.auth.apiKeys?.includes(apiKey)) throw new RealtimeAuthError(refusal, 'unknown API key');
      return apiKeyCaller();
    }
    if (authorization !== undefined && /^AWS4-HMAC-SHA256\s/.test(authorization) && this.modes.has('AWS_IAM')) {
      if (!this.auth.verifyIamRequest) throw new RealtimeAuthError(refusal, 'IAM is not available on this server');
      const host = lookup(header, 'host') ?? '';
      try {
        return await this.auth.verifyIamRequest({
          method: 'POST',
          url: `https://${host}/graphql${signed.path}`,
          headers: stringHeaders(header),
          body: signed.body,
        });
      } catch (error) {
        throw new RealtimeAuthError(refusal, `IAM signature refused: ${(error as Error).message}`);
      }
    }
    if (authorization !== undefined && this.modes.has('AMAZON_COGNITO_USER_POOLS') && this.auth.verifyUserPoolToken) {
      try {
        return userPoolCaller(await this.auth.verifyUserPoolToken(authorization.replace(/^Bearer\s+/i, '')), sourceIp);
      } catch (error) {
        if (error instanceof AuthError) {
          // The connection answers with the token's own fault ("Token has expired."); a start with AppSync's
          // general refusal, as observed.
          throw new RealtimeAuthError(refusal === NOT_AUTHORIZED ? error.message : refusal, error.detail);
        }
        throw error;
      }
    }
    throw new RealtimeAuthError(
      refusal === NOT_AUTHORIZED ? NO_HEADER : refusal,
      'no credentials for any mode the API has',
    );
  }
}
