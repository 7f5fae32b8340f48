// 32 signed-in clients for 60 s on a mixed load (reads, listings, creates with client tokens, updates, deletes), each
// on its own notes so no answer depends on another client's timing. Every answer must be a success: no 5xx, no
// GraphQL error, no dropped connection. The figures (throughput, p50/p99 per operation, the server's RSS before and
// after, its peak) go to the report; they are measured, not asserted: speed goals belong to `npm run bench`.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientToken } from '../../client/src/client-token';
import { type Answer, body } from './helpers/graphql';
import { NotesCaller, type Note } from './helpers/notes';
import { newUser, poolClient } from './helpers/pool';
import { mb, ms, quantile, report } from './helpers/report';
import { removeDataDir, startServer, type ServerProcess } from './helpers/server';

const CLIENTS = 32;
const DURATION_MS = 60_000;
const NOTES_PER_CLIENT = 3;

type Kind = 'getNote' | 'listNotes' | 'createNote' | 'updateNote' | 'deleteNote';

/** The mix, out of 20: mostly reads, as a notes app is used. */
const MIX: Kind[] = [
  ...Array<Kind>(8).fill('getNote'),
  ...Array<Kind>(5).fill('listNotes'),
  ...Array<Kind>(3).fill('createNote'),
  ...Array<Kind>(3).fill('updateNote'),
  'deleteNote',
];

describe(`${CLIENTS} clients for ${DURATION_MS / 1000} s on a mixed load`, () => {
  let server: ServerProcess;
  let cognito: CognitoIdentityProviderClient;
  const clients: Array<{ caller: NotesCaller; notes: Map<string, Note> }> = [];

  beforeAll(async () => {
    server = await startServer();
    cognito = poolClient(server);
    for (let i = 0; i < CLIENTS; i += 1) {
      const caller = new NotesCaller(server.graphqlUrl, await newUser(cognito, server.pool!, `load${i}`));
      const notes = new Map<string, Note>();
      for (let n = 0; n < NOTES_PER_CLIENT; n += 1) {
        const note = await caller.createNote({ content: `load ${i} note ${n}`, clientToken: newClientToken() });
        notes.set(note.noteId, note);
      }
      clients.push({ caller, notes });
    }
  });

  afterAll(async () => {
    cognito?.destroy();
    await server?.stop();
    if (server) await removeDataDir(server.dataDir);
  });

  it(
    'zero 5xx, zero errors; p99 and RSS at start and end reported',
    async () => {
      const latencies = new Map<Kind, number[]>(MIX.map((kind) => [kind, []]));
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      const rssStart = server.rssMb();
      let rssPeak = rssStart;
      const deadline = Date.now() + DURATION_MS;

      const sampler = (async () => {
        while (Date.now() < deadline) {
          await sleep(1_000);
          rssPeak = Math.max(rssPeak, server.rssMb());
        }
      })();

      const run = async ({ caller, notes }: (typeof clients)[number], index: number) => {
        let step = index;
        while (Date.now() < deadline) {
          step += 7;
          let kind = MIX[step % MIX.length];
          const ids = [...notes.keys()];
          if (ids.length === 0 && kind !== 'listNotes') kind = 'createNote';
          const target = ids.length ? notes.get(ids[step % ids.length])! : undefined;
          let answer: Answer;
          try {
            switch (kind) {
              case 'getNote':
                answer = await caller.call('getNote', { noteId: target!.noteId });
                break;
              case 'listNotes':
                answer = await caller.call('listNotes', { limit: 20 });
                break;
              case 'createNote':
                answer = await caller.call('createNote', {
                  input: { content: `load ${index} step ${step}`, clientToken: newClientToken() },
                });
                break;
              case 'updateNote':
                answer = await caller.call('updateNote', {
                  input: { noteId: target!.noteId, expectedVersion: target!.version, content: `edit ${step}` },
                });
                break;
              case 'deleteNote':
                answer = await caller.call('deleteNote', { noteId: target!.noteId });
                break;
            }
          } catch (error) {
            const cause = (error as { cause?: { code?: string; message?: string } }).cause;
            failures.push(`${kind}: ${(error as Error).message} (${cause?.code ?? cause?.message ?? 'no cause'})`);
            continue;
          }
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          latencies.get(kind)!.push(answer.ms);
          const parsed = answer.json === undefined ? undefined : body(answer);
          const result = parsed?.data?.[kind];
          if (answer.status !== 200 || parsed?.errors?.length || !result) {
            failures.push(`${kind} HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
            continue;
          }
          const note = result as Note;
          if (kind === 'createNote' || kind === 'updateNote') notes.set(note.noteId, note);
          if (kind === 'deleteNote') notes.delete(note.noteId);
          if (kind === 'getNote') expect(note.noteId).toBe(target!.noteId);
        }
      };
      await Promise.all(clients.map(run));
      await sampler;
      const rssEnd = server.rssMb();

      const all = [...latencies.values()].flat();
      const fives = [...statuses.entries()].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
      const perKind = [...latencies.entries()]
        .map(
          ([kind, samples]) =>
            `${kind} ${samples.length} (p50 ${ms(quantile(samples, 0.5))}, p99 ${ms(quantile(samples, 0.99))})`,
        )
        .join('; ');
      report(
        'load',
        `${CLIENTS} clients, ${DURATION_MS / 1000} s: ${all.length} requests (${(all.length / (DURATION_MS / 1000)).toFixed(0)}/s), ` +
          `${fives} 5xx, ${failures.length} failures; p50 ${ms(quantile(all, 0.5))}, p99 ${ms(quantile(all, 0.99))}, ` +
          `max ${ms(Math.max(...all))}; RSS start ${mb(rssStart)}, end ${mb(rssEnd)}, peak ${mb(rssPeak)}`,
      );
      report('load', perKind);
      expect(server.alive()).toBe(true);
      expect(fives).toBe(0);
      expect(failures.slice(0, 10)).toEqual([]);
      expect(all.length).toBeGreaterThan(CLIENTS);
    },
    DURATION_MS + 120_000,
  );
});
