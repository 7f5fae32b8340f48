// SIGKILL in the middle of bursts of note writes, sign-ups and sign-ins, as a crash or the OOM killer would end the
// server: no signal handler, no flush. After each kill the server restarts on the same data folder, and everything it
// acknowledged before dying must be there: every note a createNote or updateNote answered (its content, at least its
// version), every user a SignUp answered, with the same sub; and every user who existed before keeps their sub, so
// their notes stay theirs.
import { setTimeout as sleep } from 'node:timers/promises';
import { SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientToken } from '../../client/src/client-token';
import { dataOf, graphql, bearer } from './helpers/graphql';
import { OPERATIONS, type Note } from './helpers/notes';
import { adminLookup, ALICE, BOB, newUser, poolClient, signIn, subOf, type SignedInUser } from './helpers/pool';
import { report } from './helpers/report';
import { newDataDir, removeDataDir, startServer, type ServerProcess } from './helpers/server';
import { noteItemProblems, storedNotes } from './helpers/table';

const KILLS = 3;
const WRITERS = 6;
const SIGN_UPS = 4;
const SIGN_INS = 4;
/** The kill comes once each burst has this many acknowledgements (or after KILL_AFTER_MS at the latest). */
const ACKNOWLEDGED_BEFORE_KILL = 10;
const KILL_AFTER_MS = 8_000;

interface AcknowledgedNote {
  ownerSub: string;
  noteId: string;
  content: string;
  version: number;
}

interface AcknowledgedUser {
  email: string;
  sub: string;
}

