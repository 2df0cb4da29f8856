import { readCommits } from '../report/commits';
import { checkConsistency } from '../report/consistency';
import { formatTable } from '../report/table';
import { reportJson } from '../report/json';
import { formatReviews, readReviews } from '../report/reviews';
import { checkGates, SHARE_DEFINITION, totalOf } from '../report/summary';
import type { GateOptions } from '../report/summary';
import { LOG_PREFIX } from '../log';
import { UsageError } from '../errors';
import type { Command, ParsedArgs } from './args';

/**
 * `ai-provenance report`: reads the `AI-Provenance` trailers of a range of
 * commits, for reviewers and CI gates. Trailers are read as docs/trailer.md
 * tells readers to (see `readTrailerValue`).
 */

export interface ReportOptions extends GateOptions {
  /** What `git log` gets: `main..HEAD`, `HEAD~5..`, a single rev (its history), or several. */
  readonly revs: readonly string[];
  readonly json: boolean;
}

function parsePercent(raw: string): number {
  const s = raw.trim().replace(/%$/, '');
  const n = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
  if (!(n >= 0 && n <= 100)) throw new UsageError(`--fail-above needs a percentage from 0 to 100, not ${JSON.stringify(raw)}`);
  return n;
}

export function reportOptions(p: ParsedArgs): ReportOptions {
  if (p.positional.length === 0) throw new UsageError('report: missing <rev-range>');
  for (const r of p.positional) if (r.trim() === '') throw new UsageError('report: empty <rev-range>');
  const raw = p.values.get('fail-above');
  return { revs: p.positional, json: p.flags.has('json'), failAbove: raw === undefined ? undefined : parsePercent(raw), requireTrailer: p.flags.has('require-trailer') };
}

export const command: Command = {
  usage: `Usage: ai-provenance report <rev-range>... [--json] [--fail-above <percent>] [--require-trailer]

The AI-Provenance trailers of a range of commits (main..HEAD, HEAD~5.., a rev
and its history), with totals. A range that starts with "-" goes after "--".

  --json                 print a JSON document instead of the table
  --fail-above <percent> exit 1 when the total AI share is above it
  --require-trailer      exit 1 when a non-merge commit has no readable trailer

${SHARE_DEFINITION}. Exit 0: every gate passed; 1: a gate failed; 2: bad input.`,
  spec: { booleans: ['json', 'require-trailer'], strings: ['fail-above'] },
  async run(args, io) {
    const opts = reportOptions(args);
    const commits = await checkConsistency(io.cwd, await readCommits(io.cwd, opts.revs));
    const total = totalOf(commits);
    const gates = checkGates(commits, total, opts);
    const reviews = await readReviews(io.cwd, commits);
    const json = (): unknown => ({ ...(reportJson(commits, total, gates) as object), ...(reviews.length ? { reviews } : {}) });
    io.out(opts.json ? `${JSON.stringify(json(), null, 2)}\n` : formatTable(commits, total, io.color) + formatReviews(reviews));
    const failed = gates.filter((g) => !g.passed);
    for (const g of failed) io.err(`${LOG_PREFIX} gate failed: ${g.message}\n`);
    return failed.length > 0 ? 1 : 0;
  },
};
