// @appsync-notes/client: the notes API's typed SDK for browsers and Node 20+.
export {
  createNotesClient,
  type Attachment,
  type Note,
  type NoteChange,
  type NoteChangeHandlers,
  type NotesClient,
  type NotesClientOptions,
  type NotesPage,
  type NoteWithDownloadUrl,
  type UploadAttachmentOptions,
  type UploadedAttachment,
  type UploadUrl,
} from './notes-client.js';
export {
  NotesApiError,
  hasErrorType,
  isKnownError,
  type ConflictError,
  type KnownErrorType,
  type KnownNotesError,
  type NotFoundError,
  type NotesApiErrorInit,
  type NotesError,
  type OtherNotesError,
  type UnauthorizedError,
  type ValidationError,
} from './errors.js';
export {
  RealtimeClient,
  RealtimeError,
  realtimeUrl,
  type RealtimeClientOptions,
  type RealtimeSubscription,
  type SubscriptionHandlers,
  type WebSocketConstructor,
  type WebSocketLike,
} from './realtime.js';
export { clientTokenTime, newClientToken } from './client-token.js';
export {
  ALLOWED_CONTENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  attachmentProblem,
  type AllowedContentType,
  type AttachmentSource,
  type UploadProgress,
} from './upload.js';
// Every operation as a parsed TypedDocumentNode (for Apollo Client, urql, graphql-request...) with its types.
export * from './operations.generated.js';
