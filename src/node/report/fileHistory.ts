import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { atLowPriority, git, gitBuffer, GitError } from '../git/git';
import { readRecords } from '../record/notes';
import type { RepoPaths } from '../git/git';
import { UsageError } from '../errors';
import { blameFile, blameLines, commitRecords } from './lines';
import { provenanceOf } from '../../core/blame';
import type { BlameLine, LineProvenance } from '../../core/blame';
import { historyMarks, isUncommitted } from '../../core/history';
import type { HistoryMarks } from '../../core/history';
import { addedCommits, decodeHistory, encodeHistory, notedCommits, notesSignature, notesTips, onTop, rejoin } from '../../core/historyCache';
import type { CachedHistory } from '../../core/historyCache';
import { NOTES_REF } from '../../core/record';
import type { CommitRecord } from '../../core/record';
import { GIT_AI_NOTES_REF } from '../../core/gitAiNote';

/**
 * Toggle AI History's per-file history, cached: blaming a file whose lines
 * came from 500 commits costs git seconds, so each (path, commit) blamed is
 * kept — in memory (a few files) and on disk under the repository's git
 * directory (`<git-path ai-provenance>/history-v1/`, bounded, written
 * atomically, never in the work tree) — and carried forward instead of
 * blamed again: HEAD moved from A to a descendant B → `git blame A..B` and
 * the records of the new commits; notes changed → only the commits whose
 * notes changed are joined again; a buffer → `git blame --contents - ^HEAD`
 * (git's own diff against HEAD) on top of HEAD's history. Anything else (A
 * not an ancestor, a rename across the range, a corrupt file or one of the
 * wrong length) blames in full: a slower answer, never a different one; and
 * while something changes git blame's answer without moving HEAD (ignored
 * revisions, replace refs) the cache is not used at all. Results equal
 * {@link blameFile}'s lines (tested against it).
 */

/** How an answer was reached, for benchmarks and tests. */
export type HistoryHow = 'memory' | 'disk' | 'range' | 'full';

export interface FileHistoryOptions {
  /** Files' histories kept in memory (default 8). */
  readonly memoryEntries?: number;
  /** Cache files kept on disk, and their total size (default 32 files, 64 MiB). */
  readonly diskFiles?: number;
  readonly diskBytes?: number;
  readonly timeoutMs?: number;
}

/** The cache's folder under the repository's git directory; a new format gets a new folder. */
export const HISTORY_DIR = 'history-v1';
const NAME = /^[0-9a-f]{16}-([0-9a-f]{40}|[0-9a-f]{64})\.json$/;
/** A temporary file older than this was left by a writer that died. */
const STALE_TMP_MS = 60 * 60 * 1000;
/** Cached commits tried as the base of a range blame, newest first. */
const BASES_TRIED = 3;

/** What a background warm did: the history's `how`, or why it left the file alone. */
export type WarmOutcome = HistoryHow | 'untracked' | 'no-records' | 'too-large' | 'uncacheable';

export interface FileHistoryResult {
  readonly lines: LineProvenance[];
  /** How HEAD's history was reached (a buffer is then one more small blame on top). */
  readonly how: HistoryHow;
}

export class FileHistory {
  /** `path\0commit` → history, least recently used first. */
  private readonly memory = new Map<string, CachedHistory>();
  private readonly pending = new Map<string, Promise<{ h: CachedHistory; how: HistoryHow }>>();
  private readonly dates = new Map<string, number>();
  private writes: Promise<void> = Promise.resolve();
  private packed?: { stamp: string; replaced: boolean };
  private readonly dir: string;
  private readonly timeoutMs: number;

  constructor(private readonly repo: Pick<RepoPaths, 'root' | 'ledgerDir' | 'commonDir'>, private readonly opts: FileHistoryOptions = {}) {
    this.dir = path.join(repo.ledgerDir, HISTORY_DIR);
    this.timeoutMs = opts.timeoutMs ?? 120_000;
  }

