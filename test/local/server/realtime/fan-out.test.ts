// Fan-out on the local server: which subscriptions receive a mutation's result (filters through a real resolver,
// operator by operator; arguments; the subscriber's identity), invalidation, auth modes per subscription field, the
// payload size limit and the connection lifetime.
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../../client/src/auth';
import { RealtimeTestClient, type RealtimeFrame } from '../../../helpers/realtime-client';
import { apiKeyHeader, PUT_ITEM, startRealtimeApi, USERS, type RealtimeApi } from './realtime-api';

let server: RealtimeApi;
const clients: RealtimeTestClient[] = [];
const auth = apiKeyHeader();

async function connect(header: Record<string, string> = auth) {
  const client = await RealtimeTestClient.connect(server.api.url, header);
  clients.push(client);
  return client;
}

const put = async (input: Record<string, unknown>) => {
  const body = await server.graphql(PUT_ITEM, { input: { required: 'r', ...input } });
  expect(body.errors).toBeUndefined();
};

/** Publishes a last marker item and returns the ids each subscription received before it, in order. */
async function received(
  client: RealtimeTestClient,
  ids: string[],
  markerFor: string,
): Promise<Record<string, string[]>> {
  await put({ id: 'marker', name: 'marker', group: 'marker' });
  await client.next((f) => f.type === 'data' && f.id === markerFor && itemId(f) === 'marker');
  const out: Record<string, string[]> = {};
  for (const id of ids)
    out[id] = client
      .dataFor(id)
      .map(itemId)
      .filter((i) => i !== 'marker');
  return out;
}

function itemId(frame: RealtimeFrame): string {
  const data = frame.payload?.data as Record<string, { id: string } | null>;
  return Object.values(data)[0]?.id ?? 'null';
}

beforeAll(async () => {
  server = await startRealtimeApi();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await server?.close();
});

describe('enhanced filters set by a subscription resolver', () => {
  // One subscription per operator, each with AWS's example rule; then items that pass some and not others.
  const OPERATOR_FILTERS: Record<string, Record<string, unknown>> = {
    eq: { group: { eq: 'ops' } },
    ne: { group: { ne: 'ops' } },
    le: { severity: { le: 5 } },
    lt: { severity: { lt: 5 } },
    ge: { severity: { ge: 5 } },
    gt: { severity: { gt: 5 } },
    contains: { tags: { contains: 'urgent' } },
    notContains: { name: { notContains: 'launch' } },
    beginsWith: { name: { beginsWith: 'AWS' } },
    in: { severity: { in: [1, 2, 3] } },
    notIn: { severity: { notIn: [1, 2, 3] } },
    between: { severity: { between: [2, 6] } },
    containsAny: { tags: { containsAny: ['red', 'blue'] } },
  };
  const ITEMS = [
    { id: 'i1', name: 'AWS launch', group: 'ops', severity: 1, tags: ['urgent', 'red'] },
    { id: 'i2', name: 'AWS AppSync', group: 'dev', severity: 5, tags: ['blue'] },
    { id: 'i3', name: 'launch party', group: 'ops', severity: 7, tags: [] },
  ];
  const EXPECTED: Record<string, string[]> = {
    eq: ['i1', 'i3'],
    ne: ['i2'],
    le: ['i1', 'i2'],
    lt: ['i1'],
    ge: ['i2', 'i3'],
    gt: ['i3'],
    contains: ['i1'],
    notContains: ['i2'],
    beginsWith: ['i1', 'i2'],
    in: ['i1'],
    notIn: ['i2', 'i3'],
    between: ['i2'],
    containsAny: ['i1', 'i2'],
  };

  it('delivers each item to exactly the subscriptions whose operator it passes', async () => {
    const client = await connect();
    const query = 'subscription Filtered($filter: AWSJSON!) { onFiltered(filter: $filter) { id name } }';
    for (const [operator, filter] of Object.entries(OPERATOR_FILTERS)) {
      await client.subscribe(operator, query, auth, { filter: JSON.stringify(filter) });
    }
    await client.subscribe('all', 'subscription { onItem { id } }', auth);
    for (const item of ITEMS) await put(item);
    const got = await received(client, Object.keys(OPERATOR_FILTERS), 'all');
    expect(got).toEqual(EXPECTED);
  });

  it('filters on nested fields with dotted names', async () => {
    const client = await connect();
    const query = 'subscription Filtered($filter: AWSJSON!) { onFiltered(filter: $filter) { id } }';
    await client.subscribe('paris', query, auth, {
      filter: JSON.stringify({ 'location.address.city': { eq: 'Paris' } }),
    });
    await client.subscribe('deep', query, auth, {
      filter: JSON.stringify({ 'location.address.street.number.value': { eq: 5 } }),
    });
    await client.subscribe('all', 'subscription { onItem { id } }', auth);
    await put({ id: 'p', location: JSON.stringify({ address: { city: 'Paris', street: { number: { value: 5 } } } }) });
    await put({ id: 'l', location: JSON.stringify({ address: { city: 'Lyon' } }) });
    // The street number sits at level five (location.address.street.number.value) and still filters.
    expect(await received(client, ['paris', 'deep'], 'all')).toEqual({ paris: ['p'], deep: ['p'] });
  });

  it('never matches a field the mutating client did not select', async () => {
    // aws/aws-appsync-community#89, the reason the notes API publishes through its own mutation.
    const client = await connect();
    const query = 'subscription Filtered($filter: AWSJSON!) { onFiltered(filter: $filter) { id } }';
    await client.subscribe('ops', query, auth, { filter: JSON.stringify({ group: { eq: 'ops' } }) });
    await client.subscribe('all', 'subscription { onItem { id } }', auth);
    await server.graphql('mutation { putItem(input: { id: "unselected", group: "ops", required: "r" }) { id } }');
    await put({ id: 'selected', group: 'ops' });
    expect(await received(client, ['ops'], 'all')).toEqual({ ops: ['selected'] });
  });

  it('refuses a start whose resolver sets a filter AppSync would refuse', async () => {
    const client = await connect();
    const query = 'subscription Filtered($filter: AWSJSON!) { onFiltered(filter: $filter) { id } }';
    client.start('too-many', query, auth, { filter: JSON.stringify({ severity: { in: [1, 2, 3, 4, 5, 6] } }) });
    expect(await client.next((f) => f.id === 'too-many')).toEqual({
      type: 'error',
      id: 'too-many',
      payload: {
        errors: [{ message: 'subscription filter has invalid filter value for operator `in`.', errorCode: 400 }],
      },
    });
  });

  it('ignores the arguments once a resolver sets a filter', async () => {
    // "You can't use basic filtering and enhanced filtering concurrently":
    // https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html
    const client = await connect();
    await client.subscribe('g', 'subscription { onGroup(group: "blue") { id group } }', auth);
    await client.subscribe('all', 'subscription { onItem { id } }', auth);
    await put({ id: 'b', group: 'blue' });
    await put({ id: 'r', group: 'red' });
    expect(await received(client, ['g'], 'all')).toEqual({ g: ['b'] });
  });
});

