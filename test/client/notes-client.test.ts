import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NotesApiError,
  clientTokenTime,
  createNotesClient,
  hasErrorType,
  isKnownError,
  type NotesError,
} from '../../client/src/index';
import { GetNoteDocument, ListNotesDocument } from '../../client/src/operation-text.generated';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: { query: string; variables: Record<string, unknown> };
}

/** A stand-in GraphQL endpoint: records each request and answers with the next scripted response. */
class FakeEndpoint {
  readonly received: Received[] = [];
  private replies: Array<{ status: number; body: string; contentType?: string } | 'drop' | 'hang'> = [];
  private server?: Server;
  url = '';

  reply(status: number, body: unknown, contentType = 'application/json'): void {
    this.replies.push({ status, body: typeof body === 'string' ? body : JSON.stringify(body), contentType });
  }

  /** The next request gets no answer: its connection is closed (as when a network drops) or left open. */
  fail(how: 'drop' | 'hang'): void {
    this.replies.push(how);
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        this.received.push({ method: request.method ?? '', headers: request.headers, body: JSON.parse(text) });
        const next = this.replies.shift() ?? { status: 500, body: '{}' };
        if (next === 'drop') return void request.socket.destroy();
        if (next === 'hang') return;
        response.writeHead(next.status, { 'content-type': next.contentType ?? 'application/json' });
        response.end(next.body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/graphql`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
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
    const once = createNotesClient({ url: endpoint.url, getToken: () => 't', retries: 0 });
    await expect(once.listNotes()).rejects.toMatchObject({
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

  it('rejects with every error typed by errorType, the fallback keeping any other type verbatim', async () => {
    const conflict = {
      path: ['updateNote'],
      data: NOTE,
      errorType: 'ConflictError',
      errorInfo: { noteId: NOTE.noteId, currentVersion: 2, expectedVersion: 1 },
      message: 'stale',
    };
    const other = { path: ['updateNote'], errorType: 'DynamoDB:ProvisionedThroughputExceededException', message: 'x' };
    endpoint.reply(200, { data: null, errors: [conflict, other] });
    const error = await client()
      .updateNote({ input: { noteId: NOTE.noteId, expectedVersion: 1, content: 'x' } })
      .catch((e: unknown) => e);

    const found = hasErrorType(error, 'ConflictError');
    // Typed: errorInfo.currentVersion is a number and data a note, with no cast.
    const currentVersion: number | undefined = found?.errorInfo.currentVersion;
    const currentContent: string | undefined = found?.data?.content;
    expect({ currentVersion, currentContent }).toEqual({ currentVersion: 2, currentContent: NOTE.content });
    expect(hasErrorType(error, 'NotFound')).toBeUndefined();

    const [first, second] = (error as NotesApiError).errors;
    expect(isKnownError(first)).toBe(true);
    expect(isKnownError(second)).toBe(false);
    expect(second.errorType).toBe('DynamoDB:ProvisionedThroughputExceededException');
  });

  it("rejects AppSync's own refusal of a query, which carries no errorType", async () => {
    // AppSync's validation errors are { path, locations, message } only: the response quoted in
    // https://github.com/graphql/graphql-over-http/issues/81 (AppSync team, 2020-04-23).
    const refusal = {
      path: null,
      locations: [{ line: 1, column: 2, sourceName: null }],
      message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'",
    };
    endpoint.reply(200, { data: null, errors: [refusal] });
    const error = (await client()
      .getNote({ noteId: NOTE.noteId })
      .catch((e: unknown) => e)) as NotesApiError;
    expect(error).toBeInstanceOf(NotesApiError);
    expect(error.message).toBe(refusal.message);
    expect(error.errorType).toBeUndefined();
    expect(error.isTransportFailure).toBe(false);
    expect(isKnownError(error.errors[0])).toBe(false);
    expect(hasErrorType(error, 'ValidationError')).toBeUndefined();
  });

  it('narrows a known error by a switch on errorType', async () => {
    endpoint.reply(200, { data: { getNote: null }, errors: [{ errorType: 'NotFound', message: 'gone' }] });
    const error = (await client()
      .getNote({ noteId: NOTE.noteId })
      .catch((e: unknown) => e)) as NotesApiError;
    const describe = (entry: NotesError): string => {
      if (!isKnownError(entry)) return `other: ${entry.errorType}`;
      switch (entry.errorType) {
        case 'ConflictError':
          return `conflict at ${entry.errorInfo.currentVersion}`;
        case 'NotFound':
        case 'ValidationError':
        case 'UnauthorizedException':
          return entry.errorType;
        default: {
          const unreachable: never = entry;
          return unreachable;
        }
      }
    };
    expect(error.errors.map(describe)).toEqual(['NotFound']);
    expect(error.data).toEqual({ getNote: null });
  });

  it('does not take a ConflictError without a numeric currentVersion as the typed member', async () => {
    endpoint.reply(200, { data: null, errors: [{ errorType: 'ConflictError', message: 'odd', errorInfo: null }] });
    const error = await client()
      .updateNote({ input: { noteId: NOTE.noteId, expectedVersion: 1 } })
      .catch((e: unknown) => e);
    expect((error as NotesApiError).errorType).toBe('ConflictError');
    expect(hasErrorType(error, 'ConflictError')).toBeUndefined();
  });

  it('gives createNote a fresh ULID clientToken when none is given', async () => {
    endpoint.reply(200, { data: { createNote: NOTE } });
    const before = Date.now();
    await client().createNote({ input: { content: 'Buy oat milk' } });
    const token = (endpoint.received.at(-1)!.body.variables.input as { clientToken: string }).clientToken;
    expect(token).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(clientTokenTime(token)).toBeGreaterThanOrEqual(before);
    expect(clientTokenTime(token)).toBeLessThanOrEqual(Date.now());
  });

  it('keeps a clientToken the caller gives', async () => {
    endpoint.reply(200, { data: { createNote: NOTE } });
    await client().createNote({ input: { content: 'x', clientToken: NOTE.noteId } });
    expect(endpoint.received.at(-1)!.body.variables.input).toEqual({ content: 'x', clientToken: NOTE.noteId });
  });

  it('retries createNote with the same clientToken after a dropped connection and a 503', async () => {
    const sent = endpoint.received.length;
    endpoint.fail('drop');
    endpoint.reply(503, { errors: [{ errorType: 'ServiceUnavailable', message: 'busy' }] });
    endpoint.reply(200, { data: { createNote: NOTE } });
    const retrying = createNotesClient({ url: endpoint.url, getToken: () => 't', retryDelayMs: 1 });
    await expect(retrying.createNote({ input: { content: 'Buy oat milk' } })).resolves.toEqual(NOTE);
    const tokens = endpoint.received
      .slice(sent)
      .map((r) => (r.body.variables.input as { clientToken: string }).clientToken);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
  });

  it('retries a request that times out, then gives up with a transport failure', async () => {
    endpoint.fail('hang');
    endpoint.fail('hang');
    const impatient = createNotesClient({
      url: endpoint.url,
      getToken: () => 't',
      timeoutMs: 100,
      retries: 1,
      retryDelayMs: 1,
    });
    const error = (await impatient.listNotes().catch((e: unknown) => e)) as NotesApiError;
    expect(error).toBeInstanceOf(NotesApiError);
    expect(error.status).toBe(0);
    expect(error.isTransportFailure).toBe(true);
    expect(error.message).toMatch(/no answer within 100 ms/);
  });

  it('does not retry an answer that is an error of the request itself', async () => {
    const sent = endpoint.received.length;
    endpoint.reply(200, { data: null, errors: [{ errorType: 'ValidationError', message: 'content is empty' }] });
    const error = await client()
      .createNote({ input: { content: '' } })
      .catch((e: unknown) => e);
    expect((error as NotesApiError).errorType).toBe('ValidationError');
    expect(endpoint.received.length - sent).toBe(1);
  });

  it('does not retry updateNote, whose repeat would conflict with its own first write', async () => {
    const sent = endpoint.received.length;
    endpoint.reply(503, { errors: [{ errorType: 'ServiceUnavailable', message: 'busy' }] });
    const error = await client()
      .updateNote({ input: { noteId: NOTE.noteId, expectedVersion: 1, content: 'x' } })
      .catch((e: unknown) => e);
    expect((error as NotesApiError).status).toBe(503);
    expect(endpoint.received.length - sent).toBe(1);
  });
});
