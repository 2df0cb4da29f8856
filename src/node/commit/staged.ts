import { gitBuffer } from '../git/git';
import type { RepoPaths } from '../git/git';
import { readFileLedger, readFileLedgerSync } from '../git/ledgerStore';
import { addCounts, allLines, attributeLines, diffAdded, emptyCounts, tallyAdded } from '../../core/trailer';
import { splitLines } from '../../core/lines';
import type { AddedLine, Counts } from '../../core/trailer';
import { DIFF_TIMEOUT_MS } from '../../core/ledger';
import type { FileLedger } from '../../core/ledger';

/** The tree of an empty repository: what the first commit is compared with. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

const ZERO_SHA = /^0+$/;
/** Git's own heuristic (`buffer_is_binary`): a NUL byte in the first 8000 bytes. */
const BINARY_PROBE = 8000;
/**
 * Blobs larger than this are not attributed (their lines count as `unknown`):
 * they are generated or vendored far more often than written. Their added
 * lines come from git's own diff, not from a line diff in process.
 */
export const MAX_BLOB_BYTES = 8 * 1024 * 1024;

/** One record of `git diff --raw -z`. */
export interface RawEntry {
  readonly oldMode: string;
  readonly newMode: string;
  readonly oldSha: string;
  readonly newSha: string;
  /** `A`, `M`, `D`, `R`, `C`, `T`, `U`, `X` (the score of `R086` is dropped). */
  readonly status: string;
  /** The path before (differs from `path` only for renames and copies). */
  readonly oldPath: string;
  readonly path: string;
  /** The comparison the entry came from (`--cached HEAD`, `<base> <target>`): git's own diff of it decides what jsdiff cannot. */
  readonly spec?: readonly string[];
}

/**
 * Parses `git diff --raw -z` output. With `-z` git neither quotes nor escapes
 * paths, so every byte up to the NUL is the name; names are decoded as UTF-8
 * (invalid bytes become U+FFFD, which simply finds no ledger).
 * Throws on output that does not follow the format.
 */
export function parseRawDiff(out: Buffer): RawEntry[] {
  return parseRawRecords(out, (header) => {
    throw new Error(`unexpected raw diff record: ${JSON.stringify(header.slice(0, 80))}`);
  });
}

/**
 * Parses `git diff-tree --stdin -z --raw` output: each commit's id (a field
 * of its own, not starting with `:`), then its records. A commit with no
 * change has no header at all, so it is simply absent from the map.
 */
export function parseRawDiffByCommit(out: Buffer): Map<string, RawEntry[]> {
  const byCommit = new Map<string, RawEntry[]>();
  let current: RawEntry[] | undefined;
  parseRawRecords(out, (header) => {
    if (!/^[0-9a-f]{40,64}$/.test(header)) throw new Error(`unexpected raw diff record: ${JSON.stringify(header.slice(0, 80))}`);
    byCommit.set(header, (current = []));
  }, (e) => {
    if (!current) throw new Error('raw diff record before any commit');
    current.push(e);
  });
  return byCommit;
}

function parseRawRecords(out: Buffer, onOther: (field: string) => void, onEntry?: (e: RawEntry) => void): RawEntry[] {
  const fields: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 0) {
      fields.push(out.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < out.length) fields.push(out.subarray(start));
  const entries: RawEntry[] = [];
  let k = 0;
  while (k < fields.length) {
    const head = fields[k++].toString('latin1');
    // `:<old mode> <new mode> <old sha> <new sha> <status>[score]`
    const m = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(head);
    if (!m) {
      onOther(head);
      continue;
    }
    const status = m[5];
    const twoPaths = status === 'R' || status === 'C';
    const need = twoPaths ? 2 : 1;
    if (k + need > fields.length) throw new Error('truncated raw diff record');
    const oldPath = fields[k].toString('utf8');
    const path = twoPaths ? fields[k + 1].toString('utf8') : oldPath;
    k += need;
    const e = { oldMode: m[1], newMode: m[2], oldSha: m[3], newSha: m[4], status, oldPath, path };
    entries.push(e);
    onEntry?.(e);
  }
  return entries;
}

/** One answer of `git cat-file --batch`: the content, or `undefined` when git said `missing`. */
export interface BatchObject {
  readonly sha: string;
  readonly type: string;
  readonly content: Buffer | undefined;
}