describe('SIGKILL during write, sign-up and sign-in bursts', () => {
  const dataDir = newDataDir();
  let server: ServerProcess;
  let cognito: CognitoIdentityProviderClient;
  /** Users who exist before any kill, with their subs: writers, sign-in users, alice and bob. */
  let established: SignedInUser[] = [];
  const notes = new Map<string, AcknowledgedNote>();
  const signedUp: AcknowledgedUser[] = [];
  let signInsAcknowledged = 0;
  let writesAcknowledged = 0;
  const lost = { kills: 0, notes: 0, users: 0, changedSubs: 0 };
  const lostEmails = new Set<string>();

  async function start(): Promise<void> {
    server = await startServer({ dataDir: await dataDir });
    cognito?.destroy();
    cognito = poolClient(server);
  }

  beforeAll(async () => {
    await start();
    established = [await signIn(server.pool!, ALICE), await signIn(server.pool!, BOB)];
    for (let i = 0; i < WRITERS + SIGN_INS; i += 1) established.push(await newUser(cognito, server.pool!, `crash${i}`));
  });

  afterAll(async () => {
    cognito?.destroy();
    await server?.stop();
    await removeDataDir(await dataDir);
  });

  /** Runs every burst until `stop` is set; resolves once all loops have ended. */
  function bursts(stop: { now: boolean; failed?: unknown }, round: number) {
    const counts = { writes: 0, signUps: 0, signIns: 0 };
    const writer = async (owner: SignedInUser) => {
      const url = server.graphqlUrl;
      let sequence = 0;
      while (!stop.now) {
        sequence += 1;
        // The sub the token carries: the one the server stores notes under.
        const ownerSub = subOf(owner.idToken);
        const own = [...notes.values()].filter((note) => note.ownerSub === ownerSub);
        try {
          if (own.length > 0 && sequence % 3 === 0) {
            const note = own[sequence % own.length];
            const content = `${note.content.split(' v')[0]} v${note.version + 1}`;
            const answer = await graphql(
              url,
              OPERATIONS.updateNote,
              { input: { noteId: note.noteId, expectedVersion: note.version, content } },
              bearer(owner.idToken),
            );
            const updated = dataOf<Note>(answer, 'updateNote');
            notes.set(note.noteId, { ...note, content: updated.content, version: updated.version });
          } else {
            const content = `round ${round} ${owner.email} #${sequence}`;
            const clientToken = newClientToken();
            const answer = await graphql(
              url,
              OPERATIONS.createNote,
              { input: { content, clientToken } },
              bearer(owner.idToken),
            );
            const created = dataOf<Note>(answer, 'createNote');
            notes.set(created.noteId, {
              ownerSub: owner.sub,
              noteId: created.noteId,
              content,
              version: created.version,
            });
          }
          counts.writes += 1;
          writesAcknowledged += 1;
        } catch (error) {
          // Only the kill may interrupt a write; anything before it is a failure of its own.
          if (!stop.now) throw error;
        }
      }
    };
    const signUpLoop = async (worker: number) => {
      let sequence = 0;
      while (!stop.now) {
        sequence += 1;
        const email = `burst-${round}-${worker}-${sequence}-${Date.now()}@example.com`;
        try {
          const answer = await cognito.send(
            new SignUpCommand({
              ClientId: server.pool!.clientId,
              Username: email,
              Password: 'Passw0rd!burst',
              UserAttributes: [{ Name: 'email', Value: email }],
            }),
          );
          signedUp.push({ email, sub: answer.UserSub! });
          counts.signUps += 1;
        } catch (error) {
          if (!stop.now) throw error;
        }
      }
    };
    const signInLoop = async (user: SignedInUser) => {
      while (!stop.now) {
        try {
          const again = await signIn(server.pool!, user);
          expect(again.sub).toBe(user.sub);
          counts.signIns += 1;
          signInsAcknowledged += 1;
        } catch (error) {
          if (!stop.now) throw error;
        }
      }
    };
    // Users lost to an earlier kill (counted then) have no token to act with.
    const usable = (user: SignedInUser) => !lostEmails.has(user.email);
    const writers = established.slice(2, 2 + WRITERS).filter(usable);
    const signingIn = established.slice(2 + WRITERS).filter(usable);
    const loops = [
      ...writers.map(writer),
      ...Array.from({ length: SIGN_UPS }, (_, worker) => signUpLoop(worker)),
      ...signingIn.slice(0, SIGN_INS).map(signInLoop),
    ].map((loop) =>
      loop.catch((error: unknown) => {
        // One loop's failure ends the round: the test reports it rather than killing a server mid-failure.
        stop.failed ??= error;
        stop.now = true;
      }),
    );
    return { counts, done: Promise.all(loops) };
  }

  async function verifyAfterRestart(): Promise<{ lostNotes: number; lostUsers: number; changedSubs: number }> {
    let lostNotes = 0;
    let lostUsers = 0;
    let changedSubs = 0;
    const items = new Map(
      (await storedNotes(server)).map((item) => [`${String(item.userId)}/${String(item.noteId)}`, item]),
    );
    for (const item of items.values()) expect(noteItemProblems(item), JSON.stringify(item)).toEqual([]);
    for (const note of notes.values()) {
      const item = items.get(`${note.ownerSub}/${note.noteId}`);
      // A write in flight at the kill may have landed after the last acknowledged one: the version can only be higher.
      if (!item || (item.version as number) < note.version) lostNotes += 1;
      else if (item.version === note.version) expect(item.content).toBe(note.content);
      if (item) notes.set(note.noteId, { ...note, content: item.content as string, version: item.version as number });
    }
    for (const user of signedUp) {
      const found = await adminLookup(cognito, server.pool!, user.email);
      if (!found && !lostEmails.has(user.email)) {
        lostUsers += 1;
        lostEmails.add(user.email);
      } else if (found && found.sub !== user.sub) {
        changedSubs += 1;
      }
    }
    // Users from before the kills sign in again (new tokens: the restarted pool listens on a new port, which its
    // issuer names) and keep their subs.
    for (const [index, user] of established.entries()) {
      const found = await adminLookup(cognito, server.pool!, user.email);
      if (!found) {
        if (!lostEmails.has(user.email)) lostUsers += 1;
        lostEmails.add(user.email);
        continue;
      }
      if (found.sub !== user.sub) changedSubs += 1;
      // The user keeps the sub they had before any kill (the reference stays the first one) and a fresh token.
      established[index] = { ...(await signIn(server.pool!, user)), sub: user.sub };
    }
    return { lostNotes, lostUsers, changedSubs };
  }

  for (let kill = 1; kill <= KILLS; kill += 1) {
    it(`kill ${kill} of ${KILLS}: every acknowledged note and user survives, subs unchanged`, async () => {
      if (!server.alive()) await start();
      const stop: { now: boolean; failed?: unknown } = { now: false };
      const { counts, done } = bursts(stop, kill);
      const started = Date.now();
      while (
        !stop.now &&
        Date.now() - started < KILL_AFTER_MS &&
        (counts.writes < ACKNOWLEDGED_BEFORE_KILL ||
          counts.signUps < ACKNOWLEDGED_BEFORE_KILL ||
          counts.signIns < ACKNOWLEDGED_BEFORE_KILL)
      ) {
        await sleep(20);
      }
      // Past the threshold, a few milliseconds more so the kill lands at a different point of a write each round.
      await sleep(kill * 7);
      if (stop.failed) throw stop.failed;
      stop.now = true;
      await server.kill();
      await done;
      if (stop.failed) throw stop.failed;
      expect(counts.writes, 'writes acknowledged before the kill').toBeGreaterThan(0);
      expect(counts.signUps, 'sign-ups acknowledged before the kill').toBeGreaterThan(0);
      expect(counts.signIns, 'sign-ins acknowledged before the kill').toBeGreaterThan(0);

      await start();
      const { lostNotes, lostUsers, changedSubs } = await verifyAfterRestart();
      lost.kills += 1;
      lost.notes += lostNotes;
      lost.users += lostUsers;
      lost.changedSubs += changedSubs;
      expect({ lostNotes, lostUsers, changedSubs }).toEqual({ lostNotes: 0, lostUsers: 0, changedSubs: 0 });

      // A writer still reads their own notes after the restart.
      const writer = established[2];
      const own = [...notes.values()].find((note) => note.ownerSub === writer.sub);
      if (own) {
        const answer = await graphql(
          server.graphqlUrl,
          OPERATIONS.getNote,
          { noteId: own.noteId },
          bearer(writer.idToken),
        );
        expect(dataOf<Note>(answer, 'getNote').content).toBe(own.content);
      }
      report(
        'crash',
        `kill ${kill}: ${counts.writes} writes, ${counts.signUps} sign-ups, ${counts.signIns} sign-ins acknowledged ` +
          `in that burst; after restart lost ${lostNotes} notes, ${lostUsers} users; ${changedSubs} subs changed`,
      );
    }, 300_000);
  }

  it('in total: nothing acknowledged was lost', () => {
    report(
      'crash',
      `${lost.kills} kills survived of ${KILLS}: ${writesAcknowledged} acknowledged writes (${notes.size} notes), ` +
        `${signedUp.length} acknowledged sign-ups, ${signInsAcknowledged} sign-ins; lost ${lost.notes} notes and ` +
        `${lost.users} users, ${lost.changedSubs} subs changed`,
    );
    expect(lost).toEqual({ kills: KILLS, notes: 0, users: 0, changedSubs: 0 });
  });
});
