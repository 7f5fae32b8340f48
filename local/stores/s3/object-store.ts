// Storage. One file per object: a small header with the metadata, then the bytes; written to a temp file and renamed,
// so a refused or interrupted upload never leaves anything behind and a reader sees the old object or the new one.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { syncFolder, TEMPORARY_FILE_PREFIX, writeFileAtomic } from '../shared';
import type { ChecksumAlgorithm } from './checksums';

export interface ObjectMeta {
  key: string;
  size: number;
  /** Quoted MD5 hex, as S3 sends it. */
  etag: string;
  lastModified: string;
  contentType: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

export interface StoredObject {
  meta: ObjectMeta;
  body: Buffer;
}

const FILE_MAGIC = Buffer.from('S3LOCAL1', 'latin1');

function encodeObjectFile(meta: ObjectMeta, body: Buffer): Buffer {
  const header = Buffer.from(JSON.stringify(meta), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([FILE_MAGIC, length, header, body]);
}

function decodeObjectFile(file: Buffer): StoredObject | undefined {
  if (file.length < 12 || !file.subarray(0, 8).equals(FILE_MAGIC)) return undefined;
  const headerEnd = 12 + file.readUInt32BE(8);
  if (headerEnd > file.length) return undefined;
  try {
    const meta = JSON.parse(file.subarray(12, headerEnd).toString('utf8')) as ObjectMeta;
    const body = file.subarray(headerEnd);
    return typeof meta.key === 'string' && meta.size === body.length ? { meta, body } : undefined;
  } catch {
    return undefined;
  }
}

export function compareKeys(a: string, b: string): number {
  // S3 lists keys in UTF-8 binary order, which differs from JavaScript's UTF-16 order for astral characters.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export class ObjectStore {
  private readonly index = new Map<string, Map<string, ObjectMeta>>();
  private readonly bodies = new Map<string, Map<string, Buffer>>();
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string | undefined,
    buckets: string[],
  ) {
    for (const bucket of buckets) {
      this.index.set(bucket, new Map());
      this.bodies.set(bucket, new Map());
    }
  }

  hasBucket(bucket: string): boolean {
    return this.index.has(bucket);
  }

  bucketNames(): string[] {
    return [...this.index.keys()];
  }

  async load(): Promise<void> {
    if (!this.dir) return;
    for (const [bucket, objects] of this.index) {
      const folder = join(this.dir, bucket);
      await mkdir(folder, { recursive: true });
      for (const name of await readdir(folder)) {
        if (name.startsWith(TEMPORARY_FILE_PREFIX)) {
          await rm(join(folder, name), { force: true });
          continue;
        }
        if (!name.endsWith('.obj')) continue;
        const stored = decodeObjectFile(await readFile(join(folder, name)));
        if (stored && this.fileName(stored.meta.key) === name) objects.set(stored.meta.key, stored.meta);
      }
    }
  }

  head(bucket: string, key: string): ObjectMeta | undefined {
    return this.index.get(bucket)?.get(key);
  }

  async get(bucket: string, key: string): Promise<StoredObject | undefined> {
    if (!this.dir) {
      const meta = this.head(bucket, key);
      const body = this.bodies.get(bucket)?.get(key);
      return meta && body ? { meta, body } : undefined;
    }
    try {
      const stored = decodeObjectFile(await readFile(join(this.dir, bucket, this.fileName(key))));
      return stored && stored.meta.key === key ? stored : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  list(bucket: string): ObjectMeta[] {
    return [...(this.index.get(bucket)?.values() ?? [])].sort((a, b) => compareKeys(a.key, b.key));
  }

  put(bucket: string, meta: ObjectMeta, body: Buffer): Promise<void> {
    return this.serialized(async () => {
      if (this.dir) {
        await writeFileAtomic(join(this.dir, bucket, this.fileName(meta.key)), encodeObjectFile(meta, body));
      } else {
        this.bodies.get(bucket)?.set(meta.key, body);
      }
      this.index.get(bucket)?.set(meta.key, meta);
    });
  }

  delete(bucket: string, key: string): Promise<void> {
    return this.serialized(async () => {
      if (this.dir) {
        try {
          await unlink(join(this.dir, bucket, this.fileName(key)));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        await syncFolder(join(this.dir, bucket));
      } else {
        this.bodies.get(bucket)?.delete(key);
      }
      this.index.get(bucket)?.delete(key);
    });
  }

  async settle(): Promise<void> {
    await this.writes.catch(() => undefined);
  }

  private fileName(key: string): string {
    // Keys may hold any character, '..' included; a hash keeps every key inside its bucket folder.
    return `${createHash('sha256').update(key, 'utf8').digest('hex')}.obj`;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writes.catch(() => undefined).then(work);
    this.writes = result;
    return result;
  }
}
