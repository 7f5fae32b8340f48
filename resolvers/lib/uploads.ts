// The upload policy the resolver checks before invoking createUploadUrl, so a bad request is a ValidationError and
// costs no invocation. The function (functions/lib/attachments.ts) enforces the same policy again and signs it; a
// test keeps the two lists equal.
export const ALLOWED_CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
];
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Longer names are rejected by the function anyway (it keeps at most 255 bytes of a cleaned name). */
export const MAX_RAW_FILE_NAME_LENGTH = 4096;
