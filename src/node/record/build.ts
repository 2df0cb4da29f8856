import { gitBuffer } from '../git/git';
import type { RepoPaths } from '../git/git';
import { attributeEntryGroups, decodeText, EMPTY_TREE, isBinary, MAX_BLOB_BYTES, parseCatFileBatch, readCommitsEntries, readStagedEntries } from '../commit/staged';
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

/** A source version a file's record may be carried from: `<sha>:<path>` and the record describing it. */
interface Wanted {
  readonly file: string;
  readonly name: string;
  readonly rec: FileRecord;
}

/** The source versions of each file that the sources' records describe, by name (read them, then {@link carrySources}). */
function carryWanted(files: ReadonlyArray<Pick<FileAttribution, 'path' | 'oldPath'>>, sources: readonly string[], records: ReadonlyMap<string, ParsedRecord>): Wanted[] {
  const wanted: Wanted[] = [];
  for (const f of files) {
    for (const sha of sources) {
      const rec = records.get(sha)?.record.files.find((r) => r.path === f.path || r.path === f.oldPath);
      const name = rec && revPath(sha, rec.path);
      if (rec && name) wanted.push({ file: f.path, name, rec });
    }
  }
  return wanted;
}

/** Per file, the source versions found among the texts read. */
function carrySources(wanted: readonly Wanted[], texts: ReadonlyMap<string, string>): Map<string, CarrySource[]> {
  const out = new Map<string, CarrySource[]>();
  for (const w of wanted) {
    const text = texts.get(w.name);
    if (text === undefined) continue;
    const list = out.get(w.file) ?? [];
    list.push({ text, file: w.rec });
    out.set(w.file, list);
  }
  return out;
}

/** The `<otherParent>:<path>` names a merge's files are compared with. */
function otherNames(files: ReadonlyArray<Pick<FileAttribution, 'path'>>, otherParent: string | undefined): string[] {
  if (!otherParent) return [];
  return files.map((f) => revPath(otherParent, f.path)).filter((n): n is string => n !== undefined);
}

/** For a merge: the lines (zero-based) of a file that are added against the other parent too. */
function addedAgainst(f: FileAttribution, otherParent: string, texts: ReadonlyMap<string, string>): Set<number> {
  const name = revPath(otherParent, f.path);
  return new Set(addedLines(name === undefined ? null : (texts.get(name) ?? null), f.text));
}

/** One job's record from its attributed files, the sources it carries from and the texts read for it. */
function assemble(files: readonly FileAttribution[], job: RecordJob, wanted: readonly Wanted[], texts: ReadonlyMap<string, string>): BuiltRecord {
  const sources = carrySources(wanted, texts);
  const out: FileRecord[] = files.map((f) => {
    const added = job.otherParent ? onlyNew(f.added, addedAgainst(f, job.otherParent, texts)) : f.added;
    const src = sources.get(f.path);
    return src ? carryFile(f.path, f.text, added, src) : fileRecordOf(f.path, added);
  });
  return { record: recordOf(out) };
}

/** Each job's entries: given, or read; the commits' in one `git diff-tree --stdin`. */
async function jobEntries(repo: RepoPaths, jobs: readonly RecordJob[], timeoutMs: number): Promise<Array<readonly RawEntry[]>> {
  const commits = jobs.filter((j) => !j.entries && j.target !== undefined).map((j) => ({ sha: j.target as string, parent: j.base === EMPTY_TREE ? undefined : j.base }));
  const diffs = await readCommitsEntries(repo.root, commits, { timeoutMs });
  let next = 0;
  return Promise.all(jobs.map((j) => j.entries ?? (j.target !== undefined ? diffs[next++] : readStagedEntries(repo.root, { base: j.base, timeoutMs }))));
}

/** The records of the sources no job brought, read once for all jobs. */
async function jobRecords(repo: RepoPaths, jobs: readonly RecordJob[], timeoutMs: number): Promise<Array<ReadonlyMap<string, ParsedRecord>>> {
  const missing = [...new Set(jobs.filter((j) => !j.records).flatMap((j) => j.sources ?? []))];
  const read = missing.length > 0 ? await readRecords(missing, { cwd: repo.root, timeoutMs, gitAi: false, repo }) : new Map<string, ParsedRecord>();
  return jobs.map((j) => j.records ?? read);
}

/** What every job of one {@link buildRecords} shares. */
export interface BuildOptions {
  /** The commit hook's deadline (epoch ms): past it the line mapping stops (see attributeEntries). */
  readonly deadline?: number;
  /** `false`: no editor ledger is read (a commit made elsewhere, such as a forge's merge). */
  readonly ledgers?: boolean;
}

/**
 * The record of a commit (or of the index, for a commit being made): each
 * added line from the editor's ledger, else carried from the sources'
 * records, else `unknown`. See {@link buildRecords}.
 */
export async function buildRecord(repo: RepoPaths, job: RecordJob & BuildOptions, timeoutMs = 30_000): Promise<BuiltRecord> {
  return (await buildRecords(repo, [job], timeoutMs, { deadline: job.deadline, ledgers: job.ledgers }))[0];
}

/**
 * The records of many commits, in a fixed number of git processes whatever
 * their number: one diff for the commits (`diff-tree --stdin`; one
 * `diff --cached` per index job), one `cat-file` for all their blobs, with
 * sources `notes list` and one `cat-file` for their records, and one more
 * `cat-file` for the texts the lines are carried from (or a merge is
 * compared with), read while the lines are attributed.
 */
export async function buildRecords(repo: RepoPaths, jobs: readonly RecordJob[], timeoutMs = 30_000, opts: BuildOptions = {}): Promise<BuiltRecord[]> {
  const recordsRead = jobRecords(repo, jobs, timeoutMs);
  // Awaited below; until then a failure must not count as an unhandled rejection.
  recordsRead.catch(() => undefined);
  const entries = await jobEntries(repo, jobs, timeoutMs);
  const attributed = attributeEntryGroups(repo, entries, { timeoutMs, syncLedgerReads: true, ...opts });
  attributed.catch(() => undefined);
  const records = await recordsRead;
  // The entries name the files (a binary one is dropped later): what they may be carried from is known already.
  const names = jobs.flatMap((job, i) => [...carryWanted(entries[i], job.sources ?? [], records[i]).map((w) => w.name), ...otherNames(entries[i], job.otherParent)]);
  const texts = await readTexts([...new Set(names)], { cwd: repo.root, timeoutMs });
  const files = (await attributed).map((a) => a.files);
  return jobs.map((job, i) => assemble(files[i], job, carryWanted(files[i], job.sources ?? [], records[i]), texts));
}
