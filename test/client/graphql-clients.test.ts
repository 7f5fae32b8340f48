// The SDK's documents in the three GraphQL clients people use, against the local server: each takes the parsed
// TypedDocumentNode as it is (no cast, no print), and infers the operation's result and variable types from it. This
// file is type-checked with the rest (`npm run typecheck`); test/client/package.test.ts also compiles the same calls
// against the built package under NodeNext and bundler resolution.
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { Client, fetchExchange } from '@urql/core';
import { GraphQLClient } from 'graphql-request';
import { describe, expect, it } from 'vitest';
import {
  CreateNoteDocument,
  GetNoteDocument,
  ListNotesDocument,
  newClientToken,
  type CreateNoteMutation,
  type ListNotesQuery,
} from '../../client/src/index';
import { useLocalTarget } from '../e2e/helpers/fixture';

describe('the SDK documents in other GraphQL clients', () => {
  const target = useLocalTarget();

  it('run in Apollo Client', async () => {
    const { graphqlUrl, alice } = target();
    const apollo = new ApolloClient({
      link: new HttpLink({ uri: graphqlUrl, headers: { authorization: alice.idToken } }),
      cache: new InMemoryCache(),
    });
    const created = await apollo.mutate({
      mutation: CreateNoteDocument,
      variables: { input: { content: 'from Apollo', clientToken: newClientToken() } },
    });
    const note: CreateNoteMutation['createNote'] | undefined = created.data?.createNote;
    expect(note?.content).toBe('from Apollo');

    const listed = await apollo.query({ query: ListNotesDocument, variables: { limit: 100 }, fetchPolicy: 'no-cache' });
    const items: ListNotesQuery['listNotes']['items'] = listed.data?.listNotes.items ?? [];
    expect(items.map((item) => item.noteId)).toContain(note?.noteId);
    apollo.stop();
  });

  it('run in urql', async () => {
    const { graphqlUrl, alice } = target();
    const urql = new Client({
      url: graphqlUrl,
      exchanges: [fetchExchange],
      fetchOptions: { headers: { authorization: alice.idToken } },
    });
    const created = await urql.mutation(CreateNoteDocument, { input: { content: 'from urql' } }).toPromise();
    expect(created.error).toBeUndefined();
    const noteId: string | undefined = created.data?.createNote.noteId;

    const read = await urql.query(GetNoteDocument, { noteId: noteId ?? '' }).toPromise();
    expect(read.error).toBeUndefined();
    const content: string | undefined = read.data?.getNote?.content;
    expect(content).toBe('from urql');
  });

  it('run in graphql-request', async () => {
    const { graphqlUrl, alice } = target();
    const client = new GraphQLClient(graphqlUrl, { headers: { authorization: alice.idToken } });
    const created = await client.request(CreateNoteDocument, { input: { content: 'from graphql-request' } });
    const read = await client.request(GetNoteDocument, { noteId: created.createNote.noteId });
    const version: number | undefined = read.getNote?.version;
    expect(read.getNote?.content).toBe('from graphql-request');
    expect(version).toBe(1);
  });
});
