import { userInfo } from 'node:os';
import { git, GitError } from '../git/git';
import { formatRecord, recordOf } from '../../core/record';
import type { LineAttr } from '../../core/record';
import type { Review } from '../../core/origin';
import { readRecords, writeRecords } from './notes';
import type { NotesOptions } from './notes';
import { blameFile } from '../report/lines';
import { isUncommitted } from '../../core/history';

/** Lines of one committed file a person reviewed: 1-based line numbers of the commit's version of the file. */
export interface ReviewedLines {
  /** Full SHA of the commit whose record describes the lines. */
  readonly sha: string;
  /** The file's path at that commit, relative to the repository root. */
  readonly path: string;
  readonly lines: readonly number[];
}

/** Why a record was left alone. */
export class ReviewNotRecorded extends Error {}

/**
 * The person's git identity, `user.name <user.email>`, for the repository at
 * `cwd`; the OS user name when git has none (or `cwd` is not a repository).
 */
export async function gitIdentity(cwd: string): Promise<string> {
  const read = (key: string): Promise<string> =>
    git(['config', key], { cwd, timeoutMs: 5_000 }).then(
      (s) => s.trim(),
      // Unset (exit 1) or not a repository: no identity from git.
      (e: unknown) => {
        if (e instanceof GitError) return '';
        throw e;
      },
    );
  const [name, email] = await Promise.all([read('user.name'), read('user.email')]);
  if (name) return email ? `${name} <${email}>` : name;
  return userInfo().username;
}

function reviewed(a: LineAttr, review: Review): LineAttr {
  return a.cls === 'ai' || a.cls === 'mixed' ? { ...a, review } : a;
}

/**
 * Writes a review (who, when; never any code) into the records of the
 * commits that added the given lines, on their AI and mixed lines only, in one
 * serialized notes write. A record that is not ours to rewrite (another
 * version, or entries that do not parse and would be lost) is left alone and
 * reported by throwing {@link ReviewNotRecorded}, before anything is written.
 * Returns the number of lines that gained the review.
 */
export async function recordReview(items: readonly ReviewedLines[], review: Review, opts: NotesOptions): Promise<number> {
  const shas = [...new Set(items.map((i) => i.sha))];
  const records = await readRecords(shas, opts);
  const notes = new Map<string, string>();
  let marked = 0;
  for (const sha of shas) {
    const parsed = records.get(sha);
    if (!parsed) throw new ReviewNotRecorded(`commit ${sha.slice(0, 12)} has no provenance record`);
    if (parsed.unsupported !== undefined || parsed.problems.some((p) => p.startsWith('line '))) {
      throw new ReviewNotRecorded(`the record of ${sha.slice(0, 12)} is not one this version can rewrite (${parsed.problems[0] ?? 'unsupported'})`);
    }
    const files = parsed.record.files.map((f) => ({ path: f.path, lines: new Map(f.lines) }));
    let changed = false;
    for (const item of items.filter((i) => i.sha === sha)) {
      const file = files.find((f) => f.path === item.path);
      for (const n of item.lines) {
        const a = file?.lines.get(n);
        if (!file || !a || (a.cls !== 'ai' && a.cls !== 'mixed')) continue;
        file.lines.set(n, reviewed(a, review));
        marked++;
        changed = true;
      }
    }
    if (changed) notes.set(sha, formatRecord(recordOf(files)));
  }
  await writeRecords(notes, opts);
  return marked;
}

/**
 * Marks lines `first`–`last` (1-based) of `path` (repository-relative) as
 * they are at HEAD as reviewed: blame finds the commit that added each, and
 * the review goes into that commit's record at the line's place there.
 * Lines not committed yet, and lines the records do not call AI, are skipped.
 */
export async function reviewCommittedLines(root: string, path: string, first: number, last: number, review: Review): Promise<number> {
  const blamed = await blameFile(root, path);
  const bySource = new Map<string, { sha: string; path: string; lines: number[] }>();
  for (const p of blamed.lines) {
    if (p.line < first || p.line > last || !p.source || isUncommitted(p.commit) || (p.class !== 'ai' && p.class !== 'mixed')) continue;
    const key = `${p.commit}\0${p.source.path}`;
    const item = bySource.get(key) ?? { sha: p.commit, path: p.source.path, lines: [] };
    item.lines.push(p.source.line);
    bySource.set(key, item);
  }
  if (bySource.size === 0) return 0;
  return recordReview([...bySource.values()].map((i) => ({ ...i, lines: i.lines.sort((a, b) => a - b) })), review, { cwd: root });
}
