// Worker thread of npm run bench:realtime: the subscribers and the mutating client, away from the servers' thread.
// Each subscriber is its own WebSocket (a device), speaking AppSync's protocol: connection_init, start with the API
// key. For each event the worker sends the mutation, notes when its response arrives, and waits until every
// subscriber received the event; the fan-out latency is the last delivery minus the response's arrival.
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import WebSocket from 'ws';

export type WorkerRequest =
  | { type: 'connect'; server: string; baseUrl: string; apiKey: string; count: number }
  | { type: 'round'; server: string; baseUrl: string; apiKey: string; events: number; tag: string }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'connected'; server: string; ms: number }
  | { type: 'round'; server: string; latencies: number[]; sinceRequest: number[]; undelivered: number }
  | { type: 'closed' };

const now = () => performance.timeOrigin + performance.now();

interface Subscriber {
  socket: WebSocket;
  /** Event id → receive time. */
  received: Map<string, number>;
}

const groups = new Map<string, Subscriber[]>();
let wake: () => void = () => {};

const SUBSCRIPTION = JSON.stringify({ query: 'subscription { onEvent { id body at } }', variables: {} });

function openSubscriber(baseUrl: string, apiKey: string, index: number): Promise<Subscriber> {
  const host = new URL(baseUrl).host;
  const header = Buffer.from(JSON.stringify({ host, 'x-api-key': apiKey })).toString('base64url');
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql/realtime`, [
    'graphql-ws',
    `header-${header}`,
  ]);
  const subscriber: Subscriber = { socket, received: new Map() };
  const id = `sub-${index}`;
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const at = now();
      const frame = JSON.parse(data.toString()) as {
        type: string;
        payload?: { data?: { onEvent?: { id: string } } };
      };
      if (frame.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id,
            type: 'start',
            payload: { data: SUBSCRIPTION, extensions: { authorization: { host, 'x-api-key': apiKey } } },
          }),
        );
      } else if (frame.type === 'start_ack') {
        resolve(subscriber);
      } else if (frame.type === 'data' && frame.payload?.data?.onEvent) {
        subscriber.received.set(frame.payload.data.onEvent.id, at);
        wake();
      } else if (frame.type === 'error') {
        reject(new Error(`subscriber ${index}: ${data.toString()}`));
      }
    });
  });
}

async function waitForAll(subscribers: Subscriber[], eventId: string, timeoutMs: number): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (!subscribers.every((s) => s.received.has(eventId))) {
    const left = deadline - now();
    if (left <= 0) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  return true;
}

const EMIT = 'mutation Emit($id: ID!, $body: String!) { emit(id: $id, body: $body) { id body at } }';

async function round(request: Extract<WorkerRequest, { type: 'round' }>): Promise<WorkerReply> {
  const subscribers = groups.get(request.server) ?? [];
  const latencies: number[] = [];
  const sinceRequest: number[] = [];
  let undelivered = 0;
  for (let i = 0; i < request.events; i++) {
    const id = `${request.tag}-${i}`;
    const sent = now();
    const response = await fetch(`${request.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': request.apiKey },
      body: JSON.stringify({ query: EMIT, variables: { id, body: `event ${i}` } }),
    });
    await response.json();
    const answered = now();
    if (!(await waitForAll(subscribers, id, 10_000))) {
      undelivered += subscribers.filter((s) => !s.received.has(id)).length;
      continue;
    }
    const last = Math.max(...subscribers.map((s) => s.received.get(id)!));
    latencies.push(last - answered);
    sinceRequest.push(last - sent);
    for (const s of subscribers) s.received.delete(id);
  }
  return { type: 'round', server: request.server, latencies, sinceRequest, undelivered };
}

parentPort!.on('message', (request: WorkerRequest) => {
  void (async () => {
    if (request.type === 'connect') {
      const started = now();
      const subscribers: Subscriber[] = [];
      // In batches, as devices would arrive: a burst of 500 handshakes at once measures accept queues, not fan-out.
      for (let i = 0; i < request.count; i += 50) {
        const batch = Array.from({ length: Math.min(50, request.count - i) }, (_, j) =>
          openSubscriber(request.baseUrl, request.apiKey, i + j),
        );
        subscribers.push(...(await Promise.all(batch)));
      }
      groups.set(request.server, subscribers);
      parentPort!.postMessage({ type: 'connected', server: request.server, ms: now() - started } satisfies WorkerReply);
    } else if (request.type === 'round') {
      parentPort!.postMessage(await round(request));
    } else {
      for (const subscribers of groups.values()) for (const s of subscribers) s.socket.terminate();
      parentPort!.postMessage({ type: 'closed' } satisfies WorkerReply);
    }
  })();
});
