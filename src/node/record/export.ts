import { createHash } from 'node:crypto';
import { findRepo, git, GitError } from '../git/git';
import { UsageError } from '../errors';
import { agentTraceRecord } from '../../core/agentTrace';
import type { TraceRecord } from '../../core/agentTrace';
import { formatRecord } from '../../core/record';
import { readRecords } from './notes';

/** What `export` found in a range. */
export interface Exported {
  /** One trace record per commit with a record (ours or git-ai's), oldest first. */
  readonly traces: TraceRecord[];
  /** Commits of the range with no record: left out (nothing is known of their lines). */
  readonly without: string[];
}

/** A UUID (version 8, RFC 9562) derived from what the trace says, so exporting twice gives the same ids. */
function traceId(sha: string, note: string): string {
  const h = createHash('sha256').update(`ai-provenance agent-trace\0${sha}\0${note}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The commits of a range with their committer dates (epoch seconds), oldest first; a bad range is a usage error. */
async function rangeCommits(cwd: string, revs: readonly string[]): Promise<Array<[string, number]>> {
  let out: string;
  try {
    out = await git(['log', '--reverse', '--format=%H %ct', '--end-of-options', ...revs, '--'], { cwd, timeoutMs: 120_000 });
  } catch (e) {
    if (e instanceof GitError && e.exitCode !== null) {
      const why = e.stderr.split('\n').find((l) => l.trim() !== '') ?? e.message;
      throw new UsageError(`cannot read the commits of ${revs.join(' ')}: ${why.replace(/^fatal: /, '')}`);
    }
    throw e;
  }
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [sha, ct] = l.split(' ');
      return [sha, Number(ct)];
    });
}

/**
 * The Agent Trace records of a range: each commit's record (read through
 * `readRecords`, so git-ai's notes too, marked as such) as one trace record.
 * Three git processes whatever the number of commits.
 */
export async function exportAgentTrace(cwd: string, revs: readonly string[], toolVersion: string): Promise<Exported> {
  const repo = await findRepo(cwd);
  if (!repo) throw new UsageError(`not inside a git work tree: ${cwd}`);
  const commits = await rangeCommits(repo.root, revs);
  const records = await readRecords(
    commits.map(([sha]) => sha),
    { cwd: repo.root, timeoutMs: 120_000 },
  );
  const traces: TraceRecord[] = [];
  const without: string[] = [];
  for (const [sha, ct] of commits) {
    const r = records.get(sha);
    if (!r || r.unsupported !== undefined) {
      without.push(sha);
      continue;
    }
    const timestamp = new Date(ct * 1000).toISOString().replace('.000Z', 'Z');
    const id = traceId(sha, `${r.source ?? ''}\0${formatRecord(r.record)}`);
    traces.push(agentTraceRecord({ sha, id, timestamp, toolVersion, record: r.record, source: r.source ?? 'ai-provenance', problems: r.problems }));
  }
  return { traces, without };
}
