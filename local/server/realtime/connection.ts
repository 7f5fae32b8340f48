// One client's real-time connection: connection_init → connection_ack (+ `ka` every minute), then start/stop of
// subscriptions, each authorized on its own, until the client leaves, an invalidation closes it, or it has lived 24
// hours [doc]. Messages and answers follow the protocol module; this one keeps the state.
//   [doc] https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html
import { getArgumentValues, getVariableValues, parse, type DocumentNode, type GraphQLError } from 'graphql';
import type { WebSocket } from 'ws';
import { pickOperation, type Caller, type GraphQLEngine } from '../engine';
import type { AppSyncError } from '../errors';
import { RealtimeAuthError, type HeaderObject, type RealtimeAuthenticator } from './authorize';
import { checkFilter, FilterError, type SubscriptionFilter } from './filters';
import type { Subscription, SubscriptionHub } from './hub';
import { collectFields, fragmentsOf } from './payload';
import { errors, frames, LIMITS, type RealtimeError, type ServerFrame } from './protocol';

export interface ConnectionTimings {
  keepAliveIntervalMs: number;
  maxConnectionDurationMs: number;
}

export interface ConnectionOptions {
  socket: WebSocket;
  /** The connection's caller, or why the handshake's header object was refused. */
  handshake: { caller: Caller } | { refusal: RealtimeError };
  sourceIp: string;
  engine: () => GraphQLEngine;
  hub: SubscriptionHub;
  auth: RealtimeAuthenticator;
  timings: ConnectionTimings;
  log: (line: string) => void;
  onClose: () => void;
}

interface StartPayload {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

/** AppSync's real-time errors carry `message` (and `errorType` when there is one), not the HTTP error shape. */
function toRealtimeError(error: AppSyncError): RealtimeError {
  const out: RealtimeError = { message: error.message };
  if (error.errorType) out.errorType = error.errorType;
  if (error.errorInfo !== null && error.errorInfo !== undefined) out.errorInfo = error.errorInfo;
  if (error.data !== null && error.data !== undefined) out.data = error.data;
  return out;
}

function readStartData(data: unknown): StartPayload | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const { query, variables, operationName } = value as Record<string, unknown>;
  if (typeof query !== 'string') return undefined;
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return undefined;
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
  return {
    query,
    variables: (variables as Record<string, unknown> | null | undefined) ?? {},
    operationName: (operationName as string | null | undefined) ?? undefined,
  };
}

export class RealtimeConnection {
  private readonly subscriptions = new Map<string, Subscription>();
  /** Ids whose start is being processed, and those stopped meanwhile. */
  private readonly starting = new Set<string>();
  private readonly stoppedWhileStarting = new Set<string>();
  private keepAlive?: NodeJS.Timeout;
  private readonly lifetime: NodeJS.Timeout;
  private acknowledged = false;
  private closed = false;

  constructor(private readonly options: ConnectionOptions) {
    const { socket } = options;
    socket.on('message', (data, isBinary) => this.receive(isBinary ? null : data.toString()));
    socket.on('close', () => this.cleanUp());
    socket.on('error', () => this.cleanUp());
    this.lifetime = setTimeout(() => {
      this.options.log(`WS connection closed after ${options.timings.maxConnectionDurationMs} ms, AppSync's maximum`);
      this.close();
    }, options.timings.maxConnectionDurationMs);
  }

  private get label(): string {
    return 'caller' in this.options.handshake ? this.options.handshake.caller.label : 'unauthorized';
  }

  private send(frame: ServerFrame | string): void {
    if (this.closed) return;
    this.options.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  close(): void {
    if (this.closed) return;
    this.options.socket.close(1000);
    this.cleanUp();
  }

  private cleanUp(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.lifetime);
    clearInterval(this.keepAlive);
    for (const subscription of this.subscriptions.values()) this.options.hub.remove(subscription);
    this.subscriptions.clear();
    this.options.onClose();
  }

  /** The handshake's refusal, answered to the first message; AppSync then closes the connection [doc]. */
  private refuseConnection(refusal: RealtimeError): void {
    this.send(frames.connectionError([refusal]));
    this.close();
  }

  private acknowledge(): void {
    this.send(frames.connectionAck());
    if (!this.acknowledged) {
      this.acknowledged = true;
      this.send(frames.ka());
      this.keepAlive = setInterval(() => this.send(frames.ka()), this.options.timings.keepAliveIntervalMs);
    }
  }

