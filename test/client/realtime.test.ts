// The SDK's real-time client against the local server: it subscribes with a user-pool token, follows the server
// when the connection ends (AppSync's 24-hour cap, shortened here) by reconnecting with a fresh token and starting
// its subscriptions again, and tells the subscriber so it can refetch.
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeClient, realtimeUrl, type WebSocketConstructor } from '../../client/src/realtime';
import { signIn } from '../../client/src/auth';
import { PUT_ITEM, startRealtimeApi, USERS, type RealtimeApi } from '../local/server/realtime/realtime-api';

let server: RealtimeApi;
let token: string;
let sub: string;

beforeAll(async () => {
  server = await startRealtimeApi({ realtimeTimings: { maxConnectionDurationMs: 1500 } });
  const tokens = await signIn(server.api.cognito!, USERS[0].email, USERS[0].password);
  token = tokens.accessToken;
  sub = decodeJwt(tokens.idToken).sub as string;
});
afterAll(async () => {
  await server?.close();
});

const put = (id: string, owner: string) => server.graphql(PUT_ITEM, { input: { id, owner, required: 'r' } });

async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('realtimeUrl', () => {
  it('derives the endpoint as AppSync does', () => {
    expect(realtimeUrl('https://abcdefghijklmnopqrstuvwxyz.appsync-api.eu-west-1.amazonaws.com/graphql')).toBe(
      'wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.eu-west-1.amazonaws.com/graphql',
    );
    expect(realtimeUrl('https://api.example.com/graphql')).toBe('wss://api.example.com/graphql/realtime');
    expect(realtimeUrl('http://127.0.0.1:4000/graphql')).toBe('ws://127.0.0.1:4000/graphql/realtime');
  });
});

describe('RealtimeClient', () => {
  it('delivers events, reconnects with a fresh token when the connection ends, and says so', async () => {
    let tokensAsked = 0;
    const client = new RealtimeClient({
      graphqlUrl: server.api.graphqlUrl,
      getAuthorization: () => {
        tokensAsked += 1;
        return token;
      },
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      retry: { baseMs: 50, maxMs: 200 },
    });
    const received: string[] = [];
    let reconnects = 0;
    const subscription = client.subscribe<{ onMine: { id: string } }>(
      { query: 'subscription { onMine { id } }' },
      { next: (data) => received.push(data.onMine.id), onReconnect: () => (reconnects += 1) },
    );
    try {
      await subscription.ready;
      await put('before', sub);
      await put('not-mine', 'someone-else');
      await eventually(() => received.includes('before'), 'the first event');
      const asked = tokensAsked;
      // The server closes the connection after 1.5 s (AppSync: 24 hours); the client comes back on its own.
      await eventually(() => reconnects === 1, 'a reconnection');
      expect(tokensAsked).toBeGreaterThan(asked);
      await eventually(() => server.api.realtime.hub.size === 1, 'the subscription started again');
      await put('after', sub);
      await eventually(() => received.includes('after'), 'an event after reconnecting');
      expect(received).toEqual(['before', 'after']);
    } finally {
      subscription.unsubscribe();
    }
    await eventually(() => server.api.realtime.connections === 0, 'the socket closed after the last unsubscribe');
  });

  it('opens one connection when a subscriber leaves and another comes while the token is fetched', async () => {
    // A web app's effect that runs again (new props, React's strict mode) unsubscribes and subscribes at once.
    let sockets = 0;
    class CountedWebSocket extends WebSocket {
      constructor(url: string, protocols: string[]) {
        super(url, protocols);
        sockets += 1;
      }
    }
    const client = new RealtimeClient({
      graphqlUrl: server.api.graphqlUrl,
      getAuthorization: () => new Promise<string>((resolve) => setTimeout(() => resolve(token), 50)),
      WebSocket: CountedWebSocket as unknown as WebSocketConstructor,
    });
    const query = { query: 'subscription { onMine { id } }' };
    client.subscribe(query, { next: () => {} }).unsubscribe();
    const received: string[] = [];
    const errors: Error[] = [];
    const subscription = client.subscribe<{ onMine: { id: string } }>(query, {
      next: (data) => received.push(data.onMine.id),
      error: (error) => errors.push(error),
    });
    try {
      await subscription.ready;
      await put('after-resubscribing', sub);
      await eventually(() => received.includes('after-resubscribing'), 'the event');
      expect(errors).toEqual([]);
      expect(sockets).toBe(1);
      expect(server.api.realtime.connections).toBe(1);
    } finally {
      subscription.unsubscribe();
    }
    await eventually(() => server.api.realtime.connections === 0, 'the socket closed');
  });

  it('ends a subscription the API refuses, with the error', async () => {
    const client = new RealtimeClient({
      graphqlUrl: server.api.graphqlUrl,
      getAuthorization: () => token,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    });
    let ready: Promise<void> = Promise.resolve();
    const failure = await new Promise<Error>((resolve) => {
      ready = client.subscribe({ query: 'subscription { onItem { nope } }' }, { next: () => {}, error: resolve }).ready;
    });
    expect(failure.message).toContain('nope');
    // Whoever waits for the acknowledgement hears the refusal too, and the unused connection is closed.
    await expect(ready).rejects.toThrow(failure.message);
    await eventually(() => server.api.realtime.connections === 0, 'the socket closed');
    client.close();
  });
});
