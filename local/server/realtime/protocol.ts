// AppSync's real-time protocol (graphql-ws subprotocol): the frames, the limits, and the errors, as AWS documents
// them and as they were seen from AppSync. Sources:
//   [doc]      https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html
//   [data]     https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-data.html
//   [ext]      https://docs.aws.amazon.com/appsync/latest/devguide/extensions-js.html (filter limits)
//   [inval]    https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-invalidation.html
//   [flutter]  https://github.com/aws-amplify/amplify-flutter/issues/2763 (a connection_error frame, 2023)
//   [sdk666]   https://github.com/awslabs/aws-mobile-appsync-sdk-js/issues/666 ("Token has expired." on reconnect)
//   [ios108]   https://github.com/aws-amplify/aws-appsync-realtime-client-ios/issues/108 (start with an expired token)
//   [dup]      https://github.com/aws-amplify/amplify-js/issues/12818 and amplify-ui#231 (DuplicatedOperationError)
//   [max]      aws-appsync-realtime-client-ios integration tests and amplify-cli#7427 (100 subscriptions)
//   [artillery] https://github.com/artilleryio/artillery/issues/1567 (UnsupportedOperation frame, 2022)
//   [android]  https://github.com/aws-amplify/amplify-android/issues/2578 (an invalid filter value, errorCode 400)

/** The subprotocol every AppSync real-time client asks for [doc]. */
export const GRAPHQL_WS_PROTOCOL = 'graphql-ws';
/** Authorization passed as a subprotocol: `header-` and the base64url of the header object [doc]. */
export const HEADER_PROTOCOL_PREFIX = 'header-';

export const LIMITS = {
  /** The keep-alive timeout AppSync announces in connection_ack [doc]. */
  connectionTimeoutMs: 300_000,
  /**
   * How often `ka` is sent. AWS gives no figure; Amplify JS alarms after 65 s without one (its
   * DEFAULT_KEEP_ALIVE_ALERT_TIMEOUT), which places AppSync's period at about a minute.
   */
  keepAliveIntervalMs: 60_000,
  /** AppSync closes every connection after 24 hours [doc]. */
  maxConnectionDurationMs: 24 * 60 * 60 * 1000,
  /** Subscriptions on one connection [max]. */
  maxSubscriptionsPerConnection: 100,
  /** A data message larger than this is not delivered [data] ("240 KB"; aws-appsync-community#33: silently). */
  maxPayloadBytes: 240 * 1024,
  /**
   * The largest frame a client may send. AWS states none for GraphQL real time; this mirrors the 1 MB AppSync takes
   * for an HTTP request, which bounds a start message's query and variables the same way.
   */
  maxInboundFrameBytes: 1024 * 1024,
} as const;

/** An error as AppSync puts it in `payload.errors` of an `error` or `connection_error` frame. */
export interface RealtimeError {
  errorType?: string;
  message: string;
  errorCode?: number;
  [key: string]: unknown;
}

export type ServerFrame =
  | { type: 'connection_ack'; payload: { connectionTimeoutMs: number } }
  | { type: 'connection_error'; payload: { errors: RealtimeError[] } }
  | { type: 'ka' }
  | { type: 'start_ack'; id: string }
  | { type: 'error'; id?: string; payload: { errors: RealtimeError[] } }
  | { type: 'complete'; id: string; payload?: { message: string } };

export const frames = {
  connectionAck: (): ServerFrame => ({
    type: 'connection_ack',
    payload: { connectionTimeoutMs: LIMITS.connectionTimeoutMs },
  }),
  ka: (): ServerFrame => ({ type: 'ka' }),
  startAck: (id: string): ServerFrame => ({ type: 'start_ack', id }),
  error: (id: string | undefined, errors: RealtimeError[]): ServerFrame =>
    id === undefined ? { type: 'error', payload: { errors } } : { type: 'error', id, payload: { errors } },
  connectionError: (errors: RealtimeError[]): ServerFrame => ({ type: 'connection_error', payload: { errors } }),
  complete: (id: string): ServerFrame => ({ type: 'complete', id }),
  /**
   * An invalidated subscription. [inval] shows only the payload ({"message": "Subscription complete."}); it is sent
   * here on a `complete` frame for the subscription's id, the frame the protocol ends a subscription with.
   */
  invalidated: (id: string): ServerFrame => ({ type: 'complete', id, payload: { message: 'Subscription complete.' } }),
};

/** A `data` frame around an already serialized payload: the same rendering goes to many subscribers. */
export function dataFrame(id: string, payloadJson: string): string {
  return `{"type":"data","id":${JSON.stringify(id)},"payload":${payloadJson}}`;
}

export const errors = {
  /** A connection refused at connection_init [flutter]; an expired token says so [sdk666]. */
  connectionUnauthorized: (message = 'You are not authorized to make this call.'): RealtimeError => ({
    errorType: 'UnauthorizedException',
    message,
    errorCode: 401,
  }),
  /** A handshake AppSync cannot read (no usable header object). */
  badRequest: (message: string): RealtimeError => ({ errorType: 'BadRequestException', message, errorCode: 400 }),
  /** A start whose authorization is missing or refused [ios108]. */
  startUnauthorized: (message = 'Valid authorization header not provided.'): RealtimeError => ({
    errorType: 'UnauthorizedException',
    message,
  }),
  /** Anything but a subscription, or a frame that is not one [artillery]: "<operation> not supported ...". */
  unsupported: (operation: string): RealtimeError => ({
    errorType: 'UnsupportedOperation',
    message: `${operation} not supported through the realtime channel`,
  }),
  /** A subscription id already in use on the connection, or a document with several root fields [dup]. */
  duplicated: (id: string): RealtimeError => ({
    errorType: 'DuplicatedOperationError',
    message: `Duplicated operation with id ${id}`,
  }),
  maxSubscriptions: (): RealtimeError => ({
    errorType: 'MaxSubscriptionsReachedError',
    message: `Max number of ${LIMITS.maxSubscriptionsPerConnection} subscriptions reached`,
  }),
};
