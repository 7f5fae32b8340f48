// Query, Scan and Sync through the DynamoDB data source on a real store: results as { items, nextToken, scannedCount },
// pagination with opaque tokens bound to their request, indexes, filters, projections and parallel scans.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TableDefinition } from '../../../local/definition';
import {
  INVALID_TOKEN_ERROR,
  createDynamoDBDataSource,
  type DataSourceOutcome,
  type DynamoDBDataSource,
} from '../../../local/server/datasources/dynamodb';
import {
  createTables,
  itemsTable,
  recordCommands,
  startTestStore,
  type SentCommand,
  type TestStore,
} from '../../helpers/dynamodb-store';

interface Listing {
  items: Array<Record<string, unknown>>;
  nextToken: string | null;
  scannedCount: number;
  startedAt?: number;
}

const BIG_PARTITION = 'list-A';
const BIG_PARTITION_SIZE = 45;
const SMALL_PARTITION = 'list-B';
const SMALL_PARTITION_SIZE = 5;
const TABLE_SIZE = BIG_PARTITION_SIZE + SMALL_PARTITION_SIZE;

let store: TestStore;
let table: TableDefinition;
let source: DynamoDBDataSource;
let calls: string[];
let sent: SentCommand[];

const S = (value: string) => ({ S: value });
const N = (value: number) => ({ N: value });
const sortKey = (i: number) => `item-${String(i).padStart(2, '0')}`;

function seedItem(pk: string, i: number) {
  return {
    pk: S(pk),
    sk: S(sortKey(i)),
    status: S(i % 2 === 0 ? 'open' : 'done'),
    rank: N(i),
    title: S(`title ${i}`),
    body: S('x'.repeat(20)),
  };
}

beforeAll(async () => {
  store = await startTestStore();
  table = itemsTable();
  await createTables(store, [table]);
  calls = [];
  source = createDynamoDBDataSource({
    client: store.client,
    tableName: table.name,
    onRequest: (operation) => calls.push(operation),
  });
  const seed = [
    ...Array.from({ length: BIG_PARTITION_SIZE }, (_, i) => seedItem(BIG_PARTITION, i)),
    ...Array.from({ length: SMALL_PARTITION_SIZE }, (_, i) => seedItem(SMALL_PARTITION, i)),
  ];
  // BatchWriteItem takes 25 items a call.
  for (let start = 0; start < seed.length; start += 25) {
    const outcome = await source.invoke({
      operation: 'BatchPutItem',
      tables: { [table.name]: seed.slice(start, start + 25) },
    });
    expect(outcome.error).toBeUndefined();
  }
  sent = recordCommands(store.client);
});

afterAll(async () => {
  await store?.close();
});

beforeEach(() => {
  calls = [];
  sent.length = 0;
});

function partitionQuery(pk: string, extra: Record<string, unknown> = {}) {
  return {
    operation: 'Query',
    query: { expression: '#pk = :pk', expressionNames: { '#pk': 'pk' }, expressionValues: { ':pk': S(pk) } },
    ...extra,
  };
}

function listing(outcome: DataSourceOutcome): Listing {
  expect(outcome.error).toBeUndefined();
  return outcome.result as Listing;
}

async function firstPageToken(request: Record<string, unknown>): Promise<string> {
  const page = listing(await source.invoke(request));
  expect(page.nextToken).toEqual(expect.any(String));
  return page.nextToken as string;
}

/** Follows nextToken to the end; returns every page. */
async function allPages(request: Record<string, unknown>, sourceToUse = source): Promise<Listing[]> {
  const pages: Listing[] = [];
  let nextToken: string | null = null;
  do {
    const page = listing(await sourceToUse.invoke({ ...request, nextToken }));
    pages.push(page);
    nextToken = page.nextToken;
  } while (nextToken !== null && pages.length < 100);
  return pages;
}

