import { addCounts, aiShare, emptyCounts, reviewedOf } from '../../core/trailer';
import type { Counts } from '../../core/trailer';
import type { CommitReport } from './commits';

/** How the AI share is defined, in words; printed with every report. */
export const SHARE_DEFINITION = 'AI share = (ai + mixed) / lines, over commits with a readable trailer';

export interface ReportTotal {
  readonly commits: number;
  /** Commits with a readable trailer: the ones the counts add up. */
  readonly withTrailer: number;
  /** Commits with no `AI-Provenance` trailer (merge commits included). */
  readonly withoutTrailer: number;
  readonly malformed: number;
  readonly unsupportedVersion: number;
  /** Readable trailers that do not agree with their own commit, or whose counts do not add up. */
  readonly inconsistent: number;
  readonly merges: number;
  readonly counts: Counts;
  /** The additive tokens, added up like the counts. */
  readonly extra: Record<string, number>;
  readonly tools: string[];
}

/** Adds up the commits with a readable trailer. */
export function totalOf(commits: readonly CommitReport[]): ReportTotal {
  const counts = emptyCounts();
  const extra: Record<string, number> = {};
  const tools = new Set<string>();
  let withTrailer = 0;
  for (const c of commits) {
    if (c.status !== 'ok' || !c.counts) continue;
    withTrailer++;
    addCounts(counts, c.counts);
    for (const [k, n] of Object.entries(c.extra ?? {})) extra[k] = (extra[k] ?? 0) + n;
    for (const t of c.tools) tools.add(t);
  }
  return {
    commits: commits.length,
    withTrailer,
    withoutTrailer: commits.filter((c) => c.status === 'missing').length,
    malformed: commits.filter((c) => c.status === 'malformed').length,
    unsupportedVersion: commits.filter((c) => c.status === 'unsupported-version').length,
    inconsistent: commits.filter((c) => c.status === 'inconsistent').length,
    merges: commits.filter((c) => c.merge).length,
    counts,
    extra,
    tools: [...tools].sort(),
  };
}

/** The gates `report` can check. */
export interface GateOptions {
  /** Fail (exit 1) when the total share is above this percentage. */
  readonly failAbove?: number;
  /** Fail (exit 1) when a non-merge commit has no readable trailer. */
  readonly requireTrailer: boolean;
  /** Fail (exit 1) when more than this many AI or mixed lines the range adds (still there at its tip) are not reviewed. */
  readonly failUnreviewed?: number;
}

export interface GateResult {
  readonly gate: 'fail-above' | 'require-trailer' | 'fail-unreviewed';
  readonly passed: boolean;
  readonly message: string;
  /** For `require-trailer`: the commits that failed it. */
  readonly commits?: string[];
}

function failAboveGate(c: Counts, failAbove: number): GateResult {
  // Compared exactly, not through the rounded share.
  const above = (c.ai + c.mixed) * 100 > failAbove * c.lines;
  const what = `AI share ${aiShare(c, 1)}% (${c.ai + c.mixed} of ${c.lines} lines)`;
  return { gate: 'fail-above', passed: !above, message: above ? `${what} is above ${failAbove}%` : `${what} is not above ${failAbove}%` };
}

function requireTrailerGate(commits: readonly CommitReport[]): GateResult {
  // A trailer that cannot be read proves no more than a missing one.
  const lacking = commits.filter((c) => !c.merge && c.status !== 'ok');
  const n = lacking.length;
  return {
    gate: 'require-trailer',
    passed: n === 0,
    message:
      n === 0
        ? 'every non-merge commit has a readable AI-Provenance trailer'
        : `${n} non-merge commit${n === 1 ? '' : 's'} without a readable AI-Provenance trailer:\n` +
          lacking.map((c) => `  ${c.shortSha} ${describeStatus(c)}  ${c.subject}`).join('\n'),
    commits: lacking.map((c) => c.sha),
  };
}

function failUnreviewedGate(lines: Pick<Counts, 'ai' | 'mixed' | 'reviewed'>, allowed: number): GateResult {
  const { unreviewed } = reviewedOf(lines);
  const what = `${unreviewed} AI-written line${unreviewed === 1 ? '' : 's'} not reviewed`;
  const over = unreviewed > allowed;
  return { gate: 'fail-unreviewed', passed: !over, message: `${what}: ${over ? 'more than' : 'no more than'} the ${allowed} allowed` };
}

/**
 * Checks the gates the options ask for. `lines`: the counts of the lines
 * the range adds (report --lines), which `--fail-unreviewed` needs.
 */
export function checkGates(commits: readonly CommitReport[], total: ReportTotal, opts: GateOptions, lines?: Counts): GateResult[] {
  const gates: GateResult[] = [];
  if (opts.failAbove !== undefined) gates.push(failAboveGate(total.counts, opts.failAbove));
  if (opts.requireTrailer) gates.push(requireTrailerGate(commits));
  if (opts.failUnreviewed !== undefined && lines) gates.push(failUnreviewedGate(lines, opts.failUnreviewed));
  return gates;
}

/** Why a commit has no counts, in a few words. */
export function describeStatus(c: CommitReport): string {
  switch (c.status) {
    case 'ok':
      return 'ok';
    case 'missing':
      return c.merge ? 'merge, no trailer' : 'no trailer';
    case 'malformed':
      return `malformed trailer (${c.problem ?? '?'})`;
    case 'unsupported-version':
      return c.problem ?? 'unsupported version';
    case 'inconsistent':
      return `inconsistent trailer (${c.problem ?? '?'})`;
  }
}
