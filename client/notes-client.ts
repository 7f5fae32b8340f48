// A small typed client for the notes API: one method per operation in client/operations, over the global fetch
// (Node 20+ and browsers). Any GraphQL error, including an error next to partial data, rejects with NotesApiError,
// which carries AppSync's `errors` as sent (errorType, message, errorInfo, path) and whatever data came with them.
import {
  CreateNoteDocument,
  CreateUploadUrlDocument,
  DeleteNoteDocument,
  GetNoteDocument,
  ListNotesDocument,
  UpdateNoteDocument,
  type CreateNoteMutation,
  type CreateNoteMutationVariables,
  type CreateUploadUrlMutation,
  type CreateUploadUrlMutationVariables,
  type DeleteNoteMutation,
  type DeleteNoteMutationVariables,
  type GetNoteQuery,
  type GetNoteQueryVariables,
  type ListNotesQuery,
  type ListNotesQueryVariables,
  type TypedDocumentString,
  type UpdateNoteMutation,
  type UpdateNoteMutationVariables,
} from './sdk.generated';

/** One entry of a GraphQL response's `errors`, with AppSync's extra fields. */
export interface AppSyncError {
  message: string;
  errorType?: string | null;
  errorInfo?: unknown;
  data?: unknown;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number; sourceName?: string | null }>;
}

export class NotesApiError extends Error {
  override readonly name = 'NotesApiError';

  constructor(
    message: string,
    /** AppSync's `errors`, in order; empty when the response was not GraphQL at all. */
    readonly errors: readonly AppSyncError[],
    /** HTTP status of the response. */
    readonly status: number,
    /** The response's `data`: the fields that did resolve (null when none did). */
    readonly data: unknown = null,
  ) {
    super(message);
  }

  /** The first error's type, e.g. `ValidationError`, `NotFound`, `ConflictError`, `UnauthorizedException`. */
  get errorType(): string | undefined {
    return this.errors[0]?.errorType ?? undefined;
  }
}

export interface NotesClientOptions {
  /** The GraphQL endpoint, e.g. `https://xxx.appsync-api.eu-west-1.amazonaws.com/graphql`. */
  url: string;
  /** A Cognito user-pool token (ID or access token) for the signed-in user, sent as the Authorization header. */
  getToken: () => string | Promise<string>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface NotesClient {
  getNote(variables: GetNoteQueryVariables): Promise<GetNoteQuery['getNote']>;
  listNotes(variables?: ListNotesQueryVariables): Promise<ListNotesQuery['listNotes']>;
  createNote(variables: CreateNoteMutationVariables): Promise<CreateNoteMutation['createNote']>;
  updateNote(variables: UpdateNoteMutationVariables): Promise<UpdateNoteMutation['updateNote']>;
  deleteNote(variables: DeleteNoteMutationVariables): Promise<DeleteNoteMutation['deleteNote']>;
  createUploadUrl(variables: CreateUploadUrlMutationVariables): Promise<CreateUploadUrlMutation['createUploadUrl']>;
}

interface GraphQLResponseBody<TData> {
  data?: TData | null;
  errors?: AppSyncError[];
}

export function createNotesClient(options: NotesClientOptions): NotesClient {
  if (typeof options?.url !== 'string' || options.url === '') {
    throw new TypeError('createNotesClient needs the GraphQL endpoint url');
  }
  if (typeof options.getToken !== 'function') {
    throw new TypeError('createNotesClient needs getToken, returning the signed-in user pool token');
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('No fetch available: pass options.fetch');
  }

  async function execute<TData, TVariables>(
    document: TypedDocumentString<TData, TVariables>,
    variables: TVariables,
  ): Promise<TData> {
    const token = await options.getToken();
    const response = await fetchImpl(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: token },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    const body = await readBody<TData>(response);
    if (body.errors && body.errors.length > 0) {
      throw new NotesApiError(body.errors[0].message, body.errors, response.status, body.data ?? null);
    }
    if (!response.ok || body.data === undefined || body.data === null) {
      throw new NotesApiError(`HTTP ${response.status}: the response carries no data`, [], response.status);
    }
    return body.data;
  }

  return {
    getNote: async (variables) => (await execute(GetNoteDocument, variables)).getNote,
    listNotes: async (variables = {}) => (await execute(ListNotesDocument, variables)).listNotes,
    createNote: async (variables) => (await execute(CreateNoteDocument, variables)).createNote,
    updateNote: async (variables) => (await execute(UpdateNoteDocument, variables)).updateNote,
    deleteNote: async (variables) => (await execute(DeleteNoteDocument, variables)).deleteNote,
    createUploadUrl: async (variables) => (await execute(CreateUploadUrlDocument, variables)).createUploadUrl,
  };
}

async function readBody<TData>(response: Response): Promise<GraphQLResponseBody<TData>> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NotesApiError(`HTTP ${response.status}: the response is not JSON`, [], response.status);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new NotesApiError(`HTTP ${response.status}: the response is not a GraphQL response`, [], response.status);
  }
  const body = parsed as GraphQLResponseBody<TData>;
  if (body.errors !== undefined && !Array.isArray(body.errors)) {
    throw new NotesApiError(`HTTP ${response.status}: the response's errors are not a list`, [], response.status);
  }
  return body;
}