/**
 * Parses `git cat-file --batch` output: `<sha> <type> <size>\n<content>\n`
 * per object, or `<name> missing\n` (also `ambiguous`). Contents are cut by
 * their byte count, never by searching for newlines, so any bytes are safe.
 * Throws on output that does not follow the framing.
 */
export function parseCatFileBatch(out: Buffer): BatchObject[] {
  const objs: BatchObject[] = [];
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(10, pos);
    if (nl < 0) throw new Error('truncated cat-file header');
    const header = out.subarray(pos, nl).toString('latin1');
    pos = nl + 1;
    const parts = header.split(' ');
    // `<name> missing`: the name is what was asked for, and may hold spaces (`HEAD:notes/design doc.md`).
    const last = parts[parts.length - 1];
    if (parts.length >= 2 && (last === 'missing' || last === 'ambiguous') && !/^[0-9a-f]+ \S+ \d+$/.test(header)) {
      objs.push({ sha: parts.slice(0, -1).join(' '), type: last, content: undefined });
      continue;
    }
    if (parts.length !== 3 || !/^\d+$/.test(parts[2])) throw new Error(`unexpected cat-file header: ${JSON.stringify(header.slice(0, 80))}`);
    const size = Number(parts[2]);
    if (pos + size + 1 > out.length || out[pos + size] !== 10) throw new Error('truncated cat-file content');
    objs.push({ sha: parts[0], type: parts[1], content: out.subarray(pos, pos + size) });
    pos += size + 1;
  }
  return objs;
}

/** True when git would call the blob binary. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_PROBE).indexOf(0) >= 0;
}

function isRegularFile(mode: string): boolean {
  return mode === '100644' || mode === '100755';
}

/** Decodes as VS Code does: UTF-8, a leading byte order mark dropped. */
export function decodeText(content: Buffer): string {
  return new TextDecoder('utf-8').decode(content);
}

export interface FileAttribution {
  readonly path: string;
  /** The path before, for a rename or copy. */
  readonly oldPath: string;
  readonly counts: Counts;
  /** The non-blank added lines, one by one (what the record is made of). */
  readonly added: AddedLine[];
  /** The file's new text. */
  readonly text: string;
}

export interface StagedAttribution {
  readonly total: Counts;
  readonly files: FileAttribution[];
}

export interface StagedOptions {
  /**
   * What the staged tree is compared with. Default: `HEAD` (the empty tree
   * when there is no commit yet). An amend passes the amended commit's parent.
   */
  readonly base?: string;
  /** Compare `base` with this commit instead of the index (a commit that is already made). */
  readonly target?: string;
  /** Kill each git process after this long. */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Read the ledgers synchronously while `cat-file` runs: faster in a short-lived hook process, never in the extension host. */
  readonly syncLedgerReads?: boolean;
  /**
   * When the counting must be done (`Date.now()` time): each line diff gets
   * no more than what is left, and past it {@link BudgetExceeded} is thrown,
   * so a huge diff cannot outlast the hook's budget.
   */
  readonly deadline?: number;
  /** `false`: read no ledger, so every line counts as unknown (what `report` needs: only `lines`). */
  readonly ledgers?: boolean;
}

/**
 * Counts the non-blank lines the staged changes add, by origin, using each
 * file's ledger. Runs a fixed number of git processes whatever the number of
 * files: one diff and one `cat-file --batch`.
 */
export async function stagedAttribution(repo: RepoPaths, opts: StagedOptions = {}): Promise<StagedAttribution> {
  return attributeEntries(repo, await readStagedEntries(repo.root, opts), opts);
}

/**
 * The staged files whose text can be attributed (added, modified, renamed,
 * copied or type-changed into regular files), as one `git diff --raw`. Paths
 * are relative to the work tree root whatever `cwd` is inside it, so the hook
 * can run this before it knows the root.
 */
export async function readStagedEntries(cwd: string, opts: StagedOptions = {}): Promise<RawEntry[]> {
  // Without a commit argument `diff --cached` compares with HEAD, or shows
  // everything staged when HEAD is unborn: the empty-tree case of a first commit.
  // With a target, the diff is between two commits (base..target), not the index.
  const base = opts.base ? [opts.base] : [];
  return readDiffEntries(cwd, opts.target ? [...base, opts.target] : ['--cached', ...base], opts);
}

