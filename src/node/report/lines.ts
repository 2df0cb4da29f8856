import { gitBuffer, GitError } from '../git/git';
import { readRecords } from '../record/notes';
import type { RecordReader } from '../record/notes';
import { UsageError } from '../errors';
import { parseBlameDates, parseBlamePorcelain, provenanceOf } from '../../core/blame';
import type { BlameLine, LineProvenance } from '../../core/blame';
import { aiRanges, countLines } from '../../core/lineRanges';
import type { AiRange } from '../../core/lineRanges';
import type { CommitRecord } from '../../core/record';
import type { Counts } from '../../core/trailer';

/**
 * Line-level provenance from git: `blameFile` (each line of a file and what
 * the record of the commit that introduced it says) and `rangeLines` (the AI
 * lines a range of commits adds that are still there at its tip). Records are
 * read only through `readRecords`, once per call, whatever the number of
 * commits. Used by the `blame` and `report --lines` commands and the editor.
 */

export type { LineProvenance, LineReview } from '../../core/blame';
export type { AiRange } from '../../core/lineRanges';

export interface LinesOptions {
  readonly timeoutMs?: number;
  /** Where the records come from (default: read here); a report passes the one it reads its reviews with. */
  readonly records?: RecordReader;
}

/** A file, blamed. */
export interface FileBlame {
  /** Repository-relative, `/` separators. */
  readonly path: string;
  /** The commit blamed (full SHA); undefined when `contents` were blamed on top of HEAD's history. */
  readonly rev?: string;
  /** One per line, in order. */
  readonly lines: LineProvenance[];
  /** The lines' text, as blamed (for a terminal; never written to a message or note). */
  readonly text: string[];
}

/** The first line of git's complaint, without its `fatal: `. */
function gitComplaint(e: GitError): string {
  return (e.stderr.split('\n').find((l) => l.trim() !== '') ?? e.message).replace(/^(fatal|error): /, '');
}

/** Runs git; a complaint about the input (bad rev, no such path) becomes a {@link UsageError}. */
async function gitInput(args: readonly string[], cwd: string, opts: LinesOptions & { input?: string } = {}): Promise<Buffer> {
  try {
    return await gitBuffer(args, { cwd, timeoutMs: opts.timeoutMs ?? 120_000, input: opts.input });
  } catch (e) {
    if (e instanceof GitError && e.exitCode !== null) throw new UsageError(gitComplaint(e));
    throw e;
  }
}

/** The records of these commits that have one (one batched read). */
export async function commitRecords(cwd: string, shas: readonly string[], opts: LinesOptions): Promise<Map<string, CommitRecord>> {
  const parsed = await (opts.records ? opts.records(shas) : readRecords(shas, { cwd, timeoutMs: opts.timeoutMs }));
  const records = new Map<string, CommitRecord>();
  for (const [sha, p] of parsed) records.set(sha, p.record);
  return records;
}

/** Every commit the lines name, joined with its record (one batched read). */
async function withRecords(cwd: string, blame: readonly BlameLine[], opts: LinesOptions): Promise<LineProvenance[]> {
  return provenanceOf(blame, await commitRecords(cwd, [...new Set(blame.map((b) => b.commit))], opts));
}

/** `git blame --porcelain --root <revArgs> -- path` in `root`, parsed; a complaint about the input is a {@link UsageError}. */
export async function blameLines(root: string, path: string, revArgs: readonly string[], opts: LinesOptions & { input?: string; dates?: Map<string, number> }): Promise<BlameLine[]> {
  const out = (await gitInput(['-c', 'core.quotePath=true', 'blame', '--porcelain', '--root', ...revArgs, '--', path], root, opts)).toString('utf8');
  // The commits' author dates come with the blame: whoever wants them (the hover) needs no other process.
  if (opts.dates) for (const [c, at] of parseBlameDates(out)) opts.dates.set(c, at);
  return parseBlamePorcelain(out);
}

/** The work tree's root: blame runs there, on a repository-relative path. */
async function repoRoot(cwd: string, opts: LinesOptions): Promise<string> {
  return (await gitInput(['rev-parse', '--show-toplevel'], cwd, opts)).toString('utf8').replace(/\n$/, '');
}

/** A revision's commit SHA; a bad one is a {@link UsageError}. */
async function commitOf(root: string, rev: string, opts: LinesOptions): Promise<string> {
  if (rev.startsWith('-')) throw new UsageError(`not a revision: ${rev}`);
  return (await gitInput(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], root, opts).catch(() => {
    throw new UsageError(`not a commit: ${rev}`);
  })).toString('utf8').trim();
}

