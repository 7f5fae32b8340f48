// npm run bench — the local AppSync server against a plain GraphQL baseline, in one run:
//   1. startup of `npm start`'s command to the first answered, authenticated query (cold and warm data folder), and
//      where startup time goes (imports, stores, engine);
//   2. throughput and p50/p99 latency of getNote, listNotes(limit: 20) and createNote with 16 concurrent clients,
//      local server and baseline alternating round by round (medians), both on one dynalite store in its own process;
//   3. DynamoDB requests per CRUD operation, counted by the server and by the store;
//   4. when the local server misses 0.8x the baseline on an operation, a CPU profile of it under that load.
// Writes bench/reports/server.md and prints it. BENCH_ROUNDS, BENCH_SECONDS, BENCH_STARTUP_RUNS and BENCH_PROFILE
// (always | never | auto) adjust the run.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import notesApiConfig from '../appsync-local.config';
import { signIn } from '../client/src/auth';
import type { BaselineReady } from './baseline/server';
import { startChild, type ChildHandle } from './lib/child';
import { inclusiveOf, summariseProfile, top, type CpuProfile, type ProfileSummary } from './lib/cpu-profile';
import type { DynaliteReady } from './lib/dynalite-process';
import { graphqlCall, runLoad, type LoadResult } from './lib/load';
import type { LocalServerReady } from './lib/local-server-process';
import type { PhasesReady } from './lib/startup-phases';
import { measureStartup, type StartupRun } from './lib/startup';
import { formatMs, formatRate, median } from './lib/stats';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 3);
const PROFILE = process.env.BENCH_PROFILE ?? 'always';
const CONNECTIONS = 16;
const SEEDED_NOTES = 200;
const WARMUP_SECONDS = 2;
const PROFILE_SLICES = 8;
const PROFILE_SLICE_MS = 1000;
const GOAL_RATIO = 0.8;
const GOAL_STARTUP_MS = 2000;

type Operation = 'getNote' | 'listNotes' | 'createNote';
type ServerName = 'local' | 'baseline';
const OPERATIONS: Operation[] = ['getNote', 'listNotes', 'createNote'];

interface Measured extends LoadResult {
  round: number;
  /** Server CPU per answered request, µs. */
  serverCpuUs: number;
  /** Store (dynalite) CPU per answered request, µs. */
  storeCpuUs: number;
  loadAverage: number;
}

/** Median over rounds of local/baseline throughput within a round: the two measurements of a round are adjacent in
 * time, so the machine's drift between rounds cancels out. */
