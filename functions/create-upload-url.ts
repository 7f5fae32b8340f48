// Mutation.createUploadUrl: a presigned PUT that lets the caller's browser upload one file straight to S3, into the
// staging prefix (uploads/<sub>/<upload id>/); attaching it to a note copies it to the note's own key.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AppSyncResolverEvent } from 'aws-lambda';
import type { MutationCreateUploadUrlArgs, UploadUrl } from '../codegen/schema.generated';
import {
  UPLOAD_URL_TTL_SECONDS,
  newStagedUploadKey,
  ownerOf,
  parseContentType,
  parseSize,
  sanitizeFileName,
} from './lib/attachments';
import { orHandledFailure, validationError, type HandledFailure } from './lib/errors';
import { withRequestLogging } from './lib/logging';
import { bucketName, presigner } from './lib/s3';

// The returned headers are exactly what the PUT must carry: both are signed, so S3 refuses any other type or size.
// The presigner leaves Content-Type unsigned unless told otherwise; neither header starts with `x-amz-`, so neither
// is hoisted into the query string and both stay headers the client must send.
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length']);

export const handler = withRequestLogging(
  'create-upload-url',
  async (event: AppSyncResolverEvent<MutationCreateUploadUrlArgs>): Promise<UploadUrl | HandledFailure> =>
    orHandledFailure(() => createUploadUrl(event)),
);

async function createUploadUrl(event: AppSyncResolverEvent<MutationCreateUploadUrlArgs>): Promise<UploadUrl> {
  const owner = ownerOf(event.identity);
  const input: unknown = event.arguments?.input;
  if (typeof input !== 'object' || input === null) {
    throw validationError('input with fileName, contentType and size is required');
  }
  const { fileName, contentType, size } = input as Record<string, unknown>;
  const cleanFileName = sanitizeFileName(fileName);
  const allowedContentType = parseContentType(contentType);
  const contentLength = parseSize(size);

  const key = newStagedUploadKey(owner, cleanFileName);
  // SigV4 dates have whole seconds; signing at a whole second makes expiresAt the URL's exact expiry.
  const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const url = await getSignedUrl(
    presigner,
    new PutObjectCommand({
      Bucket: bucketName,
      Key: key,
      ContentType: allowedContentType,
      ContentLength: contentLength,
    }),
    { expiresIn: UPLOAD_URL_TTL_SECONDS, signingDate: signedAt, signableHeaders: SIGNED_UPLOAD_HEADERS },
  );
  return {
    key,
    url,
    headers: [
      { name: 'Content-Type', value: allowedContentType },
      { name: 'Content-Length', value: String(contentLength) },
    ],
    expiresAt: new Date(signedAt.getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
  };
}
