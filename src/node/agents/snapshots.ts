import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RepoPaths } from '../git/git';
import { writeFileAtomic } from '../files';

/**
 * What a `pre` hook saw, kept for its `post`: the text of each file the tool
 * names (or of every dirty file, for a shell command) before it ran. Stored
 * beside the ledger, in the git directory, one small JSON file per file or
 * per shell call; the `post` hook takes it (reads and deletes).
 */
export interface Snapshot {
  readonly v: 1;
  /** `f` for one file an edit tool names, `s` for a shell command's dirty files. */
  readonly kind: 'f' | 's';
  readonly callKey: string;
  readonly session: string;
  readonly at: number;
  /** Repository path → its text before (`null`: it did not exist). */
  readonly files: Readonly<Record<string, string | null>>;
  /** Dirty files left out (too many, too large): a shell command's changes to them are not recorded. */
  readonly skipped?: readonly string[];
}

/** A `post` without its own call id takes a snapshot of the same session only this fresh. */
const SESSION_MATCH_MS = 10 * 60_000;
/** Snapshots whose `post` never came (the tool was denied) are dropped after this long. */
const STALE_MS = 60 * 60_000;

/** What the snapshot store needs of a repository: where its ledger lives. */
type Store = Pick<RepoPaths, 'ledgerDir'>;

function pendingDir(repo: Store): string {
  return path.join(repo.ledgerDir, 'agents', 'pending');
}

function snapshotFile(repo: Store, kind: 'f' | 's', key: string): string {
  return path.join(pendingDir(repo), `${kind}-${createHash('sha1').update(key).digest('hex')}.json`);
}

/** Keyed by the file for an edit (one pending edit per file), by the call for a shell command. */
function keyOf(kind: 'f' | 's', snap: Pick<Snapshot, 'callKey' | 'files'>): string {
  return kind === 'f' ? Object.keys(snap.files)[0] : snap.callKey;
}

export async function saveSnapshot(repo: Store, snap: Snapshot): Promise<void> {
  const target = snapshotFile(repo, snap.kind, keyOf(snap.kind, snap));
  await fs.mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomic(target, JSON.stringify(snap));
}

function parseSnapshot(json: string): Snapshot | undefined {
  try {
    const s = JSON.parse(json) as Snapshot;
    return s && s.v === 1 && (s.kind === 'f' || s.kind === 's') && typeof s.at === 'number' && s.files && typeof s.files === 'object' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** A snapshot taken by a `post`: release it once the lines are recorded. */
export type TakenSnapshot = Snapshot & { readonly file: string };

/**
 * Finds the snapshot a `post` belongs to: the same call, or (when the agent
 * gives no call id, or the after-event has another one) the same session
 * within a few minutes. The caller releases it once it has recorded the
 * lines, so a second `post` finds nothing, and until then the editor knows
 * that an agent's record of the file is on its way ({@link agentPending}).
 */
export async function takeSnapshot(repo: RepoPaths, kind: 'f' | 's', key: string, call: { callKey: string; session: string }, now: number): Promise<TakenSnapshot | undefined> {
  const file = snapshotFile(repo, kind, key);
  let snap: Snapshot | undefined;
  try {
    snap = parseSnapshot(await fs.readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const same = snap !== undefined && (snap.callKey === call.callKey || (snap.session !== '' && snap.session === call.session && now - snap.at < SESSION_MATCH_MS));
  if (!same || !snap) return undefined;
  return { ...snap, file };
}

export async function releaseSnapshot(snap: TakenSnapshot | undefined): Promise<void> {
  if (snap) await fs.rm(snap.file, { force: true });
}

/**
 * Whether an agent's tool is at work on `rel` now: its `pre` kept a snapshot
 * of the file (or, for a shell command, of the dirty files) a few minutes ago
 * at most, and its `post` has not recorded the lines yet. The editor waits
 * for that record before it calls a closed file's change another program's.
 */
export async function agentPending(repo: Store, rel: string, now: number): Promise<boolean> {
  const fresh = async (file: string): Promise<boolean> => {
    const st = await fs.stat(file).catch(() => undefined);
    return st !== undefined && now - st.mtimeMs < SESSION_MATCH_MS;
  };
  if (await fresh(snapshotFile(repo, 'f', rel))) return true;
  const names = await fs.readdir(pendingDir(repo)).catch(() => [] as string[]);
  for (const n of names) if (n.startsWith('s-') && (await fresh(path.join(pendingDir(repo), n)))) return true;
  return false;
}

/** Drops snapshots whose `post` never came. Cheap: the folder holds a handful of files. */
export async function pruneSnapshots(repo: Store, now: number): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(pendingDir(repo));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const name of names) {
    const file = path.join(pendingDir(repo), name);
    const st = await fs.stat(file).catch(() => undefined);
    if (st && now - st.mtimeMs > STALE_MS) await fs.rm(file, { force: true });
  }
}