function roundRatio(pair: Record<ServerName, Measured[]>, of: (m: Measured) => number = (m) => m.opsPerSecond): number {
  return median(pair.local.map((local, i) => of(local) / of(pair.baseline[i])));
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function readOperations() {
  const folder = path.join(projectRoot, 'client/operations');
  const fragments = await readFile(path.join(folder, 'fragments.graphql'), 'utf8');
  const document = async (name: string) =>
    `${await readFile(path.join(folder, `${name}.graphql`), 'utf8')}\n${fragments}`;
  return {
    getNote: await document('getNote'),
    listNotes: await document('listNotes'),
    createNote: await document('createNote'),
    updateNote: await document('updateNote'),
    deleteNote: await document('deleteNote'),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Startup

/** Wall time of `node -e 0`: how slow starting any Node process is on this machine right now. */
function bareNodeMs(): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-e', '0']);
  if (result.status !== 0) throw new Error(`node -e 0 failed: ${result.stderr}`);
  return performance.now() - started;
}

async function startupRuns(user: { email: string; password: string }) {
  const cold: StartupRun[] = [];
  const warm: StartupRun[] = [];
  const bareNode: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i += 1) {
    bareNode.push(bareNodeMs());
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-startup-'));
    try {
      cold.push(await measureStartup({ projectRoot, dataDir, user }));
      log(`startup cold #${i + 1}: ${cold.at(-1)!.firstAnswerMs.toFixed(0)} ms`);
      warm.push(await measureStartup({ projectRoot, dataDir, user }));
      log(`startup warm #${i + 1}: ${warm.at(-1)!.firstAnswerMs.toFixed(0)} ms`);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return { cold, warm, bareNodeMs: median(bareNode) };
}

async function startupPhases(logDir: string) {
  const runs: PhasesReady[] = [];
  for (let i = 0; i < STARTUP_RUNS; i += 1) {
    const child = await startChild<PhasesReady>({
      script: path.join(here, 'lib/startup-phases.ts'),
      logFile: path.join(logDir, 'startup-phases.log'),
      cwd: projectRoot,
    });
    runs.push(child.ready);
    await child.stop();
  }
  const labels = runs[0].phases.map((p) => ({ group: p.group, label: p.label }));
  return {
    bootMs: median(runs.map((r) => r.bootMs)),
    phases: labels.map(({ group, label }) => ({
      group,
      label,
      ms: median(runs.map((r) => r.phases.find((p) => p.label === label)?.ms ?? Number.NaN)),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Servers, seed data, counts

interface Servers {
  store: ChildHandle<DynaliteReady>;
  local: ChildHandle<LocalServerReady>;
  baseline: ChildHandle<BaselineReady>;
  urls: Record<ServerName, string>;
  handles: Record<ServerName, ChildHandle<unknown>>;
}

async function startServers(workDir: string): Promise<Servers> {
  const store = await startChild<DynaliteReady>({
    script: path.join(here, 'lib/dynalite-process.ts'),
    logFile: path.join(workDir, 'dynalite.log'),
    env: { DYNALITE_DIR: path.join(workDir, 'dynamodb') },
  });
  const local = await startChild<LocalServerReady>({
    script: path.join(here, 'lib/local-server-process.ts'),
    logFile: path.join(workDir, 'local-server.log'),
    cwd: projectRoot,
    env: { DYNAMODB_ENDPOINT: store.ready.endpoint, DATA_DIR: path.join(workDir, 'local') },
  });
  const { cognito } = local.ready;
  const baseline = await startChild<BaselineReady>({
    script: path.join(here, 'baseline/server.ts'),
    logFile: path.join(workDir, 'baseline.log'),
    env: {
      DYNAMODB_ENDPOINT: store.ready.endpoint,
      COGNITO_ISSUER: cognito.issuer,
      COGNITO_JWKS_URL: cognito.jwksUrl,
      COGNITO_CLIENT_ID: cognito.clientId,
    },
  });
  return {
    store,
    local,
    baseline,
    urls: { local: local.ready.graphqlUrl, baseline: baseline.ready.graphqlUrl },
    handles: { local, baseline },
  };
}

type Documents = Awaited<ReturnType<typeof readOperations>>;

async function call(url: string, token: string, query: string, variables: Record<string, unknown>, field: string) {
  const { status, body } = await graphqlCall(url, token, query, variables);
  const value = body.data?.[field];
  if (status !== 200 || body.errors || value === null || value === undefined) {
    throw new Error(`${field} failed: HTTP ${status} ${JSON.stringify(body).slice(0, 500)}`);
  }
  return value as Record<string, unknown>;
}

async function seed(url: string, token: string, docs: Documents): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < SEEDED_NOTES) {
      const i = next;
      next += 1;
      const note = await call(
        url,
        token,
        docs.createNote,
        { input: { content: `seeded note ${i}: ${'x'.repeat(200)}` } },
        'createNote',
      );
      ids.push(String(note.noteId));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

interface CountRow {
  operation: string;
  server: ServerName;
  counted: number | null;
  received: Record<string, number>;
}

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(after)) if (n - (before[name] ?? 0) > 0) out[name] = n - (before[name] ?? 0);
  return out;
}

/** Each CRUD operation once, alone: the server's own counter and the store's request log, before and after. */
async function countRequests(
  servers: Servers,
  docs: Documents,
  tokens: { alice: string; bob: string },
  noteId: string,
) {
  const rows: CountRow[] = [];
  const measure = async (server: ServerName, operation: string, run: () => Promise<unknown>) => {
    const counters = () =>
      server === 'local' ? servers.local.ask<{ dynamodb: number }>('counters') : Promise.resolve({ dynamodb: 0 });
    const received = () => servers.store.ask<Record<string, number>>('received');
    const [countedBefore, receivedBefore] = [await counters(), await received()];
    await run();
    const [countedAfter, receivedAfter] = [await counters(), await received()];
    rows.push({
      operation,
      server,
      counted: server === 'local' ? countedAfter.dynamodb - countedBefore.dynamodb : null,
      received: difference(receivedAfter, receivedBefore),
    });
  };
  for (const server of ['local', 'baseline'] as const) {
    const url = servers.urls[server];
    await measure(server, 'getNote', () => call(url, tokens.alice, docs.getNote, { noteId }, 'getNote'));
    await measure(server, 'listNotes(limit: 20)', () =>
      call(url, tokens.alice, docs.listNotes, { limit: 20 }, 'listNotes'),
    );
    let created: Record<string, unknown> = {};
    await measure(server, 'createNote', async () => {
      created = await call(url, tokens.bob, docs.createNote, { input: { content: 'counted note' } }, 'createNote');
    });
    if (server === 'baseline') continue; // the baseline implements only the three benchmarked operations
    await measure(server, 'updateNote (content)', () =>
      call(
        url,
        tokens.bob,
        docs.updateNote,
        { input: { noteId: created.noteId, expectedVersion: 1, content: 'edited' } },
        'updateNote',
      ),
    );
    await measure(server, 'deleteNote', () =>
      call(url, tokens.bob, docs.deleteNote, { noteId: created.noteId }, 'deleteNote'),
    );
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------------
// Load

function loadFor(
  operation: Operation,
  url: string,
  tokens: { alice: string; bob: string },
  docs: Documents,
  ids: string[],
  ms: number,
) {
  const headers = (token: string) => ({
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: token,
  });
  switch (operation) {
    case 'getNote': {
      const bodies = ids.map((noteId) => JSON.stringify({ query: docs.getNote, variables: { noteId } }));
      return runLoad({
        url,
        connections: CONNECTIONS,
        durationMs: ms,
        headers: headers(tokens.alice),
        field: 'getNote',
        body: (i) => bodies[i % bodies.length],
      });
    }
    case 'listNotes': {
      const body = JSON.stringify({ query: docs.listNotes, variables: { limit: 20 } });
      return runLoad({
        url,
        connections: CONNECTIONS,
        durationMs: ms,
        headers: headers(tokens.alice),
        field: 'listNotes',
        body: () => body,
      });
    }
    case 'createNote': {
      // Bob's partition: new notes never change what alice's listNotes reads.
      const body = JSON.stringify({
        query: docs.createNote,
        variables: { input: { content: 'a note written under load' } },
      });
      return runLoad({
        url,
        connections: CONNECTIONS,
        durationMs: ms,
        headers: headers(tokens.bob),
        field: 'createNote',
        body: () => body,
      });
    }
  }
}

async function measuredLoad(
  servers: Servers,
  server: ServerName,
  operation: Operation,
  round: number,
  tokens: { alice: string; bob: string },
  docs: Documents,
  ids: string[],
): Promise<Measured> {
  const handle = servers.handles[server];
  const [serverCpu, storeCpu] = [await handle.ask<number>('cpu'), await servers.store.ask<number>('cpu')];
  const result = await loadFor(operation, servers.urls[server], tokens, docs, ids, SECONDS * 1000);
  const [serverCpuAfter, storeCpuAfter] = [await handle.ask<number>('cpu'), await servers.store.ask<number>('cpu')];
  if (result.failures > 0)
    throw new Error(`${server} ${operation}: ${result.failures} failed requests, first: ${result.firstFailure}`);
  return {
    ...result,
    round,
    serverCpuUs: (serverCpuAfter - serverCpu) / result.requests,
    storeCpuUs: (storeCpuAfter - storeCpu) / result.requests,
    loadAverage: loadavg()[0],
  };
}

interface ServerProfile {
  server: ServerName;
  operation: Operation;
  requests: number;
  /** Process CPU (all threads) per request during the profile, µs. */
  cpuUs: number;
  file: string;
  summary: ProfileSummary;
}

/**
 * Both servers profiled at once while the load alternates between them in short slices: the machine's speed drifts
 * from minute to minute, and slices side by side keep that drift out of the comparison.
 */
async function profileOperation(
  servers: Servers,
  operation: Operation,
  tokens: { alice: string; bob: string },
  docs: Documents,
  ids: string[],
  workDir: string,
): Promise<Record<ServerName, ServerProfile>> {
  const names: ServerName[] = ['local', 'baseline'];
  const totals = { local: { requests: 0, cpuUs: 0 }, baseline: { requests: 0, cpuUs: 0 } };
  for (const server of names) await servers.handles[server].ask('profile-start');
  for (let slice = 0; slice < PROFILE_SLICES * 2; slice += 1) {
    const server = names[(slice + Math.floor(slice / 2)) % 2]; // local, baseline, baseline, local, ...
    const handle = servers.handles[server];
    const cpuBefore = await handle.ask<number>('cpu');
    const result = await loadFor(operation, servers.urls[server], tokens, docs, ids, PROFILE_SLICE_MS);
    totals[server].cpuUs += (await handle.ask<number>('cpu')) - cpuBefore;
    totals[server].requests += result.requests;
  }
  const profiles = {} as Record<ServerName, ServerProfile>;
  for (const server of names) {
    const file = path.join(workDir, `${server}-${operation}.cpuprofile`);
    await servers.handles[server].ask('profile-stop', file);
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    profiles[server] = {
      server,
      operation,
      file,
      requests: totals[server].requests,
      cpuUs: totals[server].cpuUs / totals[server].requests,
      summary: summariseProfile(profile, projectRoot),
    };
  }
  return profiles;
}

// ---------------------------------------------------------------------------------------------------------------------
// Report

function table(header: string[], rows: string[][]): string[] {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

// Steps of a request, as inclusive time of the function that performs them: [label, function, area prefix].
const PROBES: Array<[string, string, string]> = [
  ['whole request in the HTTP handler (local)', 'handle', 'local/server/http-server.ts'],
  ['token check (jose jwtVerify, RS256)', 'jwtVerify', 'jose'],
  ['GraphQL parse', 'parse', 'graphql'],
  ['GraphQL validate', 'validate', 'graphql'],
  ['GraphQL execute', 'execute', 'graphql'],
  ['resolver run: handlers in the sandbox + data source (local)', 'runResolver', 'local/runtime/pipeline.ts'],
  ['sandbox evaluations (local)', 'evaluate', 'local/runtime/runtime.ts'],
  ['DynamoDB data source: request mapping + SDK call (local)', 'invoke', 'local/server/datasources/dynamodb.ts'],
  ['AWS SDK send (middleware, SigV4, HTTP)', 'send', '@smithy/'],
  ['SigV4 signing of the DynamoDB request', 'signRequest', '@smithy/signature-v4'],
  ['response JSON + write (local)', 'send', 'local/server/http-server.ts'],
  ['request log line (local)', 'log', 'local/server/serve.ts'],
];

function profileLines(operation: Operation, local: ServerProfile, baseline: ServerProfile): string[] {
  const perRequest = (profile: ServerProfile, ms: number) => (ms * 1000) / profile.requests;
  const us = (value: number) => (value > 0 ? value.toFixed(0) : '–');
  const areaNames = new Set([
    ...top(local.summary.areas, 14).map((a) => a.name),
    ...top(baseline.summary.areas, 8).map((a) => a.name),
  ]);
  const busy = (profile: ServerProfile) => perRequest(profile, profile.summary.busyMs);
  const appsync = (name: string) => /^(local\/|realm: )/.test(name);
  const emulationUs = [...local.summary.areas].filter(([name]) => appsync(name)).reduce((sum, [, ms]) => sum + ms, 0);
  return [
    '',
    `### Where the server CPU goes: \`${operation}\``,
    '',
    `Both servers profiled together while the same load alternated between them, ${PROFILE_SLICES} slices of ` +
      `${PROFILE_SLICE_MS / 1000} s each (inspector sampling every 250 µs, each busy sample counted as one interval; ` +
      `${local.requests} local and ${baseline.requests} baseline requests). Main-thread CPU per request from ` +
      `the samples: local ${busy(local).toFixed(0)} µs, baseline ${busy(baseline).toFixed(0)} µs (process CPU, all threads: ` +
      `${local.cpuUs.toFixed(0)} and ${baseline.cpuUs.toFixed(0)} µs). Of the local figure, ${perRequest(local, emulationUs).toFixed(0)} µs ` +
      `is self time in the local server's own code (local/**) and the APPSYNC_JS realm. Profiles: ${local.file}, ${baseline.file}.`,
    '',
    'Self time by area (µs per request):',
    '',
    ...table(
      ['area', 'local', 'baseline'],
      [...areaNames].map((name) => [
        `\`${name}\``,
        us(perRequest(local, local.summary.areas.get(name) ?? 0)),
        us(perRequest(baseline, baseline.summary.areas.get(name) ?? 0)),
      ]),
    ),
    '',
    'Steps, inclusive (µs per request; synchronous part only: what runs after an `await` is counted where it resumes):',
    '',
    ...table(
      ['step', 'local', 'baseline'],
      PROBES.map(([label, name, area]) => [
        label,
        us(perRequest(local, inclusiveOf(local.summary, name, area))),
        us(perRequest(baseline, inclusiveOf(baseline.summary, name, area))),
      ]),
    ),
    '',
    'Busiest functions of the local server, self time:',
    '',
    ...table(
      ['function', 'µs/request', '% of busy'],
      top(local.summary.self, 15).map((f) => [
        `\`${f.name}\``,
        perRequest(local, f.ms).toFixed(0),
        ((100 * f.ms) / local.summary.busyMs).toFixed(1),
      ]),
    ),
  ];
}

async function main(): Promise<void> {
  const [alice, bob] = notesApiConfig.users ?? [];
  if (!alice || !bob) throw new Error('appsync-local.config.ts must configure two users');
  const docs = await readOperations();
  const workDir = await mkdtemp(path.join(tmpdir(), 'bench-server-'));
  const loadAtStart = loadavg();
  log(`bench: work folder ${workDir}, load average ${loadAtStart.map((n) => n.toFixed(1)).join(' ')}`);

  // 1. Startup, before anything else runs in the background.
  const startup = await startupRuns(alice);
  const phases = await startupPhases(workDir);
  log('startup phases measured');

  // 2-4. Servers on one store.
  const servers = await startServers(workDir);
  const results: Record<Operation, Record<ServerName, Measured[]>> = {
    getNote: { local: [], baseline: [] },
    listNotes: { local: [], baseline: [] },
    createNote: { local: [], baseline: [] },
  };
  let counts: CountRow[] = [];
  const profiles: Array<Record<ServerName, ServerProfile>> = [];
  let ids: string[] = [];
  try {
    const tokens = {
      alice: (await signIn(servers.local.ready.cognito, alice.email, alice.password)).idToken,
      bob: (await signIn(servers.local.ready.cognito, bob.email, bob.password)).idToken,
    };
    ids = await seed(servers.urls.local, tokens.alice, docs);
    log(`seeded ${ids.length} notes`);
    counts = await countRequests(servers, docs, tokens, ids[0]);

    for (const operation of OPERATIONS) {
      for (const server of ['local', 'baseline'] as const) {
        await loadFor(operation, servers.urls[server], tokens, docs, ids, WARMUP_SECONDS * 1000);
      }
    }
    log('warmed up');
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const operation of OPERATIONS) {
        const order: ServerName[] = round % 2 === 0 ? ['local', 'baseline'] : ['baseline', 'local'];
        for (const server of order) {
          const measured = await measuredLoad(servers, server, operation, round, tokens, docs, ids);
          results[operation][server].push(measured);
          log(
            `round ${round + 1} ${operation} ${server}: ${formatRate(measured.opsPerSecond)} ops/s, p50 ${formatMs(measured.p50Ms)} ms, ` +
              `p99 ${formatMs(measured.p99Ms)} ms, ${measured.serverCpuUs.toFixed(0)} µs CPU/op, load ${measured.loadAverage.toFixed(1)}`,
          );
        }
      }
    }

    const ratio = (operation: Operation) => roundRatio(results[operation]);
    const toProfile = OPERATIONS.filter((op) => PROFILE === 'always' || (PROFILE === 'auto' && ratio(op) < GOAL_RATIO));
    for (const operation of toProfile) {
      profiles.push(await profileOperation(servers, operation, tokens, docs, ids, workDir));
      log(`profiled ${operation}`);
    }
  } finally {
    await servers.baseline.stop();
    await servers.local.stop();
    await servers.store.stop();
  }
  const loadAtEnd = loadavg();

  // Report.
  const lines: string[] = [
    '# Local AppSync server benchmark',
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, load average ${loadAtStart[0].toFixed(1)} at start and ` +
      `${loadAtEnd[0].toFixed(1)} at end (1-minute; the machine is shared, so wall-clock figures are noisy and CPU per request is the steadier measure).`,
    '',
    '## Startup',
    '',
    `\`node bin/appsync-local.js serve --config appsync-local.config.ts\` (what \`npm start\` runs) on free ports, from spawn to the first ` +
      `answered listNotes of a user who signed in through the local Cognito API; ${STARTUP_RUNS} runs each, medians. ` +
      `Cold: a new data folder (user pool, keys, users and table created); warm: the same folder again. Goal: under ${GOAL_STARTUP_MS / 1000} s.`,
    '',
    ...table(
      ['', 'first answer (ms)', 'banner (ms)', 'server CPU at first answer (ms)', 'runs (first answer, ms)'],
      (['cold', 'warm'] as const).map((kind) => [
        kind,
        median(startup[kind].map((r) => r.firstAnswerMs)).toFixed(0),
        median(startup[kind].map((r) => r.bannerMs)).toFixed(0),
        median(startup[kind].map((r) => r.cpuMs)).toFixed(0),
        startup[kind].map((r) => r.firstAnswerMs.toFixed(0)).join(', '),
      ]),
    ),
    '',
    `Goal of ${GOAL_STARTUP_MS / 1000} s: cold ${median(startup.cold.map((r) => r.firstAnswerMs)) < GOAL_STARTUP_MS ? 'met' : 'NOT met'}, ` +
      `warm ${median(startup.warm.map((r) => r.firstAnswerMs)) < GOAL_STARTUP_MS ? 'met' : 'NOT met'} (wall clock on this machine at this load). ` +
      `For scale: \`node -e 0\` took ${startup.bareNodeMs.toFixed(0)} ms here meanwhile (median). Both runs find the APPSYNC_JS realm ` +
      'bundle in its disk cache (node_modules/.cache/appsync-local); the very first start after an edit of local/runtime/realm rebuilds it.',
    '',
    `Where it goes (bench/lib/startup-phases.ts: each phase alone, in order, in a fresh process; medians of ${STARTUP_RUNS}). ` +
      `serve.ts starts the three stores side by side, so their wall-clock cost there is closer to the largest than to the sum.`,
    '',
    ...table(
      ['phase', 'ms'],
      [
        ['Node start + tsx loader, to the first line of the script', phases.bootMs.toFixed(0)],
        ...phases.phases.map((p) => [`${p.group}: ${p.label}`, p.ms.toFixed(0)]),
        ...(['imports', 'stores', 'engine'] as const).map((group) => [
          `**total ${group}**`,
          `**${phases.phases
            .filter((p) => p.group === group && !p.label.includes('(warm)') && !p.label.startsWith('of the'))
            .reduce((sum, p) => sum + p.ms, 0)
            .toFixed(0)}**${group === 'stores' ? ' (cold)' : ''}`,
        ]),
      ],
    ),
    '',
    '## Throughput and latency',
    '',
    `${CONNECTIONS} concurrent keep-alive clients for ${SECONDS} s per measurement, real HTTP and real ID tokens; every answer checked. ` +
      `${ROUNDS} rounds, local server and baseline alternating (order flipped each round), medians of the rounds; ` +
      'the ratios are medians of the per-round ratios (the two measurements of a round are adjacent in time). ' +
      `Both servers use one dynalite store (LevelDB on disk) in a process of its own. getNote reads the ${SEEDED_NOTES} notes seeded for alice in turn; ` +
      `listNotes reads her newest 20; createNote writes to bob's partition. ` +
      'Local: the notes API as `npm start` configures it (per-request log line to a file). ' +
      'Baseline: graphql-http, the same schema, hand-written resolvers making the same DynamoDB calls, the same JWT check (bench/baseline/).',
    '',
    ...table(
      [
        'operation',
        'local ops/s',
        'baseline ops/s',
        'ratio (goal ≥ 0.8)',
        'local p50 / p99 ms',
        'baseline p50 / p99 ms',
        'server CPU µs/op local / baseline',
        'CPU ratio baseline / local',
        'store CPU µs/op local / baseline',
      ],
      OPERATIONS.map((operation) => {
        const local = results[operation].local;
        const baseline = results[operation].baseline;
        const rate = (list: Measured[]) => median(list.map((r) => r.opsPerSecond));
        const r = roundRatio(results[operation]);
        return [
          operation === 'listNotes' ? 'listNotes(limit: 20)' : operation,
          formatRate(rate(local)),
          formatRate(rate(baseline)),
          `${r.toFixed(2)}x ${r >= GOAL_RATIO ? 'met' : 'NOT met'}`,
          `${formatMs(median(local.map((m) => m.p50Ms)))} / ${formatMs(median(local.map((m) => m.p99Ms)))}`,
          `${formatMs(median(baseline.map((m) => m.p50Ms)))} / ${formatMs(median(baseline.map((m) => m.p99Ms)))}`,
          `${median(local.map((m) => m.serverCpuUs)).toFixed(0)} / ${median(baseline.map((m) => m.serverCpuUs)).toFixed(0)}`,
          `${(1 / roundRatio(results[operation], (m) => m.serverCpuUs)).toFixed(2)}x`,
          `${median(local.map((m) => m.storeCpuUs)).toFixed(0)} / ${median(baseline.map((m) => m.storeCpuUs)).toFixed(0)}`,
        ];
      }),
    ),
    '',
    'Rounds: ops/s local vs baseline, then server CPU µs/op local vs baseline, and the 1-minute load average:',
    '',
    ...OPERATIONS.map((operation) => {
      const rounds = results[operation].local.map((local, i) => {
        const baseline = results[operation].baseline[i];
        return (
          `${formatRate(local.opsPerSecond)} vs ${formatRate(baseline.opsPerSecond)}, ` +
          `${local.serverCpuUs.toFixed(0)} vs ${baseline.serverCpuUs.toFixed(0)} µs (load ${local.loadAverage.toFixed(1)})`
        );
      });
      return `- ${operation}: ${rounds.join('; ')}`;
    }),
    '',
    '## DynamoDB requests per operation',
    '',
    'Each operation alone; "counted" is the local server\'s own counter (`api.counters.dynamodb`), "received" what the store ' +
      'logged (by X-Amz-Target). Goal: exactly one per CRUD operation.',
    '',
    ...table(
      ['operation', 'server', 'counted', 'received by the store', 'goal'],
      counts.map((row) => {
        const total = Object.values(row.received).reduce((a, b) => a + b, 0);
        const ok = total === 1 && (row.counted === null || row.counted === 1);
        return [
          row.operation,
          row.server,
          row.counted === null ? '–' : String(row.counted),
          Object.entries(row.received)
            .map(([name, n]) => `${name} ×${n}`)
            .join(', ') || 'none',
          ok ? 'met' : 'NOT met',
        ];
      }),
    ),
    ...profiles.flatMap((pair) => profileLines(pair.local.operation, pair.local, pair.baseline)),
  ];
  const report = lines.join('\n');
  console.log(report);
  await writeFile(path.join(here, 'reports/server.md'), `${report}\n`);
  if (profiles.length === 0) await rm(workDir, { recursive: true, force: true });
  else log(`kept ${workDir} for its CPU profiles`);
}

await main();
