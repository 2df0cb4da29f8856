import { git, gitBuffer, GitError } from '../git/git';
import type { RepoPaths } from '../git/git';
import { blameLines } from '../git/blame';
import { attributeEntries, EMPTY_TREE, readStagedEntries } from '../commit/staged';
import type { FileAttribution } from '../commit/staged';
import { UsageError } from '../errors';
import { fileRecordOf, formatRecord, recordOf } from '../../core/record';
import type { CommitRecord, FileRecord, LineAttr, ParsedRecord } from '../../core/record';
import { carryFile, lineMap } from '../../core/recordCarry';
import type { AddedLine } from '../../core/trailer';
import { buildRecord, readTexts, revPath } from './build';
import type { GitOpts } from './build';
import { parentsOf } from './commitRecord';
import { readRecords, writeRecords } from './notes';

/**
 * `notes rebuild`: the record of a commit no hook saw being made, such as a
 * forge's squash merge or rebase merge, from the records of the pull
 * request's own commits. A new commit with the same patch as one of them
 * (`git patch-id --stable`: a rebase merge, or a one-commit squash) is carried
 * from it, as `post-rewrite` carries a rebase. Any other (a squash of several)
 * is traced line by line: each line it adds is found in the range's head, and
 * `git blame` there names the pull request's commit that wrote it; the line
 * is carried from that commit's record alone (see docs/notes.md).
 */
export interface RebuildOptions {
  /** Replace a record the commit already has. */
  readonly force?: boolean;
  /** Compute, write nothing. */
  readonly dryRun?: boolean;
  readonly timeoutMs?: number;
}

export interface RebuiltCommit {
  readonly sha: string;
  /**
   * `kept`: it has a record and no `force`; `merge`: a merge commit, whose
   * pull request's commits keep their own records; `own`: one of the pull
   * request's commits (a merge commit's range holds them), never rebuilt
   * from itself.
   */
  readonly status: 'written' | 'dry-run' | 'kept' | 'merge' | 'own';
  /** How its lines were traced. */
  readonly method?: 'patch-id' | 'blame';
  /** With `patch-id`: the pull request's commit with the same patch. */
  readonly original?: string;
  readonly record?: CommitRecord;
}

/** The pull request's commits: oldest first, the head, and the `^base` revisions that bound them. */
interface SourceRange {
  readonly commits: readonly string[];
  readonly head: string;
  readonly bounds: readonly string[];
}

/** A revision or range as `git rev-parse` resolves it: positive and `^negative` SHAs. */
async function resolveRevs(arg: string, what: string, gitOpts: GitOpts): Promise<{ positives: string[]; negatives: string[] }> {
  if (arg.trim() === '' || arg.startsWith('-')) throw new UsageError(`${what}: not a revision or range: ${JSON.stringify(arg)}`);
  let out: string;
  try {
    out = await git(['rev-parse', '--revs-only', arg, '--'], gitOpts);
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`${what}: not a revision or range: ${arg}`);
    throw e;
  }
  const revs = out.split('\n').filter((l) => l !== '');
  if (revs.length === 0) throw new UsageError(`${what}: not a revision or range: ${arg}`);
  return { positives: revs.filter((r) => !r.startsWith('^')), negatives: revs.filter((r) => r.startsWith('^')) };
}

/** The commits of a range, oldest first; a bad range is a usage error. */
async function listCommits(revs: readonly string[], what: string, gitOpts: GitOpts): Promise<string[]> {
  try {
    return (await git(['rev-list', '--reverse', '--topo-order', ...revs, '--'], gitOpts)).split('\n').filter((l) => l !== '');
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`${what}: not a range of commits: ${revs.join(' ')}`);
    throw e;
  }
}

/** The commits to rebuild: one commit, or every commit of a range (a rebase merge), oldest first. */
async function targetCommits(arg: string, gitOpts: GitOpts): Promise<string[]> {
  const { positives, negatives } = await resolveRevs(arg, '<commit>', gitOpts);
  if (negatives.length === 0 && positives.length === 1) return listCommits([positives[0], '-1'], '<commit>', gitOpts);
  const commits = await listCommits([...positives, ...negatives], '<commit>', gitOpts);
  if (commits.length === 0) throw new UsageError(`<commit>: the range ${arg} has no commits`);
  return commits;
}

