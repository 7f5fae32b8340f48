// listNotes over 250 notes: page sizes, newest-first order, every note exactly once, and tokens that are opaque and
// refused when tampered with or presented by another user. Assertions count only the notes this file creates, so the
// file also holds on a deployed stack whose users already have notes.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTarget } from './helpers/fixture';
import { allNotes, apiError, mapConcurrently, type ListedNote } from './helpers/notes';
import { ulidTime } from '../helpers/ulid';

const NOTE_COUNT = 250;

describe('listNotes pagination', () => {
  const target = useTarget();
  /** The created notes' ids, by content `page-test <n>`. */
  const created = new Set<string>();

  beforeAll(async () => {
    const { alice } = target();
    const notes = await mapConcurrently(
      Array.from({ length: NOTE_COUNT }, (_, n) => n),
      8,
      (n) => alice.client.createNote({ input: { content: `page-test ${n}` } }),
    );
    for (const note of notes) created.add(note.noteId);
  }, 120_000);

  const ours = (notes: ListedNote[]) => notes.filter((note) => created.has(note.noteId));

  it('returns 20 notes and a nextToken when no limit is given', async () => {
    const page = await target().alice.client.listNotes();
    expect(page.items).toHaveLength(20);
    expect(page.nextToken).toEqual(expect.any(String));
  });

  it('returns up to 100 notes with limit 100', async () => {
    const page = await target().alice.client.listNotes({ limit: 100 });
    expect(page.items).toHaveLength(100);
  });

  it('lists every note exactly once across pages of the default size', async () => {
    const { alice } = target();
    const seen: string[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof alice.client.listNotes>> = await alice.client.listNotes({ nextToken });
      expect(page.items.length).toBeLessThanOrEqual(20);
      seen.push(...page.items.map((note) => note.noteId));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken && pages < 100);
    expect(nextToken).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => created.has(id)).sort()).toEqual([...created].sort());
  });

  it('lists every note exactly once across pages of 100', async () => {
    const notes = await allNotes(target().alice.client);
    const ids = notes.map((note) => note.noteId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ours(notes)).toHaveLength(NOTE_COUNT);
  });

  // Newest first means by id. The SDK sends a clientToken, which becomes the id, so an id carries the client's clock
  // while createdAt carries the server's: two creates in flight at once may reach the server in the other order, so
  // createdAt is only required to stay within the clock skew createNote accepts (5 minutes ahead).
  it('lists newest first: ids never increase down the list', async () => {
    const notes = await allNotes(target().alice.client);
    for (let i = 1; i < notes.length; i += 1) {
      expect(notes[i].noteId < notes[i - 1].noteId, `${notes[i].noteId} after ${notes[i - 1].noteId}`).toBe(true);
    }
    for (const note of ours(notes)) {
      const skew = ulidTime(note.noteId) - Date.parse(note.createdAt);
      expect(skew).toBeLessThanOrEqual(5 * 60_000);
    }
  });

  it('puts a note created after the others on top of the first page', async () => {
    const { alice } = target();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const latest = await alice.client.createNote({ input: { content: 'the newest' } });
    const page = await alice.client.listNotes({ limit: 1 });
    expect(page.items.map((note) => note.noteId)).toEqual([latest.noteId]);
    await alice.client.deleteNote({ noteId: latest.noteId });
  });

  it('fills every page but the last, which ends without a nextToken', async () => {
    const { alice } = target();
    const total = (await allNotes(alice.client)).length;
    const sizes: number[] = [];
    let page = await alice.client.listNotes({ limit: 100 });
    sizes.push(page.items.length);
    while (page.nextToken && sizes.length <= total) {
      page = await alice.client.listNotes({ limit: 100, nextToken: page.nextToken });
      sizes.push(page.items.length);
    }
    // DynamoDB stops at the limit without looking further: a list of exactly n*100 ends with an empty page.
    const full = Math.floor(total / 100);
    expect(sizes).toEqual([...Array.from({ length: full }, () => 100), total % 100]);
    expect(page.nextToken).toBeNull();
  });

  it('hands out a nextToken that shows neither the owner nor a note id', async () => {
    const { alice } = target();
    const page = await alice.client.listNotes({ limit: 5 });
    const token = page.nextToken!;
    const lastId = page.items[4].noteId;
    for (const text of [token, Buffer.from(token, 'base64').toString('latin1')]) {
      expect(text).not.toContain(alice.sub);
      expect(text).not.toContain(lastId);
    }
  });

  it('rejects a nextToken with one character changed and returns no notes', async () => {
    const { alice } = target();
    const token = (await alice.client.listNotes({ limit: 5 })).nextToken!;
    // A change in the middle of the sealed part, keeping the text valid base64.
    const at = Math.floor(token.length / 2);
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    const error = await apiError(alice.client.listNotes({ limit: 5, nextToken: tampered }));
    // AppSync's answer to a token it cannot read (as reported in aws-amplify/amplify-js#4880).
    expect(error.errors[0]).toMatchObject({
      errorType: 'DynamoDB:UserIllegalArgumentException',
      message: expect.stringContaining('Invalid pagination token given.'),
    });
    expect(error.data).toBeNull();
  });

  it('rejects a nextToken issued to another user', async () => {
    const { alice, bob } = target();
    const token = (await alice.client.listNotes({ limit: 5 })).nextToken!;
    const error = await apiError(bob.client.listNotes({ limit: 5, nextToken: token }));
    expect(error.errors[0].errorType).toMatch(/^DynamoDB:/);
    expect(error.data).toBeNull();
  });
});