  /** Each line of `rel` at HEAD, or of `contents` over HEAD's history: what {@link blameFile} gives, through the cache. */
  async lines(rel: string, contents?: string): Promise<FileHistoryResult> {
    const [{ head, notes }, uncacheable] = await Promise.all([this.tips(), this.blameConfigured()]);
    // Ignored revisions or replaced commits change git blame's answer without moving HEAD or the notes: blamed in full, uncached.
    if (uncacheable) return { lines: (await blameFile(this.repo.root, rel, { ...(contents === undefined ? {} : { contents }), timeoutMs: this.timeoutMs })).lines, how: 'full' };
    // The buffer against HEAD alone is a small blame of its own: it runs while HEAD's history is found.
    const buffer = head && contents !== undefined ? blameLines(this.repo.root, rel, ['--contents', '-', `^${head}`], { input: contents, timeoutMs: this.timeoutMs }) : undefined;
    buffer?.catch(() => undefined);
    let at: { h: CachedHistory; how: HistoryHow };
    try {
      if (!head) throw new UsageError('not a commit: HEAD');
      at = await this.at(rel, head, notes);
    } catch (e) {
      // Not in HEAD (a new file) or no HEAD: whatever blame of the buffer says, as before.
      if (!(e instanceof UsageError) || contents === undefined) throw e;
      return this.wholeBuffer(rel, contents);
    }
    if (!buffer || contents === undefined) return { lines: [...at.h.lines], how: at.how };
    const range = await buffer.catch((): undefined => undefined);
    const lines = range && onTop(range, at.h, await this.records(addedCommits(range), notes));
    return lines ? { lines, how: at.how } : this.wholeBuffer(rel, contents);
  }

  /** The buffer blamed over the whole history, uncached (`blameFile`): where the cache has no answer. */
  private async wholeBuffer(rel: string, contents: string): Promise<FileHistoryResult> {
    return { lines: (await blameFile(this.repo.root, rel, { contents, timeoutMs: this.timeoutMs })).lines, how: 'full' };
  }

  /** What Toggle AI History draws and hovers: the marks of `contents` (or HEAD's file) and the marked commits' dates. */
  async marks(rel: string, contents?: string): Promise<{ marks: HistoryMarks; dates: ReadonlyMap<string, number>; how: HistoryHow }> {
    const { lines, how } = await this.lines(rel, contents);
    const marks = historyMarks(lines);
    return { marks, dates: await this.commitDates(marks.commits), how };
  }

  /** Resolves when the cache files written so far are on disk. */
  flush(): Promise<void> {
    return this.writes;
  }

  /**
   * Computes HEAD's history of `rel` into the cache ahead of a toggle, every
   * git process at the lowest CPU priority: nothing for a file not tracked at
   * HEAD, larger than `maxBytes` there, or in a repository without records;
   * a cached history is one `cat-file` (and is carried forward when HEAD or
   * the notes moved). Nothing either while blame's answer is not cacheable
   * (ignored revisions, replaced commits).
   */
  warm(rel: string, maxBytes: number): Promise<WarmOutcome> {
    return atLowPriority(async () => {
      const [{ head, notes, size }, uncacheable] = await Promise.all([this.tips(rel), this.blameConfigured()]);
      if (!head || size === undefined) return 'untracked';
      if (notes === '') return 'no-records';
      if (size > maxBytes) return 'too-large';
      // What blame says under ignored revisions or replaced commits is never cached (see lines()).
      if (uncacheable) return 'uncacheable';
      return (await this.at(rel, head, notes)).how;
    });
  }

