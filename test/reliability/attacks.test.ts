// Issue 8's cost-limit and sandbox attacks, each sent by alice while bob, another user, keeps reading his note with
// getNote. Every attack must end in an answer below 500 within AppSync's 30 s execution limit (plus a little for the
// answer to be written), must not take the server down, and bob's getNote must keep a p99 under 500 ms meanwhile.
// The cost-limit attacks go to the notes API's own fields; the sandbox attacks to resolvers that misbehave when asked
// (fixtures/hostile-fields.graphql: a developer's bug a client can trigger), each with a control call showing the same
// resolver answers small arguments, before and after. After an attack that failed, the server is restarted so one
// failure is not counted again in the next attack.
// Sources: AppSync's 30 s limit for a request's execution (https://repost.aws/questions/QUw61RAiFGSHiWKxSnjppUfA,
// the quotas of https://docs.aws.amazon.com/general/latest/gr/appsync.html); resolverCountLimit, 1,000 for the
// notes API (issue 8, item 3).
import { setTimeout as sleep } from 'node:timers/promises';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { type Answer, bearer, body, dataOf, graphql } from './helpers/graphql';
import { NotesCaller, type Note } from './helpers/notes';
import { ALICE, BOB, poolClient, signIn } from './helpers/pool';
import { mb, ms, quantile, report } from './helpers/report';
import { removeDataDir, startServer, type ServerProcess } from './helpers/server';

const HOSTILE_API = 'test/reliability/fixtures/hostile-api.config.ts';
/** AppSync's execution limit, and a little for the answer to be written on a busy machine. */
const ANSWER_WITHIN_MS = 35_000;
const NEIGHBOUR_P99_MS = 500;
/** The notes API's resolverCountLimit (issue 8, item 3). */
const NOTES_RESOLVER_COUNT_LIMIT = 1_000;
/** Iterations no resolver finishes within its time limit. */
const FOREVER = 2_000_000_000;

interface AttackOutcome {
  answer: Answer;
  neighbourMs: number[];
  neighbourFailures: string[];
  rssBeforeMb: number;
  rssPeakMb: number;
}

