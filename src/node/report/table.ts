import { aiShare, ASSISTED_BY_KEY, reviewedOf } from '../../core/trailer';
import type { Counts } from '../../core/trailer';
import type { CommitReport } from './commits';
import { describeStatus, SHARE_DEFINITION } from './summary';
import type { ReportTotal } from './summary';

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
}

const PLAIN: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s };
const ANSI: Style = { bold: (s) => `\x1b[1m${s}\x1b[22m`, dim: (s) => `\x1b[2m${s}\x1b[22m`, red: (s) => `\x1b[31m${s}\x1b[39m` };

const SUBJECT_MAX = 72;

function tokensText(counts: Counts, extra: Record<string, number>): string {
  return [...Object.entries(counts.byOrigin), ...Object.entries(extra)].map(([k, n]) => `${k}=${n}`).join(' ');
}

function reviewedCell(k: Counts): string {
  const r = reviewedOf(k);
  return r.reviewed + r.unreviewed === 0 ? '-' : `${r.reviewed}/${r.reviewed + r.unreviewed}`;
}

/** Lays out the columns; every commit row and the total row share it. */
class Columns {
  readonly indent: string;
  constructor(private readonly shaWidth: number) {
    this.indent = ' '.repeat(shaWidth + 2);
  }

  row(sha: string, cells: readonly string[]): string {
    const widths = [6, 6, 6, 6, 6, 7, 10];
    return [sha.padEnd(this.shaWidth), ...cells.map((c, i) => c.padStart(widths[i]))].join('  ');
  }

  counts(sha: string, k: Counts): string {
    return this.row(sha, [`${aiShare(k, 1).toFixed(1)}%`, String(k.lines), String(k.ai), String(k.mixed), String(k.human), String(k.unknown), reviewedCell(k)]);
  }
}

function commitRows(c: CommitReport, cols: Columns, st: Style): string[] {
  const subject = c.subject.length > SUBJECT_MAX ? `${c.subject.slice(0, SUBJECT_MAX - 1)}…` : c.subject;
  if (c.counts) {
    const details = [tokensText(c.counts, c.extra ?? {}), c.tools.map((t) => `${ASSISTED_BY_KEY}: ${t}`).join(', ')].filter((s) => s !== '');
    return [`${cols.counts(c.shortSha, c.counts)}  ${subject}`, ...(details.length > 0 ? [st.dim(`${cols.indent}${details.join(' · ')}`)] : [])];
  }
  const what = describeStatus(c);
  const text = `${cols.row(c.shortSha, ['-', '-', '-', '-', '-', '-', '-'])}  ${subject}`;
  return c.status === 'missing' ? [st.dim(text), st.dim(`${cols.indent}${what}`)] : [text, st.red(`${cols.indent}${what}`)];
}

function totalRows(total: ReportTotal, cols: Columns, st: Style): string[] {
  const k = total.counts;
  const out = ['', st.bold(cols.counts('total', k))];
  const tok = tokensText(k, total.extra);
  if (tok) out.push(`${cols.indent}${tok}`);
  if (total.tools.length > 0) out.push(`${cols.indent}tools: ${total.tools.join(', ')}`);
  const parts = [`${total.commits} commit${total.commits === 1 ? '' : 's'}`, `${total.withTrailer} with a trailer`, `${total.withoutTrailer} without`];
  if (total.malformed) parts.push(`${total.malformed} malformed`);
  if (total.unsupportedVersion) parts.push(`${total.unsupportedVersion} of an unsupported version`);
  if (total.inconsistent) parts.push(`${total.inconsistent} inconsistent`);
  if (total.merges) parts.push(`${total.merges} merge${total.merges === 1 ? '' : 's'} (the hook leaves merges alone)`);
  out.push(parts.join(', '));
  const r = reviewedOf(k);
  if (r.reviewed + r.unreviewed > 0) out.push(`AI lines reviewed: ${r.reviewed}, not reviewed: ${r.unreviewed} (reviewed = marked in the editor as read and vouched for)`);
  out.push(SHARE_DEFINITION);
  return out;
}

/** The human-readable table. `color` only when writing to a terminal. */
export function formatTable(commits: readonly CommitReport[], total: ReportTotal, color: boolean): string {
  const st = color ? ANSI : PLAIN;
  const cols = new Columns(Math.max(7, ...commits.map((c) => c.shortSha.length)));
  const header = cols.row('commit', ['ai%', 'lines', 'ai', 'mixed', 'human', 'unknown', 'reviewed']);
  const out = [st.bold(`${header}  subject`), ...commits.flatMap((c) => commitRows(c, cols, st)), ...totalRows(total, cols, st)];
  return `${out.join('\n')}\n`;
}
