// Builders for resolver contexts: who calls, which note, which upload. Identities come from the Lambda event builders
// so resolvers and functions are tested with the same caller.
import type { AttachmentItem, NoteItem } from '../../resolvers/lib/notes';
import { OTHER_SUB, OWNER_SUB, cognitoIdentity } from './appsync-lambda-events';

export { OTHER_SUB, OWNER_SUB, cognitoIdentity };

/** Note ids are ULIDs (util.autoUlid()). */
export const NOTE_ID = '01JDQ5Y0Z8K3M7N2P4R6S8T0VW';
export const OTHER_NOTE_ID = '01JDQ5Y0Z8K3M7N2P4R6S8T0VX';

export const CONDITION_FAILED = 'DynamoDB:ConditionalCheckFailedException';

export const UPLOAD_ID = '6f1c9a2e-4b7d-4e8f-9a0b-1c2d3e4f5a6b';

/** A key as createUploadUrl issues it: `uploads/<sub>/<upload id>/<file name>`, the staging prefix. */
export function uploadKey(sub: string = OWNER_SUB, fileName = 'holiday photo.png', uploadId = UPLOAD_ID): string {
  return `uploads/${sub}/${uploadId}/${fileName}`;
}

/** A note's own file, where attaching that upload copies it: `private/<sub>/<noteId>/<upload id>/<file name>`. */
export function attachmentKey(
  sub: string = OWNER_SUB,
  fileName = 'holiday photo.png',
  uploadId = UPLOAD_ID,
  noteId = NOTE_ID,
): string {
  return `private/${sub}/${noteId}/${uploadId}/${fileName}`;
}

export function attachmentItem(overrides: Partial<AttachmentItem> = {}): AttachmentItem {
  return { key: attachmentKey(), fileName: 'holiday photo.png', contentType: 'image/png', size: 48_213, ...overrides };
}

/** A stored note, as the table holds it (owner included). */
export function noteItem(overrides: Partial<NoteItem> = {}): NoteItem {
  return {
    userId: OWNER_SUB,
    noteId: NOTE_ID,
    content: 'Buy oat milk',
    createdAt: '2026-11-20T09:15:00.000Z',
    updatedAt: '2026-11-21T10:30:00.000Z',
    version: 3,
    ...overrides,
  };
}

/** ctx.info as AppSync fills it for a field. */
export function fieldInfo(parentTypeName: string, fieldName: string, variables: Record<string, unknown> = {}) {
  return { parentTypeName, fieldName, variables, selectionSetList: [], selectionSetGraphQL: '' };
}