  private receive(text: string | null): void {
    if (this.closed) return;
    const { handshake } = this.options;
    if ('refusal' in handshake) {
      this.refuseConnection(handshake.refusal);
      return;
    }
    let message: Record<string, unknown> | undefined;
    try {
      const value: unknown = text === null ? undefined : JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        message = value as Record<string, unknown>;
    } catch {
      message = undefined;
    }
    const id = typeof message?.id === 'string' ? message.id : undefined;
    switch (message?.type) {
      case 'connection_init':
        this.acknowledge();
        return;
      case 'start':
        // connection_init is optional [doc]: a start on an authorized connection also begins the keep-alives.
        if (!this.acknowledged) {
          this.acknowledged = true;
          this.keepAlive = setInterval(() => this.send(frames.ka()), this.options.timings.keepAliveIntervalMs);
        }
        void this.start(id, message.payload).catch((error: unknown) => {
          this.options.log(`WS start ${id ?? ''} failed: ${(error as Error).stack ?? String(error)}`);
          this.send(frames.error(id, [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }]));
        });
        return;
      case 'stop':
        if (id !== undefined) this.stop(id);
        return;
      default:
        this.send(frames.error(id, [errors.unsupported('unknown')]));
    }
  }

  private async start(id: string | undefined, payload: unknown): Promise<void> {
    if (id === undefined || id === '') {
      this.send(frames.error(undefined, [errors.unsupported('unknown')]));
      return;
    }
    if (this.subscriptions.has(id) || this.starting.has(id)) {
      this.send(frames.error(id, [errors.duplicated(id)]));
      return;
    }
    if (this.subscriptions.size + this.starting.size >= LIMITS.maxSubscriptionsPerConnection) {
      this.send(frames.error(id, [errors.maxSubscriptions()]));
      return;
    }
    const { data, extensions } = (payload ?? {}) as { data?: unknown; extensions?: { authorization?: unknown } };
    const request = readStartData(data);
    if (!request) {
      this.send(frames.error(id, [errors.unsupported('unknown')]));
      return;
    }
    this.starting.add(id);
    try {
      const outcome = await this.register(id, request, data as string, extensions?.authorization);
      if (this.closed) return;
      if ('error' in outcome) {
        this.send(frames.error(id, outcome.error));
        return;
      }
      if (this.stoppedWhileStarting.has(id)) {
        this.send(frames.complete(id));
        return;
      }
      this.subscriptions.set(id, outcome.subscription);
      this.options.hub.add(outcome.subscription);
      this.send(frames.startAck(id));
      this.options.log(`WS start ${outcome.subscription.field} ${id} ${outcome.subscription.caller.label}`);
    } finally {
      this.starting.delete(id);
      this.stoppedWhileStarting.delete(id);
    }
  }

  /** Authorizes, validates and runs a subscription's resolver; the subscription to add, or the errors to send. */
  private async register(
    id: string,
    request: StartPayload,
    data: string,
    authorization: unknown,
  ): Promise<{ subscription: Subscription } | { error: RealtimeError[] }> {
    let caller: Caller;
    try {
      caller = await this.options.auth.start(authorization, data, this.options.sourceIp);
    } catch (error) {
      if (!(error instanceof RealtimeAuthError)) throw error;
      this.options.log(`WS start ${id} refused: ${error.detail}`);
      return { error: [errors.startUnauthorized(error.message)] };
    }

    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      return { error: [{ message: (error as GraphQLError).message }] };
    }
    const operation = pickOperation(document, request.operationName);
    if (!operation) return { error: [errors.unsupported('unknown')] };
    // Only subscriptions travel here: a query or mutation is refused before it runs.
    if (operation.operation !== 'subscription') return { error: [errors.unsupported(operation.operation)] };

    const engine = this.options.engine();
    const { schema } = engine;
    const subscriptionType = schema.getSubscriptionType();
    if (!subscriptionType) return { error: [{ message: 'Schema is not configured for subscriptions.' }] };
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables);
    if (variables.errors) return { error: variables.errors.map((e) => ({ message: e.message })) };
    const ctx = { schema, fragments: fragmentsOf(document), variables: variables.coerced };
    const roots = [...collectFields([operation.selectionSet], subscriptionType.name, ctx)];
    // AppSync registers one subscription per id: a second root field repeats the id (amplify-ui#231).
    if (roots.length > 1) return { error: [errors.duplicated(id)] };

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((authorization ?? {}) as HeaderObject)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    }
    const report = await engine.execute(request, caller, { headers, domainName: null });
    const failures = (report.body.errors ?? []).filter(
      // Subscription resolvers return null; a non-null subscription field does not fail its start for that.
      (e) => !(e.path?.length === 1 && e.message.startsWith('Cannot return null for non-nullable field')),
    );
    if (failures.length > 0) return { error: failures.map(toRealtimeError) };
    if (roots.length === 0) return { error: [errors.unsupported('unknown')] };

    const [, [node]] = roots[0];
    const fieldName = node.name.value;
    const fieldDef = subscriptionType.getFields()[fieldName];
    let filter: SubscriptionFilter | undefined;
    let invalidationFilter: SubscriptionFilter | undefined;
    try {
      for (const { field, path, effect } of report.extensions) {
        // Filters count from the subscription field's own resolver, and only there [ext].
        if (field !== `${subscriptionType.name}.${fieldName}` || path.length !== 1) continue;
        if (effect.kind === 'setSubscriptionFilter') filter = checkFilter(effect.filter);
        if (effect.kind === 'setSubscriptionInvalidationFilter') invalidationFilter = checkFilter(effect.filter);
      }
    } catch (error) {
      if (error instanceof FilterError) return { error: [error.toRealtimeError()] };
      throw error;
    }

    const args = getArgumentValues(fieldDef, node, variables.coerced);
    const renderKey = JSON.stringify([
      request.query,
      request.operationName ?? null,
      request.variables,
      caller.mode,
      caller.groups,
    ]);
    const subscription: Subscription = {
      id,
      field: fieldName,
      document,
      operationName: request.operationName,
      // As sent: each rendering coerces them again.
      variables: request.variables,
      args,
      filter,
      invalidationFilter,
      caller,
      renderKey,
      deliver: (frame) => this.send(frame),
      invalidate: () => {
        this.send(frames.invalidated(id));
        this.options.log(`WS invalidated ${fieldName} ${id} ${caller.label}: connection closed`);
        this.close();
      },
    };
    return { subscription };
  }

  private stop(id: string): void {
    const subscription = this.subscriptions.get(id);
    if (subscription) {
      this.subscriptions.delete(id);
      this.options.hub.remove(subscription);
      this.send(frames.complete(id));
      this.options.log(`WS stop ${subscription.field} ${id} ${this.label}`);
    } else if (this.starting.has(id)) {
      this.stoppedWhileStarting.add(id);
    }
  }
}
