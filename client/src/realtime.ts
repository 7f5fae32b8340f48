// A small AppSync real-time client for browsers and Node 20+ (give it `ws` where there is no global WebSocket): one
// WebSocket per client carries every subscription; it reconnects by itself, with jittered exponential backoff, and
// starts its subscriptions again, asking for a fresh token each time. Events sent while it was away are not
// replayed by AppSync, so each subscription hears `onReconnect` and can refetch what it shows.
// Protocol: https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html

/** The part of the WebSocket API this client uses (the browser's, or the `ws` package's). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export interface RealtimeClientOptions {
  /** The API's GraphQL URL; the real-time endpoint is derived from it as AppSync does. */
  graphqlUrl: string;
  /** The `Authorization` value (the user pool JWT), asked for on every connect and every start. */
  getAuthorization: () => string | Promise<string>;
  /** Defaults to the global WebSocket. */
  WebSocket?: WebSocketConstructor;
  /** Reconnection backoff: the first delay's ceiling and the longest delay (full jitter). */
  retry?: { baseMs?: number; maxMs?: number };
}

export interface SubscriptionHandlers<TData> {
  next(data: TData): void;
  /** A subscription that cannot go on (refused by the API); it is ended. */
  error?(error: RealtimeError): void;
  /** The connection came back after a loss: events in between were missed. */
  onReconnect?(): void;
}

export interface RealtimeSubscription {
  /**
   * Resolves once AppSync acknowledged the subscription the first time (start_ack); rejects with the RealtimeError
   * when it is refused first.
   */
  ready: Promise<void>;
  unsubscribe(): void;
}

/** An error frame's errors, as AppSync sends them. */
export class RealtimeError extends Error {
  readonly errors: Array<{ errorType?: string; message: string }>;

  constructor(errors: Array<{ errorType?: string; message: string }>) {
    super(errors.map((e) => (e.errorType ? `${e.errorType}: ${e.message}` : e.message)).join('; '));
    this.name = 'RealtimeError';
    this.errors = errors;
  }
}

const OPEN = 1;
/** A refused token (expired, say): worth a new connection with a fresh one. */
const TOKEN_REFUSED = 'UnauthorizedException';
/** Starts refused for the token in a row before the subscription gives up. */
const MAX_TOKEN_RETRIES = 2;

/**
 * wss://<id>.appsync-realtime-api.<region>.amazonaws.com/graphql for an AppSync domain, <origin>/graphql/realtime
 * for a custom domain (and the local server), keeping http→ws for a local http:// URL.
 */
export function realtimeUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  const scheme = url.protocol === 'http:' ? 'ws:' : 'wss:';
  if (/\.appsync-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(url.hostname)) {
    return `${scheme}//${url.host.replace('.appsync-api.', '.appsync-realtime-api.')}${url.pathname}`;
  }
  return `${scheme}//${url.host}${url.pathname.replace(/\/$/, '')}/realtime`;
}

function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

interface Active {
  id: string;
  data: string;
  handlers: SubscriptionHandlers<unknown>;
  started: boolean;
  tokenRetries: number;
  resolveReady: () => void;
  rejectReady: (error: RealtimeError) => void;
}

let counter = 0;
const newId = () => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `sub-${Date.now()}-${++counter}`);

export class RealtimeClient {
  private socket?: WebSocketLike;
  private readonly active = new Map<string, Active>();
  private connecting = false;
  /**
   * Counts connection attempts and disconnects: an attempt still waiting for its token when the subscribers left (and
   * others came) must not open a second socket, and frames from a socket given up must not be read.
   */
  private generation = 0;
  private acknowledged = false;
  private attempts = 0;
  private everConnected = false;
  private keepAliveTimer?: ReturnType<typeof setTimeout>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private connectionTimeoutMs = 300_000;
  private readonly host: string;
  private readonly options: RealtimeClientOptions;

  constructor(options: RealtimeClientOptions) {
    this.options = options;
    this.host = new URL(options.graphqlUrl).host;
  }

  subscribe<TData>(
    operation: { query: string; variables?: Record<string, unknown> },
    handlers: SubscriptionHandlers<TData>,
  ): RealtimeSubscription {
    const id = newId();
    let resolveReady = () => {};
    let rejectReady: (error: RealtimeError) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    // A subscriber that listens only through `error` must not see an unhandled rejection.
    ready.catch(() => {});
    const entry: Active = {
      id,
      data: JSON.stringify({ query: operation.query, variables: operation.variables ?? {} }),
      handlers: handlers as SubscriptionHandlers<unknown>,
      started: false,
      tokenRetries: 0,
      resolveReady,
      rejectReady,
    };
    this.active.set(id, entry);
    if (this.socket && this.acknowledged) void this.start(entry);
    else this.connect();
    return {
      ready,
      unsubscribe: () => {
        if (!this.active.delete(id)) return;
        if (this.socket?.readyState === OPEN && entry.started) this.socket.send(JSON.stringify({ type: 'stop', id }));
        if (this.active.size === 0) this.disconnect();
      },
    };
  }

