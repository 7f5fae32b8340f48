// What startS3Server takes, checked up front so a bad option fails at start rather than on a request.
import type { CorsRule } from './cors';
import { validateLifecycleRules, type LifecycleRule } from './lifecycle';

export interface S3ServerOptions {
  /** Objects are persisted here and survive a restart; in memory when absent. */
  dir?: string;
  /** 0 picks an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'us-east-1'. */
  region?: string;
  /** The only key pair accepted. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  buckets: string[];
  /** Browser origins the CORS rule allows; '*' only if given. An entry may hold one '*' wildcard, as in S3. */
  corsOrigins?: string[];
  /** The rest of the bucket's CORS rule; by default the deployed bucket's (infra/constructs/storage.ts). */
  corsRule?: CorsRule;
  /** Largest object accepted, in bytes. Default 100 MiB (objects are buffered in memory). */
  maxObjectSize?: number;
  /** Expiration rules applied to every bucket when the endpoint starts and then every `lifecycleIntervalMs`. */
  lifecycleRules?: LifecycleRule[];
  /** Default one hour. */
  lifecycleIntervalMs?: number;
  /** The clock lifecycle rules are applied by; tests move it. Default the system clock. */
  now?: () => Date;
}

export interface S3Server {
  endpoint: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_OBJECT_SIZE = 100 * 1024 * 1024;

const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function validateOptions(opts: S3ServerOptions): void {
  if (!opts || typeof opts !== 'object') throw new Error('startS3Server needs options');
  const { credentials } = opts;
  if (
    !credentials ||
    typeof credentials.accessKeyId !== 'string' ||
    typeof credentials.secretAccessKey !== 'string' ||
    credentials.accessKeyId === '' ||
    credentials.secretAccessKey === ''
  ) {
    throw new Error('startS3Server needs credentials with a non-empty accessKeyId and secretAccessKey');
  }
  if (credentials.accessKeyId.includes('/')) throw new Error('An access key id cannot contain "/"');
  if (!Array.isArray(opts.buckets) || opts.buckets.length === 0)
    throw new Error('startS3Server needs at least one bucket');
  for (const bucket of opts.buckets) {
    if (typeof bucket !== 'string' || !BUCKET_NAME.test(bucket) || bucket.includes('..')) {
      throw new Error(`Invalid bucket name "${String(bucket)}": 3-63 lowercase letters, digits, dots and hyphens`);
    }
  }
  if (opts.region !== undefined && !/^[a-z0-9-]+$/.test(opts.region))
    throw new Error(`Invalid region "${opts.region}"`);
  if (opts.corsRule !== undefined) {
    const { allowedMethods, allowedHeaders, exposedHeaders, maxAgeSeconds } = opts.corsRule;
    const methods = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];
    if (!Array.isArray(allowedMethods) || !allowedMethods.every((method) => methods.includes(method))) {
      throw new Error(`corsRule.allowedMethods must be among ${methods.join(', ')}`);
    }
    if (!Array.isArray(allowedHeaders) || !Array.isArray(exposedHeaders)) {
      throw new Error('corsRule.allowedHeaders and corsRule.exposedHeaders must be arrays');
    }
    if (maxAgeSeconds !== undefined && !(Number.isSafeInteger(maxAgeSeconds) && maxAgeSeconds >= 0)) {
      throw new Error('corsRule.maxAgeSeconds must be a non-negative integer');
    }
  }
  validateLifecycleRules(opts.lifecycleRules);
  if (
    opts.lifecycleIntervalMs !== undefined &&
    !(Number.isSafeInteger(opts.lifecycleIntervalMs) && opts.lifecycleIntervalMs > 0)
  ) {
    throw new Error('lifecycleIntervalMs must be a positive integer');
  }
  if (opts.maxObjectSize !== undefined && !(Number.isSafeInteger(opts.maxObjectSize) && opts.maxObjectSize >= 0)) {
    throw new Error('maxObjectSize must be a non-negative integer');
  }
}
