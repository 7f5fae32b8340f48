// Real time, end to end, through the SDK's WebSocket client (`ws` in Node 20): the owner's other device hears every
// create, update and delete; another user hears none of them, even asking for them by the owner's id; and
// closeNoteSubscriptions ends the caller's subscriptions on every device and nobody else's. Runs against the local
// server and, with `npm run test:deployed`, against AWS.
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RealtimeClient,
  createNotesClient,
  type NoteChange,
  type NotesClient,
  type RealtimeError,
  type WebSocketConstructor,
} from '../../client/src/index';
import { useTarget } from './helpers/fixture';
import type { SignedInUser } from './helpers/target';

const WS = WebSocket as unknown as WebSocketConstructor;
/** How long a change may take to arrive, and how long silence must last to count as "nothing". */
const DELIVERY_MS = 10_000;
const QUIET_MS = 1500;

describe('note changes in real time', () => {
  const target = useTarget();
  const opened: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const client of opened.splice(0)) client.close();
  });

  /** Another device of `user`: its own SDK client and WebSocket. */
  function device(user: SignedInUser): NotesClient {
    const client = createNotesClient({ url: target().graphqlUrl, getToken: () => user.idToken, WebSocket: WS });
    opened.push(client);
    return client;
  }

  /** Subscribes and collects what arrives; `ready` once AppSync acknowledged the subscription. */
  async function listen(user: SignedInUser) {
    const changes: NoteChange[] = [];
    const errors: RealtimeError[] = [];
    const subscription = device(user).subscribeToNoteChanges({
      onChange: (change) => changes.push(change),
      onError: (error) => errors.push(error),
    });
    await subscription.ready;
    return { changes, errors };
  }

  async function eventually(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + DELIVERY_MS;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

  it("sends the owner's other device every create, update and delete, and the other user none", async () => {
    const { alice, bob } = target();
    const [laptop, bobsPhone] = await Promise.all([listen(alice), listen(bob)]);

    const created = await alice.client.createNote({ input: { content: 'Live from the phone' } });
    const updated = await alice.client.updateNote({
      input: { noteId: created.noteId, expectedVersion: 1, content: 'Edited on the phone' },
    });
    await alice.client.deleteNote({ noteId: created.noteId });

    await eventually(() => laptop.changes.length === 3, 'three changes on the laptop');
    expect(laptop.changes.map(({ owner, kind, noteId, note }) => ({ owner, kind, noteId, note }))).toEqual([
      { owner: alice.sub, kind: 'CREATED', noteId: created.noteId, note: created },
      { owner: alice.sub, kind: 'UPDATED', noteId: created.noteId, note: updated },
      { owner: alice.sub, kind: 'DELETED', noteId: created.noteId, note: updated },
    ]);
    await quiet();
    expect(laptop.changes).toHaveLength(3);
    expect(bobsPhone.changes).toEqual([]);
    expect([...laptop.errors, ...bobsPhone.errors]).toEqual([]);
  });

  it('refuses a subscription that names another owner, which then hears nothing', async () => {
    const { alice, bob } = target();
    const changes: unknown[] = [];
    const realtime = new RealtimeClient({
      graphqlUrl: target().graphqlUrl,
      getAuthorization: () => bob.idToken,
      WebSocket: WS,
    });
    opened.push(realtime);
    const forged = realtime.subscribe(
      {
        query: 'subscription ($owner: ID!) { onNoteChange(owner: $owner) { owner noteId } }',
        variables: { owner: alice.sub },
      },
      { next: (data) => changes.push(data) },
    );
    const refusal = (await forged.ready.then(
      () => null,
      (error: unknown) => error,
    )) as RealtimeError | null;
    expect(refusal?.message).toMatch(/owner/);

    const note = await alice.client.createNote({ input: { content: 'Not for bob' } });
    await quiet();
    expect(changes).toEqual([]);
    await alice.client.deleteNote({ noteId: note.noteId });
  });

  it("closeNoteSubscriptions ends the caller's subscriptions on every device, and nobody else's", async () => {
    const { alice, bob } = target();
    const [laptop, tablet, bobsPhone] = await Promise.all([listen(alice), listen(alice), listen(bob)]);

    expect(await alice.client.closeNoteSubscriptions()).toBe(true);
    await eventually(() => laptop.errors.length === 1 && tablet.errors.length === 1, 'both of alice devices closed');
    for (const { errors } of [laptop, tablet]) {
      expect(errors[0].errors).toEqual([{ errorType: 'SubscriptionComplete', message: 'Subscription complete.' }]);
    }

    const [aliceNote, bobNote] = await Promise.all([
      alice.client.createNote({ input: { content: 'After signing out everywhere' } }),
      bob.client.createNote({ input: { content: 'Bob is still listening' } }),
    ]);
    await eventually(() => bobsPhone.changes.length === 1, 'bob change');
    expect(bobsPhone.changes[0]).toMatchObject({ kind: 'CREATED', noteId: bobNote.noteId, owner: bob.sub });
    await quiet();
    expect([...laptop.changes, ...tablet.changes]).toEqual([]);
    expect(bobsPhone.errors).toEqual([]);
    await Promise.all([
      alice.client.deleteNote({ noteId: aliceNote.noteId }),
      bob.client.deleteNote({ noteId: bobNote.noteId }),
    ]);
  });
});
