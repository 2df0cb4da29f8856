import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, openSync, promises as fs, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseFileLedger } from '../../core/ledger';
import type { FileLedger } from '../../core/ledger';
import { readIfExists, readRegularFile, readRegularFileSync, writeFileAtomic } from '../files';

/**
 * Where a file's ledger lives: one JSON file per tracked path, named by a hash
 * of the path so odd characters in names never reach the file system.
 */
export function ledgerFile(ledgerDir: string, relPath: string): string {
  return path.join(ledgerDir, 'v1', 'files', `${ledgerId(relPath)}.json`);
}

function ledgerId(relPath: string): string {
  return createHash('sha1').update(relPath).digest('hex');
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

/*
 * Saves in flight. The editor writes a file's ledger when VS Code reports the
 * save done, a moment after the file is on disk: a commit made in that moment
 * (VS Code's own Commit saves first, then runs git at once) would read the
 * ledger of before the save. So the editor leaves a mark, `v1/saving/<id>`
 * holding the time, before the file is written (in its will-save listener,
 * which VS Code waits for) and takes it away once the ledger is written; the
 * commit hook waits, briefly, for a staged file that has a mark.
 */

/** A mark older than this is left over (a save that failed, an editor that quit): no one waits for it. */
export const SAVE_MARK_FRESH_MS = 10_000;
/** How often the hook looks again while it waits. */
const SAVE_POLL_MS = 20;
/** A mark holds a time in milliseconds: anything longer is not one of ours, and is not read. */
const MARK_MAX_BYTES = 16;

function savingDir(ledgerDir: string): string {
  return path.join(ledgerDir, 'v1', 'saving');
}

/**
 * Marks a save of `relPath` as in flight since `at`, synchronously (the
 * will-save listener must be done before VS Code writes the file) and
 * atomically (a reader sees the whole time or no mark). The temporary file is
 * created afresh (`wx`): nothing already at its name is followed or opened.
 */
export function markSaving(ledgerDir: string, relPath: string, at: number): void {
  const dir = savingDir(ledgerDir);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, ledgerId(relPath));
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  writeFileSync(tmp, String(at), { flag: 'wx' });
  renameSync(tmp, file);
}

/** Takes a save's mark away; a mark already gone is fine. */
export function clearSaving(ledgerDir: string, relPath: string): void {
  rmSync(path.join(savingDir(ledgerDir), ledgerId(relPath)), { force: true });
}

/**
 * Takes away the marks left over in a repository (older than
 * {@link SAVE_MARK_FRESH_MS}, or not a mark at all): what a save that never
 * finished, or an editor that quit, left behind. Fresh marks may be another
 * window's save in flight and stay. Returns how many were removed.
 */
export function clearStaleSaves(ledgerDir: string, now = Date.now()): number {
  const dir = savingDir(ledgerDir);
  let removed = 0;
  for (const name of markNames(dir)) {
    if (name.endsWith('.tmp') || markTime(path.join(dir, name), now) !== undefined) continue;
    rmSync(path.join(dir, name), { force: true, recursive: true });
    removed++;
  }
  return removed;
}

/** What the marks folder holds; nothing when there is none or it cannot be read (it is not a folder). */
function markNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The time a fresh mark holds, or `undefined` (none, left over, unreadable, too big, not a regular file). */
function markTime(file: string, now: number): number | undefined {
  let fd: number;
  try {
    // Never waits (a FIFO), never reads more than a mark can hold.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MARK_MAX_BYTES) return undefined;
    const buf = Buffer.alloc(MARK_MAX_BYTES);
    text = buf.subarray(0, readSync(fd, buf, 0, MARK_MAX_BYTES, 0)).toString('latin1');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
  const at = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  // A mark from the future is a clock gone back: take it as left over too.
  return at > now - SAVE_MARK_FRESH_MS && at <= now + 1_000 ? at : undefined;
}

/** Whether a marked save is still in flight: its mark is there and fresh, and no ledger was written since it. */
function inFlight(ledgerDir: string, relPath: string, now: number): boolean {
  const at = markTime(path.join(savingDir(ledgerDir), ledgerId(relPath)), now);
  if (at === undefined) return false;
  try {
    // The modification time, not the ledger's text: a poll must cost a `stat`, however big the ledger.
    return statSync(ledgerFile(ledgerDir, relPath)).mtimeMs < at;
  } catch {
    return true;
  }
}

/**
 * Waits until every file of `paths` the editor is saving has its ledger
 * written for that save (its mark gone, or the ledger written since), or
 * until `until` (a `Date.now()` time). Costs one `readdir` when no save is in
 * flight, and a read of each mark when only left-over ones are there; the
 * staged paths are hashed only when a fresh mark is found. Returns how many
 * saves were still in flight when it gave up.
 */
export async function awaitEditorSaves(ledgerDir: string, paths: readonly string[], until: number): Promise<number> {
  const dir = savingDir(ledgerDir);
  const names = markNames(dir);
  if (names.length === 0) return 0;
  const now = Date.now();
  const fresh = new Set(names.filter((n) => !n.endsWith('.tmp') && markTime(path.join(dir, n), now) !== undefined));
  if (fresh.size === 0) return 0;
  let waiting = paths.filter((p) => fresh.has(ledgerId(p)));
  for (;;) {
    // The clock is read for each file: the last look never runs past `until` by more than one file's look.
    waiting = waiting.filter((p) => Date.now() >= until || inFlight(ledgerDir, p, Date.now()));
    const left = until - Date.now();
    if (waiting.length === 0 || left <= 0) return waiting.length;
    await new Promise((resolve) => setTimeout(resolve, Math.min(SAVE_POLL_MS, left)));
  }
}