describe('basic filtering by subscription arguments', () => {
  it('delivers only payloads whose fields equal the arguments given', async () => {
    const client = await connect();
    await client.subscribe('by-group', 'subscription { onItem(group: "g1") { id } }', auth);
    await client.subscribe('by-both', 'subscription Both($g: String) { onItem(group: $g, name: "n") { id } }', auth, {
      g: 'g1',
    });
    await client.subscribe('null-name', 'subscription { onItem(name: null) { id } }', auth);
    await client.subscribe('all', 'subscription { onItem { id } }', auth);
    await put({ id: 'a', group: 'g1', name: 'n' });
    await put({ id: 'b', group: 'g1', name: 'm' });
    await put({ id: 'c', group: 'g2', name: null });
    expect(await received(client, ['by-group', 'by-both', 'null-name'], 'all')).toEqual({
      'by-group': ['a', 'b'],
      'by-both': ['a'],
      'null-name': ['c'],
    });
  });
});

describe('the subscriber identity', () => {
  let tokens: Array<{ accessToken: string; idToken: string; sub: string }>;
  beforeAll(async () => {
    const cognito = server.api.cognito!;
    tokens = await Promise.all(
      USERS.map(async (user) => {
        const result = await signIn(cognito, user.email, user.password);
        return { ...result, sub: decodeJwt(result.idToken).sub as string };
      }),
    );
  });
  const userHeader = (token: string) => ({ host: '127.0.0.1', Authorization: token });

  it('filters on ctx.identity.sub set by the resolver: each user receives only their own items', async () => {
    const [ana, ben] = tokens;
    const anaClient = await connect(userHeader(ana.accessToken));
    const benClient = await connect(userHeader(ben.idToken));
    await anaClient.subscribe('mine', 'subscription { onMine { id owner } }', userHeader(ana.accessToken));
    await benClient.subscribe('mine', 'subscription { onMine { id owner } }', userHeader(ben.idToken));
    await benClient.subscribe('all', 'subscription { onItem { id } }', auth);
    await put({ id: 'for-ana', owner: ana.sub });
    await put({ id: 'for-ben', owner: ben.sub });
    await anaClient.next((f) => f.id === 'mine' && itemId(f) === 'for-ana');
    expect(await received(benClient, ['mine'], 'all')).toEqual({ mine: ['for-ben'] });
    expect(anaClient.dataFor('mine').map(itemId)).toEqual([]);
  });

  it('checks the auth mode of each subscription field: an API key may not start a user-pool-only field', async () => {
    const [ana] = tokens;
    const client = await connect(userHeader(ana.accessToken));
    client.start('key', 'subscription { onMine { id } }', auth);
    expect(await client.next((f) => f.id === 'key')).toEqual({
      type: 'error',
      id: 'key',
      payload: {
        errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onMine on type Subscription' }],
      },
    });
    // The same connection carries subscriptions of both modes.
    await client.subscribe('user', 'subscription { onMine { id } }', userHeader(ana.accessToken));
    await client.subscribe('api', 'subscription { onItem { id } }', auth);
  });

  it('applies field-level authorization to each subscriber selection', async () => {
    const [ana] = tokens;
    const client = await connect(userHeader(ana.accessToken));
    await client.subscribe('key', 'subscription { onItem(id: "s") { id secret } }', auth);
    await client.subscribe('user', 'subscription { onItem(id: "s") { id secret } }', userHeader(ana.accessToken));
    await server.graphql(
      'mutation { putItem(input: { id: "s", secret: "x", required: "r" }) { id secret } }',
      {},
      { Authorization: ana.idToken },
    );
    expect((await client.next((f) => f.id === 'user')).payload).toEqual({ data: { onItem: { id: 's', secret: 'x' } } });
    const keyed = await client.next((f) => f.id === 'key');
    expect(keyed.payload?.data).toEqual({ onItem: { id: 's', secret: null } });
    expect(keyed.payload?.errors?.[0]).toMatchObject({ errorType: 'Unauthorized' });
  });
});

