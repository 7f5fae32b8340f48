// A bare AppSync real-time client for tests: opens the WebSocket the way AWS documents (the header object in the
// query string, as a header-<base64url> subprotocol, or as HTTP headers), sends frames and waits for the ones that
// come back, in order. It decides nothing for the server: every frame is kept as received.
import WebSocket from 'ws';

export type HeaderObject = Record<string, string>;

export interface RealtimeFrame {
  type: string;
  id?: string;
  payload?: Record<string, unknown> & {
    data?: unknown;
    errors?: Array<Record<string, unknown>>;
    connectionTimeoutMs?: number;
  };
}

export interface ConnectOptions {
  /** Where the header object goes: query string (default), subprotocol, or HTTP headers. */
  via?: 'query' | 'subprotocol' | 'headers';
  /** Subprotocols to offer instead of graphql-ws (and the header one). */
  protocols?: string[];
  /** Extra `ws` options (a CA to trust for wss://). */
  ca?: string;
  path?: string;
}

export class RealtimeTestClient {
  readonly frames: RealtimeFrame[] = [];
  private readonly waiters: Array<() => void> = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as RealtimeFrame);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
  static open(baseUrl: string, header: HeaderObject, options: ConnectOptions = {}): Promise<RealtimeTestClient> {
    const via = options.via ?? 'query';
    const url = new URL(options.path ?? '/graphql/realtime', baseUrl.replace(/^http/, 'ws'));
    const json = JSON.stringify(header);
    const protocols = options.protocols ?? ['graphql-ws'];
    const headers: Record<string, string> = {};
    if (via === 'query') {
      url.searchParams.set('header', Buffer.from(json).toString('base64'));
      url.searchParams.set('payload', Buffer.from('{}').toString('base64'));
    } else if (via === 'subprotocol') {
      protocols.push(`header-${Buffer.from(json).toString('base64url')}`);
    } else {
      Object.assign(headers, header);
    }
    const socket = new WebSocket(url, protocols, { headers, ca: options.ca });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RealtimeTestClient(socket)));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          reject(
            Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode, body }),
          ),
        );
      });
      socket.once('error', reject);
    });
  }

  /** Opens, sends connection_init and waits for the acknowledgement. */
  static async connect(baseUrl: string, header: HeaderObject, options?: ConnectOptions): Promise<RealtimeTestClient> {
    const client = await RealtimeTestClient.open(baseUrl, header, options);
    client.send({ type: 'connection_init' });
    await client.next((f) => f.type === 'connection_ack');
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a start message for a GraphQL subscription. */
  start(id: string, query: string, authorization: HeaderObject, variables: Record<string, unknown> = {}): void {
    this.send({
      id,
      type: 'start',
      payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } },
    });
  }

  /** Starts a subscription and waits for its start_ack (or fails with the error frame). */
  async subscribe(id: string, query: string, authorization: HeaderObject, variables?: Record<string, unknown>) {
    this.start(id, query, authorization, variables);
    const answer = await this.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'));
    if (answer.type === 'error') throw new Error(`start ${id} failed: ${JSON.stringify(answer.payload)}`);
  }

  /** The first frame (not yet taken) that matches, waiting up to `timeoutMs`. Taken frames are removed. */
  async next(match: (frame: RealtimeFrame) => boolean = () => true, timeoutMs = 5000): Promise<RealtimeFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0];
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) before the frame came`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Data frames received for a subscription id so far (taken). */
  dataFor(id: string): RealtimeFrame[] {
    const taken = this.frames.filter((f) => f.type === 'data' && f.id === id);
    for (const frame of taken) this.frames.splice(this.frames.indexOf(frame), 1);
    return taken;
  }

  /** Resolves once the server has closed the socket. */
  async whenClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the socket stayed open');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.close();
  }
}
