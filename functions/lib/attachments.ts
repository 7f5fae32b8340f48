// The attachment policy in one place: who owns a key, what a key looks like, which uploads are allowed.
import { randomUUID } from 'node:crypto';
import type { AppSyncIdentity } from 'aws-lambda';
import { AttachmentError, validationError } from './errors';

export const UPLOAD_URL_TTL_SECONDS = 5 * 60;
export const DOWNLOAD_URL_TTL_SECONDS = 15 * 60;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Most file systems cap a name at 255 bytes, and it keeps the whole key far below S3's 1,024-byte limit. */
export const MAX_FILE_NAME_BYTES = 255;
export const ALLOWED_CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
] as const;
export type AllowedContentType = (typeof ALLOWED_CONTENT_TYPES)[number];

/**
 * Where createUploadUrl puts uploads: a staging prefix the bucket's lifecycle rule (STAGED_UPLOADS_EXPIRY in
 * infra/api-definition.ts, which also grants the functions these prefixes) empties after a day.
 */
export const STAGED_UPLOADS_PREFIX = 'uploads/';
/** Where a note's own files live: `private/<sub>/<noteId>/`, copied out of staging when the file is attached. */
export const NOTE_FILES_PREFIX = 'private/';
// Cognito subs are UUIDs; anything with a slash could reach into another owner's prefix.
const SUB_PATTERN = /^[A-Za-z0-9-]{1,128}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOTE_ID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
// C0/C1 controls and the bidirectional overrides that make `gpj.exe` display as `exe.jpg`.
const CONTROL_CHARACTERS = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// Letters, marks and digits of any script, plus a little punctuation that is safe in URLs and file systems alike.
const UNSAFE_NAME_CHARACTERS = /[^\p{L}\p{M}\p{N} ._\-()+,]/gu;
const MAX_RAW_FILE_NAME_LENGTH = 4096;

/** The caller's Cognito `sub`, which owns every key under `private/<sub>/`. */
export function ownerOf(identity: AppSyncIdentity): string {
  const sub = identity && 'sub' in identity ? identity.sub : undefined;
  if (typeof sub !== 'string' || !SUB_PATTERN.test(sub)) {
    throw new AttachmentError('Unauthorized', 'A signed-in user pool identity is required');
  }
  return sub;
}

/** `private/<sub>/`: every note file of one owner. */
export function ownerPrefix(owner: string): string {
  return `${NOTE_FILES_PREFIX}${owner}/`;
}

/** `private/<sub>/<noteId>/`: the files one note owns, and the only place its functions delete from. */
export function notePrefix(owner: string, noteId: string): string {
  return `${ownerPrefix(owner)}${noteId}/`;
}

export function stagedPrefix(owner: string): string {
  return `${STAGED_UPLOADS_PREFIX}${owner}/`;
}

/** A new upload's key: `uploads/<sub>/<upload id>/<file name>`. */
export function newStagedUploadKey(owner: string, fileName: string): string {
  return `${stagedPrefix(owner)}${randomUUID()}/${fileName}`;
}

/** Where an upload attached to a note is copied: `private/<sub>/<noteId>/<upload id>/<file name>`. */
export function noteFileKey(owner: string, noteId: string, upload: StagedUpload): string {
  return `${notePrefix(owner, noteId)}${upload.uploadId}/${upload.fileName}`;
}

export function requireNoteId(value: unknown): string {
  if (typeof value !== 'string' || !NOTE_ID_PATTERN.test(value)) {
    throw validationError('noteId must be a note id (26-character ULID)');
  }
  return value;
}

/**
 * Turns a client's file name into one safe to use as the last segment of a key: NFKC first (so full-width `．．／`
 * becomes `../` before anything looks at it), path parts dropped, unsafe characters replaced. Names that cannot be
 * made safe are rejected with the reason.
 */
