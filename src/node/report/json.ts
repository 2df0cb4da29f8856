import { aiShare, reviewedOf } from '../../core/trailer';
import type { CommitReport } from './commits';
import { SHARE_DEFINITION } from './summary';
import type { GateResult, ReportTotal } from './summary';

function commitJson(c: CommitReport): unknown {
  const k = c.counts;
  return {
    sha: c.sha,
    subject: c.subject,
    lines: k?.lines ?? null,
    ai: k?.ai ?? null,
    mixed: k?.mixed ?? null,
    human: k?.human ?? null,
    unknown: k?.unknown ?? null,
    share: k ? aiShare(k, 1) : null,
    reviewed: k ? reviewedOf(k).reviewed : null,
    unreviewed: k ? reviewedOf(k).unreviewed : null,
    origins: k?.byOrigin ?? {},
    extra: c.extra ?? {},
    tools: c.tools,
    trailer: c.trailer,
    status: c.status,
    ...(c.problem ? { problem: c.problem } : {}),
    merge: c.merge,
  };
}

function totalJson(total: ReportTotal): unknown {
  const k = total.counts;
  return {
    commits: total.commits,
    withTrailer: total.withTrailer,
    withoutTrailer: total.withoutTrailer,
    malformed: total.malformed,
    unsupportedVersion: total.unsupportedVersion,
    inconsistent: total.inconsistent,
    merges: total.merges,
    lines: k.lines,
    ai: k.ai,
    mixed: k.mixed,
    human: k.human,
    unknown: k.unknown,
    share: aiShare(k, 1),
    ...reviewedOf(k),
    origins: k.byOrigin,
    extra: total.extra,
    tools: total.tools,
  };
}

/** The `--json` document. Counts are `null` for commits without a readable trailer. */
export function reportJson(commits: readonly CommitReport[], total: ReportTotal, gates: readonly GateResult[]): unknown {
  return {
    shareDefinition: SHARE_DEFINITION,
    commits: commits.map(commitJson),
    total: totalJson(total),
    gates: gates.map((g) => ({ gate: g.gate, passed: g.passed, message: g.message, ...(g.commits ? { commits: g.commits } : {}) })),
  };
}