async function sourceRange(arg: string, gitOpts: GitOpts): Promise<SourceRange> {
  const { positives, negatives } = await resolveRevs(arg, '--from', gitOpts);
  if (positives.length !== 1 || negatives.length === 0) throw new UsageError(`--from needs the pull request's range, <base>..<head>, not ${JSON.stringify(arg)}`);
  const commits = await listCommits([...positives, ...negatives], '--from', gitOpts);
  if (commits.length === 0) throw new UsageError(`--from: the range ${arg} has no commits`);
  return { commits, head: positives[0], bounds: negatives };
}

/** Each commit's stable patch id: one `git log -p` for all of them, one `git patch-id`. Merges and empty commits have none. */
async function patchIds(shas: readonly string[], gitOpts: GitOpts): Promise<Map<string, string>> {
  const args = ['log', '-p', '--no-walk=unsorted', '--no-merges', '--no-color', '--no-ext-diff', '--format=commit %H', '--stdin'];
  const patches = await gitBuffer(args, { ...gitOpts, input: `${shas.join('\n')}\n` });
  const out = new Map<string, string>();
  for (const line of (await git(['patch-id', '--stable'], { ...gitOpts, input: patches })).split('\n')) {
    const [id, commit] = line.split(' ');
    if (id && commit) out.set(commit, id);
  }
  return out;
}

/** New commit → the pull request's commit with the same patch; equal patches are paired in order. */
function pairByPatchId(targets: readonly string[], sources: readonly string[], ids: ReadonlyMap<string, string>): Map<string, string> {
  const byId = new Map<string, string[]>();
  for (const s of sources) {
    const id = ids.get(s);
    if (id) byId.set(id, [...(byId.get(id) ?? []), s]);
  }
  const out = new Map<string, string>();
  for (const t of targets) {
    const id = ids.get(t);
    const original = id ? byId.get(id)?.shift() : undefined;
    if (original) out.set(t, original);
  }
  return out;
}

/** A file's added lines grouped by `<commit>:<path>` of the pull request's commit that blame names; other lines are left out. */
async function blameGroups(f: FileAttribution, headText: string | undefined, range: SourceRange, gitOpts: GitOpts): Promise<Map<string, AddedLine[]>> {
  const groups = new Map<string, AddedLine[]>();
  if (headText === undefined) return groups;
  const toHead = lineMap(headText, f.text);
  const byHeadLine = new Map<number, AddedLine>();
  for (const l of f.added) {
    const h = toHead.get(l.line + 1);
    if (h !== undefined) byHeadLine.set(h, l);
  }
  const inRange = new Set(range.commits);
  const blamed = await blameLines(f.path, [...byHeadLine.keys()].sort((a, b) => a - b), [range.head, ...range.bounds], gitOpts);
  for (const [h, b] of blamed) {
    const name = revPath(b.commit, b.path);
    if (b.boundary || !inRange.has(b.commit) || name === undefined) continue;
    groups.set(name, [...(groups.get(name) ?? []), byHeadLine.get(h) as AddedLine]);
  }
  return groups;
}

/** The commit and the path of a `<commit>:<path>` name. */
function splitName(name: string): [string, string] {
  const colon = name.indexOf(':');
  return [name.slice(0, colon), name.slice(colon + 1)];
}

/** Whether a commit's record describes a path. */
function recordFile(records: ReadonlyMap<string, ParsedRecord>, name: string): FileRecord | undefined {
  const [commit, path] = splitName(name);
  return records.get(commit)?.record.files.find((r) => r.path === path);
}

