// npm run bench:realtime — real-time fan-out of the local AppSync against a plain `ws` broadcast, in one run:
// 500 subscribers (each its own WebSocket, as devices are) on loopback; a mutation per event; the fan-out latency
// of each event is the time from the mutation's response reaching the client to the last subscriber's delivery.
// The local server and the baseline alternate round by round so that the machine's drift hits both; p50 and p99 are
// over every event of every round. Subscribers live in a worker thread, the servers in this one.
// Writes bench/reports/realtime.md and prints it. BENCH_SUBSCRIBERS, BENCH_ROUNDS and BENCH_EVENTS adjust the run.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { serveLocalApi } from '../local/server/serve';
import { startBroadcastBaseline } from './lib/broadcast-baseline';
import type { WorkerReply, WorkerRequest } from './lib/realtime-clients';
import { formatMs, median, quantileOfSorted } from './lib/stats';

const here = path.dirname(fileURLToPath(import.meta.url));

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 40);
const API_KEY = 'da2-benchrealtimekey';
const GOAL_P99_RATIO = 2;

type ServerName = 'local' | 'baseline';

function ask(worker: Worker, request: WorkerRequest): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      worker.off('error', reject);
      resolve(reply);
    };
    worker.once('message', onMessage);
    worker.once('error', reject);
    worker.postMessage(request);
  });
}

async function main(): Promise<void> {
  const startedLoad = loadavg()[0];
  const local = await serveLocalApi({
    definition: {
      name: 'bench-realtime',
      schema: 'schema.graphql',
      auth: { default: 'API_KEY' },
      dataSources: { none: { type: 'NONE' } },
      resolvers: [
        {
          kind: 'UNIT',
          typeName: 'Mutation',
          fieldName: 'emit',
          dataSource: 'none',
          code: 'resolvers/Mutation.emit.js',
        },
      ],
    },
    rootDir: path.join(here, 'fixtures/realtime'),
    dataDir: null,
    port: 0,
    apiKeys: [API_KEY],
    tls: false,
    log: () => {},
  });
  const baseline = await startBroadcastBaseline();
  console.error(`local server at ${local.url}, baseline at ${baseline.url}`);
  const urls: Record<ServerName, string> = { local: local.url, baseline: baseline.url };
  const worker = new Worker(new URL('./lib/realtime-clients-worker.mjs', import.meta.url));
  const samples: Record<ServerName, { latencies: number[]; sinceRequest: number[]; undelivered: number }> = {
    local: { latencies: [], sinceRequest: [], undelivered: 0 },
    baseline: { latencies: [], sinceRequest: [], undelivered: 0 },
  };
  const roundP99: Record<ServerName, number[]> = { local: [], baseline: [] };
  const connectMs: Partial<Record<ServerName, number>> = {};
  try {
    for (const server of ['local', 'baseline'] as const) {
      console.error(`connecting ${SUBSCRIBERS} subscribers to the ${server} server`);
      const reply = await ask(worker, {
        type: 'connect',
        server,
        baseUrl: urls[server],
        apiKey: API_KEY,
        count: SUBSCRIBERS,
      });
      if (reply.type === 'connected') connectMs[server] = reply.ms;
    }
    if (local.realtime.hub.size !== SUBSCRIBERS) {
      throw new Error(`${local.realtime.hub.size} subscriptions started on the local server, not ${SUBSCRIBERS}`);
    }
    // A warm-up round on each side (JIT, socket buffers), not counted.
    for (const server of ['local', 'baseline'] as const) {
      await ask(worker, {
        type: 'round',
        server,
        baseUrl: urls[server],
        apiKey: API_KEY,
        events: 5,
        tag: `warm-${server}`,
      });
    }
    for (let r = 0; r < ROUNDS; r++) {
      console.error(`round ${r + 1} of ${ROUNDS}`);
      const order: ServerName[] = r % 2 === 0 ? ['local', 'baseline'] : ['baseline', 'local'];
      for (const server of order) {
        const reply = await ask(worker, {
          type: 'round',
          server,
          baseUrl: urls[server],
          apiKey: API_KEY,
          events: EVENTS,
          tag: `${server}-${r}`,
        });
        if (reply.type !== 'round') continue;
        samples[server].latencies.push(...reply.latencies);
        samples[server].sinceRequest.push(...reply.sinceRequest);
        samples[server].undelivered += reply.undelivered;
        roundP99[server].push(
          quantileOfSorted(
            [...reply.latencies].sort((a, b) => a - b),
            0.99,
          ),
        );
      }
    }
    await ask(worker, { type: 'close' });
  } finally {
    await worker.terminate();
    await local.close();
    await baseline.close();
  }

  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: quantileOfSorted(sorted, 0.5), p99: quantileOfSorted(sorted, 0.99), n: sorted.length };
  };
  const l = stats(samples.local.latencies);
  const b = stats(samples.baseline.latencies);
  const lr = stats(samples.local.sinceRequest);
  const br = stats(samples.baseline.sinceRequest);
  const p99Ratio = l.p99 / b.p99;
  const perRoundRatio = median(roundP99.local.map((p, i) => p / roundP99.baseline[i]));
  const lines = [
    '# Real-time fan-out: local AppSync vs a plain ws broadcast',
    '',
    `${SUBSCRIBERS} subscribers, each its own WebSocket on loopback (AppSync's protocol, API key); ${ROUNDS} rounds of ` +
      `${EVENTS} mutations per server, alternating; one mutation at a time. Node ${process.version}, ${cpus().length} ` +
      `cores, load average ${startedLoad.toFixed(1)} at start and ${loadavg()[0].toFixed(1)} at the end.`,
    '',
    'Fan-out latency: from the mutation response reaching the client to the last of the subscribers receiving the event',
    '(ms). Both servers answer the mutation first and then write the data frames, as AppSync publishes.',
    '',
    '|                                   | local AppSync | ws broadcast | ratio |',
    '| --------------------------------- | ------------: | -----------: | ----: |',
    `| fan-out p50 (ms)                  | ${formatMs(l.p50)} | ${formatMs(b.p50)} | ${(l.p50 / b.p50).toFixed(2)}x |`,
    `| fan-out p99 (ms)                  | ${formatMs(l.p99)} | ${formatMs(b.p99)} | ${p99Ratio.toFixed(2)}x |`,
    `| p99 ratio, median of rounds       |  |  | ${perRoundRatio.toFixed(2)}x |`,
    `| request to last delivery p50 (ms) | ${formatMs(lr.p50)} | ${formatMs(br.p50)} | ${(lr.p50 / br.p50).toFixed(2)}x |`,
    `| request to last delivery p99 (ms) | ${formatMs(lr.p99)} | ${formatMs(br.p99)} | ${(lr.p99 / br.p99).toFixed(2)}x |`,
    `| events measured                   | ${l.n} | ${b.n} | |`,
    `| deliveries missing                | ${samples.local.undelivered} | ${samples.baseline.undelivered} | |`,
    `| ${SUBSCRIBERS} subscribers connected in (ms) | ${formatMs(connectMs.local ?? NaN)} | ${formatMs(connectMs.baseline ?? NaN)} | |`,
    '',
    `Goal: fan-out p99 within ${GOAL_P99_RATIO}x of the baseline's — ${p99Ratio <= GOAL_P99_RATIO ? 'met' : 'NOT met'} (${p99Ratio.toFixed(2)}x).`,
    samples.local.undelivered === 0
      ? `Every subscriber received every event.`
      : 'Some deliveries were missing (above).',
    '',
  ];
  const report = lines.join('\n');
  console.log(report);
  await writeFile(path.join(here, 'reports/realtime.md'), report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
