// What each operation costs in store and function calls, counted by the local server: one DynamoDB request per CRUD
// operation, and Lambda invocations only where an attachment is involved (at most one per page of download URLs).
import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalTarget } from '../helpers/fixture';
import { textFile, uploadFile, type Note } from '../helpers/notes';
import { ulidAt } from '../../helpers/ulid';

describe('data source calls per operation', () => {
  const target = useLocalTarget();
  let existing: Note;

  beforeAll(async () => {
    const { alice } = target();
    existing = await alice.client.createNote({ input: { content: 'counted' } });
    for (let n = 0; n < 3; n += 1) {
      const upload = await uploadFile(alice, textFile(`file ${n}`));
      await alice.client.createNote({ input: { content: `with file ${n}`, attachment: { key: upload.key } } });
    }
  });

  /** The calls `operation` made, by kind. */
  async function callsOf(operation: () => Promise<unknown>): Promise<{ dynamodb: number; lambda: number }> {
    const { counters } = target().api;
    const before = { ...counters };
    await operation();
    return { dynamodb: counters.dynamodb - before.dynamodb, lambda: counters.lambda - before.lambda };
  }

  it('makes one DynamoDB request for getNote', async () => {
    const { alice } = target();
    expect(await callsOf(() => alice.client.getNote({ noteId: existing.noteId }))).toEqual({ dynamodb: 1, lambda: 0 });
  });

  it('makes one DynamoDB request for listNotes', async () => {
    const { alice } = target();
    expect(await callsOf(() => alice.client.listNotes({ limit: 20 }))).toEqual({ dynamodb: 1, lambda: 0 });
  });

  it('makes one DynamoDB request for createNote without an attachment', async () => {
    const { alice } = target();
    expect(await callsOf(() => alice.client.createNote({ input: { content: 'one write' } }))).toEqual({
      dynamodb: 1,
      lambda: 0,
    });
  });

  it('makes one DynamoDB request for createNote with a clientToken, and a read more only for a retry', async () => {
    const { alice } = target();
    const input = { content: 'retry-safe', clientToken: ulidAt(Date.now()) };
    expect(await callsOf(() => alice.client.createNote({ input }))).toEqual({ dynamodb: 1, lambda: 0 });
    // The PutItem, the data source's own read after its failed condition, and the resolver's GetItem.
    expect(await callsOf(() => alice.client.createNote({ input }))).toEqual({ dynamodb: 3, lambda: 0 });
  });

  it('makes one DynamoDB request for deleteNote without an attachment', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'to delete' } });
    expect(await callsOf(() => alice.client.deleteNote({ noteId: note.noteId }))).toEqual({ dynamodb: 1, lambda: 0 });
  });

  it('makes one DynamoDB request for an updateNote that changes only the content', async () => {
    const { alice } = target();
    const note = await alice.client.createNote({ input: { content: 'before' } });
    expect(
      await callsOf(() =>
        alice.client.updateNote({ input: { noteId: note.noteId, expectedVersion: 1, content: 'after' } }),
      ),
    ).toEqual({ dynamodb: 1, lambda: 0 });
  });

  it('signs every downloadUrl of a page in one Lambda invocation', async () => {
    const { alice } = target();
    const calls = await callsOf(async () => {
      const page = await alice.client.listNotes({ limit: 20, withDownloadUrl: true });
      expect(page.items.filter((note) => note.attachment?.downloadUrl)).toHaveLength(3);
    });
    expect(calls).toEqual({ dynamodb: 1, lambda: 1 });
  });

  it('makes no DynamoDB request and invokes nothing for invalid input', async () => {
    const { alice } = target();
    const calls = await callsOf(() => alice.client.createNote({ input: { content: '' } }).catch(() => undefined));
    expect(calls).toEqual({ dynamodb: 0, lambda: 0 });
  });
});
