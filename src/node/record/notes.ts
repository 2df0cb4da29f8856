import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { git, gitBuffer, GitError } from '../git/git';
import type { RepoPaths } from '../git/git';
import { parseCatFileBatch } from '../commit/staged';
import { NOTES_REF, parseRecord } from '../../core/record';
import type { ParsedRecord, RecordSource } from '../../core/record';
import { GIT_AI_NOTES_REF, parseGitAiNote } from '../../core/gitAiNote';

export interface NotesOptions {
  readonly cwd: string;
  readonly timeoutMs?: number;
  readonly ref?: string;
  /**
   * Read git-ai's notes (`refs/notes/ai`) for commits that have none of ours
   * (default: yes). Whatever writes a record of ours passes `false`: a
   * converted record is for reading, never carried into our notes.
   */
  readonly gitAi?: boolean;
  /** The repository's directories when the caller knows them (saves asking git). */
  readonly repo?: Pick<RepoPaths, 'ledgerDir' | 'commonDir'>;
}

type GitOpts = { cwd: string; timeoutMs: number };

/** `<note blob> <commit>` pairs of a notes ref, for the wanted commits; empty when the ref does not exist. */
async function listNotes(ref: string, wanted: ReadonlySet<string>, gitOpts: GitOpts): Promise<Map<string, string>> {
  let list: string;
  try {
    list = await git(['notes', `--ref=${ref}`, 'list'], gitOpts);
  } catch (e) {
    // No notes ref yet.
    if (e instanceof GitError) return new Map();
    throw e;
  }
  const out = new Map<string, string>();
  for (const line of list.split('\n')) {
    const [blob, commit] = line.split(' ');
    if (blob && commit && wanted.has(commit)) out.set(commit, blob);
  }
  return out;
}

/**
 * The records of the given commits (full SHAs) that have one, each marked
 * with its `source`: ours, or, for a commit with none of ours, git-ai's
 * `authorship/3.0.0` note converted (see `parseGitAiNote`; its problems are
 * reported in `problems`, nothing guessed). `git notes list` once per ref
 * (the two at once), then one `cat-file --batch` for the note blobs,
 * whatever the number of commits.
 */
export async function readRecords(shas: readonly string[], opts: NotesOptions): Promise<Map<string, ParsedRecord>> {
  const out = new Map<string, ParsedRecord>();
  if (shas.length === 0) return out;
  const gitOpts = { cwd: opts.cwd, timeoutMs: opts.timeoutMs ?? 30_000 };
  await waitForClaims(shas, gitOpts, opts.repo?.ledgerDir);
  const wanted = new Set(shas);
  const [ours, theirs] = await Promise.all([
    listNotes(opts.ref ?? NOTES_REF, wanted, gitOpts),
    opts.gitAi === false ? new Map<string, string>() : listNotes(GIT_AI_NOTES_REF, wanted, gitOpts),
  ]);
  const blobs: Array<[string, string, RecordSource]> = [...ours].map(([c, b]) => [c, b, 'ai-provenance']);
  for (const [c, b] of theirs) if (!ours.has(c)) blobs.push([c, b, 'git-ai']);
  if (blobs.length === 0) return out;
  const objs = parseCatFileBatch(await gitBuffer(['cat-file', '--batch'], { ...gitOpts, input: blobs.map(([, b]) => `${b}\n`).join('') }));
  objs.forEach((o, i) => {
    if (!o.content) return;
    const [commit, , source] = blobs[i];
    const text = o.content.toString('utf8');
    out.set(commit, { ...(source === 'git-ai' ? parseGitAiNote(text) : parseRecord(text)), source });
  });
  return out;
}

/** {@link readRecords} of one repository, for commits given as they are needed. */
export type RecordReader = (shas: readonly string[]) => Promise<Map<string, ParsedRecord>>;

/**
 * A {@link RecordReader} that reads each commit's record once, however often
 * it is asked (`report --lines` needs the same commits' records for the lines
 * and for the reviews): the commits not asked for yet are read together.
 */
export function recordReader(opts: NotesOptions): RecordReader {
  // Each commit → the read that covers it (absent from its answer: no record).
  const reads = new Map<string, Promise<Map<string, ParsedRecord>>>();
  return async (shas) => {
    const missing = [...new Set(shas)].filter((s) => !reads.has(s));
    if (missing.length > 0) {
      const read = readRecords(missing, opts);
      // Awaited below and by later calls; a failure must not count as an unhandled rejection meanwhile.
      read.catch(() => undefined);
      for (const s of missing) reads.set(s, read);
    }
    const wanted = new Set(shas);
    const out = new Map<string, ParsedRecord>();
    for (const read of new Set(shas.map((s) => reads.get(s)))) {
      for (const [sha, r] of (await read) ?? []) if (wanted.has(sha)) out.set(sha, r);
    }
    return out;
  };
}

/**
 * Where the post-commit hook script puts what prepare-commit-msg left when it
 * hands the write to a background process: claimed for that commit, until
 * the record is written. Readers of that commit's record wait for it.
 */
export function claimFile(ledgerDir: string, sha: string): string {
  return path.join(ledgerDir, `post-commit-${sha}.json`);
}

/** How long a reader waits for a background post-commit, at most. */
const CLAIM_WAIT_MS = 10_000;

