import { closeSync, constants, fstatSync, openSync, promises as fs, readFileSync } from 'node:fs';

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
 * Opening never waits: a FIFO with no writer would block for ever
 * (`O_NONBLOCK` is 0 where the platform has none).
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The bytes of a regular file, or `undefined` when there is none: a FIFO, a
 * socket, a device or a directory at the path is never read, so nothing a
 * repository holds can make a reader wait for ever.
 */
export async function readRegularFile(file: string): Promise<Buffer | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return (await handle.stat()).isFile() ? await handle.readFile() : undefined;
  } finally {
    await handle.close();
  }
}

/** The same, synchronously, for the short-lived hook process. */
export function readRegularFileSync(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * A file's text, or `undefined` when there is no file. Anything else at the
 * path (a directory, a FIFO) reads as `''`: something is there, and it holds
 * no text; it is never opened for reading.
 */
export async function readIfExists(file: string, encoding: BufferEncoding): Promise<string | undefined> {
  try {
    return (await readRegularFile(file))?.toString(encoding) ?? ((await exists(file)) ? '' : undefined);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return '';
    throw e;
  }
}

/** Whether anything is at the path (a dangling symbolic link included). */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
