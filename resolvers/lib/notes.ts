import type { Attachment, Note } from '../../codegen/schema.generated';

// Type aliases, not interfaces: the @aws-appsync/utils/dynamodb builders only type-check keys and updates of
// record-like types.

/** Attachment metadata as stored on a note: what S3 reported for the upload. */
export type AttachmentItem = {
  key: string;
  fileName: string;
  contentType: string;
  size: number;
};

/** A note as stored in the notes table (partition key `userId`, sort key `noteId`). */
export type NoteItem = {
  userId: string;
  noteId: string;
  content: string;
  attachment?: AttachmentItem | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Of the createNote request that made the note with a clientToken (lib/fingerprint.ts); never shown to clients. */
  createFingerprint?: string;
};

export type NoteKey = Pick<NoteItem, 'userId' | 'noteId'>;

/** The GraphQL view of a stored note: the owner stays server-side. */
export function toNote(item: NoteItem): Note {
  return {
    noteId: item.noteId,
    content: item.content,
    attachment: item.attachment ? toAttachment(item.attachment) : null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
}

function toAttachment(item: AttachmentItem): Attachment {
  return { key: item.key, fileName: item.fileName, contentType: item.contentType, size: item.size };
}
