// AppSync's real-time protocol on the local server, frame by frame, as AWS documents it:
// https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html
// and with the error frames seen from AppSync (sources beside each test).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeTestClient } from '../../../helpers/realtime-client';
import { apiKeyHeader, PUT_ITEM, startRealtimeApi, type RealtimeApi } from './realtime-api';

let server: RealtimeApi;
const clients: RealtimeTestClient[] = [];
const auth = apiKeyHeader();

async function connect(options?: Parameters<typeof RealtimeTestClient.connect>[2]) {
  const client = await RealtimeTestClient.connect(server.api.url, auth, options);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startRealtimeApi({ realtimeTimings: { keepAliveIntervalMs: 200 } });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await server?.close();
});

const ON_ITEM = 'subscription { onItem { id name } }';
const put = (input: Record<string, unknown>) => server.graphql(PUT_ITEM, { input: { required: 'r', ...input } });

describe('the handshake', () => {
  for (const via of ['query', 'subprotocol', 'headers'] as const) {
    it(`authorizes with the header object in the ${via === 'headers' ? 'HTTP headers' : via}`, async () => {
      const client = await RealtimeTestClient.open(server.api.url, auth, { via });
      clients.push(client);
      expect(client.socket.protocol).toBe('graphql-ws');
      client.send({ type: 'connection_init' });
      expect(await client.next()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
      expect(await client.next()).toEqual({ type: 'ka' });
    });
  }

  it('sends keep-alives periodically after the acknowledgement', async () => {
    const client = await connect();
    await client.next((f) => f.type === 'ka');
    await client.next((f) => f.type === 'ka');
    await client.next((f) => f.type === 'ka');
  });

  it('answers connection_init with connection_error 401 for a wrong API key, and closes', async () => {
    // Frame as seen from AppSync: https://github.com/aws-amplify/amplify-flutter/issues/2763
    const client = await RealtimeTestClient.open(server.api.url, { host: 'h', 'x-api-key': 'da2-wrong' });
    clients.push(client);
    client.send({ type: 'connection_init' });
    expect(await client.next()).toEqual({
      type: 'connection_error',
      payload: {
        errors: [
          { errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 },
        ],
      },
    });
    await client.whenClosed();
  });

  it('refuses a connection without credentials', async () => {
    const client = await RealtimeTestClient.open(server.api.url, { host: 'h' });
    clients.push(client);
    client.send({ type: 'connection_init' });
    const frame = await client.next();
    expect(frame.type).toBe('connection_error');
    expect(frame.payload?.errors?.[0]).toMatchObject({ errorType: 'UnauthorizedException', errorCode: 401 });
  });

  it('refuses a header query parameter without its payload parameter', async () => {
    const url = new URL('/graphql/realtime', server.api.realtimeUrl);
    url.searchParams.set('header', Buffer.from(JSON.stringify(auth)).toString('base64'));
    const client = await RealtimeTestClient.open(
      server.api.url,
      {},
      { via: 'headers', path: `${url.pathname}${url.search}` },
    );
    clients.push(client);
    client.send({ type: 'connection_init' });
    expect((await client.next()).payload?.errors?.[0]).toMatchObject({
      errorType: 'BadRequestException',
      errorCode: 400,
    });
  });

  it('refuses an upgrade without the graphql-ws subprotocol', async () => {
    await expect(
      RealtimeTestClient.open(server.api.url, auth, { protocols: ['graphql-transport-ws'] }),
    ).rejects.toMatchObject({
      status: 400,
    });
  });

  it('has no WebSocket endpoint but /graphql/realtime', async () => {
    await expect(RealtimeTestClient.open(server.api.url, auth, { path: '/graphql' })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('subscriptions', () => {
  it('acknowledges a start, delivers each mutation result, and completes on stop', async () => {
    const client = await connect();
    await client.subscribe('sub-1', ON_ITEM, auth);
    expect((await put({ id: '1', name: 'first' })).errors).toBeUndefined();
    expect(await client.next((f) => f.type === 'data')).toEqual({
      type: 'data',
      id: 'sub-1',
      payload: { data: { onItem: { id: '1', name: 'first' } } },
    });
    client.send({ type: 'stop', id: 'sub-1' });
    expect(await client.next((f) => f.type === 'complete')).toEqual({ type: 'complete', id: 'sub-1' });
    await put({ id: '2', name: 'second' });
    await put({ id: '3', name: 'third' });
    await client.next((f) => f.type === 'ka');
    expect(client.dataFor('sub-1')).toEqual([]);
  });

  it('works without connection_init, which is optional', async () => {
    const client = await RealtimeTestClient.open(server.api.url, auth);
    clients.push(client);
    await client.subscribe('no-init', ON_ITEM, auth);
    await put({ id: 'n', name: 'no init' });
    expect((await client.next((f) => f.type === 'data')).payload).toEqual({
      data: { onItem: { id: 'n', name: 'no init' } },
    });
  });

  it('gives each subscriber its own selection of the mutation selection set', async () => {
    const client = await connect();
    await client.subscribe('narrow', 'subscription { onItem { name } }', auth);
    await client.subscribe('aliased', 'subscription { item: onItem { label: name, __typename } }', auth);
    await put({ id: '4', name: 'selected' });
    expect((await client.next((f) => f.id === 'narrow' && f.type === 'data')).payload).toEqual({
      data: { onItem: { name: 'selected' } },
    });
    expect((await client.next((f) => f.id === 'aliased' && f.type === 'data')).payload).toEqual({
      data: { item: { label: 'selected', __typename: 'Item' } },
    });
  });

  it('gives null for a field the mutation did not select, and an error when that field is non-null', async () => {
    // "if the mutation lacked the author in its selection set, the subscriber would get a null value for the author
    // field (or an error in case the author field is defined as required/not-null in the schema)":
    // https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-data.html
    const client = await connect();
    await client.subscribe('wide', 'subscription { onItem { id group } }', auth);
    await client.subscribe('required', 'subscription { onItem { id required } }', auth);
    await server.graphql('mutation { putItem(input: { id: "5", group: "g", required: "r" }) { id } }');
    expect((await client.next((f) => f.id === 'wide' && f.type === 'data')).payload).toEqual({
      data: { onItem: { id: '5', group: null } },
    });
    const required = await client.next((f) => f.id === 'required' && f.type === 'data');
    expect(required.payload?.data).toEqual({ onItem: null });
    expect(required.payload?.errors?.[0]).toMatchObject({ path: ['onItem', 'required'] });
  });

  it('publishes every root mutation field that has subscribers, keyed by field name whatever the aliases', async () => {
    const client = await connect();
    await client.subscribe('both', 'subscription { onItem(group: "twice") { id } }', auth);
    await server.graphql(
      'mutation { a: putItem(input: { id: "a", group: "twice", required: "r" }) { key: id, group } b: putItem(input: { id: "b", group: "twice", required: "r" }) { id group } }',
    );
    const ids = [await client.next((f) => f.type === 'data'), await client.next((f) => f.type === 'data')].map(
      (f) => (f.payload?.data as { onItem: { id: string } }).onItem.id,
    );
    expect(ids).toEqual(['a', 'b']);
  });

  it('publishes nothing for a mutation that failed', async () => {
    const client = await connect();
    await client.subscribe('fail', ON_ITEM, auth);
    const body = await server.graphql('mutation { failItem(input: { id: "x" }) { id name } }');
    expect(body.errors?.[0]).toMatchObject({ errorType: 'Refused' });
    await put({ id: 'after', name: 'after' });
    expect((await client.next((f) => f.type === 'data')).payload).toEqual({
      data: { onItem: { id: 'after', name: 'after' } },
    });
  });

  it('runs the subscription resolver with the subscriber identity: util.unauthorized refuses the start', async () => {
    const client = await connect();
    client.start('refused', 'subscription { onRefused { id } }', auth);
    const frame = await client.next((f) => f.id === 'refused');
    expect(frame.type).toBe('error');
    expect(frame.payload?.errors?.[0]).toMatchObject({ errorType: 'Unauthorized' });
  });
});

describe('refused starts', () => {
  it('refuses a query: "query not supported through the realtime channel"', async () => {
    // https://github.com/artilleryio/artillery/issues/1567 (UnsupportedOperation frame seen from AppSync)
    const client = await connect();
    client.start('q', '{ item(id: "1") { id } }', auth);
    expect(await client.next((f) => f.id === 'q')).toEqual({
      type: 'error',
      id: 'q',
      payload: {
        errors: [{ errorType: 'UnsupportedOperation', message: 'query not supported through the realtime channel' }],
      },
    });
  });

  it('refuses a mutation before running it', async () => {
    const client = await connect();
    await client.subscribe('watch', ON_ITEM, auth);
    client.start('m', 'mutation { putItem(input: { id: "sneaky", required: "r" }) { id } }', auth);
    expect((await client.next((f) => f.id === 'm')).payload?.errors?.[0]).toMatchObject({
      errorType: 'UnsupportedOperation',
      message: 'mutation not supported through the realtime channel',
    });
    await put({ id: 'real', name: 'real' });
    expect((await client.next((f) => f.id === 'watch')).payload).toEqual({
      data: { onItem: { id: 'real', name: 'real' } },
    });
  });

  it('refuses a start whose data is not a JSON string with a query', async () => {
    const client = await connect();
    client.send({
      id: 'bad',
      type: 'start',
      payload: { data: { query: ON_ITEM }, extensions: { authorization: auth } },
    });
    expect((await client.next((f) => f.id === 'bad')).payload?.errors?.[0]).toMatchObject({
      errorType: 'UnsupportedOperation',
    });
  });

  it('answers an unknown message type with an error', async () => {
    const client = await connect();
    client.send({ type: 'subscribe', id: 'x' });
    expect((await client.next((f) => f.type === 'error')).payload?.errors?.[0]).toMatchObject({
      message: 'unknown not supported through the realtime channel',
    });
  });

  it('refuses a second start with an id in use: DuplicatedOperationError', async () => {
    // https://github.com/aws-amplify/amplify-js/issues/12818
    const client = await connect();
    await client.subscribe('same', ON_ITEM, auth);
    client.start('same', ON_ITEM, auth);
    expect(await client.next((f) => f.id === 'same')).toEqual({
      type: 'error',
      id: 'same',
      payload: { errors: [{ errorType: 'DuplicatedOperationError', message: 'Duplicated operation with id same' }] },
    });
  });

  it('refuses a document with two root fields as a duplicated operation', async () => {
    // https://github.com/aws-amplify/amplify-ui/issues/231
    const client = await connect();
    client.start('two', 'subscription { onItem { id } onGroup(group: "g") { id } }', auth);
    expect((await client.next((f) => f.id === 'two')).payload?.errors?.[0]).toMatchObject({
      errorType: 'DuplicatedOperationError',
    });
  });

  it('refuses a start without authorization, and one with a wrong key', async () => {
    // https://github.com/aws-amplify/aws-appsync-realtime-client-ios/issues/108
    const client = await connect();
    client.send({ id: 'none', type: 'start', payload: { data: JSON.stringify({ query: ON_ITEM }) } });
    client.start('wrong', ON_ITEM, { host: 'h', 'x-api-key': 'da2-wrong' });
    for (const id of ['none', 'wrong']) {
      expect(await client.next((f) => f.id === id)).toEqual({
        type: 'error',
        id,
        payload: {
          errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }],
        },
      });
    }
  });

  it('reports validation errors with their message only', async () => {
    const client = await connect();
    client.start('invalid', 'subscription { onItem { nope } }', auth);
    const frame = await client.next((f) => f.id === 'invalid');
    expect(frame.type).toBe('error');
    expect(Object.keys(frame.payload?.errors?.[0] ?? {})).toEqual(['message']);
  });

  it('refuses the 101st subscription on a connection: MaxSubscriptionsReachedError', async () => {
    // 100 per connection: aws-appsync-realtime-client-ios integration tests; message from amplify-cli#7427.
    const client = await connect();
    for (let i = 0; i < 100; i++) client.start(`s${i}`, ON_ITEM, auth);
    for (let i = 0; i < 100; i++) expect((await client.next((f) => f.id === `s${i}`)).type).toBe('start_ack');
    client.start('s100', ON_ITEM, auth);
    expect(await client.next((f) => f.id === 's100')).toEqual({
      type: 'error',
      id: 's100',
      payload: {
        errors: [{ errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 100 subscriptions reached' }],
      },
    });
    client.send({ type: 'stop', id: 's0' });
    await client.next((f) => f.type === 'complete');
    await client.subscribe('s100', ON_ITEM, auth);
  });
});
