// The S3 clients the attachment functions share, configured from the environment so the local S3 can stand in.
import { S3Client } from '@aws-sdk/client-s3';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Environment variable ${name} is required`);
  }
  return value;
}

export const bucketName = requiredEnv('BUCKET_NAME');

function clientFor(endpoint: string | undefined): S3Client {
  return new S3Client({
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
    // By default the SDK adds a CRC32 of the (empty) presign-time body to PUT URLs, which S3 then checks against the
    // real upload and rejects. Checksums only when an operation requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** For the calls the functions make themselves (HEAD, DELETE). */
export const s3 = clientFor(process.env.S3_ENDPOINT);

/**
 * For presigned URLs, which devices use. A signature covers the host, so locally it must be the address devices
 * reach the S3 endpoint at (S3_PUBLIC_ENDPOINT: a LAN address, 10.0.2.2 for the Android emulator), which this
 * machine itself may not be able to dial. On AWS neither variable is set and both clients are the same.
 */
export const presigner = process.env.S3_PUBLIC_ENDPOINT ? clientFor(process.env.S3_PUBLIC_ENDPOINT) : s3;
