// The one S3 client the attachment functions share, configured from the environment so the local S3 can stand in.
import { S3Client } from '@aws-sdk/client-s3';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Environment variable ${name} is required`);
  }
  return value;
}

export const bucketName = requiredEnv('BUCKET_NAME');

export const s3 = new S3Client({
  ...(process.env.S3_ENDPOINT ? { endpoint: process.env.S3_ENDPOINT } : {}),
  forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
  // By default the SDK adds a CRC32 of the (empty) presign-time body to PUT URLs, which S3 then checks against the
  // real upload and rejects. Checksums only when an operation requires one.
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
