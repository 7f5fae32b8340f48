// A test project on disk: each file by its path relative to `dir`, folders made as needed.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
}
