import { gitBuffer } from '../git/git';
import type { RepoPaths } from '../git/git';
import { attributeEntries, decodeText, isBinary, MAX_BLOB_BYTES, parseCatFileBatch, readStagedEntries } from '../commit/staged';
import type { FileAttribution, RawEntry } from '../commit/staged';
import { fileRecordOf, recordOf } from '../../core/record';
import type { CommitRecord, FileRecord, ParsedRecord } from '../../core/record';
import { carryFile, onlyNew } from '../../core/recordCarry';
import type { CarrySource } from '../../core/recordCarry';
import { addedLines } from '../../core/trailer';
import { readRecords } from './notes';

/** What a record is computed for. */
export interface RecordJob {
  /** What the commit's lines are compared with: its first parent, or the empty tree for a root commit. */
  readonly base: string;
  /** The commit; absent: the index, for a commit being made. */
  readonly target?: string;
  /** Commits (full SHAs) whose records the lines may be carried from, first wins. */
  readonly sources?: readonly string[];
  /** A merge's other parent: only lines it did not have either count (the conflict resolution). */
  readonly otherParent?: string;
  /** Entries already read (the hook starts the diff early); read from `base`/`target` otherwise. */
  readonly entries?: readonly RawEntry[];
  /** The sources' records, when the caller read them for many jobs at once; read here otherwise. */
  readonly records?: ReadonlyMap<string, ParsedRecord>;
  /** The commit hook's deadline (epoch ms): past it the line mapping stops (see attributeEntries). */
  readonly deadline?: number;
  /** `false`: no editor ledger is read (a commit made elsewhere, such as a forge's merge). */
  readonly ledgers?: boolean;
}

export interface BuiltRecord {
  readonly record: CommitRecord;
}

export interface GitOpts {
  readonly cwd: string;
  readonly timeoutMs: number;
}

/** Reads `<rev>:<path>` texts in one `cat-file --batch`; missing, binary or huge ones are left out. */
export async function readTexts(names: readonly string[], gitOpts: GitOpts): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  const objs = parseCatFileBatch(await gitBuffer(['cat-file', '--batch'], { ...gitOpts, input: names.map((n) => `${n}\n`).join('') }));
  objs.forEach((o, i) => {
    if (o.type === 'blob' && o.content && o.content.length <= MAX_BLOB_BYTES && !isBinary(o.content)) out.set(names[i], decodeText(o.content));
  });
  return out;
}

/** `<rev>:<path>` as cat-file reads it (a path with a newline cannot be named that way: skipped). */
export function revPath(rev: string, p: string): string | undefined {
  return p.includes('\n') ? undefined : `${rev}:${p}`;
}

/** The source versions of each file that the sources' records describe. */
async function carrySources(files: readonly FileAttribution[], job: RecordJob, repo: RepoPaths, gitOpts: GitOpts): Promise<Map<string, CarrySource[]>> {
  const out = new Map<string, CarrySource[]>();
  const sources = job.sources ?? [];
  if (sources.length === 0 || files.length === 0) return out;
  const records = job.records ?? (await readRecords(sources, { cwd: repo.root, timeoutMs: gitOpts.timeoutMs, gitAi: false }));
  const wanted: Array<{ file: string; name: string; rec: FileRecord }> = [];
  for (const f of files) {
    for (const sha of sources) {
      const rec = records.get(sha)?.record.files.find((r) => r.path === f.path || r.path === f.oldPath);
      const name = rec && revPath(sha, rec.path);
      if (rec && name) wanted.push({ file: f.path, name, rec });
    }
  }
  const texts = await readTexts(
    wanted.map((w) => w.name),
    gitOpts,
  );
  for (const w of wanted) {
    const text = texts.get(w.name);
    if (text === undefined) continue;
    const list = out.get(w.file) ?? [];
    list.push({ text, file: w.rec });
    out.set(w.file, list);
  }
  return out;
}

/** For a merge: per file, the lines (zero-based) that are added against the other parent too. */
async function addedAgainst(files: readonly FileAttribution[], otherParent: string, gitOpts: GitOpts): Promise<Map<string, Set<number>>> {
  const names = files.map((f) => revPath(otherParent, f.path)).filter((n): n is string => n !== undefined);
  const texts = await readTexts(names, gitOpts);
  const out = new Map<string, Set<number>>();
  for (const f of files) {
    const name = revPath(otherParent, f.path);
    out.set(f.path, new Set(addedLines(name === undefined ? null : (texts.get(name) ?? null), f.text)));
  }
  return out;
}

/**
 * The record of a commit (or of the index, for a commit being made): each
 * added line from the editor's ledger, else carried from the sources'
 * records, else `unknown`. A fixed number of git processes: one diff, one
 * `cat-file` for the texts, and with sources `notes list` and one more
 * `cat-file`.
 */
export async function buildRecord(repo: RepoPaths, job: RecordJob, timeoutMs = 30_000): Promise<BuiltRecord> {
  const gitOpts = { cwd: repo.root, timeoutMs };
  const entries = job.entries ?? (await readStagedEntries(repo.root, { base: job.base, target: job.target, timeoutMs }));
  const { files } = await attributeEntries(repo, entries, { timeoutMs, syncLedgerReads: true, deadline: job.deadline, ledgers: job.ledgers });
  const [sources, merged] = await Promise.all([
    carrySources(files, job, repo, gitOpts),
    job.otherParent ? addedAgainst(files, job.otherParent, gitOpts) : undefined,
  ]);
  const out: FileRecord[] = files.map((f) => {
    const added = merged ? onlyNew(f.added, merged.get(f.path) ?? new Set()) : f.added;
    const src = sources.get(f.path);
    return src ? carryFile(f.path, f.text, added, src) : fileRecordOf(f.path, added);
  });
  return { record: recordOf(out) };
}