/**
 * What a commit added, found as the hook found it when the commit was made:
 * the commit against its first parent (the empty tree for a root commit).
 */
export async function readCommitEntries(cwd: string, sha: string, parent: string | undefined, opts: StagedOptions = {}): Promise<RawEntry[]> {
  return readDiffEntries(cwd, [parent ?? EMPTY_TREE, sha], opts);
}

/**
 * {@link readCommitEntries} for many commits (none of them a merge) in one
 * `git diff-tree --stdin`, each commit against the parent given: the
 * entries of each, in the order of `commits`.
 */
export async function readCommitsEntries(cwd: string, commits: ReadonlyArray<{ readonly sha: string; readonly parent?: string }>, opts: StagedOptions = {}): Promise<RawEntry[][]> {
  if (commits.length === 0) return [];
  const gitOpts = { cwd, timeoutMs: opts.timeoutMs ?? 30_000, env: opts.env };
  // `<commit> <parent>` compares the commit with that parent; a lone root commit with the empty tree (--root).
  const input = commits.map((c) => (c.parent ? `${c.sha} ${c.parent}\n` : `${c.sha}\n`)).join('');
  const args = ['diff-tree', '--stdin', '--root', '-r', ...RAW_DIFF_FLAGS];
  const byCommit = parseRawDiffByCommit(await gitBuffer(args, { ...gitOpts, input }));
  return commits.map((c) => attributable(byCommit.get(c.sha) ?? [], [c.parent ?? EMPTY_TREE, c.sha]));
}

const RAW_DIFF_FLAGS = ['--raw', '-z', '-M', '--no-abbrev', '--no-ext-diff', '--no-textconv', '--no-relative', '--ignore-submodules=all'];

async function readDiffEntries(cwd: string, what: readonly string[], opts: StagedOptions): Promise<RawEntry[]> {
  const gitOpts = { cwd, timeoutMs: opts.timeoutMs ?? 30_000, env: opts.env };
  return attributable(parseRawDiff(await gitBuffer(['diff', ...what, ...RAW_DIFF_FLAGS, '--'], gitOpts)), what);
}

/** The entries whose text can be attributed, with the comparison they came from. */
function attributable(entries: readonly RawEntry[], what: readonly string[]): RawEntry[] {
  return entries
    .filter((e) => (e.status === 'A' || e.status === 'M' || e.status === 'R' || e.status === 'C' || e.status === 'T') && isRegularFile(e.newMode))
    .map((e) => ({ ...e, spec: what }));
}

/** Attributes the entries {@link readStagedEntries} found: one `cat-file --batch` for the texts, the ledgers read meanwhile. */
export async function attributeEntries(repo: RepoPaths, entries: readonly RawEntry[], opts: StagedOptions = {}): Promise<StagedAttribution> {
  return (await attributeEntryGroups(repo, [entries], opts))[0];
}

/**
 * {@link attributeEntries} for several groups (the commits of a range) at
 * once: still one `cat-file --batch` for all their texts, and one
 * attribution per group, in order.
 */
export async function attributeEntryGroups(repo: RepoPaths, groups: ReadonlyArray<readonly RawEntry[]>, opts: StagedOptions = {}): Promise<StagedAttribution[]> {
  const gitOpts = { cwd: repo.root, timeoutMs: opts.timeoutMs ?? 30_000, env: opts.env };
  const wanted = new Set<string>();
  for (const e of groups.flat()) {
    wanted.add(e.newSha);
    if (hasOldText(e)) wanted.add(e.oldSha);
  }
  // The blobs and the ledgers are independent: read them at the same time.
  const blobsRead = readBlobs([...wanted], gitOpts);
  // Awaited below; until then a failure must not count as an unhandled rejection.
  blobsRead.catch(() => undefined);
  const ledgers = await Promise.all(groups.map((g) => groupLedgers(repo, g, opts)));
  const blobs = await blobsRead;

  const found = groups.map((g, k) => g.map((e, i) => attributeEntry(e, blobs, ledgers[k][i], opts)));
  const viaGit = await addedByGit(
    found.flat().filter((f): f is Pending => f !== undefined && 'pending' in f).map((f) => f.pending),
    { ...gitOpts, timeoutMs: diffTime(opts.deadline, gitOpts.timeoutMs) },
    opts.deadline,
  );
  const out = found.map((f) => collect(f, viaGit));
  // A line mapping or a git diff cut short by the deadline: the counts are not to be trusted.
  diffTime(opts.deadline);
  return out;
}

