// The notes mutations as whole pipelines, run as AppSync runs them (ctx.info naming the field): each committed write
// ends with one call to the noteChanges HTTP data source publishing the change; nothing is published when nothing
// changed (a replayed createNote, a refused update or delete); a failed publish is reported beside the result.
import { describe, expect, it } from 'vitest';
import type { DataSourceCall } from '../../local/runtime';
import { NOTE_ID, OWNER_SUB, cognitoIdentity, fieldInfo, noteItem } from '../helpers/resolver-context';
import { runField, type DataSourceScript } from '../helpers/run-resolver';
import { itemPutBy } from '../helpers/typed-values';
import { ulidAt } from '../helpers/ulid';

const identity = cognitoIdentity();
const CONDITION_FAILED = {
  message: 'The conditional request failed',
  type: 'DynamoDB:ConditionalCheckFailedException',
};
const ACCEPTED = { result: { statusCode: 200, body: JSON.stringify({ data: { publishNoteChange: { owner: 'x' } } }) } };

/** The notes table answers with `item` (or what a put wrote); the API itself accepts the publish. */
function answering(item?: (call: DataSourceCall) => unknown, publish = ACCEPTED): DataSourceScript {
  return (call) => {
    if (call.dataSource === 'noteChanges') return publish;
    return { result: item ? item(call) : itemPutBy(call.request) };
  };
}

function run(fieldName: string, args: Record<string, unknown>, script: DataSourceScript) {
  return runField('Mutation', fieldName, { arguments: args, identity, info: fieldInfo('Mutation', fieldName) }, script);
}

/** What the publish call sent: its GraphQL variables. */
function published(call: DataSourceCall): { owner: string; kind: string; note: unknown } {
  const request = call.request as { method: string; resourcePath: string; params: { body: string } };
  expect(request).toMatchObject({ method: 'POST', resourcePath: '/graphql' });
  const { variables } = JSON.parse(request.params.body) as {
    variables: { input: { owner: string; kind: string; note: string } };
  };
  return { ...variables.input, note: JSON.parse(variables.input.note) };
}

describe('the notes mutations publish what they commit', () => {
  it('createNote: one PutItem, then the CREATED change with the note as stored', async () => {
    const created = await run('createNote', { input: { content: 'Hi' } }, answering());
    expect(created.error).toBeUndefined();
    expect(created.calls.map((call) => call.dataSource)).toEqual(['notesTable', 'noteChanges']);
    expect(published(created.calls[1])).toEqual({ owner: OWNER_SUB, kind: 'CREATED', note: created.data });
  });

  it('createNote replayed with its clientToken: the stored note back, and nothing published', async () => {
    const input = { content: 'Hi', clientToken: ulidAt(Date.now()) };
    const first = await run('createNote', { input }, answering());
    const stored = itemPutBy(first.calls[0].request);
    const replay = await run('createNote', { input }, (call) =>
      call.functionName === 'putNoteItem' ? { error: CONDITION_FAILED } : answering(() => stored)(call),
    );
    expect(replay.error).toBeUndefined();
    expect(replay.calls.map((call) => call.functionName)).toEqual(['putNoteItem', 'readNoteForRetriedCreate']);
    expect(replay.data).toEqual(first.data);
  });

  it('updateNote: one UpdateItem, then the UPDATED change', async () => {
    const updated = await run(
      'updateNote',
      { input: { noteId: NOTE_ID, expectedVersion: 3, content: 'New' } },
      answering(() => noteItem({ version: 4, content: 'New' })),
    );
    expect(updated.error).toBeUndefined();
    expect(updated.calls.map((call) => call.dataSource)).toEqual(['notesTable', 'noteChanges']);
    expect(published(updated.calls[1])).toEqual({ owner: OWNER_SUB, kind: 'UPDATED', note: updated.data });
    expect(updated.data).toMatchObject({ content: 'New', version: 4 });
  });

  it('updateNote refused as stale: nothing published', async () => {
    const stale = await run('updateNote', { input: { noteId: NOTE_ID, expectedVersion: 3, content: 'New' } }, (call) =>
      call.functionName === 'updateNoteItem' ? { error: CONDITION_FAILED } : { result: noteItem({ version: 5 }) },
    );
    expect(stale.error).toMatchObject({ errorType: 'ConflictError' });
    expect(stale.calls.map((call) => call.dataSource)).not.toContain('noteChanges');
  });

  it('deleteNote: one DeleteItem, then the DELETED change with the note as it was', async () => {
    const deleted = await run(
      'deleteNote',
      { noteId: NOTE_ID },
      answering(() => noteItem()),
    );
    expect(deleted.error).toBeUndefined();
    expect(deleted.calls.map((call) => call.dataSource)).toEqual(['notesTable', 'noteChanges']);
    expect(published(deleted.calls[1])).toEqual({ owner: OWNER_SUB, kind: 'DELETED', note: deleted.data });
  });

  it('deleteNote of a missing note: NotFound, nothing published', async () => {
    const missing = await run(
      'deleteNote',
      { noteId: NOTE_ID },
      answering(() => null),
    );
    expect(missing.error).toMatchObject({ errorType: 'NotFound' });
    expect(missing.calls.map((call) => call.dataSource)).toEqual(['notesTable']);
  });

  it('keeps the committed result when the publish fails, with a NoteChangeNotPublished error beside it', async () => {
    const refused = {
      result: {
        statusCode: 200,
        body: JSON.stringify({
          data: null,
          errors: [{ errorType: 'UnauthorizedException', message: 'Not Authorized' }],
        }),
      },
    };
    const updated = await run(
      'updateNote',
      { input: { noteId: NOTE_ID, expectedVersion: 3, content: 'New' } },
      answering(() => noteItem({ version: 4, content: 'New' }), refused),
    );
    expect(updated.error).toBeUndefined();
    expect(updated.data).toMatchObject({ content: 'New', version: 4 });
    expect(updated.outErrors).toEqual([
      expect.objectContaining({
        errorType: 'NoteChangeNotPublished',
        errorInfo: { noteId: NOTE_ID, kind: 'UPDATED' },
      }),
    ]);
  });
});
