import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseFileLedger } from '../core/ledger';
import type { FileLedger } from '../core/ledger';

/**
 * Where a file's ledger lives: one JSON file per tracked path, named by a hash
 * of the path so odd characters in names never reach the file system.
 */
export function ledgerFile(ledgerDir: string, relPath: string): string {
  const id = createHash('sha1').update(relPath).digest('hex');
  return path.join(ledgerDir, 'v1', 'files', `${id}.json`);
}

/** Writes atomically: a temporary file beside the target, then a rename. */
export async function writeFileLedger(ledgerDir: string, ledger: FileLedger): Promise<void> {
  const target = ledgerFile(ledgerDir, ledger.path);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(ledger));
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Reads a file's ledger; `undefined` when there is none, or it is corrupt or
 * from another version (the caller then treats the file's lines as unknown).
 */
export async function readFileLedger(ledgerDir: string, relPath: string): Promise<FileLedger | undefined> {
  let json: string;
  try {
    json = await fs.readFile(ledgerFile(ledgerDir, relPath), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const ledger = parseFileLedger(json);
  return ledger && ledger.path === relPath ? ledger : undefined;
}

/** Removes a file's ledger entry (after a rename, or when the file left the repository). */
export async function deleteFileLedger(ledgerDir: string, relPath: string): Promise<void> {
  await fs.rm(ledgerFile(ledgerDir, relPath), { force: true });
}

/**
 * Moves the ledger entry of `fromPath` (a file), or of every file under it (a
 * folder), to `toPath`, rewriting the paths inside. Returns how many moved.
 */
export async function moveLedgerEntries(fromDir: string, fromPath: string, toDir: string, toPath: string): Promise<number> {
  const single = await readFileLedger(fromDir, fromPath);
  if (single) {
    await writeFileLedger(toDir, { ...single, path: toPath });
    await deleteFileLedger(fromDir, fromPath);
    return 1;
  }
  const dir = path.join(fromDir, 'v1', 'files');
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  const sep = fromPath.includes('\\') && !fromPath.includes('/') ? '\\' : '/';
  const prefix = fromPath.endsWith(sep) ? fromPath : fromPath + sep;
  let moved = 0;
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const ledger = parseFileLedger(await fs.readFile(path.join(dir, name), 'utf8'));
    if (!ledger || !ledger.path.startsWith(prefix)) continue;
    const rest = ledger.path.slice(prefix.length);
    const target = toPath.endsWith(sep) ? toPath + rest : `${toPath}${sep}${rest}`;
    await writeFileLedger(toDir, { ...ledger, path: target });
    await deleteFileLedger(fromDir, ledger.path);
    moved++;
  }
  return moved;
}
