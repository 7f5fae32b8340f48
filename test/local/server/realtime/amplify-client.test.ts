// AWS Amplify JS v6's own subscription client, unchanged, against the local server: generateClient().graphql({ query })
// .subscribe() opens wss:// on the TLS listener (Amplify turns any custom endpoint into wss://<host>/graphql/realtime),
// authorizes with the header-<base64url> subprotocol, and receives what mutations publish. Node 20 has no global
// WebSocket: the test gives Amplify the `ws` package's, trusting the local CA (what NODE_EXTRA_CA_CERTS does for a
// whole process).
import { readFile } from 'node:fs/promises';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, PUT_ITEM, startRealtimeApi, USERS, type RealtimeApi } from './realtime-api';

let server: RealtimeApi;

/** Amplify types a plain query string's result as a promise or an observable; a subscription is the observable. */
function subscriptionOf<T>(result: unknown) {
  return result as {
    subscribe(observer: { next(value: T): void; error(error: unknown): void }): { unsubscribe(): void };
  };
}

/** Collects what an Amplify subscription delivers, and waits for it. */
function collect<T>() {
  const items: T[] = [];
  const errors: unknown[] = [];
  let wake = () => {};
  return {
    items,
    errors,
    observer: {
      next: (value: T) => {
        items.push(value);
        wake();
      },
      error: (error: unknown) => {
        errors.push(error);
        wake();
      },
    },
    async until(count: number, timeoutMs = 10_000): Promise<T[]> {
      const deadline = Date.now() + timeoutMs;
      while (items.length < count) {
        if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline) throw new Error(`got ${items.length} of ${count} events`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return items;
    },
  };
}

/** Waits until Amplify reports the subscription acknowledged (start_ack), so no event can predate it. */
async function acknowledged(before: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (server.log.filter((line) => line.startsWith('WS start ')).length <= before) {
    if (Date.now() > deadline) throw new Error('the subscription was never started');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const starts = () => server.log.filter((line) => line.startsWith('WS start ')).length;

beforeAll(async () => {
  server = await startRealtimeApi({ tls: true });
  const ca = await readFile(server.api.caCertPath!, 'utf8');
  class TrustingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = TrustingWebSocket;
  const cognito = server.api.cognito!;
  Amplify.configure({
    API: {
      GraphQL: {
        endpoint: `${server.api.tlsUrl}/graphql`,
        region: 'us-east-1',
        defaultAuthMode: 'apiKey',
        apiKey: API_KEY,
      },
    },
    Auth: {
      Cognito: {
        userPoolId: cognito.userPoolId,
        userPoolClientId: cognito.clientId,
        userPoolEndpoint: cognito.endpoint,
      },
    },
  });
});

afterAll(async () => {
  await signOut().catch(() => {});
  await server?.close();
});

describe('Amplify JS v6 subscriptions on the local server', () => {
  it('receives mutation results with an API key', async () => {
    const client = generateClient();
    const events = collect<{ data: { onItem: { id: string; name: string } } }>();
    const before = starts();
    const subscription = subscriptionOf(
      client.graphql({ query: 'subscription OnItem { onItem { id name } }' }),
    ).subscribe(events.observer);
    try {
      await acknowledged(before);
      await server.graphql(PUT_ITEM, { input: { id: 'amplify-1', name: 'one', required: 'r' } });
      await server.graphql(PUT_ITEM, { input: { id: 'amplify-2', name: 'two', required: 'r' } });
      const received = await events.until(2);
      expect(received.map((e) => e.data.onItem)).toEqual([
        { id: 'amplify-1', name: 'one' },
        { id: 'amplify-2', name: 'two' },
      ]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it("receives only the signed-in user's items with the user pool (the access token Amplify sends)", async () => {
    const [ana] = USERS;
    await signIn({ username: ana.email, password: ana.password });
    const sub = (await fetchAuthSession()).tokens?.accessToken.payload.sub as string;
    const client = generateClient({ authMode: 'userPool' });
    const events = collect<{ data: { onMine: { id: string; owner: string } } }>();
    const before = starts();
    const subscription = subscriptionOf(
      client.graphql({ query: 'subscription OnMine { onMine { id owner } }' }),
    ).subscribe(events.observer);
    try {
      await acknowledged(before);
      await server.graphql(PUT_ITEM, { input: { id: 'someone-else', owner: 'other-sub', required: 'r' } });
      await server.graphql(PUT_ITEM, { input: { id: 'anas', owner: sub, required: 'r' } });
      const received = await events.until(1);
      expect(received.map((e) => e.data.onMine)).toEqual([{ id: 'anas', owner: sub }]);
    } finally {
      subscription.unsubscribe();
    }
  });
});
