// The requests the DynamoDB module builds, run through the local DynamoDB data source against a real store (dynalite;
// DYNAMODB_STORE=dynamodb-local runs the same file on AWS's DynamoDB Local): every expression the builders write, the
// parenthesised key conditions and the nested update paths included, has to be one DynamoDB accepts and applies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddb from '../../../../local/runtime/realm/dynamodb/index';
import { createDynamoDBDataSource, type DataSourceOutcome } from '../../../../local/server/datasources/dynamodb';
import { createTables, itemsTable, startTestStore, type TestStore } from '../../../helpers/dynamodb-store';

let store: TestStore;
let invoke: (request: unknown) => Promise<DataSourceOutcome>;

beforeAll(async () => {
  store = await startTestStore();
  const table = itemsTable();
  await createTables(store, [table]);
  const dataSource = createDynamoDBDataSource({ client: store.client, tableName: table.name });
  // The request leaves the sandbox as JSON, as it does from the runtime.
  invoke = (request) => dataSource.invoke(JSON.parse(JSON.stringify(request)));
}, 120_000);

afterAll(async () => {
  await store?.close();
});

const key = { pk: 'note', sk: '1' };

describe('DynamoDB module requests on a store', () => {
  it('puts an item guarded by attribute_not_exists, then refuses a different put of the same key', async () => {
    const item = { n: 1, tags: ['x'], addr: { city: 'Paris' }, status: 'open', rank: 3, old: true };
    const condition = { pk: { attributeExists: false } };
    expect((await invoke(ddb.put({ key, item, condition }))).error).toBeUndefined();
    // The same put again would pass: AppSync treats a failed condition as success when the item already matches.
    const other = await invoke(ddb.put({ key, item: { ...item, n: 2 }, condition }));
    expect(other.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
  });

  it('applies increment, append, a nested map update and a removal under a condition', async () => {
    const outcome = await invoke(
      ddb.update({
        key,
        update: {
          n: ddb.operations.increment(2),
          tags: ddb.operations.append(['y']),
          addr: { city: 'Lyon', zip: '69000' },
          old: ddb.operations.remove(),
        },
        condition: { n: { eq: 1 }, old: { attributeExists: true } },
      }),
    );
    expect(outcome).toStrictEqual({
      result: { ...key, n: 3, tags: ['x', 'y'], addr: { city: 'Lyon', zip: '69000' }, status: 'open', rank: 3 },
    });
  });

  it('replaces one list item', async () => {
    const outcome = await invoke(ddb.update({ key, update: { tags: [ddb.operations.updateListItem('z', 0)] } }));
    expect((outcome.result as { tags: string[] }).tags).toStrictEqual(['z', 'y']);
  });

  it('reads a projection of nested paths and list items', async () => {
    const outcome = await invoke(ddb.get({ key, projection: ['n', 'addr.city', 'tags[1]'] }));
    expect(outcome.result).toStrictEqual({ n: 3, addr: { city: 'Lyon' }, tags: ['y'] });
  });

  it('queries with a parenthesised key condition and a filter mixing AND and OR', async () => {
    const outcome = await invoke(
      ddb.query({
        query: { pk: { eq: 'note' }, sk: { beginsWith: '1' } },
        filter: { n: { between: [0, 10] }, or: [{ status: { eq: 'open' } }, { rank: { gt: 5 } }] },
      }),
    );
    expect((outcome.result as { items: unknown[] }).items).toHaveLength(1);
  });

  it('queries an index on a numeric sort key', async () => {
    const outcome = await invoke(ddb.query({ index: 'byStatus', query: { status: { eq: 'open' }, rank: { ge: 3 } } }));
    expect((outcome.result as { items: unknown[] }).items).toHaveLength(1);
  });

  it('scans with size, attribute_type, in and not', async () => {
    const outcome = await invoke(
      ddb.scan({
        filter: {
          tags: { size: { eq: 2 } },
          n: { attributeType: 'number' },
          status: { in: ['open', 'closed'] },
          not: { rank: { lt: 0 } },
        },
      }),
    );
    expect((outcome.result as { items: unknown[] }).items).toHaveLength(1);
  });

  it('deletes under a condition', async () => {
    const outcome = await invoke(ddb.remove({ key, condition: { n: { ne: 0 } } }));
    expect(outcome.error).toBeUndefined();
    expect((await invoke(ddb.get({ key }))).result).toBeNull();
  });
});