  /** Closes the connection and ends every subscription. */
  close(): void {
    this.active.clear();
    this.disconnect();
  }

  private disconnect(): void {
    this.generation += 1;
    clearTimeout(this.keepAliveTimer);
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = undefined;
    this.acknowledged = false;
    this.connecting = false;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      socket.close(1000);
    }
  }

  private async authorization(): Promise<Record<string, string>> {
    return { host: this.host, Authorization: await this.options.getAuthorization() };
  }

  private connect(): void {
    if (this.connecting || this.socket) return;
    this.connecting = true;
    const generation = ++this.generation;
    void this.open(generation).catch(() => {
      if (generation === this.generation) this.scheduleReconnect();
    });
  }

  private async open(generation: number): Promise<void> {
    const header = await this.authorization();
    if (generation !== this.generation) return; // superseded while the token was fetched
    if (this.active.size === 0) {
      this.connecting = false;
      return;
    }
    const WebSocketImpl = this.options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor);
    const socket = new WebSocketImpl(realtimeUrl(this.options.graphqlUrl), [
      'graphql-ws',
      `header-${base64Url(JSON.stringify(header))}`,
    ]);
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(String(event.data));
    };
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.acknowledged = false;
      this.connecting = false;
      clearTimeout(this.keepAliveTimer);
      for (const entry of this.active.values()) entry.started = false;
      if (this.active.size > 0) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.connecting = false;
    this.socket = undefined;
    if (this.active.size === 0) return;
    const base = this.options.retry?.baseMs ?? 500;
    const max = this.options.retry?.maxMs ?? 30_000;
    // Full jitter: a random delay up to an exponentially growing ceiling.
    const delay = Math.random() * Math.min(max, base * 2 ** this.attempts);
    this.attempts += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** No `ka` within connectionTimeoutMs: the connection is gone even if the socket says otherwise. */
  private armKeepAlive(): void {
    clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = setTimeout(() => this.socket?.close(4000, 'keep-alive timeout'), this.connectionTimeoutMs);
  }

  private receive(text: string): void {
    let frame: { type?: string; id?: string; payload?: Record<string, unknown> };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return;
    }
    const entry = frame.id === undefined ? undefined : this.active.get(frame.id);
    switch (frame.type) {
      case 'connection_ack': {
        const timeout = frame.payload?.connectionTimeoutMs;
        if (typeof timeout === 'number') this.connectionTimeoutMs = timeout;
        this.acknowledged = true;
        this.connecting = false;
        this.attempts = 0;
        this.armKeepAlive();
        const reconnected = this.everConnected;
        this.everConnected = true;
        for (const active of this.active.values()) {
          void this.start(active);
          if (reconnected) active.handlers.onReconnect?.();
        }
        return;
      }
      case 'ka':
        this.armKeepAlive();
        return;
      case 'connection_error':
        // Refused credentials: close and try again later with a fresh token.
        this.socket?.close(1000);
        return;
      case 'start_ack':
        if (entry) {
          entry.started = true;
          entry.tokenRetries = 0;
          entry.resolveReady();
        }
        return;
      case 'data':
        if (entry) entry.handlers.next((frame.payload as { data: unknown }).data);
        return;
      case 'error': {
        if (!entry) return;
        const errors = ((frame.payload?.errors as RealtimeError['errors'] | undefined) ?? []).slice();
        if (errors.some((e) => e.errorType === TOKEN_REFUSED) && entry.tokenRetries < MAX_TOKEN_RETRIES) {
          // An expired token: reconnect, which asks for a fresh one and starts everything again.
          entry.tokenRetries += 1;
          this.socket?.close(1000);
          return;
        }
        this.active.delete(entry.id);
        const error = new RealtimeError(errors);
        entry.rejectReady(error);
        entry.handlers.error?.(error);
        if (this.active.size === 0) this.disconnect();
        return;
      }
      case 'complete':
        // AppSync ended the subscription (stop, or an invalidation).
        if (entry) {
          this.active.delete(entry.id);
          entry.handlers.error?.(
            new RealtimeError([{ errorType: 'SubscriptionComplete', message: 'Subscription complete.' }]),
          );
        }
        return;
      default:
    }
  }

  private async start(entry: Active): Promise<void> {
    const socket = this.socket;
    const authorization = await this.authorization();
    // A socket replaced meanwhile starts the subscription itself once acknowledged: a second start would be refused.
    if (!this.active.has(entry.id) || !socket || this.socket !== socket || socket.readyState !== OPEN) return;
    socket.send(
      JSON.stringify({ id: entry.id, type: 'start', payload: { data: entry.data, extensions: { authorization } } }),
    );
  }
}
