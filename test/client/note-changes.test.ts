// The SDK's subscribeToNoteChanges against the local notes API as `npm start` runs it: a second device of the same
// user hears every create, update and delete the first makes, typed; when the server ends the connection (AppSync
// does after 24 hours, here after a few seconds) it reconnects, subscribes again and says so; closing the user's
// subscriptions ends it for good.
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import {
  createNotesClient,
  type NoteChange,
  type NotesClient,
  type RealtimeError,
  type WebSocketConstructor,
} from '../../client/src/index';
import { useLocalTarget } from '../e2e/helpers/fixture';

const CONNECTION_LIFETIME_MS = 5000;
const target = useLocalTarget({ realtimeTimings: { maxConnectionDurationMs: CONNECTION_LIFETIME_MS } });

/** Another device of a signed-in user: its own SDK client and WebSocket (Node 20 has no global one: `ws`'s). */
function device(token: string): NotesClient {
  return createNotesClient({
    url: target().graphqlUrl,
    getToken: () => token,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnect: { baseMs: 50, maxMs: 200 },
  });
}

async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('subscribeToNoteChanges', () => {
  it("delivers the owner's creates, updates and deletes, whole, to their other device", async () => {
    const { alice } = target();
    const laptop = device(alice.idToken);
    const changes: NoteChange[] = [];
    const subscription = laptop.subscribeToNoteChanges((change) => changes.push(change));
    try {
      await subscription.ready;
      // The phone selects only the id; the laptop still gets the whole note.
      const created = await alice.client.createNote({ input: { content: 'From the phone' } });
      const updated = await alice.client.updateNote({
        input: { noteId: created.noteId, expectedVersion: 1, content: 'Edited on the phone' },
      });
      await alice.client.deleteNote({ noteId: created.noteId });
      await eventually(() => changes.length === 3, 'three changes');
      expect(changes.map(({ kind, noteId, owner }) => ({ kind, noteId, owner }))).toEqual(
        ['CREATED', 'UPDATED', 'DELETED'].map((kind) => ({ kind, noteId: created.noteId, owner: alice.sub })),
      );
      expect(changes[0].note).toEqual(created);
      expect(changes[1].note).toEqual(updated);
      expect(changes[2].note).toEqual(updated);
      expect(changes[0].changedAt).toBe(created.updatedAt);
      expect(changes[1].changedAt).toBe(updated.updatedAt);
      expect(Date.parse(changes[2].changedAt)).toBeGreaterThanOrEqual(Date.parse(updated.updatedAt));
    } finally {
      laptop.close();
    }
  });

  it('reconnects when the server ends the connection, subscribes again and says changes may be missed', async () => {
    const { alice } = target();
    const laptop = device(alice.idToken);
    const contents: string[] = [];
    let reconnects = 0;
    const subscription = laptop.subscribeToNoteChanges({
      onChange: (change) => contents.push(change.note.content),
      onReconnect: () => (reconnects += 1),
    });
    try {
      await subscription.ready;
      await alice.client.createNote({ input: { content: 'before' } });
      await eventually(() => contents.includes('before'), 'the change before the connection ended');
      await eventually(() => reconnects === 1, 'a reconnection', CONNECTION_LIFETIME_MS + 10_000);
      await eventually(() => target().api.realtime.hub.size === 1, 'the subscription started again');
      await alice.client.createNote({ input: { content: 'after' } });
      await eventually(() => contents.includes('after'), 'a change after reconnecting');
      expect(contents).toEqual(['before', 'after']);
    } finally {
      laptop.close();
    }
    await eventually(() => target().api.realtime.connections === 0, 'the socket closed');
  });

  it('ends for good, with onError, when the user closes their subscriptions everywhere', async () => {
    const { alice } = target();
    const laptop = device(alice.idToken);
    let ended: RealtimeError | undefined;
    let reconnects = 0;
    const subscription = laptop.subscribeToNoteChanges({
      onChange: () => {},
      onReconnect: () => (reconnects += 1),
      onError: (error) => (ended = error),
    });
    await subscription.ready;
    expect(await alice.client.closeNoteSubscriptions()).toBe(true);
    await eventually(() => ended !== undefined, 'the subscription to end');
    expect(ended?.errors).toEqual([{ errorType: 'SubscriptionComplete', message: 'Subscription complete.' }]);
    await eventually(() => target().api.realtime.connections === 0, 'the socket closed');
    expect(reconnects).toBe(0);
    laptop.close();
  });
});
