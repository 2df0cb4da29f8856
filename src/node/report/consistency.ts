import { countsProblem } from '../../core/trailer';
import { findRepo } from '../git/git';
import type { RepoPaths } from '../git/git';
import { attributeEntries, readCommitEntries } from '../commit/staged';
import type { CommitReport } from './commits';

/** Commits checked at once: each takes two short git processes. */
const AT_ONCE = 4;

/** The non-blank lines a commit adds, counted as the hook counts them (its own diff against its first parent). */
async function addedLineCount(repo: RepoPaths, c: CommitReport): Promise<number> {
  const entries = await readCommitEntries(repo.root, c.sha, c.parent, { timeoutMs: 120_000 });
  const { total } = await attributeEntries(repo, entries, { timeoutMs: 120_000, ledgers: false });
  return total.lines;
}

async function checkOne(repo: RepoPaths | undefined, c: CommitReport): Promise<CommitReport> {
  if (c.status !== 'ok' || !c.counts) return c;
  const inconsistent = (problem: string): CommitReport => ({ ...c, status: 'inconsistent', problem, counts: undefined, extra: undefined });
  const problem = countsProblem(c.counts);
  if (problem) return inconsistent(problem);
  // The hook leaves merges alone: a merge's trailer was not counted against one parent, so there is nothing to compare.
  if (c.merge || !repo) return c;
  const added = await addedLineCount(repo, c);
  if (added !== c.counts.lines) return inconsistent(`lines=${c.counts.lines}, but the commit adds ${added} non-blank line${added === 1 ? '' : 's'}`);
  return c;
}

/**
 * A trailer is a claim: checks each readable one against its own commit.
 * One whose counts do not add up, or whose `lines` is not what the commit
 * adds, becomes `inconsistent`, without counts, so it is left out of the
 * share and fails `--require-trailer`.
 */
export async function checkConsistency(cwd: string, commits: readonly CommitReport[]): Promise<CommitReport[]> {
  const repo = commits.some((c) => c.status === 'ok') ? await findRepo(cwd) : undefined;
  const out: CommitReport[] = [];
  for (let i = 0; i < commits.length; i += AT_ONCE) out.push(...(await Promise.all(commits.slice(i, i + AT_ONCE).map((c) => checkOne(repo, c)))));
  return out;
}
