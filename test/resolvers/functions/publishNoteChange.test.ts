// The pipeline step that publishes a committed note change through the API's own publishNoteChange mutation (an
// HTTP data source signed with IAM), and never fails the mutation when publishing does.
// AppSync's HTTP resolver request and response shapes:
// https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-http-js.html
import { beforeAll, describe, expect, it } from 'vitest';
import { loadResolver, type LoadedResolver } from '../../../local/runtime/testing';
import { toNote } from '../../../resolvers/lib/notes';
import { OWNER_SUB, cognitoIdentity, fieldInfo, noteItem } from '../../helpers/resolver-context';

describe('publishNoteChange (pipeline function)', () => {
  let fn: LoadedResolver;
  beforeAll(async () => {
    fn = await loadResolver('resolvers/functions/publishNoteChange.ts');
  });

  const note = toNote(noteItem());
  const context = (fieldName: string, extra: Record<string, unknown> = {}) => ({
    arguments: {},
    identity: cognitoIdentity(OWNER_SUB),
    info: fieldInfo('Mutation', fieldName),
    stash: { note },
    prev: { result: note },
    ...extra,
  });

  for (const [field, kind] of [
    ['createNote', 'CREATED'],
    ['updateNote', 'UPDATED'],
    ['deleteNote', 'DELETED'],
  ] as const) {
    it(`posts publishNoteChange(${kind}) with the caller as owner and the whole note, after ${field}`, () => {
      const out = fn.request(context(field));
      expect(out.error).toBeUndefined();
      const request = out.result as { method: string; resourcePath: string; params: { headers: object; body: string } };
      expect(request.method).toBe('POST');
      expect(request.resourcePath).toBe('/graphql');
      expect(request.params.headers).toEqual({ 'content-type': 'application/json' });
      const body = JSON.parse(request.params.body) as { query: string; variables: { input: Record<string, unknown> } };
      expect(body.variables.input).toEqual({ owner: OWNER_SUB, kind, note: JSON.stringify(note) });
      // Every field an IAM caller may read is selected, so subscribers can select any of them.
      for (const field of ['owner', 'kind', 'noteId', 'changedAt', 'content', 'version', 'contentType', 'size']) {
        expect(body.query).toContain(field);
      }
      expect(body.query).not.toContain('downloadUrl');
    });
  }

  it('publishes nothing when no change was committed, or when a retried createNote changed nothing', () => {
    for (const stash of [{}, { note, noteUnchanged: true }]) {
      const out = fn.request(context('createNote', { stash }));
      expect(out.earlyReturn).toBeDefined();
      expect(out.result).toEqual(note);
    }
  });

  it('passes the mutation result through when AppSync accepted the publish', () => {
    const out = fn.response(
      context('updateNote', { result: { statusCode: 200, body: JSON.stringify({ data: { publishNoteChange: {} } }) } }),
    );
    expect(out.error).toBeUndefined();
    expect(out.outErrors).toEqual([]);
    expect(out.result).toEqual(note);
  });

  const failures: Array<[string, Record<string, unknown>, string]> = [
    [
      'an error in the GraphQL answer (a refused signature)',
      {
        result: {
          statusCode: 200,
          body: JSON.stringify({ data: null, errors: [{ errorType: 'Unauthorized', message: 'Not Authorized' }] }),
        },
      },
      'Unauthorized: Not Authorized',
    ],
    ['an HTTP failure', { result: { statusCode: 502, body: '<html>bad gateway</html>' } }, 'HTTP 502'],
    [
      'a data-source error',
      { result: null, error: { message: 'timed out', type: 'Http:ExecutionTimeoutException' } },
      'timed out',
    ],
  ];
  for (const [what, outcome, reason] of failures) {
    it(`reports ${what} next to the committed result, never instead of it`, () => {
      const out = fn.response(context('deleteNote', outcome));
      expect(out.error).toBeUndefined();
      expect(out.result).toEqual(note);
      expect(out.outErrors).toEqual([
        expect.objectContaining({
          errorType: 'NoteChangeNotPublished',
          message: `The note was saved, but the change could not be sent to your other devices: ${reason}`,
          errorInfo: { noteId: note.noteId, kind: 'DELETED' },
        }),
      ]);
    });
  }
});
