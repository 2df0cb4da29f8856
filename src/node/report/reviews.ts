import { git } from '../git/git';
import { readRecords } from '../record/notes';
import type { RecordReader } from '../record/notes';
import type { CommitReport } from './commits';

/** Who reviewed the AI lines of one commit, from its record. */
export interface CommitReviews {
  readonly sha: string;
  readonly shortSha: string;
  /** The commit's author, `name <email>`. */
  readonly author: string;
  /** AI and mixed lines in the record. */
  readonly aiLines: number;
  /** Reviewer → AI and mixed lines they reviewed. */
  readonly reviewers: ReadonlyArray<{ readonly by: string; readonly lines: number; readonly notAuthor: boolean }>;
}

/** The e-mail of `name <email>`, lower-cased, else the whole string: what says two identities are one person. */
function personKey(identity: string): string {
  const m = /<([^>]*)>\s*$/.exec(identity);
  return (m ? m[1] : identity).trim().toLowerCase();
}

async function authors(cwd: string, shas: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (shas.length === 0) return out;
  const log = await git(['log', '--no-walk=unsorted', '-z', '--format=%H%x00%an <%ae>', ...shas, '--'], { cwd, timeoutMs: 60_000 });
  const fields = log.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) out.set(fields[i].trim(), fields[i + 1]);
  return out;
}

/**
 * The reviews recorded for the commits of a report (`review=` in their
 * records): who reviewed how many AI lines, and whether that was someone
 * other than the author. Commits with no review are left out. `read`: where
 * the records come from (default: read here).
 */
export async function readReviews(cwd: string, commits: readonly CommitReport[], read?: RecordReader): Promise<CommitReviews[]> {
  const shas = commits.map((c) => c.sha);
  const records = await (read ? read(shas) : readRecords(shas, { cwd, timeoutMs: 60_000 }));
  const reviewed = commits.filter((c) => records.get(c.sha)?.record.files.some((f) => [...f.lines.values()].some((a) => a.review)));
  const by = await authors(cwd, reviewed.map((c) => c.sha));
  return reviewed.map((c) => {
    const author = by.get(c.sha) ?? '';
    const counts = new Map<string, number>();
    let aiLines = 0;
    for (const f of records.get(c.sha)?.record.files ?? []) {
      for (const a of f.lines.values()) {
        if (a.cls !== 'ai' && a.cls !== 'mixed') continue;
        aiLines++;
        if (a.review) counts.set(a.review.by, (counts.get(a.review.by) ?? 0) + 1);
      }
    }
    const reviewers = [...counts].map(([who, lines]) => ({ by: who, lines, notAuthor: personKey(who) !== personKey(author) }));
    return { sha: c.sha, shortSha: c.shortSha, author, aiLines, reviewers };
  });
}

/** The reviews as text, after the report's table; nothing when no commit has one. */
export function formatReviews(reviews: readonly CommitReviews[]): string {
  if (reviews.length === 0) return '';
  const lines = ['', 'Reviews (from the records):'];
  for (const r of reviews) {
    for (const who of r.reviewers) {
      const other = who.notAuthor ? ', reviewed by someone other than the author' : ', reviewed by the author';
      lines.push(`  ${r.shortSha}  ${who.lines} of ${r.aiLines} AI line${r.aiLines === 1 ? '' : 's'} reviewed by ${who.by}${other}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
