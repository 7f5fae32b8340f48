// The pool's one document on disk, `<dataDir>/cognito/pool.json`, written so that a crash (SIGKILL, power cut) at any
// moment leaves the previous version or the new one, never a mix and never nothing:
// - every change is applied to a copy, written to a temporary file, flushed, renamed over pool.json and the folder
//   flushed (writeFileAtomic); only then does the running pool adopt the copy and the caller get its answer, so
//   whatever was acknowledged is on disk, and a failed write changes nothing;
// - a new pool folder is built under a temporary name and renamed into place whole, so a folder named `cognito`
//   always holds a complete pool;
// - a missing or unreadable pool.json in an existing pool folder stops the start with the file's name: creating a
//   new pool there would give every user a new `sub` and orphan all their data.
// Callers serialise changes (the API runs one call at a time), so there is one writer.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder, writeFileAtomic } from '../shared';
import type { PoolDocument } from './model';

export const POOL_FILE = 'pool.json';

export class PoolStore {
  private constructor(
    readonly file: string,
    private current: PoolDocument,
  ) {}

  /** The pool as last written. Read it; change it only through `update`. */
  get doc(): Readonly<PoolDocument> {
    return this.current;
  }

  /**
   * Runs `change` on a copy of the pool and writes the copy durably; resolves with `change`'s result once it is on
   * disk. If `change` throws or the write fails, the pool stays as it was.
   */
  async update<T>(change: (draft: PoolDocument) => T): Promise<T> {
    const draft = structuredClone(this.current);
    const result = change(draft);
    await writeFileAtomic(this.file, serialise(draft), { mode: 0o600 });
    this.current = draft;
    return result;
  }

  /** Opens the pool of an existing pool folder; any problem is an error naming the file. */
  static async open(folder: string): Promise<PoolStore> {
    const file = path.join(folder, POOL_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(
          `The local user pool file ${file} is missing, but its folder holds other pool files. Starting a new pool ` +
            'here would give every user a new sub and orphan their data: restore the file, or delete the folder ' +
            `${folder} to start over with an empty pool.`,
        );
      }
      throw new Error(`Cannot read the local user pool file ${file}: ${(error as Error).message}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(
        `The local user pool file ${file} is not valid JSON (${(error as Error).message}); restore it from a backup, ` +
          `or delete the folder ${folder} to start over with an empty pool.`,
      );
    }
    const problem = whatIsWrong(parsed);
    if (problem) {
      throw new Error(
        `The local user pool file ${file} is not a user pool (${problem}); restore it or delete ${folder}.`,
      );
    }
    return new PoolStore(file, parsed as PoolDocument);
  }

  /**
   * Creates the pool folder with `files` (name → content) and the pool document, all or nothing: they are written
   * into a temporary sibling folder which is then renamed to `folder`. Refuses if `folder` already holds anything.
   */
  static async create(folder: string, doc: PoolDocument, files: Record<string, string> = {}): Promise<PoolStore> {
    const parent = path.dirname(folder);
    await mkdir(parent, { recursive: true });
    const building = path.join(parent, `.tmp-${path.basename(folder)}-${randomUUID()}`);
    await mkdir(building, { mode: 0o700 });
    try {
      for (const [name, content] of Object.entries(files)) {
        await writeFileAtomic(path.join(building, name), content, { mode: 0o600 });
      }
      await writeFileAtomic(path.join(building, POOL_FILE), serialise(doc), { mode: 0o600 });
      // An empty folder left by an earlier attempt is replaced; rename refuses a non-empty one (ENOTEMPTY).
      if (await isEmptyFolder(folder)) await rm(folder, { recursive: true, force: true });
      await rename(building, folder);
      await syncFolder(parent);
    } catch (error) {
      await rm(building, { recursive: true, force: true });
      throw error;
    }
    return new PoolStore(path.join(folder, POOL_FILE), doc);
  }
}

/** True when `folder` does not exist or has no entries. */
export async function isEmptyFolder(folder: string): Promise<boolean> {
  try {
    if (!(await stat(folder)).isDirectory()) return false;
    return (await readdir(folder)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

export async function folderExists(folder: string): Promise<boolean> {
  return !(await isEmptyFolder(folder));
}

function serialise(doc: PoolDocument): string {
  return `${JSON.stringify(doc, null, 1)}\n`;
}

function whatIsWrong(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const doc = value as Partial<PoolDocument>;
  if (doc.format !== 'appsync-local-user-pool') return 'no "format": "appsync-local-user-pool"';
  if (doc.version !== 1) return `version ${String(doc.version)} is not 1`;
  for (const key of ['pool', 'client', 'users', 'groups', 'revokedSessions', 'retiredRefreshTokens'] as const) {
    if (typeof doc[key] !== 'object' || doc[key] === null) return `no ${key}`;
  }
  if (typeof doc.pool?.id !== 'string' || typeof doc.client?.id !== 'string') return 'no pool or client id';
  for (const [username, user] of Object.entries(doc.users ?? {})) {
    if (user?.username !== username || typeof user.attributes?.sub !== 'string') return `user ${username} is damaged`;
  }
  return undefined;
}
