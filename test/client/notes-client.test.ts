import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotesApiError, createNotesClient } from '../../client/notes-client';
import { GetNoteDocument, ListNotesDocument } from '../../client/sdk.generated';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: { query: string; variables: Record<string, unknown> };
}

/** A stand-in GraphQL endpoint: records each request and answers with the next scripted response. */
class FakeEndpoint {
  readonly received: Received[] = [];
  private replies: Array<{ status: number; body: string; contentType?: string }> = [];
  private server?: Server;
  url = '';

  reply(status: number, body: unknown, contentType = 'application/json'): void {
    this.replies.push({ status, body: typeof body === 'string' ? body : JSON.stringify(body), contentType });
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        this.received.push({ method: request.method ?? '', headers: request.headers, body: JSON.parse(text) });
        const next = this.replies.shift() ?? { status: 500, body: '{}' };
        response.writeHead(next.status, { 'content-type': next.contentType ?? 'application/json' });
        response.end(next.body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/graphql`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const NOTE = {
  noteId: '01JDQ5Y0Z8K3M7N2P4R6S8T0VW',
  content: 'Buy oat milk',
  attachment: null,
  createdAt: '2026-11-20T09:15:00.000Z',
  updatedAt: '2026-11-20T09:15:00.000Z',
  version: 1,
};

describe('createNotesClient', () => {
  const endpoint = new FakeEndpoint();
  beforeAll(() => endpoint.start());
  afterAll(() => endpoint.stop());

  const client = () => createNotesClient({ url: endpoint.url, getToken: async () => 'id-token-123' });

  it('posts the operation text and variables with the user pool token as Authorization', async () => {
    endpoint.reply(200, { data: { getNote: NOTE } });
    await client().getNote({ noteId: NOTE.noteId, withDownloadUrl: true });
    const request = endpoint.received.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe('id-token-123');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({
      query: GetNoteDocument.toString(),
      variables: { noteId: NOTE.noteId, withDownloadUrl: true },
    });
  });

  it('resolves with the field value', async () => {
    endpoint.reply(200, { data: { createNote: NOTE } });
    await expect(client().createNote({ input: { content: 'Buy oat milk' } })).resolves.toEqual(NOTE);
  });

  it('resolves null for a note that does not exist', async () => {
    endpoint.reply(200, { data: { getNote: null } });
    await expect(client().getNote({ noteId: NOTE.noteId })).resolves.toBeNull();
  });

  it('lists with no variables at all', async () => {
    endpoint.reply(200, { data: { listNotes: { items: [NOTE], nextToken: null } } });
    await expect(client().listNotes()).resolves.toEqual({ items: [NOTE], nextToken: null });
    expect(endpoint.received.at(-1)!.body).toEqual({ query: ListNotesDocument.toString(), variables: {} });
  });

  it('rejects with AppSync errors, keeping type, info and path', async () => {
    const conflict = {
      path: ['updateNote'],
      data: null,
      errorType: 'ConflictError',
      errorInfo: { noteId: NOTE.noteId, currentVersion: 4, expectedVersion: 3 },
      locations: [{ line: 2, column: 3, sourceName: null }],
      message: 'Note is at version 4, not 3: reload it and retry',
    };
    endpoint.reply(200, { data: null, errors: [conflict] });
    const error = await client()
      .updateNote({ input: { noteId: NOTE.noteId, expectedVersion: 3, content: 'x' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotesApiError);
    expect(error).toMatchObject({
      message: conflict.message,
      errorType: 'ConflictError',
      errors: [conflict],
      status: 200,
      data: null,
    });
  });

  it('rejects when errors come with partial data, and keeps the data', async () => {
    const cleanup = { path: ['deleteNote'], errorType: 'AttachmentCleanupFailed', message: 'file kept' };
    endpoint.reply(200, { data: { deleteNote: NOTE }, errors: [cleanup] });
    const error = (await client()
      .deleteNote({ noteId: NOTE.noteId })
      .catch((e: unknown) => e)) as NotesApiError;
    expect(error.errorType).toBe('AttachmentCleanupFailed');
    expect(error.data).toEqual({ deleteNote: NOTE });
  });

  it('rejects an unauthorised call with AppSync’s UnauthorizedException', async () => {
    endpoint.reply(401, {
      errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }],
    });
    await expect(client().listNotes()).rejects.toMatchObject({ errorType: 'UnauthorizedException', status: 401 });
  });

  it('rejects a response that is not JSON', async () => {
    endpoint.reply(502, '<html>Bad Gateway</html>', 'text/html');
    await expect(client().listNotes()).rejects.toMatchObject({
      name: 'NotesApiError',
      status: 502,
      errors: [],
      message: expect.stringContaining('not JSON'),
    });
  });

  it('rejects a JSON response without data or errors', async () => {
    endpoint.reply(200, {});
    await expect(client().listNotes()).rejects.toMatchObject({ status: 200, errors: [] });
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const custom = createNotesClient({
      url: endpoint.url,
      getToken: () => 'sync-token',
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    endpoint.reply(200, {
      data: {
        createUploadUrl: { key: 'k', url: 'https://u', headers: [], expiresAt: '2026-11-26T14:05:00.000Z' },
      },
    });
    await custom.createUploadUrl({ input: { fileName: 'a.png', contentType: 'image/png', size: 1 } });
    expect(seen).toEqual([endpoint.url]);
    expect(endpoint.received.at(-1)!.headers.authorization).toBe('sync-token');
  });

  it('refuses to be created without an endpoint', () => {
    expect(() => createNotesClient({ url: '', getToken: () => 't' })).toThrow(TypeError);
  });

  it('refuses to be created without a token source', () => {
    expect(() => createNotesClient({ url: endpoint.url } as never)).toThrow(/getToken/);
  });
});
