import { git, GitError } from '../git/git';
import { ASSISTED_BY_KEY, readTrailerValue, TRAILER_KEY } from '../../core/trailer';
import type { Counts } from '../../core/trailer';
import { UsageError } from '../errors';

/** What a commit's trailer said, or why it could not be read. */
export type TrailerStatus = 'ok' | 'missing' | 'malformed' | 'unsupported-version' | 'inconsistent';

/** One commit of the range, as reported. */
export interface CommitReport {
  readonly sha: string;
  readonly shortSha: string;
  readonly subject: string;
  /** More than one parent: the hook leaves merge commits alone, so they are not expected to carry a trailer. */
  readonly merge: boolean;
  /** Whether the message has an `AI-Provenance` trailer at all (readable or not). */
  readonly trailer: boolean;
  readonly status: TrailerStatus;
  /** The first parent, when there is one: what the commit's own lines are counted against. */
  readonly parent?: string;
  /** Why the trailer could not be used (malformed, unsupported version, inconsistent). */
  readonly problem?: string;
  /** Present when `status` is `ok`. */
  readonly counts?: Counts;
  /** With `counts`: the tokens beyond the classes and origins (`reviewed=3`, later revisions). */
  readonly extra?: Record<string, number>;
  /** `Assisted-by` values, in message order, without repeats. */
  readonly tools: string[];
}

/** Between the items of one field: an unfolded trailer value and a subject never hold a line break. */
const ITEM = '\n';

/**
 * One `git log -z` for the whole range, every field ended by a NUL (which no
 * commit message can hold), so nothing in a message can shift a field.
 * Trailers come keyed (`AI-Provenance: value`), not `valueonly`: a trailer
 * with an empty value must read as malformed, not as missing.
 */
const LOG_FIELDS = [
  '%H',
  '%h',
  '%P',
  `%(trailers:key=${TRAILER_KEY},unfold,separator=%x0a)`,
  `%(trailers:key=${ASSISTED_BY_KEY},valueonly,unfold,separator=%x0a)`,
  '%s',
];
const LOG_FORMAT = LOG_FIELDS.join('%x00');

/** Reads the commits of a range with their trailers; a bad range is a {@link UsageError}. */
export async function readCommits(cwd: string, revs: readonly string[]): Promise<CommitReport[]> {
  let out: string;
  try {
    // Trailers as written (`key: value`), whatever the user's trailer.separators says;
    // --end-of-options: a range that looks like an option is still a range.
    out = await git(['-c', 'trailer.separators=:', 'log', '-z', '--no-color', '--no-show-signature', `--format=${LOG_FORMAT}`, '--end-of-options', ...revs, '--'], { cwd, timeoutMs: 120_000 });
  } catch (e) {
    if (e instanceof GitError && e.exitCode !== null) {
      const why = e.stderr.split('\n').find((l) => l.trim() !== '') ?? e.message;
      throw new UsageError(`cannot read the commits of ${revs.join(' ')}: ${why.replace(/^fatal: /, '')}`);
    }
    throw e;
  }
  // -z ends every record with a NUL too: the fields come in whole groups.
  const fields = out.split('\0');
  if (fields.pop() !== '' || fields.length % LOG_FIELDS.length !== 0) throw new Error('unexpected git log output');
  const commits: CommitReport[] = [];
  for (let i = 0; i < fields.length; i += LOG_FIELDS.length) commits.push(parseRecord(fields.slice(i, i + LOG_FIELDS.length)));
  return commits;
}

function parseRecord(fields: readonly string[]): CommitReport {
  const [sha, shortSha, parentList, provenance, assisted, subject] = fields;
  const parents = parentList.split(' ').filter((p) => p !== '');
  const merge = parents.length > 1;
  const tools = [...new Set(assisted.split(ITEM).map((t) => t.trim()).filter((t) => t !== ''))];
  const values = provenance === '' ? [] : provenance.split(ITEM).map((t) => t.slice(t.indexOf(':') + 1).trim());
  const base = { sha, shortSha, subject, merge, tools, ...(parents.length > 0 ? { parent: parents[0] } : {}) };
  if (values.length === 0) return { ...base, trailer: false, status: 'missing' };
  const distinct = [...new Set(values)];
  // The hook replaces, never duplicates; two different values would need a guess.
  if (distinct.length > 1) return { ...base, trailer: true, status: 'malformed', problem: `${values.length} different ${TRAILER_KEY} trailers` };
  const r = readTrailerValue(distinct[0]);
  if (r.status === 'ok') return { ...base, trailer: true, status: 'ok', counts: r.counts, extra: r.extra };
  return { ...base, trailer: true, status: r.status, problem: r.problem };
}
