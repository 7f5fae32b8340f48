// The deployed notes table role allows exactly the DynamoDB operations the definition lists; here every request
// handler that runs on the table is evaluated, and the operations they send must be exactly that list. A resolver that
// starts to Scan (or a listed operation nobody uses any more) fails this test until the definition says so.
import { describe, expect, it } from 'vitest';
import { NOTES_TABLE, apiDefinition } from '../../infra/api-definition';
import { loadResolver } from '../../local/runtime/testing';
import { NOTE_ID, cognitoIdentity } from '../helpers/resolver-context';

const identity = cognitoIdentity();

/** A context that makes each handler on the notes table send its request (rather than skip). */
const contexts: Record<string, Record<string, unknown>> = {
  'Query.getNote': { arguments: { noteId: NOTE_ID } },
  'Query.listNotes': { arguments: { limit: 10 } },
  putNoteItem: { arguments: { input: { content: 'x' } }, stash: { noteId: NOTE_ID } },
  readNoteForRetriedCreate: {
    arguments: { input: { content: 'x' } },
    stash: { noteId: NOTE_ID, createConditionFailed: true },
  },
  getNoteItemForUpdate: { arguments: { input: { noteId: NOTE_ID, expectedVersion: 1, attachment: null } } },
  updateNoteItem: { arguments: { input: { noteId: NOTE_ID, expectedVersion: 1, content: 'x' } } },
  readNoteAfterFailedUpdate: {
    arguments: { input: { noteId: NOTE_ID, expectedVersion: 1 } },
    stash: { updateConditionFailed: true },
  },
  deleteNoteItem: { arguments: { noteId: NOTE_ID } },
};

function codeOnTable(): Record<string, string> {
  const code: Record<string, string> = {};
  for (const resolver of apiDefinition.resolvers) {
    if (resolver.kind === 'UNIT' && resolver.dataSource === NOTES_TABLE) {
      code[`${resolver.typeName}.${resolver.fieldName}`] = resolver.code as string;
    }
  }
  for (const [name, fn] of Object.entries(apiDefinition.functions ?? {})) {
    if (fn.dataSource === NOTES_TABLE) code[name] = fn.code as string;
  }
  return code;
}

describe('DynamoDB operations of the notes table', () => {
  it('are exactly what the resolvers send', async () => {
    const code = codeOnTable();
    expect(Object.keys(code).sort()).toEqual(Object.keys(contexts).sort());
    const sent = new Set<string>();
    for (const [name, file] of Object.entries(code)) {
      const handler = await loadResolver(file, { strict: true });
      const out = handler.request({ identity, ...contexts[name] });
      expect(out.error, name).toBeUndefined();
      expect(out.earlyReturn, name).toBeUndefined();
      sent.add((out.result as { operation: string }).operation);
    }
    const table = apiDefinition.dataSources[NOTES_TABLE];
    expect(table.type === 'AMAZON_DYNAMODB' && [...(table.operations ?? [])].sort()).toEqual([...sent].sort());
  });
});
