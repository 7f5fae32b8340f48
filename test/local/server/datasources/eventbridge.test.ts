// The EventBridge data source: PutEvents is kept in a local event log in EventBridge's own envelope and answered
// with PutEvents' result. Request and result shapes: https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-eventbridge-js.html;
// at most 10 entries, errors per entry with ErrorCode and ErrorMessage:
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBridgeKind } from '../../../../local/server/datasources/eventbridge';
import type { DataSource } from '../../../../local/server/datasources';
import { testHost, type TestHost } from '../../../helpers/data-source-host';

let dataDir: string;
let host: TestHost;
let source: DataSource;
const call = { field: 'Mutation.createOrder' };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'eventbridge-'));
  host = testHost({ dataDir });
  source = await eventBridgeKind.create(
    'events',
    { type: 'AMAZON_EVENTBRIDGE', eventBus: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' },
    host,
  );
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function logged(): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path.join(dataDir, 'eventbridge', 'orders.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('EventBridge data source', () => {
  it('records each event in the bus’s log and answers with an EventId per entry', async () => {
    const outcome = await source.invoke(
      {
        operation: 'PutEvents',
        events: [
          { source: 'shop.orders', detailType: 'OrderCreated', detail: { id: 'o-1', total: 12 } },
          {
            source: 'shop.orders',
            detailType: 'OrderPaid',
            detail: { id: 'o-1' },
            resources: ['arn:aws:s3:::receipts'],
            time: '2024-05-01T12:00:00Z',
          },
        ],
      },
      call,
    );
    const result = outcome.result as { Entries: Array<{ EventId: string }>; FailedEntryCount: number };
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(2);
    const events = await logged();
    expect(events).toEqual([
      {
        version: '0',
        id: result.Entries[0].EventId,
        'detail-type': 'OrderCreated',
        source: 'shop.orders',
        account: '000000000000',
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        region: 'us-east-1',
        resources: [],
        detail: { id: 'o-1', total: 12 },
      },
      expect.objectContaining({
        id: result.Entries[1].EventId,
        'detail-type': 'OrderPaid',
        time: '2024-05-01T12:00:00Z',
        resources: ['arn:aws:s3:::receipts'],
      }),
    ]);
  });

  it('shows each event in the server log', () => {
    expect(host.logs.some((line) => line.includes('EventBridge orders (events): shop.orders OrderCreated'))).toBe(true);
  });

  it('fails an entry without a source on its own, counting it in FailedEntryCount', async () => {
    const outcome = await source.invoke(
      {
        operation: 'PutEvents',
        events: [
          { detailType: 'OrderCreated', detail: {} },
          { source: 'shop.orders', detailType: 'OrderCreated', detail: { id: 'o-2' } },
        ],
      },
      call,
    );
    expect(outcome.result).toEqual({
      Entries: [
        {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
        },
        { EventId: expect.any(String) },
      ],
      FailedEntryCount: 1,
    });
  });

  it.each([
    ['an operation other than PutEvents', { operation: 'PutRule', events: [] }],
    ['no events', { operation: 'PutEvents', events: [] }],
    [
      'more than ten events',
      {
        operation: 'PutEvents',
        events: Array.from({ length: 11 }, () => ({ source: 's', detailType: 'd', detail: {} })),
      },
    ],
  ])('fails the field for %s', async (_name, request) => {
    const outcome = await source.invoke(request, call);
    expect(outcome.requestError?.type).toBe('MappingTemplate');
  });
});
