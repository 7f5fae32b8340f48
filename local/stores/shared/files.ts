// Files the stores keep: written so that a crash at any moment leaves the old content or the new one, never a mix,
// and so that once the promise resolves the new content survives a power cut.
import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files start with this; a store may delete leftovers carrying it when it starts. */
export const TEMPORARY_FILE_PREFIX = '.tmp-';

/**
 * Writes to a temporary file in the same folder, flushes it to disk, renames it over `file`, then flushes the folder
 * so the rename itself is durable. The temporary file is removed when anything fails.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const folder = dirname(file);
  const temporary = join(folder, `${TEMPORARY_FILE_PREFIX}${basename(file)}-${randomUUID()}`);
  try {
    const handle = await open(temporary, 'wx', options.mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Makes the folder's entries (a rename, an unlink) durable. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