/**
 * Blames `path` (repository-relative, `/` separators) at `rev` (default
 * HEAD), or `contents` (a buffer's text) over HEAD's history as
 * `git blame --contents` does. Processes: rev-parse ×2, blame, then the
 * records (notes list, cat-file).
 */
export async function blameFile(cwd: string, path: string, opts: LinesOptions & { rev?: string; contents?: string } = {}): Promise<FileBlame> {
  const root = await repoRoot(cwd, opts);
  const rev = opts.contents === undefined ? await commitOf(root, opts.rev ?? 'HEAD', opts) : undefined;
  const args = opts.contents === undefined ? [rev as string] : ['--contents', '-', ...(opts.rev ? [await commitOf(root, opts.rev, opts)] : [])];
  const blame = await blameLines(root, path, args, { ...opts, input: opts.contents });
  const lines = await withRecords(root, blame, opts);
  return { path, ...(rev ? { rev } : {}), lines, text: blame.map((b) => b.text) };
}

/** One file's AI lines, as a range of commits left them at its tip. */
export interface FileLines {
  readonly path: string;
  /** AI and mixed ranges, ascending. */
  readonly ranges: AiRange[];
  /** Over the non-blank lines the range added that are still there. */
  readonly counts: Counts;
}

export interface RangeLines {
  /** The range's tip (full SHA). */
  readonly tip: string;
  /** Files with lines the range added still there, sorted by path. */
  readonly files: FileLines[];
}

/** The tip and the excluded commits of a range (`A..B`: B and ^A); a range with two tips cannot be blamed. */
async function rangeEnds(cwd: string, revs: readonly string[], opts: LinesOptions): Promise<{ tip: string; bottoms: string[] }> {
  for (const r of revs) if (r.startsWith('-')) throw new UsageError(`not a revision range: ${r}`);
  const out = (await gitInput(['rev-parse', ...revs, '--'], cwd, opts)).toString('utf8').split('\n').filter((l) => /^\^?[0-9a-f]{40,64}$/.test(l));
  const tips = out.filter((l) => !l.startsWith('^'));
  if (tips.length !== 1) throw new UsageError(`--lines needs a range with one tip (like main..HEAD), not ${revs.join(' ')}`);
  return { tip: tips[0], bottoms: out.filter((l) => l.startsWith('^')) };
}

/** Files some commit of the range touched (merges: where they differ from every parent) that exist at the tip. */
async function touchedFiles(root: string, revs: readonly string[], tip: string, opts: LinesOptions): Promise<string[]> {
  const [log, tree] = await Promise.all([
    gitInput(['log', '-z', '--format=', '--name-only', '--no-renames', '--cc', '--end-of-options', ...revs, '--'], root, opts),
    gitInput(['ls-tree', '-r', '-z', '--full-tree', tip], root, opts),
  ]);
  const blobs = new Set<string>();
  for (const entry of tree.toString('utf8').split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab > 0 && entry.split(' ')[1] === 'blob') blobs.add(entry.slice(tab + 1));
  }
  const touched = new Set(log.toString('utf8').split('\0').map((s) => s.replace(/^\n+/, '')).filter((s) => blobs.has(s)));
  return [...touched].sort();
}

/** Files blamed at once: each is one git process. */
const AT_ONCE = 4;

/** `f` over `items`, at most {@link AT_ONCE} at a time, the next started as soon as one ends; results in order. */
async function atOnce<T, R>(items: readonly T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await f(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, items.length) }, worker));
  return out;
}

/**
 * The lines a range of commits (`main..HEAD`; one tip) adds that are still
 * there at its tip, file by file, with the AI and mixed ones as ranges.
 * Processes: rev-parse, log, ls-tree, one blame per file the range touched,
 * then the records (notes list, cat-file): never one per commit.
 */
export async function rangeLines(cwd: string, revs: readonly string[], opts: LinesOptions = {}): Promise<RangeLines> {
  const rootRead = repoRoot(cwd, opts);
  // Read side by side; the root's complaint (not a repository) comes first.
  const endsRead = rangeEnds(cwd, revs, opts);
  endsRead.catch(() => undefined);
  const root = await rootRead;
  const { tip, bottoms } = await endsRead;
  const paths = await touchedFiles(root, revs, tip, opts);
  const outs = await atOnce(paths, (p) => blameLines(root, p, [...bottoms, tip], opts));
  const blamed = paths.map((path, k) => ({ path, added: outs[k].filter((b) => !b.boundary) }));
  const all = await withRecords(root, blamed.flatMap((f) => f.added), opts);
  const files: FileLines[] = [];
  let at = 0;
  for (const f of blamed) {
    const added = all.slice(at, (at += f.added.length));
    if (added.length > 0) files.push({ path: f.path, ranges: aiRanges(added), counts: countLines(added) });
  }
  return { tip, files };
}
