// The PUT of a file to the presigned URL createUploadUrl returned. In a browser it goes through XMLHttpRequest, whose
// upload events are the only way a page learns how much of a request body has been sent (fetch reports nothing);
// elsewhere (Node) through fetch, with progress reported at the start and the end.
import { NotesApiError } from './errors.js';

/** The file types createUploadUrl accepts (the API checks them; a UI can check first). */
export const ALLOWED_CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
] as const;
export type AllowedContentType = (typeof ALLOWED_CONTENT_TYPES)[number];

/** The largest file createUploadUrl accepts: 10 MB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  total: number;
}

export type AttachmentSource = Blob | Uint8Array;

/** Why a file cannot be attached, or null when the API will take it. */
export function attachmentProblem(file: { size: number; type: string }): string | null {
  if (!(ALLOWED_CONTENT_TYPES as readonly string[]).includes(file.type)) {
    const type = file.type === '' ? 'a file of unknown type' : `a ${file.type} file`;
    return `This is ${type}: attach an image (PNG, JPEG, GIF, WebP), a PDF or a text file.`;
  }
  if (file.size < 1) return 'The file is empty.';
  if (file.size > MAX_ATTACHMENT_BYTES) {
    return `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`;
  }
  return null;
}

export interface PresignedPut {
  url: string;
  headers: ReadonlyArray<{ name: string; value: string }>;
}

/** What this file uses of a browser's XMLHttpRequest (typed here so the SDK also compiles without the DOM lib). */
interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  ontimeout: (() => void) | null;
  onabort: (() => void) | null;
}

function browserXhr(): (new () => XhrLike) | undefined {
  const candidate = (globalThis as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest;
  return typeof candidate === 'function' ? candidate : undefined;
}

// Headers a browser sets itself and refuses from scripts; the body's real length goes out as Content-Length.
const SET_BY_THE_RUNTIME = new Set(['content-length', 'host', 'connection']);

/** PUTs `body` with exactly the presigned headers; resolves when storage accepted it. */
export async function putPresigned(
  target: PresignedPut,
  body: AttachmentSource,
  options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal; fetch?: typeof fetch } = {},
): Promise<void> {
  const size = body instanceof Uint8Array ? body.byteLength : body.size;
  const signedLength = target.headers.find((h) => h.name.toLowerCase() === 'content-length')?.value;
  if (signedLength !== undefined && Number(signedLength) !== size) {
    throw new NotesApiError({
      errors: [],
      status: 0,
      message: `The upload URL is signed for ${signedLength} bytes, and the file has ${size}`,
    });
  }
  const headers = target.headers.filter((h) => !SET_BY_THE_RUNTIME.has(h.name.toLowerCase()));
  // A Uint8Array over part of a larger buffer is sent as its own bytes only.
  const blob = body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : body;
  const Xhr = options.fetch ? undefined : browserXhr();
  const answer = Xhr
    ? await putWithXhr(Xhr, target.url, headers, blob, size, options)
    : await putWithFetch(target.url, headers, blob, size, options);
  if (answer.status < 200 || answer.status >= 300) throw storageError(answer.status, answer.text);
}

interface StorageAnswer {
  status: number;
  text: string;
}

function putWithXhr(
  Xhr: new () => XhrLike,
  url: string,
  headers: PresignedPut['headers'],
  body: Blob,
  size: number,
  options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal },
): Promise<StorageAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new Xhr();
    xhr.open('PUT', url);
    for (const { name, value } of headers) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) =>
      options.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : size });
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(noAnswer('the connection to storage failed'));
    xhr.ontimeout = () => reject(noAnswer('storage did not answer in time'));
    xhr.onabort = () => reject(options.signal?.reason ?? new DOMException('The upload was aborted', 'AbortError'));
    if (options.signal?.aborted) return reject(options.signal.reason);
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    options.onProgress?.({ loaded: 0, total: size });
    xhr.send(body);
  });
}

async function putWithFetch(
  url: string,
  headers: PresignedPut['headers'],
  body: Blob,
  size: number,
  options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal; fetch?: typeof fetch },
): Promise<StorageAnswer> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  options.onProgress?.({ loaded: 0, total: size });
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'PUT',
      headers: Object.fromEntries(headers.map((h) => [h.name, h.value])),
      body,
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw noAnswer('the connection to storage failed', error);
  }
  const text = await response.text();
  if (response.ok) options.onProgress?.({ loaded: size, total: size });
  return { status: response.status, text };
}

function noAnswer(why: string, cause?: unknown): NotesApiError {
  return new NotesApiError({ errors: [], status: 0, message: `The upload failed: ${why}`, cause });
}

/** S3 answers with `<Error><Code>…</Code><Message>…</Message></Error>`; its code becomes `S3:<Code>`. */
function storageError(status: number, text: string): NotesApiError {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  return new NotesApiError({
    status,
    errors: [
      {
        errorType: `S3:${code ?? `HTTP${status}`}`,
        message: `Storage refused the upload: ${message ?? code ?? `HTTP ${status}`}`,
      },
    ],
  });
}