describe('DynamoDB data source: Query', () => {
  it('returns the items of a partition as { items, nextToken, scannedCount }', async () => {
    const outcome = await source.invoke(partitionQuery(SMALL_PARTITION));

    expect(outcome).toEqual({
      result: {
        items: Array.from({ length: SMALL_PARTITION_SIZE }, (_, i) => ({
          pk: SMALL_PARTITION,
          sk: sortKey(i),
          status: i % 2 === 0 ? 'open' : 'done',
          rank: i,
          title: `title ${i}`,
          body: 'x'.repeat(20),
        })),
        nextToken: null,
        scannedCount: SMALL_PARTITION_SIZE,
      },
    });
    expect(calls).toEqual(['Query']);
  });

  it('pages through a partition with limit and tokens, visiting each item once and in order', async () => {
    const pages = await allPages(partitionQuery(BIG_PARTITION, { limit: 10 }));

    const keys = pages.flatMap((page) => page.items.map((item) => item.sk));
    expect(keys).toEqual(Array.from({ length: BIG_PARTITION_SIZE }, (_, i) => sortKey(i)));
    expect(pages.map((page) => page.items.length)).toEqual([10, 10, 10, 10, 5]);
    expect(pages.at(-1)?.nextToken).toBeNull();
  });

  it('keeps the table keys out of the token', async () => {
    const token = await firstPageToken(partitionQuery(BIG_PARTITION, { limit: 3 }));

    const decoded = Buffer.from(token, 'base64').toString('utf8');
    expect(decoded).toMatch(/^\{"version":1,"token":"[A-Za-z0-9+/=]+"\}$/);
    expect(decoded).not.toContain(BIG_PARTITION);
    expect(Buffer.from(JSON.parse(decoded).token, 'base64').toString('latin1')).not.toContain('item-0');
  });

  it('keeps a token valid when only the page size changes', async () => {
    const token = await firstPageToken(partitionQuery(BIG_PARTITION, { limit: 3 }));

    const next = listing(await source.invoke(partitionQuery(BIG_PARTITION, { limit: 5, nextToken: token })));

    expect(next.items.map((item) => item.sk)).toEqual([3, 4, 5, 6, 7].map(sortKey));
  });

  it('refuses a tampered token as AppSync does, without calling DynamoDB', async () => {
    const token = await firstPageToken(partitionQuery(BIG_PARTITION, { limit: 3 }));
    const outer = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const sealed = Buffer.from(outer.token, 'base64');
    sealed[sealed.length - 1] ^= 1;
    const tampered = Buffer.from(JSON.stringify({ ...outer, token: sealed.toString('base64') })).toString('base64');
    calls = [];

    const outcome = await source.invoke(partitionQuery(BIG_PARTITION, { limit: 3, nextToken: tampered }));

    expect(outcome).toEqual({ error: INVALID_TOKEN_ERROR });
    expect(INVALID_TOKEN_ERROR).toEqual({
      type: 'DynamoDB:UserIllegalArgumentException',
      message:
        'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
    });
    expect(calls).toEqual([]);
  });

  it('refuses tokens that are not tokens at all', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: { S: BIG_PARTITION }, sk: { S: sortKey(40) } })).toString('base64');
    for (const nextToken of ['garbage', '', forged, Buffer.from('{"version":1,"token":"AAAA"}').toString('base64')]) {
      expect(await source.invoke(partitionQuery(BIG_PARTITION, { nextToken }))).toEqual({ error: INVALID_TOKEN_ERROR });
    }
  });

  it('refuses a token issued for another partition', async () => {
    const token = await firstPageToken(partitionQuery(BIG_PARTITION, { limit: 2 }));

    const outcome = await source.invoke(partitionQuery(SMALL_PARTITION, { limit: 2, nextToken: token }));

    expect(outcome).toEqual({ error: INVALID_TOKEN_ERROR });
  });

  it('refuses a token issued for another index, for a scan, or for another table', async () => {
    const token = await firstPageToken(partitionQuery(BIG_PARTITION, { limit: 2 }));
    const otherTable = createDynamoDBDataSource({ client: store.client, tableName: `${table.name}-other` });

    const onIndex = await source.invoke({
      operation: 'Query',
      index: 'byStatus',
      query: {
        expression: '#pk = :pk',
        expressionNames: { '#pk': 'pk' },
        expressionValues: { ':pk': S(BIG_PARTITION) },
      },
      nextToken: token,
    });
    const onScan = await source.invoke({ operation: 'Scan', nextToken: token });
    const onOtherTable = await otherTable.invoke(partitionQuery(BIG_PARTITION, { nextToken: token }));

    expect([onIndex, onScan, onOtherTable]).toEqual([
      { error: INVALID_TOKEN_ERROR },
      { error: INVALID_TOKEN_ERROR },
      { error: INVALID_TOKEN_ERROR },
    ]);
  });

  it('refuses a token issued to another resolver when the caller names resolvers', async () => {
    const page = listing(
      await source.invoke(partitionQuery(BIG_PARTITION, { limit: 2 }), { tokenScope: 'Query.listA' }),
    );

    const sameResolver = await source.invoke(partitionQuery(BIG_PARTITION, { nextToken: page.nextToken, limit: 2 }), {
      tokenScope: 'Query.listA',
    });
    const otherResolver = await source.invoke(partitionQuery(BIG_PARTITION, { nextToken: page.nextToken }), {
      tokenScope: 'Query.listB',
    });

    expect(listing(sameResolver).items.map((item) => item.sk)).toEqual([sortKey(2), sortKey(3)]);
    expect(otherResolver).toEqual({ error: INVALID_TOKEN_ERROR });
  });

  it('honours tokens across data source instances that share a secret, and only those', async () => {
    const options = { client: store.client, tableName: table.name };
    const before = createDynamoDBDataSource({ ...options, tokenSecret: 'stable secret' });
    const afterRestart = createDynamoDBDataSource({ ...options, tokenSecret: 'stable secret' });
    const otherSecret = createDynamoDBDataSource({ ...options, tokenSecret: 'another secret' });
    const page = listing(await before.invoke(partitionQuery(BIG_PARTITION, { limit: 2 })));

    const resumed = await afterRestart.invoke(partitionQuery(BIG_PARTITION, { limit: 2, nextToken: page.nextToken }));
    const refused = await otherSecret.invoke(partitionQuery(BIG_PARTITION, { limit: 2, nextToken: page.nextToken }));

    expect(listing(resumed).items.map((item) => item.sk)).toEqual([sortKey(2), sortKey(3)]);
    expect(refused).toEqual({ error: INVALID_TOKEN_ERROR });
  });

  it('reads backwards with scanIndexForward false, paging backwards too', async () => {
    const pages = await allPages(partitionQuery(SMALL_PARTITION, { scanIndexForward: false, limit: 2 }));

    expect(pages.flatMap((page) => page.items.map((item) => item.sk))).toEqual([4, 3, 2, 1, 0].map(sortKey));
  });

  it('applies a key condition on the sort key', async () => {
    const page = listing(
      await source.invoke({
        operation: 'Query',
        query: {
          expression: 'pk = :pk AND begins_with(sk, :prefix)',
          expressionValues: { ':pk': S(BIG_PARTITION), ':prefix': S('item-1') },
        },
      }),
    );

    expect(page.items.map((item) => item.sk)).toEqual(Array.from({ length: 10 }, (_, i) => sortKey(10 + i)));
  });

  it('queries a global secondary index, paging with tokens', async () => {
    const request = {
      operation: 'Query',
      index: 'byStatus',
      query: {
        expression: '#status = :open AND #rank BETWEEN :low AND :high',
        expressionNames: { '#status': 'status', '#rank': 'rank' },
        expressionValues: { ':open': S('open'), ':low': N(10), ':high': N(30) },
      },
      limit: 4,
    };

    const pages = await allPages(request);

    // Both partitions hold open items, but only the big one has ranks of 10 and above.
    const ranks = pages.flatMap((page) => page.items.map((item) => item.rank));
    expect(ranks).toEqual([10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
    expect(sent[0].input.IndexName).toBe('byStatus');
  });

  it('filters after reading: scannedCount counts items read before the filter', async () => {
    const page = listing(
      await source.invoke(
        partitionQuery(BIG_PARTITION, {
          limit: 10,
          filter: {
            expression: '#status = :done',
            expressionNames: { '#status': 'status' },
            expressionValues: { ':done': S('done') },
          },
        }),
      ),
    );

    expect(page.scannedCount).toBe(10);
    expect(page.items.map((item) => item.rank)).toEqual([1, 3, 5, 7, 9]);
    expect(page.nextToken).toEqual(expect.any(String));
  });

  it('merges the names and values of key condition, filter and projection into one call', async () => {
    await source.invoke(
      partitionQuery(SMALL_PARTITION, {
        filter: {
          expression: '#rank > :min',
          expressionNames: { '#rank': 'rank' },
          expressionValues: { ':min': N(1) },
        },
        projection: { expression: '#title, #rank', expressionNames: { '#title': 'title', '#rank': 'rank' } },
      }),
    );

    expect(sent[0].input).toMatchObject({
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: '#rank > :min',
      ProjectionExpression: '#title, #rank',
      ExpressionAttributeNames: { '#pk': 'pk', '#rank': 'rank', '#title': 'title' },
      ExpressionAttributeValues: { ':pk': { S: SMALL_PARTITION }, ':min': { N: '1' } },
    });
  });

  it('returns only projected attributes', async () => {
    const page = listing(
      await source.invoke(
        partitionQuery(SMALL_PARTITION, { projection: { expression: 'title, #r', expressionNames: { '#r': 'rank' } } }),
      ),
    );

    expect(page.items).toEqual(
      Array.from({ length: SMALL_PARTITION_SIZE }, (_, i) => ({ title: `title ${i}`, rank: i })),
    );
  });

  it('passes consistentRead and select through to DynamoDB', async () => {
    await source.invoke(partitionQuery(SMALL_PARTITION, { consistentRead: true, select: 'ALL_ATTRIBUTES' }));

    expect(sent[0].input).toMatchObject({ ConsistentRead: true, Select: 'ALL_ATTRIBUTES' });
  });

  it("refuses a consistent read on a global secondary index with DynamoDB's ValidationException", async () => {
    const outcome = await source.invoke({
      operation: 'Query',
      index: 'byStatus',
      consistentRead: true,
      query: { expression: '#s = :s', expressionNames: { '#s': 'status' }, expressionValues: { ':s': S('open') } },
    });

    expect(outcome.error?.type).toBe('DynamoDB:ValidationException');
    expect(outcome.error?.message).toMatch(/^Consistent reads are not supported on global secondary indexes/);
  });

  it('refuses a select value DynamoDB does not know', async () => {
    const outcome = await source.invoke(partitionQuery(SMALL_PARTITION, { select: 'EVERYTHING' }));

    expect(outcome).toEqual({
      requestError: { type: 'MappingTemplate', message: "Unsupported value 'EVERYTHING' at '$[select]'." },
    });
  });

  it('refuses a Query without a key condition', async () => {
    expect(await source.invoke({ operation: 'Query', limit: 1 })).toEqual({
      requestError: { type: 'MappingTemplate', message: "Value for field '$[query]' not found." },
    });
  });
});

