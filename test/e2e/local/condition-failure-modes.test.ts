// The update and delete suite again, on a local server whose DynamoDB data source hands the current item to the
// resolvers as ctx.result after a failed condition: the looser reading of an uncertain AppSync behaviour
// (aws-appsync-community #343). The default (no ctx.result) runs in concurrent-updates.test.ts; the resolvers must be
// right under both.
import { describe, expect, it } from 'vitest';
import { useLocalTarget } from '../helpers/fixture';
import { updateAndDeleteOutcomes } from '../helpers/update-delete-suite';

describe('updateNote and deleteNote when AppSync supplies the current item after a failed condition', () => {
  const target = useLocalTarget({ currentItemOnConditionFailure: true });

  updateAndDeleteOutcomes(target);

  it('reads the note once after a failed update, and not at all after a successful one', async () => {
    const { alice, api } = target();
    const note = await alice.client.createNote({ input: { content: 'v1' } });
    const before = api.counters.dynamodb;
    await alice.client.updateNote({ input: { noteId: note.noteId, expectedVersion: 1, content: 'v2' } });
    expect(api.counters.dynamodb - before).toBe(1);

    const beforeStale = api.counters.dynamodb;
    await alice.client
      .updateNote({ input: { noteId: note.noteId, expectedVersion: 1, content: 'stale' } })
      .catch(() => undefined);
    // UpdateItem, the data source's own read after the failed condition, and the resolver's GetItem.
    expect(api.counters.dynamodb - beforeStale).toBe(3);
  });
});
