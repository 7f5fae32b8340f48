// Input checks shared by the resolvers. Each failure stops the request with a ValidationError naming the field, before
// any data source is called. Patterns go through util.matches: APPSYNC_JS has no regex literals.
import { util } from '@aws-appsync/utils';
import { validationError } from './respond';

export const MAX_CONTENT_LENGTH = 100_000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Tokens the DynamoDB data source hands out are base64 text of a few hundred to a few thousand characters. */
export const MAX_NEXT_TOKEN_LENGTH = 8192;
/** S3's limit on a key. */
export const MAX_KEY_LENGTH = 1024;
export const MAX_FILE_NAME_LENGTH = 255;

// 48-bit millisecond time then 80 random bits, Crockford base32 (no I, L, O, U); the first character is at most 7.
const ULID_PATTERN = '^[0-7][0-9A-HJKMNP-TV-Z]{25}$';
const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A clientToken makes createNote safe to retry for this long after the client generated it. */
export const CLIENT_TOKEN_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** How far ahead of the server's clock a client's clock may be. */
export const CLIENT_TOKEN_MAX_AHEAD_MS = 5 * 60 * 1000;
// createUploadUrl's per-upload folder.
const UPLOAD_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const NO_CONTROL_CHARACTERS_PATTERN = '^[^\\x00-\\x1F\\x7F]+$';
const TOKEN_PATTERN = '^[A-Za-z0-9+/=_-]+$';

/**
 * A whole number, with only what AppSync's "Supported runtime features" lists (`Number.isInteger` is not listed).
 */
export function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.floor(value) === value;
}

function isUlid(value: unknown): value is string {
  return typeof value === 'string' && value.length === 26 && util.matches(ULID_PATTERN, value);
}

export function requireNoteId(value: unknown, field: string): string {
  if (!isUlid(value)) {
    return validationError(`${field} must be a note id (26-character ULID)`);
  }
  return value;
}

/** The millisecond time in a ULID's first 10 characters. */
export function ulidTime(ulid: string): number {
  let time = 0;
  for (const digit of ulid.slice(0, 10)) {
    time = time * 32 + CROCKFORD_BASE32.indexOf(digit);
  }
  return time;
}

/**
 * A createNote clientToken: a ULID the client generated for this note (it becomes the note's id), made within the
 * last 24 hours by the client's clock and at most 5 minutes ahead of the server's. An older token could name a note
 * whose retry window has closed; a token from the future could keep one open.
 */
export function requireClientToken(value: unknown, field: string): string {
  if (!isUlid(value)) {
    return validationError(`${field} must be a ULID (26 characters, Crockford base32, upper case) made for this note`);
  }
  const age = util.time.nowEpochMilliSeconds() - ulidTime(value);
  if (age > CLIENT_TOKEN_MAX_AGE_MS) {
    return validationError(`${field} was made more than 24 hours ago: generate a new token for a new note`);
  }
  if (age < -CLIENT_TOKEN_MAX_AHEAD_MS) {
    return validationError(`${field} is more than 5 minutes ahead of the server's clock: check the device's clock`);
  }
  return value;
}

export function requireContent(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    return validationError(`${field} must be a string: a note always has content`);
  }
  if (value.length < 1 || value.length > MAX_CONTENT_LENGTH) {
    return validationError(`${field} must be 1 to ${MAX_CONTENT_LENGTH} characters long, not ${value.length}`);
  }
  return value;
}

export function requireVersion(value: unknown, field: string): number {
  if (!isWholeNumber(value) || value < 1) {
    return validationError(`${field} must be a version the note had: a whole number from 1`);
  }
  return value;
}

export function pageSize(value: unknown): number {
  if (value === undefined || value === null) {
    return DEFAULT_PAGE_SIZE;
  }
  if (!isWholeNumber(value) || value < 1 || value > MAX_PAGE_SIZE) {
    return validationError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return value;
}

/** A token is opaque: only its form is checked here, the data source rejects one it did not issue. */
export function pageToken(value: unknown): string | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_NEXT_TOKEN_LENGTH ||
    !util.matches(TOKEN_PATTERN, value)
  ) {
    return validationError('nextToken must be a token returned by a previous listNotes call');
  }
  return value;
}

/** `uploads/<sub>/`: the caller's staged uploads, as createUploadUrl names them. */
function stagedUploadPrefix(owner: string): string {
  return `uploads/${owner}/`;
}

/** `private/<sub>/<noteId>/`: the files one note owns. */
export function noteFilePrefix(owner: string, noteId: string): string {
  return `private/${owner}/${noteId}/`;
}

/** Whether what follows an owner's or a note's prefix is `<upload id>/<file name>`, as createUploadUrl issues. */
function isUploadPath(rest: string): boolean {
  const segments = rest.split('/');
  if (segments.length !== 2) {
    return false;
  }
  const [uploadId, fileName] = segments;
  return (
    util.matches(UPLOAD_ID_PATTERN, uploadId) &&
    fileName.length > 0 &&
    fileName.length <= MAX_FILE_NAME_LENGTH &&
    fileName.split('.').join('') !== '' &&
    util.matches(NO_CONTROL_CHARACTERS_PATTERN, fileName)
  );
}

function requireKeyText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_KEY_LENGTH) {
    return validationError(`${field} must be a key returned by createUploadUrl`);
  }
  return value;
}

/**
 * A key to attach must be an upload createUploadUrl issued to this caller: `uploads/<sub>/<upload id>/<file name>`.
 * Anything else (another owner's upload, a file another note already owns, extra segments, `..`) is rejected before
 * anything is written: attaching copies the upload to the note's own key, so notes never share a file.
 */
export function requireStagedUploadKey(value: unknown, owner: string, field: string): string {
  const key = requireKeyText(value, field);
  const prefix = stagedUploadPrefix(owner);
  if (!key.startsWith(prefix)) {
    return validationError(`${field} must be one of your own uploads (a key returned by createUploadUrl)`);
  }
  if (!isUploadPath(key.slice(prefix.length))) {
    return validationError(`${field} is not a key createUploadUrl issued (uploads/<you>/<upload id>/<file name>)`);
  }
  return key;
}

/** Whether `key` names a file of the note `noteId` of `owner` (`private/<sub>/<noteId>/<upload id>/<file name>`). */
export function isNoteFileKey(key: unknown, owner: string, noteId: string): boolean {
  const prefix = noteFilePrefix(owner, noteId);
  return typeof key === 'string' && key.startsWith(prefix) && isUploadPath(key.slice(prefix.length));
}

/** Where attaching the upload `stagedKey` to note `noteId` copies it. */
export function noteFileKeyFor(stagedKey: string, owner: string, noteId: string): string {
  return noteFilePrefix(owner, noteId) + stagedKey.slice(stagedUploadPrefix(owner).length);
}
