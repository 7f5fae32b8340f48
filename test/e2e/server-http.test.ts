// Bad requests to the GraphQL endpoint itself: each is answered with a 4xx or a GraphQL error in AppSync's shape,
// never a 5xx or a dropped connection, and a mutation inside a refused request writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateNoteDocument, ListNotesDocument } from '../../client/src/operation-text.generated';
import { useTarget } from './helpers/fixture';
import { expectGraphQLErrors, expectRequestRefused, postJson, rawRequest, type RawResponse } from './helpers/http';
import { allNotes, type ListedNote } from './helpers/notes';

/** AppSync takes requests of up to 1 MB. */
const MAX_REQUEST_BYTES = 1024 * 1024;

describe('bad requests to the GraphQL endpoint', () => {
  const target = useTarget();
  let notesBefore: ListedNote[];

  beforeAll(async () => {
    const { alice } = target();
    await alice.client.createNote({ input: { content: 'present before every bad request' } });
    notesBefore = await allNotes(alice.client);
  });

  const auth = () => ({ authorization: target().alice.idToken });
  const send = (body: string, headers: Record<string, string> = {}) =>
    rawRequest(target().graphqlUrl, { headers: { 'content-type': 'application/json', ...auth(), ...headers }, body });
  const createNoteBody = (content: unknown) => ({
    query: CreateNoteDocument.toString(),
    variables: { input: { content } },
  });

  async function expectNothingWritten(): Promise<void> {
    expect(await allNotes(target().alice.client)).toEqual(notesBefore);
  }

  it('answers malformed JSON with 400 MalformedHttpRequestException', async () => {
    expectRequestRefused(await send('{"query": "{ listNotes { nextToken } }"'), 400, 'MalformedHttpRequestException');
  });

  it('answers an empty body with 400 MalformedHttpRequestException', async () => {
    expectRequestRefused(await send(''), 400, 'MalformedHttpRequestException');
  });

  it('answers a JSON body without a query with 400 MalformedHttpRequestException', async () => {
    expectRequestRefused(await send(JSON.stringify({ variables: {} })), 400, 'MalformedHttpRequestException');
  });

  it('answers a query that is not a string with 400 MalformedHttpRequestException', async () => {
    expectRequestRefused(await send(JSON.stringify({ query: 42 })), 400, 'MalformedHttpRequestException');
  });

  it('answers a JSON array body with 400 MalformedHttpRequestException', async () => {
    const body = JSON.stringify([{ query: ListNotesDocument.toString() }]);
    expectRequestRefused(await send(body), 400, 'MalformedHttpRequestException');
  });

  it('answers a PUT with a 4xx error in AppSync shape', async () => {
    const response = await rawRequest(target().graphqlUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth() },
      body: JSON.stringify(createNoteBody('sent with PUT')),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.json).toEqual({ errors: [expect.objectContaining({ errorType: expect.any(String) })] });
    await expectNothingWritten();
  });

  it('answers a DELETE with a 4xx error and deletes nothing', async () => {
    const response = await rawRequest(target().graphqlUrl, { method: 'DELETE', headers: auth() });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    await expectNothingWritten();
  });

  it('answers an unknown operationName with a GraphQL error and runs no operation', async () => {
    const document = `${ListNotesDocument.toString()}\nmutation Write { createNote(input: { content: "unknown op" }) { noteId } }`;
    const errors = expectGraphQLErrors(
      await postJson(target().graphqlUrl, { query: document, operationName: 'Nope' }, auth()),
    );
    expect(errors[0].message).toContain('Nope');
    await expectNothingWritten();
  });

  it('answers two operations without an operationName with a GraphQL error and runs neither', async () => {
    const document = `${ListNotesDocument.toString()}\nmutation Write { createNote(input: { content: "which one" }) { noteId } }`;
    expectGraphQLErrors(await postJson(target().graphqlUrl, { query: document }, auth()));
    await expectNothingWritten();
  });

  it('refuses a request over 1 MB with a 4xx error and writes nothing', async () => {
    const response = await send(JSON.stringify(createNoteBody('x'.repeat(MAX_REQUEST_BYTES))));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.json).toEqual({ errors: [expect.objectContaining({ errorType: expect.any(String) })] });
    await expectNothingWritten();
  });

  it('refuses a mutation nested deeper than the depth limit and writes nothing', async () => {
    // The notes schema nests no deeper than 4 levels, so a deeper selection cannot be valid either; the depth limit
    // itself is shown on a recursive schema in local/query-depth.test.ts.
    const nested = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].reduceRight((inner, name) => `${name} { ${inner} }`, 'i');
    const query = `mutation Deep { createNote(input: { content: "deep" }) { attachment { key { ${nested} } } } }`;
    expectGraphQLErrors(await postJson(target().graphqlUrl, { query }, auth()));
    await expectNothingWritten();
  });

  it('answers a query nested 2,000 levels deep with an error, not a crash', async () => {
    const query = `{ listNotes { ${'items { '.repeat(2000)}noteId${' }'.repeat(2000)} } }`;
    const response = await postJson(target().graphqlUrl, { query }, auth());
    expect(response.status).toBeLessThan(500);
    expect((response.json as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
  });

  it('answers a variable of the wrong type with a GraphQL error and writes nothing', async () => {
    const errors = expectGraphQLErrors(await postJson(target().graphqlUrl, createNoteBody(12345), auth()));
    // AppSync names the input field that does not fit (test/local/server/appsync-errors.test.ts).
    expect(errors[0].message).toMatch(/^Variable 'content' has an invalid value\./);
    await expectNothingWritten();
  });

  it('answers a non-integer limit with a GraphQL error', async () => {
    const body = { query: ListNotesDocument.toString(), variables: { limit: 'twenty' } };
    const errors = expectGraphQLErrors(await postJson(target().graphqlUrl, body, auth()));
    expect(errors[0].message).toBe("Variable 'limit' has an invalid value. Expected type 'Int' but was 'String'.");
  });

  it('answers a missing required variable with a GraphQL error and writes nothing', async () => {
    expectGraphQLErrors(
      await postJson(target().graphqlUrl, { query: CreateNoteDocument.toString(), variables: {} }, auth()),
    );
    await expectNothingWritten();
  });

  it('answers a document that is not GraphQL with a GraphQL error', async () => {
    expectGraphQLErrors(await postJson(target().graphqlUrl, { query: 'mutation { createNote(' }, auth()));
  });

  it('answers a field the schema lacks with a GraphQL error', async () => {
    expectGraphQLErrors(await postJson(target().graphqlUrl, { query: '{ listNotes { owner } }' }, auth()));
  });

  it('answers a subscription sent over HTTP with 400 BadRequestException', async () => {
    // What AppSync answers since subscriptions moved to its real-time endpoint: the body quoted in
    // https://github.com/aws-samples/aws-amplify-appsync-graphql-real-time-canvas/issues/28 (2021-05-06), the 400 in
    // https://github.com/awslabs/aws-mobile-appsync-sdk-js/issues/628 (2021-03-23).
    const query = 'subscription { onNoteChange { noteId kind } }';
    const response = await postJson(target().graphqlUrl, { query }, auth());
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      errors: [{ errorType: 'BadRequestException', message: 'Subscriptions over MQTT is not supported.' }],
    });
  });

  it('keeps answering correctly after a burst of bad requests', async () => {
    const bad: Array<Promise<RawResponse>> = [
      send('{'),
      send(''),
      send(JSON.stringify(createNoteBody(null))),
      send(JSON.stringify({ query: `{ listNotes { ${'items { '.repeat(500)}noteId${' }'.repeat(500)} } }` })),
      send('x'.repeat(MAX_REQUEST_BYTES + 10)),
      rawRequest(target().graphqlUrl, { method: 'PATCH', headers: auth(), body: '{}' }),
    ];
    const statuses = (await Promise.all(bad)).map((response) => response.status);
    expect(statuses.every((status) => status < 500)).toBe(true);
    const page = await target().alice.client.listNotes({ limit: 100 });
    expect(page.items.map((note) => note.noteId)).toEqual(notesBefore.map((note) => note.noteId));
  });
});
