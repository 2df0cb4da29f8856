import type { FileSummary } from './display';
import { ORIGIN_LABELS } from './origin';
import type { Evidence } from './origin';
import { formatTrailerValue, TRAILER_KEY } from './trailer';
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