/** A file's record: each blamed line carried from its own commit's record, every other line unknown. */
function carryGroups(f: FileAttribution, groups: ReadonlyMap<string, AddedLine[]>, records: ReadonlyMap<string, ParsedRecord>, texts: ReadonlyMap<string, string>): FileRecord {
  const lines = new Map<number, LineAttr>(fileRecordOf(f.path, f.added).lines);
  for (const [name, added] of groups) {
    const file = recordFile(records, name);
    const text = texts.get(name);
    if (!file || text === undefined) continue;
    for (const [n, a] of carryFile(f.path, f.text, added, [{ text, file }]).lines) lines.set(n, a);
  }
  return { path: f.path, lines };
}

const FILES_AT_ONCE = 4;

/** The record of a squash commit traced by blame at the range's head: a fixed number of git processes, plus one `git blame` per file. */
async function blameRecord(repo: RepoPaths, base: string, target: string, range: SourceRange, records: ReadonlyMap<string, ParsedRecord>, gitOpts: GitOpts): Promise<CommitRecord> {
  const entries = await readStagedEntries(repo.root, { base, target, timeoutMs: gitOpts.timeoutMs });
  const { files } = await attributeEntries(repo, entries, { timeoutMs: gitOpts.timeoutMs, ledgers: false });
  const headNames = files.map((f) => revPath(range.head, f.path));
  const heads = await readTexts(
    headNames.filter((n): n is string => n !== undefined),
    gitOpts,
  );
  const groups: Array<Map<string, AddedLine[]>> = [];
  for (let i = 0; i < files.length; i += FILES_AT_ONCE) {
    const chunk = files.slice(i, i + FILES_AT_ONCE);
    groups.push(...(await Promise.all(chunk.map((f, k) => blameGroups(f, heads.get(headNames[i + k] ?? ''), range, gitOpts)))));
  }
  const wanted = [...new Set(groups.flatMap((g) => [...g.keys()]))].filter((name) => recordFile(records, name) !== undefined);
  const texts = await readTexts(wanted, gitOpts);
  return recordOf(files.map((f, i) => carryGroups(f, groups[i], records, texts)));
}

/**
 * Rebuilds the records of `target` (a commit, or a range of new commits)
 * from the pull request's commits `from` (`<base>..<head>`). Never replaces
 * a record without `force`; writes all records at once through the
 * serialized notes writer, or nothing with `dryRun`.
 */
export async function rebuildRecords(repo: RepoPaths, target: string, from: string, opts: RebuildOptions = {}): Promise<RebuiltCommit[]> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const gitOpts = { cwd: repo.root, timeoutMs };
  const [targets, range] = await Promise.all([targetCommits(target, gitOpts), sourceRange(from, gitOpts)]);
  const notesOpts = { cwd: repo.root, timeoutMs, gitAi: false };
  const [parents, existing, records, ids] = await Promise.all([
    parentsOf(repo, targets, timeoutMs),
    readRecords(targets, notesOpts),
    readRecords(range.commits, notesOpts),
    patchIds([...targets, ...range.commits], gitOpts),
  ]);
  const originals = pairByPatchId(targets, range.commits, ids);
  const out: RebuiltCommit[] = [];
  const notes = new Map<string, string>();
  const own = new Set(range.commits);
  for (const sha of targets) {
    const ps = parents.get(sha) ?? [];
    if (own.has(sha)) out.push({ sha, status: 'own' });
    else if (existing.has(sha) && !opts.force) out.push({ sha, status: 'kept' });
    else if (ps.length > 1) out.push({ sha, status: 'merge' });
    else {
      const original = originals.get(sha);
      const base = ps[0] ?? EMPTY_TREE;
      const record = original
        ? (await buildRecord(repo, { base, target: sha, sources: [original], records, ledgers: false }, timeoutMs)).record
        : await blameRecord(repo, base, sha, range, records, gitOpts);
      notes.set(sha, formatRecord(record));
      out.push({ sha, status: opts.dryRun ? 'dry-run' : 'written', method: original ? 'patch-id' : 'blame', ...(original ? { original } : {}), record });
    }
  }
  if (!opts.dryRun) await writeRecords(notes, { cwd: repo.root, timeoutMs });
  return out;
}
