// What the tests do through the SDK again and again: read every note, upload a file the way a browser does, and catch
// the API's error.
import { expect } from 'vitest';
import { NotesApiError, type NotesClient } from '../../../client/src/index';
import type { SignedInUser } from './target';

export type Note = Awaited<ReturnType<NotesClient['createNote']>>;
export type ListedNote = Awaited<ReturnType<NotesClient['listNotes']>>['items'][number];
export type UploadUrl = Awaited<ReturnType<NotesClient['createUploadUrl']>>;

/** Every note of the client's user, page after page of the largest size, in the order the API returns them. */
export async function allNotes(client: NotesClient): Promise<ListedNote[]> {
  const notes: ListedNote[] = [];
  let nextToken: string | null = null;
  do {
    const page: Awaited<ReturnType<NotesClient['listNotes']>> = await client.listNotes({ limit: 100, nextToken });
    notes.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return notes;
}

export interface FileToUpload {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Deterministic, non-repeating-looking bytes, so a byte-for-byte comparison means something. */
export function sampleBytes(length: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 131 + seed * 17 + (i >> 8)) % 256);
}

export function textFile(text: string, fileName = 'note.txt'): FileToUpload {
  return { fileName, contentType: 'text/plain', bytes: new TextEncoder().encode(text) };
}

/** The headers createUploadUrl returned, as fetch takes them. */
export function headersOf(upload: Pick<UploadUrl, 'headers'>): Record<string, string> {
  return Object.fromEntries(upload.headers.map(({ name, value }) => [name, value]));
}

/** A presigned PUT from a browser's point of view: the URL, the headers and the body, nothing else. */
export function putObject(url: string, headers: Record<string, string>, body: Uint8Array): Promise<Response> {
  return fetch(url, { method: 'PUT', headers, body });
}

/** createUploadUrl, then the PUT with exactly the headers it returned; fails the test unless S3 took the bytes. */
export async function uploadFile(user: SignedInUser, file: FileToUpload): Promise<UploadUrl> {
  const upload = await user.client.createUploadUrl({
    input: { fileName: file.fileName, contentType: file.contentType, size: file.bytes.byteLength },
  });
  const response = await putObject(upload.url, headersOf(upload), file.bytes);
  expect(response.status, await response.clone().text()).toBe(200);
  return upload;
}

/** The API's error for `call`, which must fail with an AppSync error. */
export async function apiError(call: Promise<unknown>): Promise<NotesApiError> {
  const error = await call.then(
    (value) => new Error(`expected an API error, got ${JSON.stringify(value)}`),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof NotesApiError)) throw error;
  return error;
}

/** S3's XML error: `<Error><Code>…</Code><Message>…</Message>…</Error>`. */
export function s3Error(xml: string): { code?: string; message?: string } {
  return {
    code: /<Error>[\s\S]*<Code>([^<]*)<\/Code>/.exec(xml)?.[1],
    message: /<Error>[\s\S]*<Message>([^<]*)<\/Message>/.exec(xml)?.[1],
  };
}

/** Runs `work` over `items`, `concurrency` at a time, results in input order. */
export async function mapConcurrently<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
