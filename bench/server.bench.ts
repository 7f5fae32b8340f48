// npm run bench — the local AppSync server exactly as `npm start` runs it, against two plain GraphQL servers, in one
// run on this machine:
//   1. startup: spawn to the first signed-in answer, cold and warm data folder, with and without npm;
//   2. DynamoDB requests per CRUD operation, counted where the store receives them;
//   3. getNote, listNotes(limit: 20) and createNote under 16 concurrent clients: req/s, p50/p99, CPU per request of
//      each server's whole process tree, its peak RSS; the three servers alternating in every round, medians.
// The servers: `local` (`node bin/appsync-local.js serve --config appsync-local.config.ts`, its own stores and data
// folder); `same-work` (bench/baseline: graphql-http, hand-written resolvers making the same DynamoDB calls, every
// token verified by the local server's verifier behind the same cache, dynalite on LevelDB on disk in a process of
// its own, and createNote publishing the change with a SigV4-signed request to its own /graphql as the notes API
// does); `limit` (the same, but tokens only decoded, dynalite in memory and nothing published).
// Writes bench/reports/server.md, regenerates the README's benchmark table from it and prints it. BENCH_ROUNDS,
// BENCH_SECONDS, BENCH_STARTUP_RUNS adjust the run; BENCH_PROFILE=1 adds CPU profiles of the local server under each
// operation's load (node --cpu-prof, every thread).
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import notesApiConfig from '../appsync-local.config';
import { bundleModule } from '../bin/module-cache.js';
import { signIn } from '../client/src/auth';
import type { BaselineReady } from './baseline/server';
import { startChild, type ChildHandle } from './lib/child';
import { summariseProfile, threadRole, top, type CpuProfile } from './lib/cpu-profile';
import type { DynaliteReady } from './lib/dynalite-process';
import { startLocalServer, type LocalServer } from './lib/local-cli';
import { graphqlCall, runLoad, type LoadResult } from './lib/load';
import { sampleTreeRss, treeCpuMs } from './lib/process-tree';
import { measureStartup, type StartupRun } from './lib/startup';
import { formatMs, formatRate, median } from './lib/stats';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..');

// Five rounds: on this 2-core VM the same server's req/s moved by up to a fifth from one round to the next, so a median
// of three could hang on one slow round.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 3);
const PROFILE = process.env.BENCH_PROFILE === '1';
const CONNECTIONS = 16;
const SEEDED_NOTES = 200;
const WARMUP_SECONDS = 2;
const PROFILE_SECONDS = 5;
const GOAL_RATIO = 0.8;
const GOAL_P99_RATIO = 1.5;
const GOAL_STARTUP_MS = 1000;
const GOAL_RSS_BYTES = 300 * 1024 * 1024;
/** The 1-minute load average above which figures on this shared machine are suspect. */
const QUIET_LOAD = 1.5;

type Operation = 'getNote' | 'listNotes' | 'createNote';
type ServerName = 'local' | 'sameWork' | 'limit';
const OPERATIONS: Operation[] = ['getNote', 'listNotes', 'createNote'];
const SERVERS: ServerName[] = ['local', 'sameWork', 'limit'];
const LABELS: Record<ServerName, string> = { local: 'local (`npm start`)', sameWork: 'same-work', limit: 'limit' };
const OPERATION_LABELS: Record<Operation, string> = {
  getNote: 'getNote',
  listNotes: 'listNotes(limit: 20)',
  createNote: 'createNote',
};

interface Measured extends LoadResult {
  round: number;
  /** CPU of the server's whole process tree per answered request, ms. */
  cpuMsPerRequest: number;
  peakRssBytes: number;
  loadAverage: number;
}