describe('invalidation', () => {
  it('ends the subscriptions whose invalidation filter matches, with "Subscription complete.", and closes their connections', async () => {
    // https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-invalidation.html
    const red = await connect();
    const blue = await connect();
    await red.subscribe('red', 'subscription { onGroup(group: "red") { id } }', auth);
    await blue.subscribe('blue', 'subscription { onGroup(group: "blue") { id } }', auth);
    const body = await server.graphql('mutation { closeGroup(group: "red") }');
    expect(body).toEqual({ data: { closeGroup: true } });
    expect(await red.next((f) => f.type === 'complete')).toEqual({
      type: 'complete',
      id: 'red',
      payload: { message: 'Subscription complete.' },
    });
    await red.whenClosed();
    await put({ id: 'still', group: 'blue' });
    expect(itemId(await blue.next((f) => f.id === 'blue' && f.type === 'data'))).toBe('still');
  });

  it('refuses more than five unique invalidations in one request with a GraphQL error, invalidating nothing', async () => {
    const client = await connect();
    await client.subscribe('g1', 'subscription { onGroup(group: "g1") { id } }', auth);
    const body = await server.graphql('mutation { closeMany(groups: ["g1", "g2", "g3", "g4", "g5", "g6"]) }');
    expect(body.data).toEqual({ closeMany: true });
    expect(body.errors?.[0]?.message).toContain('at most 5');
    await put({ id: 'open', group: 'g1' });
    expect(itemId(await client.next((f) => f.id === 'g1' && f.type === 'data'))).toBe('open');
  });
});

describe('limits', () => {
  it('does not deliver a payload over 240 KB', async () => {
    // "Pure WebSockets come with a larger payload size (240 KB)":
    // https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-data.html
    const client = await connect();
    await client.subscribe('big', 'subscription { onItem { id name } }', auth);
    await put({ id: 'huge', blob: 'x'.repeat(240 * 1024) });
    await put({ id: 'small', name: 'ok' });
    expect(itemId(await client.next((f) => f.id === 'big'))).toBe('small');
    expect(server.log.some((line) => line.includes('not delivered'))).toBe(true);
  });

  it('closes a connection when its lifetime is over (24 hours on AppSync; shortened here)', async () => {
    const shortLived = await startRealtimeApi({ realtimeTimings: { maxConnectionDurationMs: 1000 } });
    try {
      const client = await RealtimeTestClient.connect(shortLived.api.url, auth);
      clients.push(client);
      await client.subscribe('short', 'subscription { onItem { id } }', auth);
      await client.whenClosed(5000);
      expect(shortLived.api.realtime.connections).toBe(0);
    } finally {
      await shortLived.close();
    }
  });
});