async function groupLedgers(repo: RepoPaths, entries: readonly RawEntry[], opts: StagedOptions): Promise<Array<FileLedger | undefined>> {
  const paths = entries.map((e) => e.path);
  return opts.ledgers === false ? [] : opts.syncLedgerReads ? readLedgersSync(repo.ledgerDir, paths) : readLedgers(repo.ledgerDir, paths);
}

function collect(found: ReadonlyArray<FileAttribution | Pending | undefined>, viaGit: ReadonlyMap<string, number[] | undefined>): StagedAttribution {
  const files: FileAttribution[] = [];
  for (const f of found) {
    if (f === undefined) continue;
    if (!('pending' in f)) files.push(f);
    else {
      const added = viaGit.get(pairKey(f.pending));
      if (added) files.push(f.done(added));
    }
  }
  const total = emptyCounts();
  for (const f of files) addCounts(total, f.counts);
  return { total, files };
}

/** A file whose added lines git's own diff has to say; `done` attributes them. */
interface Pending {
  readonly pending: RawEntry;
  readonly done: (added: readonly number[]) => FileAttribution;
}

/**
 * One file: its added lines by jsdiff in process, or, for a file over
 * {@link MAX_BLOB_BYTES} or a diff with more edits than jsdiff is given,
 * {@link Pending} on git's own diff. The lines of a huge file are not mapped
 * to a ledger: they count as `unknown`. `undefined` for a binary file.
 */
function attributeEntry(e: RawEntry, blobs: ReadonlyMap<string, Buffer | undefined>, ledger: FileLedger | undefined, opts: StagedOptions): FileAttribution | Pending | undefined {
  const timeoutMs = diffTime(opts.deadline);
  const after = blobs.get(e.newSha);
  if (!after || isBinary(after)) return undefined;
  const before = hasOldText(e) ? blobs.get(e.oldSha) : undefined;
  // An old side we cannot read as text: count the file as new.
  const oldText = before && !isBinary(before) ? before : undefined;
  const huge = after.length > MAX_BLOB_BYTES || (oldText !== undefined && oldText.length > MAX_BLOB_BYTES);
  const text = decodeText(after);
  const lines = splitLines(text);
  const done = (added: readonly number[]): FileAttribution => {
    const attributed = attributeLines(lines, added, huge ? undefined : ledger, timeoutMs);
    return { path: e.path, oldPath: e.oldPath, counts: tallyAdded(attributed), added: attributed, text };
  };
  const inProcess = oldText === undefined ? allLines(text) : huge ? undefined : diffAdded(decodeText(oldText), text, timeoutMs, true);
  return inProcess ? done(inProcess) : { pending: e, done };
}

function pairKey(e: Pick<RawEntry, 'oldSha' | 'newSha'>): string {
  return `${e.oldSha}..${e.newSha}`;
}

/**
 * The added lines of the pending files, keyed by {@link pairKey}: one git
 * diff per comparison, limited to their paths (a few processes at most,
 * whatever the number of files); one per pair for entries read elsewhere.
 * Killed for the deadline: {@link BudgetExceeded}, as for a line diff.
 */
