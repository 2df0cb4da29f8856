import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { git } from '../git/git';
import { writeFileAtomic } from '../files';
import type { RepoPaths } from '../git/git';
import { EMPTY_TREE } from '../commit/staged';
import type { RawEntry } from '../commit/staged';
import { formatRecord } from '../../core/record';
import type { CommitRecord } from '../../core/record';
import { buildRecord, buildRecords } from './build';
import { claimFile, readRecords, writeRecords } from './notes';
import type { CommitOp } from './operation';

/**
 * What `prepare-commit-msg` leaves for `post-commit`: the record the trailer
 * was derived from, and what it was computed against, so `post-commit` writes
 * exactly that record when the commit made is the one it describes.
 */
interface Pending {
  readonly head: string;
  readonly base: string;
  /** The index's tree the record describes. */
  readonly tree: string;
  readonly sources: readonly string[];
  readonly otherParent?: string;
  /** Absent: the hook did not compute one (a replayed commit keeping its trailer). */
  readonly record?: string;
}

function pendingFile(repo: RepoPaths): string {
  return path.join(repo.ledgerDir, 'pending-record.json');
}

async function savePending(repo: RepoPaths, pending: Pending): Promise<void> {
  await fs.mkdir(repo.ledgerDir, { recursive: true });
  await writeFileAtomic(pendingFile(repo), JSON.stringify(pending));
}

/** Reads and removes what the hook left; `undefined` when there is nothing usable. */
function takePending(repo: RepoPaths, file = pendingFile(repo), remove = true): Pending | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (remove) void fs.rm(file, { force: true });
  const d = data as Partial<Pending>;
  if (typeof d.head !== 'string' || typeof d.base !== 'string' || typeof d.tree !== 'string' || !Array.isArray(d.sources)) return undefined;
  return d as Pending;
}

async function indexTree(cwd: string, timeoutMs: number): Promise<string> {
  return (await git(['write-tree'], { cwd, timeoutMs })).trim();
}

/**
 * For `prepare-commit-msg`: the record of the commit being made, left for
 * `post-commit` to store. `entries` are the staged entries against `op.base`
 * when the hook already read them.
 */
export async function prepareCommitRecord(repo: RepoPaths, op: CommitOp, entries: readonly RawEntry[] | undefined, timeoutMs: number, deadline?: number): Promise<CommitRecord> {
  const [tree, built] = await Promise.all([
    indexTree(repo.root, timeoutMs),
    buildRecord(repo, { base: op.base, sources: op.sources, otherParent: op.otherParent, entries, deadline }, timeoutMs),
  ]);
  await savePending(repo, { head: op.head, base: op.base, tree, sources: op.sources, otherParent: op.otherParent, record: formatRecord(built.record) });
  return built.record;
}

/** For a replayed commit that keeps its trailer: only where its lines came from, for `post-commit`. */
export async function prepareReplay(repo: RepoPaths, op: CommitOp): Promise<void> {
  await savePending(repo, { head: op.head, base: op.base, tree: '', sources: op.sources, otherParent: op.otherParent });
}

function rebasing(repo: RepoPaths): boolean {
  return existsSync(path.join(repo.gitDir, 'rebase-merge')) || existsSync(path.join(repo.gitDir, 'rebase-apply'));
}

function shaFile(repo: RepoPaths, name: string): string | undefined {
  try {
    const s = readFileSync(path.join(repo.gitDir, name), 'utf8').trim();
    return /^[0-9a-f]{40}$/.test(s) ? s : undefined;
  } catch {
    return undefined;
  }
}

/** `<sha> <tree> <parents…>` of a commit. */
async function commitInfo(repo: RepoPaths, rev: string, timeoutMs: number): Promise<{ sha: string; tree: string; parents: string[] }> {
  const [sha, tree, ...parents] = (await git(['log', '-1', '--format=%H %T %P', rev, '--'], { cwd: repo.root, timeoutMs })).trim().split(' ').filter((s) => s !== '');
  return { sha, tree, parents };
}

/**
 * `post-commit`: stores the record of the commit just made. The one the hook
 * computed when it describes this commit (same tree, same parent), so trailer
 * and record agree; otherwise one computed from the commit itself, carried
 * from where it came from (a cherry-pick's original). During a rebase nothing:
 * `post-rewrite` sees the whole picture at the end.
 */
export async function runPostCommit(repo: RepoPaths, timeoutMs: number, claimed?: string): Promise<'written' | 'rebase'> {
  if (claimed === undefined) return postCommitOf(repo, 'HEAD', takePending(repo), timeoutMs);
  const claim = claimFile(repo.ledgerDir, claimed);
  try {
    // The claim stays until the record is written: readers wait for it.
    return await postCommitOf(repo, claimed, takePending(repo, claim, false), timeoutMs);
  } finally {
    await fs.rm(claim, { force: true });
  }
}