interface Tokens {
  alice: string;
  bob: string;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
// Two decimals would print a ratio just short of a goal as the goal itself ("0.80x ... NOT met"): those get three.
const ratio = (value: number) => {
  const rounded = value.toFixed(2);
  const hidesMiss = [GOAL_RATIO, GOAL_P99_RATIO].includes(Number(rounded)) && Number(rounded) !== value;
  return `${hidesMiss ? value.toFixed(3) : rounded}x`;
};

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
type Documents = Awaited<ReturnType<typeof readOperations>>;

async function call(url: string, token: string, query: string, variables: Record<string, unknown>, field: string) {
  const { status, body } = await graphqlCall(url, token, query, variables);
  const value = body.data?.[field];
  if (status !== 200 || body.errors || value === null || value === undefined) {
    throw new Error(`${field} failed: HTTP ${status} ${JSON.stringify(body).slice(0, 500)}`);
  }
  return value as Record<string, unknown>;
}

async function signInBoth(cognito: LocalServer['cognito']): Promise<Tokens> {
  const [alice, bob] = notesApiConfig.users ?? [];
  if (!alice || !bob) throw new Error('appsync-local.config.ts must configure two users');
  return {
    alice: (await signIn(cognito, alice.email, alice.password)).idToken,
    bob: (await signIn(cognito, bob.email, bob.password)).idToken,
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

type StartupKind = 'node cold' | 'node warm' | 'npm cold' | 'npm warm';
const STARTUP_KINDS: StartupKind[] = ['node cold', 'node warm', 'npm cold', 'npm warm'];

async function startupRuns() {
  const [alice] = notesApiConfig.users ?? [];
  const runs = Object.fromEntries(STARTUP_KINDS.map((kind) => [kind, [] as StartupRun[]])) as Record<
    StartupKind,
    StartupRun[]
  >;
  const bareNode: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i += 1) {
    bareNode.push(bareNodeMs());
    for (const viaNpm of [false, true]) {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-startup-'));
      try {
        for (const warmth of ['cold', 'warm'] as const) {
          const kind = `${viaNpm ? 'npm' : 'node'} ${warmth}` as StartupKind;
          runs[kind].push(await measureStartup({ projectRoot, dataDir, user: alice, viaNpm }));
          log(`startup ${kind} #${i + 1}: ${runs[kind].at(-1)!.firstAnswerMs.toFixed(0)} ms`);
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
  return { runs, bareNodeMs: median(bareNode) };
}

// ---------------------------------------------------------------------------------------------------------------------
// Servers

interface ServerUnderTest {
  name: ServerName;
  graphqlUrl: string;
  /** The roots of its process trees (a plain server and its store are two processes of the bench). */
  pids: number[];
  stop(): Promise<unknown>;
}

function cpuMsOf(server: ServerUnderTest): number {
  return server.pids.reduce((sum, pid) => sum + treeCpuMs(pid), 0);
}

function rssSampler(server: ServerUnderTest): { stop(): number } {
  const samplers = server.pids.map((pid) => sampleTreeRss(pid));
  // Processes of one server peak at about the same time (under load); the sum of their peaks bounds the peak sum.
  return { stop: () => samplers.reduce((sum, s) => sum + s.stop(), 0) };
}

async function startPlainServer(
  name: 'sameWork' | 'limit',
  workDir: string,
  cognito: LocalServer['cognito'],
): Promise<{ server: ServerUnderTest; store: ChildHandle<DynaliteReady> }> {
  const store = await startChild<DynaliteReady>({
    script: path.join(here, 'lib/dynalite-process.ts'),
    logFile: path.join(workDir, `${name}-dynalite.log`),
    // On disk for the same-work server, as the local server keeps it; in memory for the limit.
    env: { DYNALITE_DIR: name === 'sameWork' ? path.join(workDir, `${name}-dynamodb`) : '' },
  });
  const baseline = await startChild<BaselineReady>({
    script: path.join(here, 'baseline/server.ts'),
    logFile: path.join(workDir, `${name}.log`),
    env: {
      BASELINE_AUTH: name === 'sameWork' ? 'verify' : 'decode',
      BASELINE_PUBLISH: name === 'sameWork' ? 'sigv4' : '',
      DYNAMODB_ENDPOINT: store.ready.endpoint,
      COGNITO_ISSUER: cognito.issuer,
      COGNITO_JWKS_URL: cognito.jwksUrl,
      COGNITO_CLIENT_ID: cognito.clientId,
    },
  });
  return {
    store,
    server: {
      name,
      graphqlUrl: baseline.ready.graphqlUrl,
      pids: [baseline.pid, store.pid],
      stop: async () => {
        await baseline.stop();
        await store.stop();
      },
    },
  };
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
  // Newest first, as listNotes returns them: every server reads the same positions of its own notes.
  return ids.sort().reverse();
}

// ---------------------------------------------------------------------------------------------------------------------
// DynamoDB requests per operation

interface CountRow {
  operation: string;
  server: ServerName;
  /** What the store received during the operation, by X-Amz-Target (and other requests to the server, by path). */
  received: Record<string, number>;
}

function tally(lines: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines) if (line) out[line] = (out[line] ?? 0) + 1;
  return out;
}

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(after)) if (n - (before[name] ?? 0) > 0) out[name] = n - (before[name] ?? 0);
  return out;
}

async function countOperations(
  server: ServerName,
  url: string,
  tokens: Tokens,
  docs: Documents,
  received: () => Promise<Record<string, number>>,
  all: boolean,
): Promise<CountRow[]> {
  const rows: CountRow[] = [];
  const measure = async (operation: string, run: () => Promise<Record<string, unknown>>) => {
    const before = await received();
    const value = await run();
    // The store may log a request a moment after the answer left: let the file and the IPC catch up.
    await new Promise((resolve) => setTimeout(resolve, 100));
    rows.push({ operation, server, received: difference(await received(), before) });
    return value;
  };
  // Not counted: the first request of a token also fetches the user pool's signing keys (JWKS), once.
  await call(url, tokens.bob, docs.listNotes, { limit: 1 }, 'listNotes');
  const created = await measure('createNote', () =>
    call(url, tokens.bob, docs.createNote, { input: { content: 'counted note' } }, 'createNote'),
  );
  await measure('getNote', () => call(url, tokens.bob, docs.getNote, { noteId: created.noteId }, 'getNote'));
  await measure('listNotes(limit: 20)', () => call(url, tokens.bob, docs.listNotes, { limit: 20 }, 'listNotes'));
  if (!all) return rows; // the plain servers implement only the three benchmarked operations
  await measure('updateNote (content)', () =>
    call(
      url,
      tokens.bob,
      docs.updateNote,
      { input: { noteId: created.noteId, expectedVersion: 1, content: 'edited' } },
      'updateNote',
    ),
  );
  await measure('deleteNote', () => call(url, tokens.bob, docs.deleteNote, { noteId: created.noteId }, 'deleteNote'));
  return rows;
}

/** The local server once more, with the request counter preloaded into each of its threads (dynalite's too). */
async function countLocalRequests(workDir: string, docs: Documents): Promise<CountRow[]> {
  const countFile = path.join(workDir, 'local-requests.log');
  await writeFile(countFile, '');
  const server = await startLocalServer({
    projectRoot,
    dataDir: path.join(workDir, 'local-counted'),
    logFile: path.join(workDir, 'local-counted.log'),
    nodeArgs: ['--require', path.join(here, 'lib/count-store-requests.cjs')],
    env: { REQUEST_COUNT_FILE: countFile },
  });
  try {
    const tokens = await signInBoth(server.cognito);
    const received = async () => tally((await readFile(countFile, 'utf8')).split('\n'));
    return await countOperations('local', server.graphqlUrl, tokens, docs, received, true);
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Load

function loadFor(operation: Operation, url: string, tokens: Tokens, docs: Documents, ids: string[], ms: number) {
  const headers = (token: string) => ({
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: token,
  });
  const common = { url, connections: CONNECTIONS, durationMs: ms };
  switch (operation) {
    case 'getNote': {
      const bodies = ids.map((noteId) => JSON.stringify({ query: docs.getNote, variables: { noteId } }));
      return runLoad({
        ...common,
        headers: headers(tokens.alice),
        field: 'getNote',
        body: (i) => bodies[i % bodies.length],
      });
    }
    case 'listNotes': {
      const body = JSON.stringify({ query: docs.listNotes, variables: { limit: 20 } });
      return runLoad({ ...common, headers: headers(tokens.alice), field: 'listNotes', body: () => body });
    }
    case 'createNote': {
      // Bob's partition: new notes never change what alice's listNotes reads.
      const body = JSON.stringify({
        query: docs.createNote,
        variables: { input: { content: 'a note written under load' } },
      });
      return runLoad({ ...common, headers: headers(tokens.bob), field: 'createNote', body: () => body });
    }
  }
}

async function measuredLoad(
  server: ServerUnderTest,
  operation: Operation,
  round: number,
  tokens: Tokens,
  docs: Documents,
  ids: string[],
): Promise<Measured> {
  const cpuBefore = cpuMsOf(server);
  const rss = rssSampler(server);
  const result = await loadFor(operation, server.graphqlUrl, tokens, docs, ids, SECONDS * 1000);
  const peakRssBytes = rss.stop();
  const cpuMs = cpuMsOf(server) - cpuBefore;
  if (result.failures > 0) {
    throw new Error(`${server.name} ${operation}: ${result.failures} failed requests, first: ${result.firstFailure}`);
  }
  return { ...result, round, cpuMsPerRequest: cpuMs / result.requests, peakRssBytes, loadAverage: loadavg()[0] };
}

// ---------------------------------------------------------------------------------------------------------------------
// Profiles (BENCH_PROFILE=1)

interface OperationProfile {
  operation: Operation;
  requests: number;
  threads: Array<{ file: string; role: string; busyMs: number; top: Array<{ name: string; ms: number }> }>;
}

async function profileLocal(workDir: string, docs: Documents): Promise<OperationProfile[]> {
  const out: OperationProfile[] = [];
  for (const operation of OPERATIONS) {
    const dir = path.join(workDir, `profile-${operation}`);
    await mkdir(dir, { recursive: true });
    const dataDir = path.join(workDir, `local-profiled-${operation}`);
    // The data folder is created and seeded by a start of its own, so that the profile holds a warm start and the
    // load, not key generation or seeding.
    const seeding = await startLocalServer({ projectRoot, dataDir, logFile: `${dataDir}-seeding.log` });
    let ids: string[];
    try {
      ids = await seed(seeding.graphqlUrl, (await signInBoth(seeding.cognito)).alice, docs);
    } finally {
      await seeding.stop();
    }
    const server = await startLocalServer({
      projectRoot,
      dataDir,
      logFile: `${dataDir}.log`,
      nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
    });
    let requests = 0;
    try {
      const tokens = await signInBoth(server.cognito);
      requests = (await loadFor(operation, server.graphqlUrl, tokens, docs, ids, PROFILE_SECONDS * 1000)).requests;
    } finally {
      await server.stop();
    }
    const threads = [];
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'))) {
      const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
      const summary = summariseProfile(profile, projectRoot);
      threads.push({
        file: path.join(dir, file),
        role: threadRole(profile),
        busyMs: summary.busyMs,
        top: top(summary.self, 8),
      });
    }
    threads.sort((a, b) => b.busyMs - a.busyMs);
    out.push({ operation, requests, threads });
    log(`profiled ${operation}: ${threads.length} thread profiles in ${dir}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Report

function table(header: string[], rows: string[][]): string[] {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

type Results = Record<Operation, Record<ServerName, Measured[]>>;

/** Median over rounds of a server's figure divided by another's in the same round (adjacent in time). */
function roundRatio(
  results: Results,
  operation: Operation,
  of: ServerName,
  to: ServerName,
  pick: (m: Measured) => number,
) {
  const mine = results[operation][of];
  const theirs = results[operation][to];
  return median(mine.map((m, i) => pick(m) / pick(theirs[i])));
}

const README_BEGIN = '<!-- bench:server:begin (generated by npm run bench from bench/reports/server.md) -->';
const README_END = '<!-- bench:server:end -->';

async function main(): Promise<void> {
  const docs = await readOperations();
  const workDir = await mkdtemp(path.join(tmpdir(), 'bench-server-'));
  const loadAtStart = loadavg();
  const started = performance.now();
  log(`bench: work folder ${workDir}, load average ${loadAtStart.map((n) => n.toFixed(2)).join(' ')}`);
  if (loadAtStart[0] > QUIET_LOAD) log(`bench: the machine is busy (load above ${QUIET_LOAD}); figures will be noisy`);

  // Caches filled first, so that no measured process builds bundles: the helpers' bundles, and the server's own
  // (CLI, config, realm, resolvers) by one start that is not measured.
  for (const helper of ['baseline/server.ts', 'lib/dynalite-process.ts']) await bundleModule(path.join(here, helper));
  const filling = await startLocalServer({
    projectRoot,
    dataDir: path.join(workDir, 'caches'),
    logFile: path.join(workDir, 'caches.log'),
  });
  await filling.stop();

  // 1. Startup, before anything else runs.
  const startup = await startupRuns();

  // 2. Requests per operation at the local server's store.
  const counts = await countLocalRequests(workDir, docs);
  log("counted the local server's store requests");

  // 3. The three servers, side by side.
  const results = Object.fromEntries(
    OPERATIONS.map((op) => [op, Object.fromEntries(SERVERS.map((s) => [s, [] as Measured[]]))]),
  ) as Results;
  const peakRss = {} as Record<ServerName, number>;
  const local = await startLocalServer({
    projectRoot,
    dataDir: path.join(workDir, 'local'),
    logFile: path.join(workDir, 'local.log'),
  });
  const servers: Partial<Record<ServerName, ServerUnderTest>> = {
    local: { name: 'local', graphqlUrl: local.graphqlUrl, pids: [local.pid], stop: () => local.stop() },
  };
  const lifetimeRss: Partial<Record<ServerName, { stop(): number }>> = { local: rssSampler(servers.local!) };
  try {
    const tokens = await signInBoth(local.cognito);
    for (const name of ['sameWork', 'limit'] as const) {
      const { server, store } = await startPlainServer(name, workDir, local.cognito);
      servers[name] = server;
      lifetimeRss[name] = rssSampler(server);
      if (name === 'sameWork') {
        const received = () => store.ask<Record<string, number>>('received');
        counts.push(...(await countOperations(name, server.graphqlUrl, tokens, docs, received, false)));
      }
    }
    const ids = {} as Record<ServerName, string[]>;
    for (const name of SERVERS) ids[name] = await seed(servers[name]!.graphqlUrl, tokens.alice, docs);
    log(`seeded ${SEEDED_NOTES} notes on each server`);

    for (const operation of OPERATIONS) {
      for (const name of SERVERS) {
        await loadFor(operation, servers[name]!.graphqlUrl, tokens, docs, ids[name], WARMUP_SECONDS * 1000);
      }
    }
    log('warmed up');
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const operation of OPERATIONS) {
        // Each round starts with the next server: each goes first, second and third equally often.
        const order = SERVERS.map((_, i) => SERVERS[(i + round) % SERVERS.length]);
        for (const name of order) {
          const measured = await measuredLoad(servers[name]!, operation, round, tokens, docs, ids[name]);
          results[operation][name].push(measured);
          log(
            `round ${round + 1} ${operation} ${name}: ${formatRate(measured.opsPerSecond)} req/s, ` +
              `p50 ${formatMs(measured.p50Ms)} ms, p99 ${formatMs(measured.p99Ms)} ms, ` +
              `${measured.cpuMsPerRequest.toFixed(2)} ms CPU/req, peak ${mb(measured.peakRssBytes)}, load ${measured.loadAverage.toFixed(2)}`,
          );
        }
      }
    }
  } finally {
    for (const name of SERVERS) {
      const sampler = lifetimeRss[name];
      if (sampler) peakRss[name] = sampler.stop();
      await servers[name]?.stop();
    }
  }
  const profiles = PROFILE ? await profileLocal(workDir, docs) : [];
  const loadAtEnd = loadavg();
  const totalSeconds = (performance.now() - started) / 1000;

  // Report.
  const rate = (op: Operation, s: ServerName) => median(results[op][s].map((m) => m.opsPerSecond));
  const quantile = (op: Operation, s: ServerName, pick: (m: Measured) => number) => median(results[op][s].map(pick));
  const opsRatio = (op: Operation, to: ServerName) => roundRatio(results, op, 'local', to, (m) => m.opsPerSecond);
  const p99Ratio = (op: Operation) => roundRatio(results, op, 'local', 'sameWork', (m) => m.p99Ms);
  const startupMs = (kind: StartupKind) => median(startup.runs[kind].map((r) => r.firstAnswerMs));
  const countOk = (row: CountRow) =>
    Object.entries(row.received)
      .filter(([name]) => name.startsWith('DynamoDB_'))
      .reduce((sum, [, n]) => sum + n, 0) === 1;

  const summaryRows = [
    [
      LABELS.local,
      ...OPERATIONS.map(
        (op) =>
          `${formatRate(rate(op, 'local'))} (${ratio(opsRatio(op, 'sameWork'))} same-work, ${ratio(opsRatio(op, 'limit'))} limit)`,
      ),
      `${seconds(startupMs('node warm'))} warm, ${seconds(startupMs('node cold'))} cold; npm ${seconds(startupMs('npm warm'))}`,
      mb(peakRss.local),
    ],
    ...(['sameWork', 'limit'] as const).map((s) => [
      s === 'sameWork'
        ? 'same-work (graphql-http, verified tokens, LevelDB)'
        : 'limit (graphql-http, decoded tokens, in memory)',
      ...OPERATIONS.map((op) => formatRate(rate(op, s))),
      '',
      mb(peakRss[s]),
    ]),
  ];
  const summary = table(
    ['req/s, 16 clients', 'getNote', 'listNotes(20)', 'createNote', 'start', 'peak RSS'],
    summaryRows,
  );
  const goals = [
    ...OPERATIONS.map(
      (op) =>
        `- ${OPERATION_LABELS[op]}: ${ratio(opsRatio(op, 'sameWork'))} the same-work server's req/s (goal ≥ ${GOAL_RATIO}: ` +
        `${opsRatio(op, 'sameWork') >= GOAL_RATIO ? 'met' : 'NOT met'}), p99 ${ratio(p99Ratio(op))} its p99 ` +
        `(goal ≤ ${GOAL_P99_RATIO}: ${p99Ratio(op) <= GOAL_P99_RATIO ? 'met' : 'NOT met'}); ${ratio(opsRatio(op, 'limit'))} the limit server's req/s.`,
    ),
    `- Start on a warm data folder without npm: ${seconds(startupMs('node warm'))} (goal < ${GOAL_STARTUP_MS / 1000} s: ` +
      `${startupMs('node warm') < GOAL_STARTUP_MS ? 'met' : 'NOT met'}).`,
    `- Peak RSS of the local server's process tree during the bench: ${mb(peakRss.local)} (goal < ${mb(GOAL_RSS_BYTES)}: ` +
      `${peakRss.local < GOAL_RSS_BYTES ? 'met' : 'NOT met'}).`,
    `- DynamoDB requests per CRUD operation at the local server's store: ` +
      `${counts.filter((r) => r.server === 'local').every(countOk) ? 'exactly one each (met)' : 'NOT one each'}.`,
  ];

  const lines: string[] = [
    '# Local AppSync server benchmark',
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ` +
      `load average (1/5/15 min) ${loadAtStart.map((n) => n.toFixed(2)).join(' / ')} at start and ` +
      `${loadAtEnd.map((n) => n.toFixed(2)).join(' / ')} at end; the run took ${totalSeconds.toFixed(0)} s. The machine is ` +
      'shared: wall-clock figures move with its load (noted per measurement below); CPU per request is the steadier measure.',
    '',
    ...summary,
    '',
    ...goals,
    '',
    '## Throughput, latency, CPU and memory',
    '',
    `${CONNECTIONS} concurrent keep-alive clients on loopback for ${SECONDS} s per measurement after ${WARMUP_SECONDS} s of ` +
      `warm-up per server and operation, real HTTP and real ID tokens from the local user pool; every answer checked. ` +
      `${ROUNDS} rounds, the three servers one after another in each (each round starting with the next), medians of ` +
      'the rounds; ratios are medians of per-round ratios (measurements of a round are adjacent in time). ' +
      `getNote reads the ${SEEDED_NOTES} notes seeded for alice in turn; listNotes reads her newest 20; createNote writes ` +
      "to bob's partition. CPU is user + system time of the server's whole process tree (all threads; a plain server " +
      'and its store process together) per answered request; peak RSS is the highest sum of resident memory over the ' +
      "tree's processes, sampled every 100 ms.",
    '',
    '- local: `node bin/appsync-local.js serve --config appsync-local.config.ts` (what `npm start` runs), PORT=0, its ' +
      'own data folder: dynalite on LevelDB on its own thread, the user pool, the S3 endpoint, the resolver worker pool, ' +
      'a request log line per request on stdout (to a file). createNote also publishes the change through ' +
      'publishNoteChange, an IAM-signed request to its own /graphql (the API design; see the counts below).',
    '- same-work: bench/baseline/server.ts, graphql-http with hand-written resolvers making the same DynamoDB calls, ' +
      "every token's signature verified by the local server's verifier behind the same cache (local/server/auth), " +
      'dynalite on LevelDB on disk in a process of its own. createNote publishes the change as the notes API does: ' +
      "a SigV4-signed publishNoteChange request to its own /graphql, whose signature it checks with the local server's " +
      'verifier.',
    '- limit: the same server with tokens decoded, not verified, dynalite in memory in a process of its own, and ' +
      'nothing published.',
    '',
    ...table(
      [
        'operation',
        'server',
        'req/s',
        'ratio local/this',
        'p50 / p99 ms',
        'CPU ms/req',
        'peak RSS',
        'rounds (req/s @ load)',
      ],
      OPERATIONS.flatMap((op) =>
        SERVERS.map((s) => [
          OPERATION_LABELS[op],
          LABELS[s],
          formatRate(rate(op, s)),
          s === 'local' ? '' : ratio(opsRatio(op, s)),
          `${formatMs(quantile(op, s, (m) => m.p50Ms))} / ${formatMs(quantile(op, s, (m) => m.p99Ms))}`,
          quantile(op, s, (m) => m.cpuMsPerRequest).toFixed(2),
          mb(Math.max(...results[op][s].map((m) => m.peakRssBytes))),
          results[op][s].map((m) => `${formatRate(m.opsPerSecond)} @ ${m.loadAverage.toFixed(1)}`).join(', '),
        ]),
      ),
    ),
    '',
    `Peak RSS over the whole bench (seeding, warm-up and every operation): ${SERVERS.map((s) => `${LABELS[s]} ${mb(peakRss[s])}`).join(', ')}.`,
    '',
    '## Startup',
    '',
    'From spawn to the first answered listNotes of a user who signed in (SRP) through the local user pool, on free ports ' +
      `(PORT=0); ${STARTUP_RUNS} runs each, medians. "node": \`node bin/appsync-local.js serve --config ` +
      'appsync-local.config.ts`; "npm": `npm start` (npm, scripts/start.js, then the same command; PORT=0 leaves the ' +
      'web app out). Cold: a new data folder (keys, user pool, users, table and TLS CA created); warm: the same folder ' +
      "again. CPU is the whole process tree's at the first answer.",
    '',
    ...table(
      ['', 'first answer', 'banner', 'CPU at first answer', 'runs (first answer)'],
      STARTUP_KINDS.map((kind) => [
        kind,
        seconds(startupMs(kind)),
        seconds(median(startup.runs[kind].map((r) => r.bannerMs))),
        seconds(median(startup.runs[kind].map((r) => r.cpuMs))),
        startup.runs[kind].map((r) => seconds(r.firstAnswerMs)).join(', '),
      ]),
    ),
    '',
    `For scale: \`node -e 0\` took ${startup.bareNodeMs.toFixed(0)} ms meanwhile (median).`,
    '',
    '## DynamoDB requests per operation',
    '',
    'Each operation alone, as one user, counted where the store receives it: for the local server, a second instance ' +
      "with bench/lib/count-store-requests.cjs preloaded into each of its threads (dynalite's included) logs every " +
      'request its HTTP servers receive (by X-Amz-Target, else method and path); for the same-work server, its dynalite ' +
      'process counts. Goal: exactly one DynamoDB request per CRUD operation.',
    '',
    ...table(
      ['operation', 'server', 'received', 'one DynamoDB request'],
      counts.map((row) => [
        row.operation,
        LABELS[row.server],
        Object.entries(row.received)
          .map(([name, n]) => `${name.replace(/^DynamoDB_\d+\./, 'DynamoDB ')} ×${n}`)
          .join(', ') || 'none',
        countOk(row) ? 'yes' : 'NO',
      ]),
    ),
    ...profiles.flatMap((p) => [
      '',
      `## Profile: local server under ${OPERATION_LABELS[p.operation]} load`,
      '',
      `\`node --cpu-prof\` on a warm start of a data folder seeded beforehand, then ${PROFILE_SECONDS} s of load, ` +
        `${p.requests} requests. Busy time per request of each of its threads (each writes its own profile) and ` +
        "its busiest functions by self time (µs per request). `postMessage` and `writev` are the main thread's " +
        'hand-overs to the resolver workers, to the store and to the clients.',
      '',
      ...p.threads
        .filter((t) => t.busyMs > 0)
        .flatMap((t) => [
          `- ${t.role} (${path.basename(t.file)}): ${((t.busyMs * 1000) / p.requests).toFixed(0)} µs/req busy; ` +
            t.top.map((f) => `\`${f.name}\` ${((f.ms * 1000) / p.requests).toFixed(0)}`).join(', '),
        ]),
    ]),
  ];
  const report = `${lines.join('\n')}\n`;
  console.log(report);
  await writeFile(path.join(here, 'reports/server.md'), await formatted(report, 'server.md'));
  await updateReadme(summary, goals);
  if (!PROFILE) await rm(workDir, { recursive: true, force: true });
  else log(`kept ${workDir} for its CPU profiles`);
}

/** The README's benchmark table, regenerated from this report between its markers. */
async function updateReadme(summary: string[], goals: string[]): Promise<void> {
  const file = path.join(projectRoot, 'README.md');
  const readme = await readFile(file, 'utf8');
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) {
    log('README.md has no benchmark markers; its table was left as it is');
    return;
  }
  const date = new Date().toISOString().slice(0, 10);
  const block = [
    README_BEGIN,
    '',
    `From bench/reports/server.md (${date}, ${cpus().length} cores, Node ${process.version}; medians):`,
    '',
    ...summary,
    '',
    ...goals,
    '',
  ].join('\n');
  await writeFile(file, await formatted(readme.slice(0, begin) + block + readme.slice(end), file));
}

/** Markdown as the project's Prettier settings lay it out, so that format:check passes after a run. */
async function formatted(markdown: string, file: string): Promise<string> {
  const prettier = await import('prettier');
  const options = await prettier.resolveConfig(path.join(projectRoot, 'README.md'));
  return prettier.format(markdown, { ...options, filepath: file });
}

await main();
