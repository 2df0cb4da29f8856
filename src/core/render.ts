import { blocksOf, summarize } from './display';
import type { FileSummary } from './display';
import type { LineInfo } from './lines';
import { ORIGIN_LABELS } from './origin';
import type { Evidence } from './origin';
import { aiShare, formatTrailerValue, TRAILER_KEY } from './trailer';
import type { Counts } from './trailer';

/** Escapes Markdown, for text that may come from outside (a tool's name, a reviewer) in trusted Markdown. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}

/**
 * Evidence in words. In the hover (trusted markdown, for its command links)
 * anything that may come from outside, a tool's name, is escaped.
 */
export function describe(ev: Evidence, markdown = true, now = Date.now()): string {
  const esc = markdown ? escapeMarkdown : (s: string): string => s;
  const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
  const tool = ev.tool ? ` by ${code(ev.tool)}${ev.model ? ` (model ${code(ev.model)})` : ''}` : '';
  return `${ORIGIN_LABELS[ev.origin]}${tool}, ${relativeTime(ev.at, now)} — confidence: **${ev.confidence}** — ${esc(ev.detail)}`;
}

export function relativeTime(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 36) return `${h} h ago`;
  return `on ${new Date(at).toISOString().slice(0, 10)}`;
}

/** The line counts of a file by class, as a Markdown table. */
export function summaryTable(s: FileSummary, header: string): string[] {
  return [
    header ? `| ${header} | lines |` : '| | lines |',
    '|---|--:|',
    `| AI-written | ${s.ai} |`,
    `| mixed | ${s.mixed} |`,
    `| human | ${s.human} |`,
    `| unknown | ${s.unknown} |`,
    `| reviewed (of AI and mixed) | ${s.reviewed} |`,
  ];
}

/** "12 changed non-blank lines" */
export function changedLines(n: number): string {
  return `${n} changed non-blank line${n === 1 ? '' : 's'}`;
}

/**
 * The file report: the counts by class, then where each block of changed
 * lines came from, in Markdown. With `link`, each block's line span links to
 * the address it returns for the block's first line (zero-based).
 */
export function renderFileReport(name: string, infos: readonly LineInfo[], now = Date.now(), link?: (line: number) => string): string {
  const s = summarize(infos);
  const lines = [
    `# AI Provenance: ${name}`,
    '',
    `${changedLines(s.lines)} since the last commit; AI share ${aiShare(s)}% (lines with any AI text).`,
    '',
    ...summaryTable(s, 'class'),
    '',
    '## Where the text came from',
    '',
  ];
  const blocks = blocksOf(infos);
  if (blocks.length === 0) lines.push('No changed lines.');
  for (const b of blocks) {
    const where = b.from === b.to ? `Line ${b.from + 1}` : `Lines ${b.from + 1}–${b.to + 1}`;
    const review = b.reviewed && b.ev.reviewed ? ` Reviewed by ${b.ev.reviewed.by} ${relativeTime(b.ev.reviewed.at, now)}.` : '';
    const span = link ? `[**${where}**](${link(b.from).replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})` : `**${where}**`;
    lines.push(`- ${span} (${b.kind}): ${describe(b.ev, false, now)}.${review}`);
  }
  lines.push('', `Origins: ${Object.entries(ORIGIN_LABELS).map(([k, v]) => `\`${k}\` ${v.toLowerCase()}`).join('; ')}.`);
  return lines.join('\n') + '\n';
}

/** The status bar's tooltip: the counts of the active file, in Markdown. */
export function renderShareTooltip(s: FileSummary): string {
  return `**AI Provenance**: ${changedLines(s.lines)} in this file\n\n${summaryTable(s, '').join('\n')}\n\nClick for the file report.`;
}

/** What the commit hook would write for what is staged, per file, in Markdown. */
export function renderCommitPreview(
  repoName: string,
  staged: { readonly total: Counts; readonly files: ReadonlyArray<{ readonly path: string; readonly counts: Counts }> },
  unsavedFiles: number,
): string {
  const { total, files } = staged;
  const lines = [
    `# Commit provenance: ${repoName}`,
    '',
    'What the commit hook would write for the changes staged now:',
    '',
    `    ${TRAILER_KEY}: ${formatTrailerValue(total)}`,
    ...[...total.tools].sort().map((t) => `    Assisted-by: ${t}`),
    '',
  ];
  if (files.length === 0) lines.push('Nothing is staged.');
  else {
    lines.push('| file | lines | ai | mixed | human | unknown |', '|---|--:|--:|--:|--:|--:|');
    for (const f of files) {
      const c = f.counts;
      lines.push(`| ${f.path.replace(/\|/g, '\\|')} | ${c.lines} | ${c.ai} | ${c.mixed} | ${c.human} | ${c.unknown} |`);
    }
  }
  lines.push('', 'Counts are over non-blank added lines. A line the editor has no record of (changed outside it, or before tracking began) counts as unknown.');
  if (unsavedFiles) lines.push('', `Not included: unsaved changes in ${unsavedFiles} open file(s); save and stage them first.`);
  lines.push('', 'The trailer itself holds counts only: no code and no file names.');
  return lines.join('\n') + '\n';
}
