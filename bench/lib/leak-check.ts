// The memory check of the trust issue: the server exactly as `npm start` runs it (its own process, stores, data
// folder, free loopback ports), a steady mixed load of the notes API's operations from two signed-in users in rounds
// of `opsPerRound`, and the server's RSS (every thread: stores and evaluation workers included) after each round,
// as it is and again after a full garbage collection in every thread (through the inspector, see inspector-gc.ts).
// A server without leaks levels off: RSS after the last round stays within 10% of RSS after the third.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signIn } from '../../client/src/auth';
import { readLocalCognito } from '../../local/stores/cognito';
import { InspectorGc, inspectorUrl } from './inspector-gc';
import { graphqlCall } from './load';
import { freePortTriple } from './startup';

export interface LeakCheckOptions {
  projectRoot: string;
  rounds?: number;
  opsPerRound?: number;
  connections?: number;
  log?: (line: string) => void;
}

export interface LeakCheckResult {
  /** RSS of the server process (and any child process) after each round, MB. */
  rssMb: number[];
  /** The same, right after a full garbage collection in every thread of the server, MB. */
  rssAfterGcMb: number[];
  /** Operations that failed (HTTP status other than 200, or GraphQL errors). */
  failures: number;
  firstFailure?: string;
}

const USERS = [
  { email: 'alice@example.com', password: 'Passw0rd!alice' },
  { email: 'bob@example.com', password: 'Passw0rd!bob' },
];
const START_TIMEOUT_MS = 120_000;

/** RSS of a process, its threads included, and of its child processes, MB (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  let children = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    const listed = readIfPresent(`/proc/${pid}/task/${thread}/children`).trim();
    for (const child of listed ? listed.split(' ') : []) {
      if (readIfPresent(`/proc/${child}/status`)) children += rssMb(Number(child));
    }
  }
  return kb / 1024 + children;
}

/** A /proc file's text, or '' when its thread or process has ended since it was listed. */
function readIfPresent(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID for createNote's clientToken: time now, random rest. */
function ulid(): string {
  let time = '';
  for (let rest = Date.now(), i = 0; i < 10; i += 1, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time;
  let random = '';
  for (let i = 0; i < 16; i += 1) random += CROCKFORD[Math.floor(Math.random() * 32)];
  return time + random;
}

export async function runLeakCheck(options: LeakCheckOptions): Promise<LeakCheckResult> {
  const { projectRoot } = options;
  const rounds = options.rounds ?? 10;
  const opsPerRound = options.opsPerRound ?? 1500;
  const connections = options.connections ?? 16;
  const log = options.log ?? (() => {});
  const dataDir = await mkdtemp(path.join(tmpdir(), 'leak-check-'));
  const port = await freePortTriple();
  const server = spawn(
    process.execPath,
    ['--inspect=127.0.0.1:0', 'bin/appsync-local.js', 'serve', '--config', 'appsync-local.config.ts'],
    {
      cwd: projectRoot,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/graphql`;
  let inspector: InspectorGc | undefined;
  try {
    const folder = path.join(projectRoot, 'client/operations');
    const fragments = await readFile(path.join(folder, 'fragments.graphql'), 'utf8');
    const doc = async (name: string) => `${await readFile(path.join(folder, `${name}.graphql`), 'utf8')}\n${fragments}`;
    const docs = {
      get: await doc('getNote'),
      list: await doc('listNotes'),
      create: await doc('createNote'),
      update: await doc('updateNote'),
      remove: await doc('deleteNote'),
    };

    const started = Date.now();
    const tokens: string[] = [];
    while (tokens.length < USERS.length) {
      if (server.exitCode !== null) throw new Error(`the server exited:\n${stderr}`);
      if (Date.now() - started > START_TIMEOUT_MS) throw new Error(`the server did not start:\n${stderr}`);
      try {
        const cognito = await readLocalCognito(dataDir);
        for (const user of USERS) tokens.push((await signIn(cognito, user.email, user.password)).idToken);
        const answer = await graphqlCall(url, tokens[0], docs.list, { limit: 1 });
        if (answer.status !== 200) throw new Error('not ready');
      } catch {
        tokens.length = 0;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    // Each user's notes, with the version the next update must name. Operations never race on one note, so every
    // failure is the server's.
    const notes: Array<Map<string, number>> = USERS.map(() => new Map());
    let failures = 0;
    let firstFailure: string | undefined;
    const call = async (user: number, query: string, variables: Record<string, unknown>, field: string) => {
      const { status, body } = await graphqlCall(url, tokens[user], query, variables);
      if (status !== 200 || body.errors) {
        failures += 1;
        firstFailure ??= `${field}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`;
        return undefined;
      }
      return body.data?.[field] as Record<string, unknown> | null | undefined;
    };
    const operation = async (i: number) => {
      const user = i % USERS.length;
      const mine = notes[user];
      const kind = i % 20;
      const someNote = () => [...mine.keys()][Math.floor(Math.random() * mine.size)];
      if (kind < 3 || mine.size === 0) {
        const note = await call(
          user,
          docs.create,
          { input: { content: `note ${i}`, clientToken: ulid() } },
          'createNote',
        );
        if (note) mine.set(String(note.noteId), Number(note.version));
      } else if (kind < 11) {
        await call(user, docs.get, { noteId: someNote() }, 'getNote');
      } else if (kind < 17) {
        await call(user, docs.list, { limit: 20 }, 'listNotes');
      } else if (kind < 19) {
        // Taken out while it changes, so that no other client updates or deletes it meanwhile.
        const noteId = someNote();
        const version = mine.get(noteId);
        mine.delete(noteId);
        const note = await call(
          user,
          docs.update,
          { input: { noteId, expectedVersion: version, content: `edited ${i}` } },
          'updateNote',
        );
        if (note) mine.set(noteId, Number(note.version));
      } else {
        const noteId = someNote();
        mine.delete(noteId);
        await call(user, docs.remove, { noteId }, 'deleteNote');
      }
    };

    const debuggerUrl = inspectorUrl(stderr);
    if (!debuggerUrl) throw new Error(`the server did not open its inspector:\n${stderr}`);
    inspector = await InspectorGc.connect(debuggerUrl);

    const rss: number[] = [];
    const rssAfterGc: number[] = [];
    let next = 0;
    for (let round = 1; round <= rounds; round += 1) {
      const end = next + opsPerRound;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < end) await operation(next++);
        }),
      );
      rss.push(rssMb(server.pid!));
      await inspector.collectEverywhere();
      rssAfterGc.push(rssMb(server.pid!));
      log(
        `round ${round}: RSS ${rss.at(-1)!.toFixed(1)} MB, ${rssAfterGc.at(-1)!.toFixed(1)} MB after GC, ` +
          `${failures} failures`,
      );
    }
    return { rssMb: rss, rssAfterGcMb: rssAfterGc, failures, firstFailure };
  } finally {
    inspector?.close();
    server.kill('SIGTERM');
    const killer = setTimeout(() => server.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
    await rm(dataDir, { recursive: true, force: true });
  }
}