async function postCommitOf(repo: RepoPaths, rev: string, pending: Pending | undefined, timeoutMs: number): Promise<'written' | 'rebase'> {
  const info = await commitInfo(repo, rev, timeoutMs);
  const base = info.parents[0] ?? EMPTY_TREE;
  let text: string | undefined;
  if (pending?.record !== undefined && pending.tree === info.tree && pending.base === base) text = pending.record;
  else if (rebasing(repo)) return 'rebase';
  else {
    const picked = shaFile(repo, 'CHERRY_PICK_HEAD');
    const sources = [...(pending?.sources ?? []), ...(picked ? [picked] : []), ...(pending?.head ? [pending.head] : [])];
    const built = await buildRecord(repo, { base, target: info.sha, sources, otherParent: info.parents[1] }, timeoutMs);
    text = formatRecord(built.record);
  }
  await writeRecords(new Map([[info.sha, text]]), { cwd: repo.root, timeoutMs, repo });
  return 'written';
}

/** The parents of each commit, in one `git log --no-walk`. */
export async function parentsOf(repo: RepoPaths, shas: readonly string[], timeoutMs: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (shas.length === 0) return out;
  const text = await git(['log', '--no-walk=unsorted', '--format=%H %P', '--stdin'], { cwd: repo.root, timeoutMs, input: `${shas.join('\n')}\n` });
  for (const line of text.split('\n')) {
    const [sha, ...ps] = line.trim().split(' ').filter((s) => s !== '');
    if (sha) out.set(sha, ps);
  }
  return out;
}

/** Pairs of `post-rewrite`'s standard input, grouped by the new commit, in order: N old commits → 1 new one. */
export function rewriteGroups(stdin: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const line of stdin.split('\n')) {
    const [oldSha, newSha] = line.trim().split(' ');
    if (!oldSha || !newSha) continue;
    const g = groups.get(newSha) ?? [];
    g.push(oldSha);
    groups.set(newSha, g);
  }
  return groups;
}

/**
 * `post-rewrite`: the record of each rewritten commit, carried from its own
 * record (written while the rebase ran, for an amend at an `edit` stop or a
 * squash) and from those of the commits it replaces, the most recent first.
 * An amend outside a rebase whose record `post-commit` already wrote is left
 * alone; during a rebase amends wait for the rebase's own list.
 */
export async function runPostRewrite(repo: RepoPaths, kind: string, stdin: string, timeoutMs: number): Promise<number> {
  if (kind === 'amend' && rebasing(repo)) return 0;
  const groups = rewriteGroups(stdin);
  // Every record involved, and every new commit's parents, read once for the whole list.
  const all = [...groups].flatMap(([newSha, olds]) => [newSha, ...olds]);
  const [records, parents] = await Promise.all([readRecords(all, { cwd: repo.root, timeoutMs, gitAi: false, repo }), parentsOf(repo, [...groups.keys()], timeoutMs)]);
  const todo = [...groups].filter(([newSha]) => kind !== 'amend' || !records.has(newSha));
  const built = await buildRecords(
    repo,
    todo.map(([newSha, olds]) => {
      const [p1, p2] = parents.get(newSha) ?? [];
      return { base: p1 ?? EMPTY_TREE, target: newSha, sources: [newSha, ...[...olds].reverse()], otherParent: p2, records };
    }),
    timeoutMs,
  );
  const notes = new Map(todo.map(([newSha], i) => [newSha, formatRecord(built[i].record)]));
  await writeRecords(notes, { cwd: repo.root, timeoutMs, repo });
  return notes.size;
}

/**
 * `post-merge`: a merge commit `git merge` made (no `post-commit` runs for
 * it) gets a record of the lines neither parent had (the conflict resolution).
 * A fast-forward, or a commit that already has a record, is left alone.
 */
export async function runPostMerge(repo: RepoPaths, squash: boolean, timeoutMs: number): Promise<boolean> {
  if (squash) return false;
  const info = await commitInfo(repo, 'HEAD', timeoutMs);
  if (info.parents.length < 2) return false;
  const subject = (await git(['reflog', '-1', '--format=%gs', 'HEAD', '--'], { cwd: repo.root, timeoutMs })).trim();
  if (!subject.startsWith('merge ') || subject.includes('Fast-forward')) return false;
  if ((await readRecords([info.sha], { cwd: repo.root, timeoutMs, gitAi: false })).has(info.sha)) return false;
  const built = await buildRecord(repo, { base: info.parents[0], target: info.sha, otherParent: info.parents[1] }, timeoutMs);
  await writeRecords(new Map([[info.sha, formatRecord(built.record)]]), { cwd: repo.root, timeoutMs, repo });
  return true;
}

/** The record of one commit, parsed; `undefined` when it has none. */
export async function readRecord(repo: RepoPaths, sha: string, timeoutMs: number): Promise<CommitRecord | undefined> {
  return (await readRecords([sha], { cwd: repo.root, timeoutMs })).get(sha)?.record;
}