export function sanitizeFileName(raw: unknown): string {
  if (typeof raw !== 'string') {
    throw validationError('fileName must be a string');
  }
  if (raw.length > MAX_RAW_FILE_NAME_LENGTH) {
    throw validationError(`fileName must be at most ${MAX_FILE_NAME_BYTES} bytes long`);
  }
  const normalized = raw.normalize('NFKC');
  if (CONTROL_CHARACTERS.test(normalized)) {
    throw validationError('fileName must not contain control or text-direction characters');
  }
  // Old browsers send a full path (`C:\Users\me\photo.png`); only the last part names the file.
  const baseName = normalized.split(/[/\\]/).pop() ?? '';
  const cleaned = baseName
    .replace(UNSAFE_NAME_CHARACTERS, '_')
    .replace(/ {2,}/g, ' ')
    .replace(/^ +/, '')
    // Windows drops trailing dots and spaces, which would give two keys the same downloaded name.
    .replace(/[ .]+$/, '');
  if (cleaned === '' || /^\.+$/.test(cleaned)) {
    throw validationError('fileName must name a file: it is empty, only dots, or only a path');
  }
  if (Buffer.byteLength(cleaned, 'utf8') > MAX_FILE_NAME_BYTES) {
    throw validationError(`fileName must be at most ${MAX_FILE_NAME_BYTES} bytes long`);
  }
  return cleaned;
}

export function parseContentType(raw: unknown): AllowedContentType {
  const candidate = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  const allowed = ALLOWED_CONTENT_TYPES.find((type) => type === candidate);
  if (!allowed) {
    throw validationError(`contentType must be one of ${ALLOWED_CONTENT_TYPES.join(', ')}`);
  }
  return allowed;
}

export function parseSize(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_UPLOAD_BYTES) {
    throw validationError(`size must be a whole number of bytes from 1 to ${MAX_UPLOAD_BYTES} (10 MB)`);
  }
  return raw;
}

export interface StagedUpload {
  key: string;
  uploadId: string;
  fileName: string;
}

/**
 * Checks that `key` is one createUploadUrl could have issued to `owner` (`uploads/<owner>/<uuid>/<clean name>`).
 * Another owner's key is Unauthorized; anything malformed is a ValidationError.
 */
export function parseStagedKey(key: unknown, owner: string): StagedUpload {
  const [uploadId, fileName] = parseUnder(key, stagedPrefix(owner), 'The upload key is outside your own uploads', 2);
  if (!UUID_PATTERN.test(uploadId) || !isCleanFileName(fileName)) {
    throw validationError('key is not an upload key issued by createUploadUrl');
  }
  return { key: key as string, uploadId, fileName };
}

/**
 * Checks that `key` is a file of one of `owner`'s notes and returns the note and file name: `private/<owner>/<noteId>/
 * <uuid>/<name>`, or the older `private/<owner>/<uuid>/<name>` of notes made before attachments were copied per note
 * (noteId null: such a file is never deleted, as it may be shared).
 */
export function parseNoteFileKey(
  key: unknown,
  owner: string,
): { key: string; noteId: string | null; fileName: string } {
  const parts = parseUnder(key, ownerPrefix(owner), 'The attachment key is outside your own files', 0);
  const [noteId, uploadId, fileName] = parts.length === 3 ? parts : [null, ...parts];
  if (
    parts.length < 2 ||
    parts.length > 3 ||
    (noteId !== null && !NOTE_ID_PATTERN.test(noteId)) ||
    !UUID_PATTERN.test(uploadId ?? '') ||
    !isCleanFileName(fileName ?? '')
  ) {
    throw validationError('key is not the key of an attached file');
  }
  return { key: key as string, noteId, fileName: fileName as string };
}

/** The key's segments after `prefix` (exactly `count` of them unless count is 0), or why it is refused. */
function parseUnder(key: unknown, prefix: string, outside: string, count: number): string[] {
  if (typeof key !== 'string' || key === '') {
    throw validationError('key must be a non-empty string');
  }
  if (!key.startsWith(prefix)) {
    throw new AttachmentError('Unauthorized', outside);
  }
  const parts = key.slice(prefix.length).split('/');
  if (count > 0 && parts.length !== count) {
    throw validationError('key is not an upload key issued by createUploadUrl');
  }
  return parts;
}

function isCleanFileName(fileName: string): boolean {
  try {
    return sanitizeFileName(fileName) === fileName;
  } catch {
    return false;
  }
}