describe('DynamoDB data source: Scan', () => {
  it('reads the whole table in pages', async () => {
    const pages = await allPages({ operation: 'Scan', limit: 7 });

    const keys = pages.flatMap((page) => page.items.map((item) => `${item.pk}/${item.sk}`));
    expect(keys).toHaveLength(TABLE_SIZE);
    expect(new Set(keys).size).toBe(TABLE_SIZE);
    expect(pages.every((page) => page.scannedCount === page.items.length)).toBe(true);
  });

  it('splits into segments that together cover the table exactly once', async () => {
    const totalSegments = 3;
    const perSegment: string[][] = [];
    for (let segment = 0; segment < totalSegments; segment += 1) {
      const pages = await allPages({ operation: 'Scan', segment, totalSegments, limit: 6 });
      perSegment.push(pages.flatMap((page) => page.items.map((item) => `${item.pk}/${item.sk}`)));
    }

    const all = perSegment.flat();
    expect(all).toHaveLength(TABLE_SIZE);
    expect(new Set(all).size).toBe(TABLE_SIZE);
    expect(
      sent.filter((command) => command.command === 'ScanCommand').every((command) => command.input.TotalSegments === 3),
    ).toBe(true);
  });

  it('refuses a token of one segment in another', async () => {
    const token = await firstPageToken({ operation: 'Scan', segment: 0, totalSegments: 2, limit: 2 });

    const outcome = await source.invoke({
      operation: 'Scan',
      segment: 1,
      totalSegments: 2,
      limit: 2,
      nextToken: token,
    });

    expect(outcome).toEqual({ error: INVALID_TOKEN_ERROR });
  });

  it('filters and projects a scan of an index', async () => {
    const pages = await allPages({
      operation: 'Scan',
      index: 'byStatus',
      filter: {
        expression: '#rank >= :min',
        expressionNames: { '#rank': 'rank' },
        expressionValues: { ':min': N(40) },
      },
      projection: { expression: 'sk, #rank', expressionNames: { '#rank': 'rank' } },
    });

    const items = pages.flatMap((page) => page.items).sort((a, b) => Number(a.rank) - Number(b.rank));
    expect(items).toEqual([40, 41, 42, 43, 44].map((rank) => ({ sk: sortKey(rank), rank })));
    expect(pages.reduce((sum, page) => sum + page.scannedCount, 0)).toBe(TABLE_SIZE);
  });

  it('passes segment errors from DynamoDB through', async () => {
    const outcome = await source.invoke({ operation: 'Scan', segment: 2, totalSegments: 2 });

    expect(outcome.error?.type).toBe('DynamoDB:ValidationException');
  });
});

