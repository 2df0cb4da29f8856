import { countsProblem } from '../../core/trailer';
import { findRepo } from '../git/git';
import { attributeEntryGroups, readCommitsEntries } from '../commit/staged';
import type { CommitReport } from './commits';

/** The commit, its trailer marked as not to be believed, for `problem`. */
function inconsistent(c: CommitReport, problem: string): CommitReport {
  return { ...c, status: 'inconsistent', problem, counts: undefined, extra: undefined };
}

/**
 * A trailer is a claim: checks each readable one against its own commit.
 * One whose counts do not add up, or whose `lines` is not what the commit
 * adds, becomes `inconsistent`, without counts, so it is left out of the
 * share and fails `--require-trailer`. The non-blank lines each commit adds
 * are counted as the hook counts them (its own diff against its first
 * parent), for all the commits at once: one `git diff-tree --stdin` and one
 * `cat-file --batch`, whatever the number of commits.
 */
export async function checkConsistency(cwd: string, commits: readonly CommitReport[]): Promise<CommitReport[]> {
  const out = commits.map((c) => {
    if (c.status !== 'ok' || !c.counts) return c;
    const problem = countsProblem(c.counts);
    return problem ? inconsistent(c, problem) : c;
  });
  // The hook leaves merges alone: a merge's trailer was not counted against one parent, so there is nothing to compare.
  const toCount = out.filter((c) => c.status === 'ok' && c.counts && !c.merge);
  const repo = toCount.length > 0 ? await findRepo(cwd) : undefined;
  if (!repo) return out;
  const opts = { timeoutMs: 120_000, ledgers: false } as const;
  const attributed = await attributeEntryGroups(repo, await readCommitsEntries(repo.root, toCount, opts), opts);
  const added = new Map(toCount.map((c, i) => [c, attributed[i].total.lines]));
  return out.map((c) => {
    const n = added.get(c);
    if (n === undefined || n === c.counts?.lines) return c;
    return inconsistent(c, `lines=${c.counts?.lines}, but the commit adds ${n} non-blank line${n === 1 ? '' : 's'}`);
  });
}
