// A typed client for the notes API: one method per operation in client/operations, over the global fetch (Node 20+
// and browsers). Any GraphQL error, including an error next to partial data, rejects with NotesApiError, which keeps
// AppSync's `errors` (typed by `errorType`) and whatever data came with them.
import { newClientToken } from './client-token.js';
import { NotesApiError, type NotesError } from './errors.js';
import {
  CloseNoteSubscriptionsDocument,
  CreateNoteDocument,
  CreateUploadUrlDocument,
  DeleteNoteDocument,
  GetNoteDocument,
  ListNotesDocument,
  OnNoteChangeDocument,
  UpdateNoteDocument,
  type TypedDocumentString,
} from './operation-text.generated.js';
import type {
  AttachmentFieldsFragment,
  CreateNoteInput,
  CreateUploadUrlMutation,
  CreateUploadUrlMutationVariables,
  DeleteNoteMutationVariables,
  GetNoteQueryVariables,
  ListNotesQueryVariables,
  NoteFieldsFragment,
  OnNoteChangeSubscription,
  UpdateNoteMutationVariables,
} from './operations.generated.js';
import {
  RealtimeClient,
  type RealtimeError,
  type RealtimeSubscription,
  type WebSocketConstructor,
} from './realtime.js';
import { putPresigned, type AttachmentSource, type UploadProgress } from './upload.js';

export type Note = NoteFieldsFragment;
export type Attachment = AttachmentFieldsFragment;
/** A note read with `withDownloadUrl: true`: its attachment carries a presigned GET URL (valid 15 minutes). */
export type NoteWithDownloadUrl = Omit<Note, 'attachment'> & {
  attachment: (Attachment & { downloadUrl: string }) | null;
};
export interface NotesPage<TNote = Note> {
  /** Newest first. */
  items: TNote[];
  /** Pass back as `nextToken` for the next page; null on the last one. */
  nextToken: string | null;
}
export type UploadUrl = CreateUploadUrlMutation['createUploadUrl'];
/** One committed create, update or delete of the signed-in user's notes, from any of their devices. */
export type NoteChange = NonNullable<OnNoteChangeSubscription['onNoteChange']>;

export interface NoteChangeHandlers {
  onChange(change: NoteChange): void;
  /**
   * The connection came back after a loss (a network change, AppSync's 24-hour limit, a token that expired): changes
   * made meanwhile were not delivered, so reload what you show.
   */
  onReconnect?(): void;
  /** The subscription was refused or ended by the API (closeNoteSubscriptions, for one); it does not resume. */
  onError?(error: RealtimeError): void;
}

export interface NotesClientOptions {
  /** The GraphQL endpoint, e.g. `https://xxx.appsync-api.eu-west-1.amazonaws.com/graphql` (amplify_outputs `data.url`). */
  url: string;
  /** The signed-in user's Cognito token (ID or access token), sent raw as the Authorization header. */
  getToken: () => string | Promise<string>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** How long one request may take before it is abandoned (and, where safe, retried). Default 30 s. */
  timeoutMs?: number;
  /**
   * Retries of calls that are safe to repeat (reads, createUploadUrl, and createNote thanks to its clientToken)
   * after no answer, a timeout, HTTP 429 or 5xx. Default 2, with 300 ms doubling back-off.
   */
  retries?: number;
  retryDelayMs?: number;
  /** For subscriptions: defaults to the global WebSocket (Node 20 has none: pass the `ws` package's). */
  WebSocket?: WebSocketConstructor;
  /** The real-time connection's reconnection back-off (full jitter). Defaults: 500 ms doubling up to 30 s. */
  reconnect?: { baseMs?: number; maxMs?: number };
}

