import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseFileLedger } from '../../core/ledger';
import type { FileLedger } from '../../core/ledger';
import { readIfExists, readRegularFile, readRegularFileSync, writeFileAtomic } from '../files';

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
  await writeFileAtomic(target, JSON.stringify(ledger));
}

/**
 * Reads a file's ledger; `undefined` when there is none, or it is corrupt or
 * from another version (the caller then treats the file's lines as unknown).
 */
export async function readFileLedger(ledgerDir: string, relPath: string): Promise<FileLedger | undefined> {
  // Only a regular file: a FIFO at the path must not hang the reader.
  const json = (await readRegularFile(ledgerFile(ledgerDir, relPath)))?.toString('utf8');
  if (json === undefined) return undefined;
  const ledger = parseFileLedger(json);
  return ledger && ledger.path === relPath ? ledger : undefined;
}

/**
 * The same, synchronously, for the commit hook, which reads while git works
 * in another process. An unreadable entry (missing, a directory, no
 * permission) is `undefined`: its lines only count as unknown.
 */
export function readFileLedgerSync(ledgerDir: string, relPath: string): FileLedger | undefined {
  let json: string | undefined;
  try {
    json = readRegularFileSync(ledgerFile(ledgerDir, relPath))?.toString('utf8');
  } catch {
    return undefined;
  }
  if (json === undefined) return undefined;
  const ledger = parseFileLedger(json);
  return ledger && ledger.path === relPath ? ledger : undefined;
}

/** The commit-side settings the extension keeps beside the ledger (`provenance.trailer.*`). */
export interface HookSettings {
  /** Write the trailer at all. */
  readonly trailer: boolean;
  /** Write it for commits with no AI text too (`ai=0`). */
  readonly whenNoAi: boolean;
}

export const DEFAULT_HOOK_SETTINGS: HookSettings = { trailer: true, whenNoAi: true };

function hookSettingsFile(ledgerDir: string): string {
  return path.join(ledgerDir, 'settings.json');
}

/** Reads the hook settings; defaults when there are none or they do not parse. */
export function readHookSettingsSync(ledgerDir: string): HookSettings {
  let data: unknown;
  try {
    // Only a regular file: a FIFO here must not hang every commit.
    data = JSON.parse(readRegularFileSync(hookSettingsFile(ledgerDir))?.toString('utf8') ?? 'null');
  } catch {
    return DEFAULT_HOOK_SETTINGS;
  }
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  return {
    trailer: typeof d.trailer === 'boolean' ? d.trailer : DEFAULT_HOOK_SETTINGS.trailer,
    whenNoAi: typeof d.whenNoAi === 'boolean' ? d.whenNoAi : DEFAULT_HOOK_SETTINGS.whenNoAi,
  };
}

/** Writes the hook settings atomically, and only when they changed. */
export async function writeHookSettings(ledgerDir: string, settings: HookSettings): Promise<void> {
  const file = hookSettingsFile(ledgerDir);
  const text = JSON.stringify(settings);
  if ((await readIfExists(file, 'utf8')) === text) return;
  await fs.mkdir(ledgerDir, { recursive: true });
  await writeFileAtomic(file, text);
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
  // An entry already at the new name that is newer (the editor saved the renamed file) wins.
  const moveOne = async (ledger: FileLedger, target: string): Promise<void> => {
    const there = await readFileLedger(toDir, target);
    if (!there || there.savedAt < ledger.savedAt) await writeFileLedger(toDir, { ...ledger, path: target });
    await deleteFileLedger(fromDir, ledger.path);
  };
  const single = await readFileLedger(fromDir, fromPath);
  if (single) {
    await moveOne(single, toPath);
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
    const ledger = parseFileLedger((await readRegularFile(path.join(dir, name)))?.toString('utf8') ?? '');
    if (!ledger || !ledger.path.startsWith(prefix)) continue;
    const rest = ledger.path.slice(prefix.length);
    await moveOne(ledger, toPath.endsWith(sep) ? toPath + rest : `${toPath}${sep}${rest}`);
    moved++;
  }
  return moved;
}
