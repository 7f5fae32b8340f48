// Files the stores keep: written so that a crash at any moment leaves the old content or the new one, never a mix,
// and so that once the promise resolves the new content survives a power cut.
import { randomUUID } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temporary files start with this; a store may delete leftovers carrying it when it starts. */
export const TEMPORARY_FILE_PREFIX = '.tmp-';

/** `data` in a new temporary file beside `file`, flushed to disk; removed again if writing it fails. Its path. */
async function writeTemporary(file: string, data: string | Uint8Array, mode: number | undefined): Promise<string> {
  const temporary = join(dirname(file), `${TEMPORARY_FILE_PREFIX}${basename(file)}-${randomUUID()}`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return temporary;
}

/**
 * Writes to a temporary file in the same folder, flushes it to disk, renames it over `file`, then flushes the folder
 * so the rename itself is durable. The temporary file is removed when anything fails.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const temporary = await writeTemporary(file, data, options.mode);
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(file));
}

/**
 * Creates `file` with `data` only if no such file exists (a concurrent creator's file stays as it is), never leaving
 * a partly written one: the flushed temporary file is hard-linked to its final name, which fails if that is taken.
 */
export async function createFileExclusively(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  const temporary = await writeTemporary(file, data, options.mode);
  try {
    await link(temporary, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    // The new directory entry itself must survive a power cut.
    await syncFolder(dirname(file));
  } finally {
    await rm(temporary, { force: true });
  }
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
