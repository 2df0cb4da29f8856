import { readCommits } from '../report/commits';
import { checkConsistency } from '../report/consistency';
import { formatTable } from '../report/table';
import { reportJson } from '../report/json';
import { rangeLines } from '../report/lines';
import type { RangeLines } from '../report/lines';
import { formatGithub, formatLinesTable, formatMarkdown, linesJson, rangeCounts } from '../report/lineFormats';
import { formatReviews, readReviews } from '../report/reviews';
import { recordReader } from '../record/notes';
import type { RecordReader } from '../record/notes';
import type { CommitReviews } from '../report/reviews';
import { checkGates, SHARE_DEFINITION, totalOf } from '../report/summary';
import type { GateOptions, GateResult, ReportTotal } from '../report/summary';
import type { CommitReport } from '../report/commits';
import { LOG_PREFIX } from '../log';
import { UsageError } from '../errors';
import type { Command, ParsedArgs } from './args';

/**
 * `ai-provenance report`: reads the `AI-Provenance` trailers of a range of
 * commits, for reviewers and CI gates. Trailers are read as docs/trailer.md
 * tells readers to (see `readTrailerValue`).
 */

export type ReportFormat = 'table' | 'json' | 'markdown' | 'github';
const FORMATS: readonly ReportFormat[] = ['table', 'json', 'markdown', 'github'];

export interface ReportOptions extends GateOptions {
  /** What `git log` gets: `main..HEAD`, `HEAD~5..`, a single rev (its history), or several. */
  readonly revs: readonly string[];
  readonly format: ReportFormat;
  /** Read the lines the range adds (blame at its tip and the records): asked for, or needed by the format or a gate. */
  readonly lines: boolean;
}

function parsePercent(raw: string): number {
  const s = raw.trim().replace(/%$/, '');
  const n = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
  if (!(n >= 0 && n <= 100)) throw new UsageError(`--fail-above needs a percentage from 0 to 100, not ${JSON.stringify(raw)}`);
  return n;
}

function parseCount(raw: string): number {
  if (!/^\s*\d{1,9}\s*$/.test(raw)) throw new UsageError(`--fail-unreviewed needs a number of lines (0 or more), not ${JSON.stringify(raw)}`);
  return Number(raw);
}

function parseFormat(p: ParsedArgs): ReportFormat {
  const raw = p.values.get('format');
  if (raw !== undefined && !(FORMATS as readonly string[]).includes(raw)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(raw)}`);
  if (p.flags.has('json') && raw !== undefined && raw !== 'json') throw new UsageError(`--json and --format ${raw} ask for two formats`);
  return p.flags.has('json') ? 'json' : ((raw as ReportFormat | undefined) ?? 'table');
}

export function reportOptions(p: ParsedArgs): ReportOptions {
  if (p.positional.length === 0) throw new UsageError('report: missing <rev-range>');
  for (const r of p.positional) if (r.trim() === '') throw new UsageError('report: empty <rev-range>');
  const raw = p.values.get('fail-above');
  const unreviewed = p.values.get('fail-unreviewed');
  const format = parseFormat(p);
  const failUnreviewed = unreviewed === undefined ? undefined : parseCount(unreviewed);
  const lines = p.flags.has('lines') || format === 'markdown' || format === 'github' || failUnreviewed !== undefined;
  return { revs: p.positional, format, lines, failAbove: raw === undefined ? undefined : parsePercent(raw), requireTrailer: p.flags.has('require-trailer'), failUnreviewed };
}

/** The report in the format asked for; `lines` is there when `opts.lines` is. */
interface Rendered {
  readonly commits: readonly CommitReport[];
  readonly total: ReportTotal;
  readonly gates: readonly GateResult[];
  readonly lines: RangeLines | undefined;
  readonly reviews: readonly CommitReviews[];
}

function render(opts: ReportOptions, { commits, total, gates, lines, reviews }: Rendered, color: boolean): string {
  switch (opts.format) {
    case 'json': {
      const doc = reportJson(commits, total, gates) as Record<string, unknown>;
      return `${JSON.stringify({ ...doc, ...(lines ? { files: linesJson(lines) } : {}), ...(reviews.length ? { reviews } : {}) }, null, 2)}\n`;
    }
    case 'markdown':
      return formatMarkdown(opts.revs, lines as RangeLines, total);
    case 'github':
      return formatGithub(lines as RangeLines);
    case 'table':
      return formatTable(commits, total, color) + (lines ? formatLinesTable(lines) : '') + formatReviews(reviews);
  }
}

/**
 * The commits (trailers checked), the lines and the reviews, read side by
 * side: the blames of `--lines` (git processes) run while the commits are
 * read and their trailers checked against the diffs in process, and the
 * records of the range's commits are read once, for the lines (whose commits
 * are among them) and the reviews alike, whichever asks first. A failure is
 * reported as if they had run one after the other.
 */
async function gather(cwd: string, opts: ReportOptions): Promise<Pick<Rendered, 'lines' | 'reviews'> & { commits: CommitReport[] }> {
  const cached = recordReader({ cwd, timeoutMs: 120_000 });
  const found = readCommits(cwd, opts.revs);
  const records: RecordReader = async (shas) => {
    await cached((await found).map((c) => c.sha));
    return cached(shas);
  };
  const lines = opts.lines ? rangeLines(cwd, opts.revs, { records }) : undefined;
  const reviews = found.then((cs) => readReviews(cwd, cs, records));
  // Awaited after the check; a failure meanwhile must not count as an unhandled rejection.
  for (const p of [lines, reviews]) p?.catch(() => undefined);
  const commits = await checkConsistency(cwd, await found);
  return { commits, lines: await lines, reviews: await reviews };
}

export const command: Command = {
  usage: `Usage: ai-provenance report <rev-range>... [--lines] [--json | --format <f>]
                            [--fail-above <percent>] [--require-trailer] [--fail-unreviewed <n>]

The AI-Provenance trailers of a range of commits (main..HEAD, HEAD~5.., a rev
and its history), with totals. A range that starts with "-" goes after "--".

  --lines                  also the lines the range adds that are still there
                           at its tip and are AI-written, per file, as ranges
                           with origin, tool and review (from the records;
                           the range needs one tip, like main..HEAD)
  --json                   print a JSON document instead of the table
                           (with --lines: "files": [{"path", "ranges": [...]}])
  --format <f>             table (default), json, markdown (a pull-request
                           summary) or github (one workflow command per AI
                           range: ::warning not reviewed, ::notice reviewed);
                           markdown and github imply --lines
  --fail-above <percent>   exit 1 when the total AI share is above it
  --require-trailer        exit 1 when a non-merge commit has no readable trailer
  --fail-unreviewed <n>    exit 1 when more than <n> AI-written lines the range
                           adds (still there at its tip) are not reviewed

${SHARE_DEFINITION}. Exit 0: every gate passed; 1: a gate failed; 2: bad input.`,
  spec: { booleans: ['json', 'require-trailer', 'lines'], strings: ['fail-above', 'format', 'fail-unreviewed'] },
  async run(args, io) {
    const opts = reportOptions(args);
    const { commits, lines, reviews } = await gather(io.cwd, opts);
    const total = totalOf(commits);
    const gates = checkGates(commits, total, opts, lines ? rangeCounts(lines) : undefined);
    io.out(render(opts, { commits, total, gates, lines, reviews }, io.color));
    const failed = gates.filter((g) => !g.passed);
    for (const g of failed) io.err(`${LOG_PREFIX} gate failed: ${g.message}\n`);
    return failed.length > 0 ? 1 : 0;
  },
};
