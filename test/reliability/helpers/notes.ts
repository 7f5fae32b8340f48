// The notes API as one signed-in user calls it over plain HTTP: the client's own operation documents, the raw answer
// kept for the matrices to judge. File and header helpers are the e2e suite's.
import {
  CloseNoteSubscriptionsDocument,
  CreateNoteDocument,
  CreateUploadUrlDocument,
  DeleteNoteDocument,
  GetNoteDocument,
  ListNotesDocument,
  OnNoteChangeDocument,
  UpdateNoteDocument,
} from '../../../client/src/operation-text.generated';
import { headersOf, s3Error, type FileToUpload } from '../../e2e/helpers/notes';
import { type Answer, bearer, dataOf, graphql } from './graphql';
import type { SignedInUser } from './pool';

/** The documents the SDK sends (generated from client/operations, with the fragments each one uses). */
export const OPERATIONS = {
  getNote: GetNoteDocument.toString(),
  listNotes: ListNotesDocument.toString(),
  createNote: CreateNoteDocument.toString(),
  updateNote: UpdateNoteDocument.toString(),
  deleteNote: DeleteNoteDocument.toString(),
  createUploadUrl: CreateUploadUrlDocument.toString(),
  closeNoteSubscriptions: CloseNoteSubscriptionsDocument.toString(),
  onNoteChange: OnNoteChangeDocument.toString(),
};

export interface Note {
  noteId: string;
  content: string;
  version: number;
  attachment: { key: string; fileName: string; contentType: string; size: number; downloadUrl?: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface UploadUrl {
  key: string;
  url: string;
  headers: Array<{ name: string; value: string }>;
  expiresAt: string;
}

export interface NotePage {
  items: Note[];
  nextToken: string | null;
}

export class NotesCaller {
  constructor(
    readonly graphqlUrl: string,
    readonly user: SignedInUser,
  ) {}

  call(name: keyof typeof OPERATIONS, variables: Record<string, unknown> = {}): Promise<Answer> {
    return graphql(this.graphqlUrl, OPERATIONS[name], variables, bearer(this.user.idToken));
  }

  async createNote(input: Record<string, unknown>): Promise<Note> {
    return dataOf<Note>(await this.call('createNote', { input }), 'createNote');
  }

  async getNote(noteId: string, withDownloadUrl = false): Promise<Note | null> {
    return dataOf<Note | null>(await this.call('getNote', { noteId, withDownloadUrl }), 'getNote');
  }

  async listNotes(variables: { limit?: number; nextToken?: string | null; withDownloadUrl?: boolean } = {}) {
    return dataOf<NotePage>(await this.call('listNotes', variables), 'listNotes');
  }

  /** Every note, page after page. */
  async allNotes(): Promise<Note[]> {
    const notes: Note[] = [];
    let nextToken: string | null = null;
    do {
      const page: NotePage = await this.listNotes({ limit: 100, nextToken });
      notes.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return notes;
  }

  async createUploadUrl(file: Pick<FileToUpload, 'fileName' | 'contentType'> & { size: number }): Promise<UploadUrl> {
    return dataOf<UploadUrl>(await this.call('createUploadUrl', { input: file }), 'createUploadUrl');
  }

  /** createUploadUrl, then the PUT with exactly the headers it returned, as a browser does. */
  async upload(file: FileToUpload): Promise<UploadUrl> {
    const { fileName, contentType, bytes } = file;
    const upload = await this.createUploadUrl({ fileName, contentType, size: bytes.byteLength });
    const response = await fetch(upload.url, { method: 'PUT', headers: headersOf(upload), body: bytes });
    if (response.status !== 200) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
    return upload;
  }
}

/** S3's XML error code. */
export const s3ErrorCode = (xml: string): string | undefined => s3Error(xml).code;