export interface UploadAttachmentOptions {
  /** Required for a Blob or Uint8Array; a File's own name otherwise. */
  fileName?: string;
  /** Required for a Uint8Array; the Blob's or File's type otherwise. */
  contentType?: string;
  /** Called as the bytes go out (in browsers, many times; in Node at the start and the end). */
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export interface UploadedAttachment {
  /** Pass as `attachment: { key }` to createNote or updateNote. */
  key: string;
  fileName: string;
  contentType: string;
  size: number;
}

type WithDownloadUrl = { withDownloadUrl: true };
type WithoutDownloadUrl = { withDownloadUrl?: false | null };

export interface NotesClient {
  getNote(variables: GetNoteQueryVariables & WithDownloadUrl): Promise<NoteWithDownloadUrl | null>;
  getNote(variables: GetNoteQueryVariables & WithoutDownloadUrl): Promise<Note | null>;
  getNote(variables: GetNoteQueryVariables): Promise<Note | NoteWithDownloadUrl | null>;
  listNotes(variables: ListNotesQueryVariables & WithDownloadUrl): Promise<NotesPage<NoteWithDownloadUrl>>;
  listNotes(variables?: ListNotesQueryVariables & WithoutDownloadUrl): Promise<NotesPage<Note>>;
  listNotes(variables?: ListNotesQueryVariables): Promise<NotesPage<Note | NoteWithDownloadUrl>>;
  /**
   * Creates a note. Without `input.clientToken` one is generated (`newClientToken()`), and the call is retried with
   * it when no answer came back, so a note is created once even when the first answer is lost.
   */
  createNote(variables: { input: CreateNoteInput }): Promise<Note>;
  /** Rejects with a `ConflictError` (`errorInfo.currentVersion`, the current note in `data`) when stale. */
  updateNote(variables: UpdateNoteMutationVariables): Promise<Note>;
  deleteNote(variables: DeleteNoteMutationVariables): Promise<Note>;
  createUploadUrl(variables: CreateUploadUrlMutationVariables): Promise<UploadUrl>;
  /** Asks for a presigned URL, then PUTs the file to storage with exactly the signed headers. */
  uploadAttachment(file: AttachmentSource, options?: UploadAttachmentOptions): Promise<UploadedAttachment>;
  /**
   * Hears every change to the signed-in user's notes made on any device, over one WebSocket shared by all of this
   * client's subscriptions. It reconnects by itself (asking `getToken` again) and starts the subscription again;
   * `onReconnect` says when changes may have been missed. `ready` resolves once AppSync acknowledged it.
   */
  subscribeToNoteChanges(handlers: NoteChangeHandlers | ((change: NoteChange) => void)): RealtimeSubscription;
  /** Closes the user's note subscriptions on every device (with Cognito's GlobalSignOut). */
  closeNoteSubscriptions(): Promise<boolean>;
  /** Ends this client's subscriptions and closes its WebSocket. */
  close(): void;
}

interface GraphQLResponseBody<TData> {
  data?: TData | null;
  errors?: NotesError[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 300;

export function createNotesClient(options: NotesClientOptions): NotesClient {
  if (typeof options?.url !== 'string' || options.url === '') {
    throw new TypeError('createNotesClient needs the GraphQL endpoint url');
  }
  if (typeof options.getToken !== 'function') {
    throw new TypeError('createNotesClient needs getToken, returning the signed-in user pool token');
  }
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('No fetch available: pass options.fetch');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;

  async function executeOnce<TData, TVariables>(
    document: TypedDocumentString<TData, TVariables>,
    variables: TVariables,
  ): Promise<TData> {
    const token = await options.getToken();
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: token },
        body: JSON.stringify({ query: document.toString(), variables }),
        signal,
      });
      text = await response.text();
    } catch (error) {
      const why = signal.aborted ? `no answer within ${timeoutMs} ms` : 'the request failed';
      throw new NotesApiError({ errors: [], status: 0, message: `${why}: ${options.url}`, cause: error });
    }
    const body = parseBody<TData>(response.status, text);
    if (body.errors && body.errors.length > 0) {
      throw new NotesApiError({ errors: body.errors, status: response.status, data: body.data ?? null });
    }
    if (!response.ok || body.data === undefined || body.data === null) {
      throw new NotesApiError({
        errors: [],
        status: response.status,
        message: `HTTP ${response.status}: the response carries no data`,
      });
    }
    return body.data;
  }

  /** For calls that are safe to repeat: again after no answer, 429 or 5xx, with a growing pause. */
  async function executeRetrying<TData, TVariables>(
    document: TypedDocumentString<TData, TVariables>,
    variables: TVariables,
  ): Promise<TData> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await executeOnce(document, variables);
      } catch (error) {
        if (attempt >= retries || !isWorthRetrying(error)) throw error;
        await sleep(retryDelayMs * 2 ** attempt);
      }
    }
  }

  async function uploadAttachment(
    file: AttachmentSource,
    upload: UploadAttachmentOptions = {},
  ): Promise<UploadedAttachment> {
    const fileName = upload.fileName ?? (isFile(file) ? file.name : undefined);
    const contentType = upload.contentType ?? (file instanceof Uint8Array ? undefined : file.type || undefined);
    if (!fileName) throw new TypeError('uploadAttachment needs options.fileName for a Blob or Uint8Array');
    if (!contentType) throw new TypeError('uploadAttachment needs options.contentType: the file has no type');
    const size = file instanceof Uint8Array ? file.byteLength : file.size;
    const target = (await executeRetrying(CreateUploadUrlDocument, { input: { fileName, contentType, size } }))
      .createUploadUrl;
    await putPresigned(target, file, {
      onProgress: upload.onProgress,
      signal: upload.signal,
      fetch: options.fetch,
    });
    return { key: target.key, fileName, contentType, size };
  }

  let realtime: RealtimeClient | undefined;
  function subscribeToNoteChanges(handlers: NoteChangeHandlers | ((change: NoteChange) => void)): RealtimeSubscription {
    const { onChange, onReconnect, onError } = typeof handlers === 'function' ? { onChange: handlers } : handlers;
    realtime ??= new RealtimeClient({
      graphqlUrl: options.url,
      getAuthorization: options.getToken,
      WebSocket: options.WebSocket,
      retry: options.reconnect,
    });
    return realtime.subscribe<OnNoteChangeSubscription>(
      { query: OnNoteChangeDocument.toString() },
      {
        next: (data) => {
          if (data?.onNoteChange) onChange(data.onNoteChange);
        },
        onReconnect,
        error: onError,
      },
    );
  }

  return {
    getNote: (async (variables: GetNoteQueryVariables) =>
      (await executeRetrying(GetNoteDocument, variables)).getNote) as NotesClient['getNote'],
    listNotes: (async (variables: ListNotesQueryVariables = {}) =>
      (await executeRetrying(ListNotesDocument, variables)).listNotes) as NotesClient['listNotes'],
    createNote: async ({ input }) => {
      const withToken = { ...input, clientToken: input.clientToken ?? newClientToken() };
      return (await executeRetrying(CreateNoteDocument, { input: withToken })).createNote;
    },
    updateNote: async (variables) => (await executeOnce(UpdateNoteDocument, variables)).updateNote,
    deleteNote: async (variables) => (await executeOnce(DeleteNoteDocument, variables)).deleteNote,
    createUploadUrl: async (variables) => (await executeRetrying(CreateUploadUrlDocument, variables)).createUploadUrl,
    uploadAttachment,
    subscribeToNoteChanges,
    closeNoteSubscriptions: async () =>
      (await executeRetrying(CloseNoteSubscriptionsDocument, {})).closeNoteSubscriptions,
    close: () => realtime?.close(),
  };
}

function isWorthRetrying(error: unknown): boolean {
  if (!(error instanceof NotesApiError)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isFile(value: AttachmentSource): value is File {
  return typeof File === 'function' && value instanceof File;
}

function parseBody<TData>(status: number, text: string): GraphQLResponseBody<TData> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NotesApiError({ errors: [], status, message: `HTTP ${status}: the response is not JSON` });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new NotesApiError({ errors: [], status, message: `HTTP ${status}: the response is not a GraphQL response` });
  }
  const body = parsed as GraphQLResponseBody<TData>;
  if (body.errors !== undefined && !Array.isArray(body.errors)) {
    throw new NotesApiError({ errors: [], status, message: `HTTP ${status}: the response's errors are not a list` });
  }
  return body;
}