async function addedByGit(pending: readonly RawEntry[], gitOpts: GitOpts, deadline: number | undefined): Promise<Map<string, number[] | undefined>> {
  const groups = new Map<string, RawEntry[]>();
  for (const e of pending) {
    const key = e.spec ? JSON.stringify(e.spec) : pairKey(e);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  try {
    const maps = await Promise.all([...groups.values()].map((g) => (g[0].spec ? gitDiffAdded([...g[0].spec, '--', ...new Set(g.flatMap((e) => [e.oldPath, e.path]))], gitOpts) : gitDiffAdded([g[0].oldSha, g[0].newSha], gitOpts))));
    return new Map(maps.flatMap((m) => [...m]));
  } catch (e) {
    diffTime(deadline);
    throw e;
  }
}

interface GitOpts {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** `@@ -a[,b] +c[,d] @@`: where a hunk's new lines start, and how many there are. */
const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * The zero-based new-side lines git's own diff calls added, per blob pair
 * (`old..new`, from `--full-index`), or `undefined` for a pair git calls
 * binary (over `core.bigFileThreshold`). `what`: a comparison and paths, or
 * two blobs. Pinned so the user's configuration cannot change the count: the
 * default (Myers) algorithm, no external diff or textconv, paths taken
 * literally, a CR before a line end ignored (CRLF and LF count alike, as in
 * process).
 */
export async function gitDiffAdded(what: readonly string[], gitOpts: GitOpts): Promise<Map<string, number[] | undefined>> {
  const args = ['--literal-pathspecs', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--diff-algorithm=myers', '--ignore-cr-at-eol', '-U0', '--full-index', '-M', '--no-relative', '--ignore-submodules=all', ...what];
  const out = (await gitBuffer(args, gitOpts)).toString('latin1');
  const pairs = new Map<string, number[] | undefined>();
  let added: number[] | undefined;
  for (const line of out.split('\n')) {
    const m = HUNK_HEADER.exec(line);
    if (m && added) {
      const first = Number(m[1]) - 1;
      const count = m[2] === undefined ? 1 : Number(m[2]);
      for (let k = 0; k < count; k++) added.push(first + k);
      continue;
    }
    const index = /^index ([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (index) pairs.set(`${index[1]}..${index[2]}`, (added = []));
    else if (line.startsWith('diff --git ')) added = undefined;
    else if (line.startsWith('Binary files ') && added) {
      for (const [k, v] of pairs) if (v === added) pairs.set(k, undefined);
      added = undefined;
    }
  }
  return pairs;
}

/** Thrown when the counting ran out of the time it was given. */
export class BudgetExceeded extends Error {
  constructor() {
    super('took too long');
    this.name = 'BudgetExceeded';
  }
}

/** What one line diff may take (at most `cap`) before `deadline`; past it, {@link BudgetExceeded}. */
function diffTime(deadline: number | undefined, cap = DIFF_TIMEOUT_MS): number {
  if (deadline === undefined) return cap;
  const left = deadline - Date.now();
  if (left <= 0) throw new BudgetExceeded();
  return Math.min(cap, left);
}

/** Reads blobs through one `git cat-file --batch`; a name that is not a blob maps to `undefined`. */
async function readBlobs(shas: readonly string[], gitOpts: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<Map<string, Buffer | undefined>> {
  const blobs = new Map<string, Buffer | undefined>();
  if (shas.length === 0) return blobs;
  const objs = parseCatFileBatch(await gitBuffer(['cat-file', '--batch'], { ...gitOpts, input: shas.map((s) => `${s}\n`).join('') }));
  if (objs.length !== shas.length) throw new Error(`cat-file returned ${objs.length} objects for ${shas.length}`);
  objs.forEach((o, i) => blobs.set(shas[i], o.type === 'blob' ? o.content : undefined));
  return blobs;
}

const LEDGER_READS_AT_ONCE = 32;

/** Reads ledgers a few at a time (a huge commit must not run out of file handles); an unreadable one is `undefined`. */
async function readLedgers(ledgerDir: string, paths: readonly string[]): Promise<Array<FileLedger | undefined>> {
  const out: Array<FileLedger | undefined> = new Array<FileLedger | undefined>(paths.length);
  for (let i = 0; i < paths.length; i += LEDGER_READS_AT_ONCE) {
    const chunk = paths.slice(i, i + LEDGER_READS_AT_ONCE);
    // A ledger we cannot read only costs attribution: its lines count as unknown.
    const got = await Promise.all(chunk.map((p) => readFileLedger(ledgerDir, p).catch((): undefined => undefined)));
    got.forEach((l, j) => (out[i + j] = l));
  }
  return out;
}

/**
 * The same, synchronously, for the commit hook: the files are small and
 * `cat-file` runs in its own process meanwhile, so a plain read each is
 * cheaper than four thread-pool round trips each, and no file handles pile up
 * however big the commit. Not for the extension host, which it would block.
 */
function readLedgersSync(ledgerDir: string, paths: readonly string[]): Array<FileLedger | undefined> {
  return paths.map((p) => readFileLedgerSync(ledgerDir, p));
}

/** Whether the record's old side is a text blob worth diffing against. */
function hasOldText(e: RawEntry): boolean {
  return e.status !== 'A' && isRegularFile(e.oldMode) && !ZERO_SHA.test(e.oldSha);
}
