import { toolLabel } from '../../core/blame';
import type { AiRange } from '../../core/lineRanges';
import { addCounts, aiShare, emptyCounts, reviewedOf } from '../../core/trailer';
import type { Counts } from '../../core/trailer';
import { reviewJson } from './blameTable';
import type { RangeLines } from './lines';
import type { ReportTotal } from './summary';

/**
 * How `report --lines` shows the AI lines a range adds: in the table, as
 * JSON, as a pull-request summary in Markdown, and as GitHub workflow
 * commands (one annotation per range).
 */

/** The `files` member of `report --lines --json`: `[{ path, ranges: [{ start, end, class, origin, tool, reviewed }] }]`. */
export function linesJson(r: RangeLines): unknown[] {
  return r.files
    .filter((f) => f.ranges.length > 0)
    .map((f) => ({
      path: f.path,
      ranges: f.ranges.map((x) => ({ start: x.start, end: x.end, class: x.class, origin: x.origin ?? null, tool: toolLabel(x) ?? null, reviewed: reviewJson(x.reviewed) })),
    }));
}

function span(x: AiRange): string {
  return x.start === x.end ? `${x.start}` : `${x.start}-${x.end}`;
}

function reviewText(x: AiRange): string {
  if (!x.reviewed) return 'not reviewed';
  const when = x.reviewed.at > 0 ? ` on ${new Date(x.reviewed.at).toISOString().slice(0, 10)}` : '';
  return `reviewed${x.reviewed.by ? ` by ${x.reviewed.by}` : ''}${when}`;
}

/** The table's part for `--lines`: each file's AI ranges. */
export function formatLinesTable(r: RangeLines): string {
  const files = r.files.filter((f) => f.ranges.length > 0);
  const out = ['', `AI lines the range adds, still there at ${r.tip.slice(0, 12)}:`];
  if (files.length === 0) out.push('  none');
  const toolWidth = Math.max(4, ...files.flatMap((f) => f.ranges.map((x) => (toolLabel(x) ?? '-').length)));
  for (const f of files) {
    // Quoted as JSON only when it holds what a terminal would act on.
    out.push(`  ${/[\u0000-\u001f\u007f]/.test(f.path) ? JSON.stringify(f.path) : f.path}`);
    for (const x of f.ranges) out.push(`    ${span(x).padEnd(11)} ${x.class.padEnd(5)}  ${(x.origin ?? '-').padEnd(13)}  ${(toolLabel(x) ?? '-').padEnd(toolWidth)}  ${reviewText(x)}`);
  }
  return `${out.join('\n')}\n`;
}

/** GitHub's escaping of a workflow command's message (actions/toolkit `escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping of a workflow command's property value (`escapeProperty`): also `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `AI-written (ai-chat, claude-code:opus)`; a mixed range is only partly AI-written. */
export function annotationTitle(x: AiRange): string {
  const what = [x.origin, toolLabel(x)].filter((s): s is string => s !== undefined);
  return `${x.class === 'mixed' ? 'Partly AI-written' : 'AI-written'}${what.length > 0 ? ` (${what.join(', ')})` : ''}`;
}

/**
 * One workflow command per range: `::warning` for AI text nobody reviewed,
 * `::notice` for reviewed text, so the lines show in the pull request's diff.
 */
export function formatGithub(r: RangeLines): string {
  const out: string[] = [];
  for (const f of r.files) {
    for (const x of f.ranges) {
      const props = `file=${escapeProperty(f.path)},line=${x.start},endLine=${x.end},title=${escapeProperty(annotationTitle(x))}`;
      out.push(`::${x.reviewed ? 'notice' : 'warning'} ${props}::${escapeData(reviewText(x))}`);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** Text for Markdown: every ASCII punctuation character escaped, control characters percent-encoded. */
export function mdText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => encodeURIComponent(c)).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** The counts of every file of the range, added up. */
export function rangeCounts(r: RangeLines): Counts {
  const t = emptyCounts();
  for (const f of r.files) addCounts(t, f.counts);
  return t;
}

function reviewedCell(c: Pick<Counts, 'ai' | 'mixed' | 'reviewed'>): string {
  const r = reviewedOf(c);
  const n = r.reviewed + r.unreviewed;
  return n === 0 ? '–' : `${r.reviewed} of ${n} (${Math.round((r.reviewed * 100) / n)}%)`;
}

function fileRow(path: string, c: Counts): string {
  const t = [...c.tools].sort().map(mdText).join(', ') || '–';
  return `| ${path} | ${c.lines} | ${c.ai + c.mixed} | ${c.ai} | ${c.mixed} | ${c.human} | ${c.unknown} | ${reviewedCell(c)} | ${t} |`;
}

/** Ranges listed at most (a PR comment holds 65,536 characters). */
const MAX_LISTED = 200;

function rangeList(r: RangeLines): string[] {
  const all = r.files.flatMap((f) => f.ranges.map((x) => `- ${mdText(f.path)} line${x.start === x.end ? '' : 's'} ${span(x)}: ${mdText(annotationTitle(x))}, ${mdText(reviewText(x))}`));
  if (all.length === 0) return [];
  const more = all.length > MAX_LISTED ? [`- … and ${all.length - MAX_LISTED} more`] : [];
  return ['', '<details><summary>AI-written ranges</summary>', '', ...all.slice(0, MAX_LISTED), ...more, '', '</details>'];
}

/**
 * A pull-request summary (a CI job summary or a PR comment): the AI lines
 * the range adds that are still there, per file, reviewed share, tools,
 * totals; then what the commits' trailers say.
 */
export function formatMarkdown(revs: readonly string[], r: RangeLines, total: ReportTotal): string {
  const t = rangeCounts(r);
  const ai = t.ai + t.mixed;
  const out = [
    `### AI provenance of ${mdText(revs.join(' '))}`,
    '',
    `**${ai} of ${t.lines} added line${t.lines === 1 ? '' : 's'} AI-written** (${t.ai} wholly, ${t.mixed} in part), still there at ${r.tip.slice(0, 12)}. ` +
      `Reviewed: ${reviewedCell(t)}. Unknown origin: ${t.unknown}.${t.tools.size > 0 ? ` Tools: ${[...t.tools].sort().map(mdText).join(', ')}.` : ''}`,
  ];
  const files = r.files.filter((f) => f.counts.lines > 0);
  if (files.length > 0) {
    out.push('', '| File | Added lines | AI | wholly | in part | human | unknown | reviewed | tools |', '|---|--:|--:|--:|--:|--:|--:|---|---|');
    for (const f of files) out.push(fileRow(mdText(f.path), f.counts));
    out.push(fileRow('**Total**', t));
  }
  out.push(...rangeList(r));
  const k = total.counts;
  out.push(
    '',
    `Commits: ${total.commits}, ${total.withTrailer} with a readable AI-Provenance trailer; AI share from the trailers: ${aiShare(k, 1)}% (${k.ai + k.mixed} of ${k.lines} lines). ` +
      'Lines are counted from each commit\'s record (git notes); a line with no record is unknown, never human.',
  );
  return `${out.join('\n')}\n`;
}