describe('attacks: cost limits and the sandbox, beside another user', () => {
  let server: ServerProcess;
  let cognito: CognitoIdentityProviderClient;
  let alice: NotesCaller;
  let bob: NotesCaller;
  let bobNote: Note;
  let aliceNote: Note;
  let restartBeforeNext = false;
  const outcomes: Array<{ name: string; p99: number; max: number; held: boolean }> = [];
  let restarts = 0;

  async function start(dataDir?: string): Promise<void> {
    server = await startServer({ config: HOSTILE_API, dataDir });
    cognito?.destroy();
    cognito = poolClient(server);
    alice = new NotesCaller(server.graphqlUrl, await signIn(server.pool!, ALICE));
    bob = new NotesCaller(server.graphqlUrl, await signIn(server.pool!, BOB));
  }

  beforeAll(async () => {
    await start();
    bobNote = await bob.createNote({ content: 'bob reads this all the time' });
    // 100 notes of 10 KB: one listNotes(limit: 100) page is a megabyte.
    const content = 'n'.repeat(10_000);
    const created: Note[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      created.push(...(await Promise.all(Array.from({ length: 10 }, () => alice.createNote({ content })))));
    }
    aliceNote = created[0];
  });

  beforeEach(async () => {
    if (!restartBeforeNext && server.alive()) return;
    // The previous attack failed (it may still be running) or ended the server: start clean on the same data.
    restarts += 1;
    restartBeforeNext = false;
    const dataDir = server.dataDir;
    if (server.alive()) await server.kill();
    await start(dataDir);
  });

  afterAll(async () => {
    const held = outcomes.filter((outcome) => outcome.held).length;
    const worst = outcomes.reduce((max, outcome) => Math.max(max, outcome.max), 0);
    if (outcomes.length > 0) {
      report(
        'attacks',
        `${outcomes.length} attacks tried, ${held} held; worst cross-user getNote wait ${ms(worst)}; ` +
          `${restarts} restarts after a failed attack`,
      );
    }
    cognito?.destroy();
    await server?.stop();
    if (server) await removeDataDir(server.dataDir);
  });

  /** alice's attack, with bob's getNote running beside it from a moment before until it is answered. */
  async function underAttack(attack: () => Promise<Answer>): Promise<AttackOutcome> {
    const neighbourMs: number[] = [];
    const neighbourFailures: string[] = [];
    let attacking = true;
    const neighbour = async () => {
      while (attacking) {
        try {
          const answer = await bob.call('getNote', { noteId: bobNote.noteId });
          neighbourMs.push(answer.ms);
          if (dataOf<Note>(answer, 'getNote').noteId !== bobNote.noteId) neighbourFailures.push('wrong note');
        } catch (error) {
          neighbourFailures.push((error as Error).message);
          await sleep(50);
        }
      }
    };
    const rssBeforeMb = server.rssMb();
    let rssPeakMb = rssBeforeMb;
    const neighbours = [neighbour(), neighbour()];
    const sampler = (async () => {
      while (attacking) {
        rssPeakMb = Math.max(rssPeakMb, server.rssMb());
        await sleep(250);
      }
    })();
    await sleep(300);
    try {
      const answer = await attack();
      // A little longer: harm done by the attack may outlast its answer.
      await sleep(500);
      return { answer, neighbourMs, neighbourFailures, rssBeforeMb, rssPeakMb };
    } finally {
      attacking = false;
      await Promise.all([...neighbours, sampler]);
    }
  }

  const send = (query: string, variables?: Record<string, unknown>) =>
    graphql(server.graphqlUrl, query, variables, bearer(alice.user.idToken), ANSWER_WITHIN_MS);

  /** What every attack must hold to; the attack's own checks come after. */
  function expectContained(name: string, outcome: AttackOutcome): void {
    const { answer, neighbourMs, neighbourFailures } = outcome;
    const p99 = quantile(neighbourMs, 0.99);
    const max = neighbourMs.length ? Math.max(...neighbourMs) : Number.NaN;
    const entry = { name, p99, max, held: false };
    outcomes.push(entry);
    report(
      'attacks',
      `${name}: HTTP ${answer.status} in ${ms(answer.ms)}, ${answer.text.length} bytes; bob's getNote ` +
        `${neighbourMs.length} calls, p99 ${ms(p99)}, max ${ms(max)}; RSS ${mb(outcome.rssBeforeMb)} -> peak ` +
        `${mb(outcome.rssPeakMb)}`,
    );
    expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
    expect(answer.ms).toBeLessThanOrEqual(ANSWER_WITHIN_MS);
    expect(server.alive(), `the server died:\n${server.output().slice(-3000)}`).toBe(true);
    expect(neighbourFailures).toEqual([]);
    expect(neighbourMs.length).toBeGreaterThanOrEqual(3);
    expect(p99, `bob's getNote p99 while alice attacked with ${name}`).toBeLessThan(NEIGHBOUR_P99_MS);
    entry.held = true;
  }

  /** An attack on a hostile field fails that field with an AppSync-shaped error and nothing else. */
  function expectFieldFailed(answer: Answer, field: string): void {
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    const { data, errors } = body(answer);
    expect(data?.[field] ?? null, answer.text.slice(0, 300)).toBeNull();
    expect(errors, answer.text.slice(0, 300)).toEqual([
      expect.objectContaining({ path: [field], errorType: expect.any(String), message: expect.any(String) }),
    ]);
  }

  function attack(name: string, run: () => Promise<void>): void {
    it(
      name,
      async () => {
        onTestFailed(() => {
          restartBeforeNext = true;
        });
        await run();
      },
      180_000,
    );
  }

  // The cost-limit attacks, on the notes API's own fields.

  attack('fragments that each spread the next twice, 40 levels', async () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === levels - 1
        ? `fragment F${level} on Note { noteId }`
        : `fragment F${level} on Note { ...F${level + 1} ...F${level + 1} }`,
    );
    const query = `query Bomb { listNotes(limit: 1) { items { ...F0 } } }\n${fragments.join('\n')}`;
    expectContained('fragment bomb (40 levels, 2^40 spreads)', await underAttack(() => send(query)));
  });

  attack('10,000 aliased getNote', async () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: getNote(noteId: $id) { noteId }`);
    const query = `query Many($id: ID!) { ${aliases.join(' ')} }`;
    const outcome = await underAttack(() => send(query, { id: aliceNote.noteId }));
    expectContained('10,000 aliased getNote', outcome);
    const { data, errors } = body(outcome.answer);
    const answered = Object.values(data ?? {}).filter((value) => value !== null).length;
    expect(answered, 'getNote aliases resolved past the resolver count limit').toBeLessThanOrEqual(
      NOTES_RESOLVER_COUNT_LIMIT,
    );
    expect(errors?.length ?? 0).toBeGreaterThan(0);
  });

  attack('400 aliased listNotes(limit: 100) of 10 KB notes', async () => {
    const aliases = Array.from({ length: 400 }, (_, i) => `p${i}: listNotes(limit: 100) { items { noteId content } }`);
    const outcome = await underAttack(() => send(`query Pages { ${aliases.join(' ')} }`));
    expectContained('400 aliased listNotes(limit: 100), 400 MB if answered in full', outcome);
    expect(outcome.rssPeakMb - outcome.rssBeforeMb, 'RSS growth during the attack, MB').toBeLessThan(512);
  });

  // The sandbox attacks, on resolvers that misbehave when asked: each fails its own field, and the same resolver
  // answers a small request before and after (the worker that ran it away was replaced).

  const sandboxAttacks: Array<{ name: string; field: string; query: string; control: string; expected: unknown }> = [
    {
      name: 'a resolver allocating 4 GB',
      field: 'allocate',
      query: '{ allocate(megabytes: 4096) }',
      control: '{ allocate(megabytes: 1) }',
      expected: 1,
    },
    {
      name: 'a loop past the time limit in the handler',
      field: 'spin',
      query: `{ spin(iterations: ${FOREVER}) }`,
      control: '{ spin(iterations: 100) }',
      expected: 100,
    },
    {
      name: 'a getter that loops while the result is serialised',
      field: 'spinInGetter',
      query: `{ spinInGetter(iterations: ${FOREVER}) { value } }`,
      control: '{ spinInGetter(iterations: 100) { value } }',
      expected: { value: 'counted 100' },
    },
    {
      name: 'a toJSON that loops while the result is serialised',
      field: 'spinInToJSON',
      query: `{ spinInToJSON(iterations: ${FOREVER}) { value } }`,
      control: '{ spinInToJSON(iterations: 100) { value } }',
      expected: { value: 'counted 100' },
    },
  ];

  for (const { name, field, query, control, expected } of sandboxAttacks) {
    attack(name, async () => {
      expect(dataOf(await send(control), field)).toEqual(expected);
      const outcome = await underAttack(() => send(query));
      expectContained(name, outcome);
      expectFieldFailed(outcome.answer, field);
      expect(dataOf(await send(control), field)).toEqual(expected);
    });
  }

  attack("util.matches('(a+)+b') on 40 a's and a c", async () => {
    expect(dataOf(await send('{ backtrack(text: "aab") }'), 'backtrack')).toBe(true);
    const outcome = await underAttack(() => send(`{ backtrack(text: "${'a'.repeat(40)}c") }`));
    expectContained("util.matches('(a+)+b') backtracking", outcome);
    // A matcher that cannot backtrack answers false at once; one that can must be stopped: either way, no true.
    const { data, errors } = body(outcome.answer);
    if (data?.backtrack === false) expect(errors).toBeUndefined();
    else expectFieldFailed(outcome.answer, 'backtrack');
    expect(dataOf(await send('{ backtrack(text: "aab") }'), 'backtrack')).toBe(true);
  });

  attack('a stream of 24 runaway resolvers, 8 at a time, cannot starve the pool', async () => {
    const runaway = [
      `{ spin(iterations: ${FOREVER}) }`,
      `{ spinInGetter(iterations: ${FOREVER}) { value } }`,
      '{ allocate(megabytes: 4096) }',
    ];
    const outcome = await underAttack(async () => {
      const started = performance.now();
      const answers: Answer[] = [];
      for (let wave = 0; wave < 3; wave += 1) {
        answers.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => send(runaway[(wave + i) % 3])))));
      }
      for (const answer of answers) expect(answer.status, answer.text.slice(0, 200)).toBe(200);
      const worst = answers.reduce((max, answer) => Math.max(max, answer.ms), 0);
      return { ...answers[0], ms: Math.max(worst, performance.now() - started) };
    });
    expectContained('24 runaway resolvers, 8 at a time', outcome);
    expect(dataOf(await send('{ spin(iterations: 100) }'), 'spin')).toBe(100);
  });
});
