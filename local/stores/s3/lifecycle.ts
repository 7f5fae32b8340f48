// Lifecycle expiration, as S3 applies a bucket's rules: an object under a rule's prefix expires the rule's number of
// days after it was written, rounded up to the next midnight UTC. S3 documents the arithmetic ("adding the number of
// days specified in the rule to the object creation time and rounding the resulting time to the next day midnight
// UTC": https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html) and
// removes expired objects some time after that; the endpoint does it when it starts and then every hour.
import type { ObjectStore } from './object-store';

/** One expiration rule: objects whose key starts with `prefix` go `expirationDays` days after they were written. */
export interface LifecycleRule {
  id: string;
  prefix: string;
  expirationDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function validateLifecycleRules(rules: unknown): void {
  if (rules === undefined) return;
  if (!Array.isArray(rules)) throw new Error('lifecycleRules must be an array');
  for (const rule of rules as LifecycleRule[]) {
    if (!rule || typeof rule.id !== 'string' || rule.id === '' || typeof rule.prefix !== 'string') {
      throw new Error('Each lifecycle rule needs an id and a prefix (may be empty)');
    }
    // S3: "The value must be a non-zero positive integer."
    if (!Number.isSafeInteger(rule.expirationDays) || rule.expirationDays < 1) {
      throw new Error(`Lifecycle rule ${rule.id}: expirationDays must be a whole number of days from 1`);
    }
  }
}

/** When an object written at `writtenAt` expires under a rule of `days`. */
export function expiryOf(writtenAt: Date, days: number): Date {
  return new Date(Math.ceil((writtenAt.getTime() + days * DAY_MS) / DAY_MS) * DAY_MS);
}

/** Deletes every object an enabled rule has expired by `now`; returns the keys deleted, by bucket. */
export async function expireObjects(
  store: ObjectStore,
  rules: readonly LifecycleRule[],
  now: Date,
): Promise<Array<{ bucket: string; key: string }>> {
  const expired: Array<{ bucket: string; key: string }> = [];
  for (const bucket of store.bucketNames()) {
    for (const meta of store.list(bucket)) {
      const due = rules.some(
        (rule) =>
          meta.key.startsWith(rule.prefix) &&
          expiryOf(new Date(meta.lastModified), rule.expirationDays).getTime() <= now.getTime(),
      );
      if (due) expired.push({ bucket, key: meta.key });
    }
  }
  for (const { bucket, key } of expired) await store.delete(bucket, key);
  return expired;
}