  /** HEAD's commit (none before the first), the notes refs' tips and, when asked, the size of `rel` at HEAD: one process. */
  private async tips(rel?: string): Promise<{ head?: string; notes: string; size?: number }> {
    const refs = [NOTES_REF, GIT_AI_NOTES_REF];
    const blob = rel !== undefined && !/[\n\r]/.test(rel) ? [`HEAD:${rel}`] : [];
    const input = ['HEAD^{commit}', ...refs, ...blob].map((r) => `${r}\n`).join('');
    const out = (await git(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], { cwd: this.repo.root, timeoutMs: this.timeoutMs, input })).split('\n');
    const sha = (l: string | undefined): string | undefined => /^([0-9a-f]{40}|[0-9a-f]{64}) /.exec(l ?? '')?.[1];
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(blob.length > 0 ? out[refs.length + 1] : '')?.[1];
    return {
      head: sha(out[0]),
      notes: notesSignature(refs.map((r, i) => (sha(out[i + 1]) ? `${r} ${sha(out[i + 1])}` : '')).join('\n')),
      size: size === undefined ? undefined : Number(size),
    };
  }

  /**
   * Whether git blame's answer depends on more than HEAD and the file: `blame.ignoreRevsFile`,
   * `blame.markIgnoredLines`, `blame.markUnblamableLines` (one `git config` process), or replace
   * refs (`refs/replace/`, read from the common dir; a reftable repository asks git).
   */
  private async blameConfigured(): Promise<boolean> {
    const config = git(['config', '--get-regexp', '^blame\\.(ignorerevsfile|markignoredlines|markunblamablelines)$'], { cwd: this.repo.root, timeoutMs: this.timeoutMs })
      .then((out) => out.trim() !== '', (e: unknown) => !(e instanceof GitError && e.exitCode === 1));
    const [configured, replaced] = await Promise.all([config, this.hasReplaceRefs()]);
    return configured || replaced;
  }

  private async hasReplaceRefs(): Promise<boolean> {
    const common = this.repo.commonDir;
    const loose = await fs.readdir(path.join(common, 'refs', 'replace')).catch((): string[] => []);
    if (loose.length > 0) return true;
    if (await this.packedReplaceRefs(path.join(common, 'packed-refs'))) return true;
    if (!(await fs.stat(path.join(common, 'reftable')).then(() => true, () => false))) return false;
    const refs = await git(['for-each-ref', '--count=1', '--format=%(refname)', 'refs/replace/'], { cwd: this.repo.root, timeoutMs: this.timeoutMs }).catch(() => 'unknown');
    return refs.trim() !== '';
  }

  /** Whether `packed-refs` holds a replace ref; read again only when the file changed (it can be megabytes of tags). */
  private async packedReplaceRefs(file: string): Promise<boolean> {
    const st = await fs.stat(file).catch((): undefined => undefined);
    const stamp = st ? `${st.ino} ${st.size} ${st.mtimeMs}` : '';
    if (this.packed?.stamp !== stamp) {
      const text = st ? await fs.readFile(file, 'utf8').catch(() => '') : '';
      this.packed = { stamp, replaced: text.includes(' refs/replace/') };
    }
    return this.packed.replaced;
  }

  /** The commits' records; git-ai's notes are listed only when their ref was there at `notes` (one process fewer without). */
  private records(shas: readonly string[], notes: string): ReturnType<typeof commitRecords> {
    const wanted = shas.filter((s) => !isUncommitted(s));
    const gitAi = notesTips(notes).has(GIT_AI_NOTES_REF);
    return commitRecords(this.repo.root, wanted, { records: (c) => readRecords(c, { cwd: this.repo.root, timeoutMs: this.timeoutMs, repo: this.repo, gitAi }) });
  }

  /** HEAD's history of `rel`, once at a time per file and commit. */
  private at(rel: string, head: string, notes: string): Promise<{ h: CachedHistory; how: HistoryHow }> {
    const key = `${rel}\0${head}`;
    let p = this.pending.get(key);
    if (!p) {
      p = this.compute(rel, head, notes).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  private async compute(rel: string, head: string, notes: string): Promise<{ h: CachedHistory; how: HistoryHow }> {
    const mem = this.memory.get(`${rel}\0${head}`);
    if (mem) return { h: await this.withNotes(mem, notes), how: 'memory' };
    const disk = await this.load(rel, head);
    if (disk) return { h: await this.withNotes(disk, notes), how: 'disk' };
    for (const [i, base] of (await this.bases(rel, head)).entries()) {
      const h = await this.fromBase(rel, base, head, notes, i === 0);
      if (h) return { h: await this.keep(h), how: 'range' };
    }
    const blame = await blameLines(this.repo.root, rel, [head], { timeoutMs: this.timeoutMs, dates: this.dates });
    const lines = provenanceOf(blame, await this.records([...new Set(blame.map((b) => b.commit))], notes));
    return { h: await this.keep({ path: rel, commit: head, notes, lines }), how: 'full' };
  }

  /**
   * `head`'s history from a cached commit's: a range blame; undefined when
   * that commit is not an ancestor of `head`, its cache is gone, or git's
   * answer does not sit on it. For the likeliest base (`speculate`), whether
   * it is an ancestor is asked while git already blames the range (a blame
   * wasted only when it is not); the others are blamed only once they are.
   */
  private async fromBase(rel: string, commit: string, head: string, notes: string, speculate: boolean): Promise<CachedHistory | undefined> {
    const blame = (): Promise<BlameLine[]> => blameLines(this.repo.root, rel, [`${commit}..${head}`], { timeoutMs: this.timeoutMs, dates: this.dates });
    const early = speculate ? blame() : undefined;
    early?.catch(() => undefined);
    const records = speculate ? this.prefetch(rel, commit, head, notes) : (added: string[]) => this.records(added, notes);
    const [ancestor, cached] = await Promise.all([this.isAncestor(commit, head), this.memory.get(`${rel}\0${commit}`) ?? this.load(rel, commit)]);
    if (!ancestor || !cached) return undefined;
    const [base, blamed] = await Promise.all([this.withNotes(cached, notes), early ?? blame()]);
    const lines = onTop(blamed, base, await records(addedCommits(blamed)));
    return lines && { path: base.path, commit: head, notes: base.notes, lines };
  }

  /**
   * The records of the commits a range blame will name, read while it runs:
   * those of `base..head` that touch `rel` (`git rev-list`), and then any
   * other the blame names (a rename git followed), so the answer is the same.
   */
  private prefetch(rel: string, base: string, head: string, notes: string): (added: string[]) => Promise<Map<string, CommitRecord>> {
    const touched = git(['rev-list', `${base}..${head}`, '--', rel], { cwd: this.repo.root, timeoutMs: this.timeoutMs }).then((out) => out.split('\n').filter((l) => l !== ''));
    const read = touched.then(async (shas) => ({ shas: new Set(shas), records: await this.records(shas, notes) }));
    read.catch(() => undefined);
    return async (added) => {
      const got = await read.catch((): undefined => undefined);
      const missing = got ? added.filter((c) => !got.shas.has(c)) : added;
      const more = missing.length > 0 ? await this.records(missing, notes) : new Map<string, CommitRecord>();
      return new Map([...(got?.records ?? []), ...more]);
    };
  }

  /** The history joined again with the records of the commits whose notes changed since it was joined. */
  private async withNotes(h: CachedHistory, notes: string): Promise<CachedHistory> {
    if (h.notes === notes) return h;
    const changed = await this.notedSince(h.notes, notes, h);
    const mine = new Set(h.lines.map((p) => p.commit));
    const wanted = [...changed].filter((c) => mine.has(c));
    if (wanted.length === 0) {
      // Nothing of this file's changed (a note for a new commit, say): the disk copy stays, one notes diff away.
      const same = { ...h, notes };
      this.remember(same);
      return same;
    }
    return this.keep({ ...h, notes, lines: rejoin(h.lines, new Set(wanted), await this.records(wanted, notes)) });
  }

  /** Commits whose notes differ between two signatures: from the notes trees, or all of the history's when a ref came or went. */
  private async notedSince(before: string, after: string, h: CachedHistory): Promise<Set<string>> {
    const [was, is] = [notesTips(before), notesTips(after)];
    const out = new Set<string>();
    for (const ref of new Set([...was.keys(), ...is.keys()])) {
      const [a, b] = [was.get(ref), is.get(ref)];
      if (a === b) continue;
      if (!a || !b) return new Set(h.lines.map((p) => p.commit));
      // The old tip may be gone (the ref deleted or rewritten, then gc): every commit is joined again.
      const diff = await git(['diff-tree', '-r', '--no-renames', '--name-only', a, b], { cwd: this.repo.root, timeoutMs: this.timeoutMs }).catch((): undefined => undefined);
      if (diff === undefined) return new Set(h.lines.map((p) => p.commit));
      for (const c of notedCommits(diff)) out.add(c);
    }
    return out;
  }

  /** Commits `rel` has a cached history at (memory, then disk), newest first, a few at most: bases for a range blame. */
  private async bases(rel: string, head: string): Promise<string[]> {
    const mem = [...this.memory.values()].filter((h) => h.path === rel).reverse().map((h) => h.commit);
    const disk = (await this.diskFiles()).filter((f) => f.name.startsWith(`${fileKey(rel)}-`)).map((f) => NAME.exec(f.name)?.[1] ?? '');
    return [...new Set([...mem, ...disk])].filter((c) => c !== head).slice(0, BASES_TRIED);
  }

  private async isAncestor(a: string, b: string): Promise<boolean> {
    try {
      await gitBuffer(['merge-base', '--is-ancestor', a, b], { cwd: this.repo.root, timeoutMs: this.timeoutMs });
      return true;
    } catch (e) {
      if (e instanceof GitError && e.exitCode !== null) return false;
      throw e;
    }
  }

  /** Keeps a history in memory, with its marked commits' dates, and writes it to disk behind the answer. */
  private async keep(h: CachedHistory): Promise<CachedHistory> {
    await this.commitDates(historyMarks(h.lines).commits);
    this.remember(h);
    this.writes = this.writes.then(() => this.save(h)).catch(() => undefined);
    return h;
  }

  /** In memory, most recent last, bounded. */
  private remember(h: CachedHistory): void {
    const key = `${h.path}\0${h.commit}`;
    this.memory.delete(key);
    this.memory.set(key, h);
    for (const k of this.memory.keys()) {
      if (this.memory.size <= (this.opts.memoryEntries ?? 8)) break;
      this.memory.delete(k);
    }
  }

  private fileOf(rel: string, commit: string): string {
    return path.join(this.dir, `${fileKey(rel)}-${commit}.json`);
  }

  /** A cache file's history; a corrupt or foreign one is removed (and rebuilt by the caller). */
  private async load(rel: string, commit: string): Promise<CachedHistory | undefined> {
    const file = this.fileOf(rel, commit);
    const text = await fs.readFile(file, 'utf8').catch((): undefined => undefined);
    if (text === undefined) return undefined;
    const got = decodeHistory(text, rel, commit);
    if (!got || got.history.lines.length !== (await this.lineCount(rel, commit))) {
      // A read-only or immutable folder keeps the file: the history is computed all the same.
      await fs.rm(file, { force: true }).catch(() => undefined);
      return undefined;
    }
    for (const [c, at] of got.dates) this.dates.set(c, at);
    const now = new Date();
    await fs.utimes(file, now, now).catch(() => undefined);
    this.remember(got.history);
    return got.history;
  }

  /** The lines git blame finds in `rel` at `commit` (a cache file must have as many); undefined when it cannot be read. */
  private async lineCount(rel: string, commit: string): Promise<number | undefined> {
    const blob = await gitBuffer(['cat-file', 'blob', `${commit}:${rel}`], { cwd: this.repo.root, timeoutMs: this.timeoutMs }).catch((): undefined => undefined);
    if (!blob) return undefined;
    let n = 0;
    for (let i = blob.indexOf(10); i !== -1; i = blob.indexOf(10, i + 1)) n++;
    return blob.length > 0 && blob[blob.length - 1] !== 10 ? n + 1 : n;
  }

  /** Writes atomically (a temporary file renamed into place), then keeps the folder within its bounds. */
  private async save(h: CachedHistory): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const file = this.fileOf(h.path, h.commit);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(tmp, encodeHistory(h, this.dates));
    await fs.rename(tmp, file).catch(async (e: unknown) => {
      await fs.rm(tmp, { force: true });
      throw e;
    });
    await this.prune();
  }

  private async diskFiles(): Promise<Array<{ name: string; size: number; mtimeMs: number }>> {
    const names = await fs.readdir(this.dir).catch((): string[] => []);
    const stats = await Promise.all(names.filter((n) => NAME.test(n)).map(async (name) => {
      const st = await fs.stat(path.join(this.dir, name)).catch((): undefined => undefined);
      return st && { name, size: st.size, mtimeMs: st.mtimeMs };
    }));
    return stats.filter((s): s is { name: string; size: number; mtimeMs: number } => s !== undefined).sort((a, b) => b.mtimeMs - a.mtimeMs);
  }

  /** Removes the least recently used cache files beyond the bounds (files and bytes), and temporary files a crash left. */
  private async prune(): Promise<void> {
    const names = await fs.readdir(this.dir).catch((): string[] => []);
    for (const n of names.filter((x) => x.endsWith('.tmp'))) {
      const st = await fs.stat(path.join(this.dir, n)).catch((): undefined => undefined);
      if (st && Date.now() - st.mtimeMs > STALE_TMP_MS) await fs.rm(path.join(this.dir, n), { force: true });
    }
    const files = await this.diskFiles();
    let bytes = 0;
    for (const [i, f] of files.entries()) {
      bytes += f.size;
      if (i >= (this.opts.diskFiles ?? 32) || (i > 0 && bytes > (this.opts.diskBytes ?? 64 * 1024 * 1024))) await fs.rm(path.join(this.dir, f.name), { force: true });
    }
  }

  /** Each commit's author date (epoch ms); a commit's is read once. */
  private async commitDates(commits: readonly string[]): Promise<Map<string, number>> {
    const missing = commits.filter((c) => !this.dates.has(c));
    if (missing.length > 0) {
      const log = await git(['log', '--no-walk=unsorted', '--format=%H %at', ...missing, '--'], { cwd: this.repo.root, timeoutMs: this.timeoutMs });
      for (const l of log.split('\n')) {
        const [sha, at] = l.split(' ');
        if (sha && at) this.dates.set(sha, Number(at) * 1000);
      }
    }
    return new Map(commits.flatMap((c): Array<[string, number]> => (this.dates.has(c) ? [[c, this.dates.get(c) as number]] : [])));
  }
}

/** A path's part of its cache files' names (paths can hold anything; names cannot). */
function fileKey(rel: string): string {
  return createHash('sha256').update(rel).digest('hex').slice(0, 16);
}