describe('DynamoDB data source: Sync', () => {
  it('reads the base table in pages of the requested size, with startedAt fixed by the first page', async () => {
    const pages = await allPages({ operation: 'Sync', limit: 20 });

    expect(pages.map((page) => page.items.length)).toEqual([20, 20, 10]);
    expect(new Set(pages.map((page) => page.startedAt)).size).toBe(1);
    expect(pages[0].startedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(pages.flatMap((page) => page.items)).toHaveLength(TABLE_SIZE);
  });

  it('reads 100 items a page when no limit is given', async () => {
    await source.invoke({ operation: 'Sync' });

    expect(sent[0]).toMatchObject({ command: 'ScanCommand', input: { Limit: 100 } });
  });

  it('refuses a limit above 1000', async () => {
    expect(await source.invoke({ operation: 'Sync', limit: 1001 })).toEqual({
      requestError: { type: 'MappingTemplate', message: "'$[limit]' must be between 1 and 1000; got 1001." },
    });
  });

  it('refuses lastSync, which needs the delta table of a versioned data source', async () => {
    const outcome = await source.invoke({ operation: 'Sync', lastSync: 1_550_000_000_000 });

    expect(outcome.requestError?.type).toBe('MappingTemplate');
    expect(outcome.requestError?.message).toContain('versioned data source');
    expect(calls).toEqual([]);
  });

  it('refuses a Query token in a Sync', async () => {
    const token = await firstPageToken(partitionQuery(BIG_PARTITION, { limit: 2 }));

    expect(await source.invoke({ operation: 'Sync', nextToken: token })).toEqual({ error: INVALID_TOKEN_ERROR });
  });
});
