import { promises as fs } from 'node:fs';

/**
 * Writes atomically: a temporary file beside the target, then a rename, so a
 * reader never sees half a file. The temporary file is removed on failure.
 */
export async function writeFileAtomic(file: string, data: string | Buffer, mode?: number): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.writeFile(tmp, data, mode === undefined ? undefined : { mode });
    // The umask may have taken bits off the mode given at creation.
    if (mode !== undefined) await fs.chmod(tmp, mode);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * A file's text, or `undefined` when there is no file. A directory reads as
 * `''`: something is there, and it holds no text.
 */
export async function readIfExists(file: string, encoding: BufferEncoding): Promise<string | undefined> {
  try {
    return await fs.readFile(file, encoding);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') return '';
    throw e;
  }
}
