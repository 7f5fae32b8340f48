// The uploads bucket as its owner sees it, through the AWS SDK signed with the data folder's key pair: to check what
// a refused request left behind.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { ServerProcess } from './server';

export const BUCKET = 'notes-uploads-local';

export interface BucketOwner {
  client: S3Client;
  exists(key: string): Promise<boolean>;
  bytes(key: string): Promise<Uint8Array>;
  keys(prefix: string): Promise<string[]>;
  /** The object's path-style address, each segment encoded as S3 expects. */
  url(key: string): string;
}

export function bucketOwner(server: Pick<ServerProcess, 's3Endpoint' | 'credentials'>): BucketOwner {
  if (!server.s3Endpoint) throw new Error('this server has no S3 endpoint');
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: server.s3Endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  return {
    client,
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
        return true;
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
        throw error;
      }
    },
    async bytes(key) {
      const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return object.Body!.transformToByteArray();
    },
    async keys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    url: (key) => `${server.s3Endpoint}/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`,
  };
}