/** Waits while a background post-commit is still writing the record of one of these commits (or gives up, for a claim left behind). */
async function waitForClaims(shas: readonly string[], gitOpts: { cwd: string; timeoutMs: number }, known?: string): Promise<void> {
  const ledgerDir = known ?? (await git(['rev-parse', '--path-format=absolute', '--git-path', 'ai-provenance'], gitOpts)).trim();
  // One look at the directory, not one stat per commit: a report reads hundreds of records.
  const names = new Set(await fs.readdir(ledgerDir).catch((): string[] => []));
  const start = Date.now();
  for (const sha of shas.filter((s) => names.has(path.basename(claimFile(ledgerDir, s))))) {
    const file = claimFile(ledgerDir, sha);
    for (;;) {
      const st = await fs.stat(file).catch((): undefined => undefined);
      if (!st || Date.now() - st.mtimeMs > LOCK_STALE_MS || Date.now() - start > CLAIM_WAIT_MS) break;
      await new Promise((r) => setTimeout(r, 15));
    }
  }
}

/** Waits until no background post-commit is writing a record (before a push, say). */
export async function settleRecords(cwd: string): Promise<void> {
  const ledgerDir = (await git(['rev-parse', '--path-format=absolute', '--git-path', 'ai-provenance'], { cwd, timeoutMs: 10_000 })).trim();
  const names = await fs.readdir(ledgerDir).catch((): string[] => []);
  const shas = names.map((n) => /^post-commit-([0-9a-f]+)\.json$/.exec(n)?.[1]).filter((s): s is string => s !== undefined);
  if (shas.length > 0) await waitForClaims(shas, { cwd, timeoutMs: 10_000 });
}

/** How long a writer waits for another one before giving up, and when a lock counts as abandoned. */
const LOCK_WAIT_MS = 8_000;
const LOCK_STALE_MS = 30_000;

async function acquire(lock: string): Promise<() => Promise<void>> {
  const start = Date.now();
  for (;;) {
    try {
      const h = await fs.open(lock, 'wx');
      await h.close();
      return () => fs.rm(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const st = await fs.stat(lock).catch((): undefined => undefined);
    if (st && Date.now() - st.mtimeMs > LOCK_STALE_MS) await fs.rm(lock, { force: true });
    else if (Date.now() - start > LOCK_WAIT_MS) throw new Error(`notes are locked by another writer (${lock})`);
    else await new Promise((r) => setTimeout(r, 15));
  }
}

export async function currentTip(ref: string, gitOpts: GitOpts): Promise<string | undefined> {
  try {
    return (await git(['rev-parse', '-q', '--verify', `${ref}^{commit}`], gitOpts)).trim();
  } catch (e) {
    if (e instanceof GitError && e.exitCode === 1) return undefined;
    throw e;
  }
}

function fastImportScript(ref: string, from: string | undefined, notes: ReadonlyMap<string, string>): Buffer {
  const parts: Buffer[] = [];
  const msg = Buffer.from(`ai-provenance: ${notes.size} record${notes.size === 1 ? '' : 's'}\n`);
  const now = Math.floor(Date.now() / 1000);
  parts.push(Buffer.from(`commit ${ref}\ncommitter AI Provenance <ai-provenance@localhost> ${now} +0000\ndata ${msg.length}\n`), msg);
  if (from) parts.push(Buffer.from(`from ${from}\n`));
  for (const [sha, text] of notes) {
    const body = Buffer.from(text, 'utf8');
    parts.push(Buffer.from(`N inline ${sha}\ndata ${body.length}\n`), body, Buffer.from('\n'));
  }
  parts.push(Buffer.from('done\n'));
  return Buffer.concat(parts);
}

/**
 * Writes notes (commit SHA → text), all in one notes commit. Serialized: a
 * lock file in the common git directory keeps our writers from racing, and
 * `fast-import` refuses to move the ref when it moved meanwhile (git's own
 * `notes add` does not check, and parallel writers lose notes), in which case
 * it starts again from the new tip.
 */
export async function writeRecords(notes: ReadonlyMap<string, string>, opts: NotesOptions): Promise<void> {
  if (notes.size === 0) return;
  const ref = opts.ref ?? NOTES_REF;
  const gitOpts = { cwd: opts.cwd, timeoutMs: opts.timeoutMs ?? 30_000 };
  await withNotesLock(opts.cwd, opts.repo?.commonDir, async () => {
    for (let attempt = 0; ; attempt++) {
      const from = await currentTip(ref, gitOpts);
      try {
        await gitBuffer(['fast-import', '--quiet', '--done'], { ...gitOpts, input: fastImportScript(ref, from, notes) });
        return;
      } catch (e) {
        if (!(e instanceof GitError) || attempt >= 2) throw e;
      }
    }
  });
}

/**
 * Runs `work` holding the lock every writer of the notes ref takes (a file in
 * the common git directory, so worktrees share it).
 */
export async function withNotesLock<T>(cwd: string, commonDir: string | undefined, work: () => Promise<T>): Promise<T> {
  const common = commonDir ?? (await git(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd, timeoutMs: 10_000 })).trim();
  const release = await acquire(path.join(common, 'ai-provenance-notes.lock'));
  try {
    return await work();
  } finally {
    await release();
  }
}
