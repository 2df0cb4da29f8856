import { blocksOf, summarize } from './display';
import type { Block } from './display';
import type { LineInfo } from './lines';
import { ORIGIN_LABELS } from './origin';
import { changedLines, relativeTime } from './render';
import { aiShare } from './trailer';

/** What the report's page posts when a line span is clicked: open the lines `line`..`toLine` (zero-based, inclusive). */
export interface OpenLinesMessage {
  readonly type: 'open';
  readonly line: number;
  readonly toLine: number;
}

/** A message from the page, checked: the page is ours, but what it posts is still input. */
export function parseOpenLines(msg: unknown): OpenLinesMessage | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const { type, line, toLine } = msg as Record<string, unknown>;
  if (type !== 'open' || !Number.isSafeInteger(line) || !Number.isSafeInteger(toLine)) return undefined;
  const from = line as number;
  const to = toLine as number;
  return from >= 0 && to >= from ? { type, line: from, toLine: to } : undefined;
}

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A nonce is base64 or hex from the caller's random source; anything else is refused rather than escaped into the policy. */
function checkNonce(nonce: string): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(nonce)) throw new Error('the report needs a nonce of at least 16 base64 characters');
  return nonce;
}

// Colours and fonts are VS Code's theme variables: the page follows the theme, light, dark or high contrast.
const STYLE = `
body { color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); line-height: 1.5; padding: 0 20px 20px; }
h1 { font-size: 1.4em; font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 6px; }
h2 { font-size: 1.1em; font-weight: 600; margin-top: 1.6em; }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 0 3px; border-radius: 3px; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--vscode-panel-border); padding: 2px 10px; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
ul.blocks { list-style: none; padding: 0; }
ul.blocks li { margin: 6px 0; padding: 4px 8px; border-left: 3px solid var(--vscode-panel-border); }
ul.blocks li.ai { border-left: 3px solid var(--vscode-charts-purple); }
ul.blocks li.mixed { border-left: 3px dashed var(--vscode-charts-orange); }
ul.blocks li.reviewed { border-left: 3px double var(--vscode-charts-green); }
button.span { font: inherit; font-weight: 600; color: var(--vscode-textLink-foreground); background: none; border: none; padding: 0; cursor: pointer; text-decoration: underline; }
button.span:hover, button.span:focus { color: var(--vscode-textLink-activeForeground); }
button.span:focus { outline: 1px solid var(--vscode-focusBorder); }
.kind { color: var(--vscode-descriptionForeground); }
.note { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
`;

// The page's one script: a click (or Enter) on a line span posts which lines to open; the extension opens them.
const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const b = e.target instanceof Element ? e.target.closest('button.span') : null;
  if (!b) return;
  vscode.postMessage({ type: 'open', line: Number(b.dataset.line), toLine: Number(b.dataset.toLine) });
});
`;

/** The kind of a block in words, and the class its item is drawn with. */
function blockClass(b: Block): { words: string; css: string } {
  if (b.kind === 'reviewed') return { words: 'reviewed', css: 'reviewed' };
  if (b.kind === 'mixed') return { words: 'mixed', css: 'mixed' };
  if (b.kind === 'ai-completion' || b.kind === 'ai-paste' || b.kind === 'ai-chat') return { words: 'AI-written', css: 'ai' };
  return { words: b.kind, css: 'other' };
}

/** One item of the list: the line span (a button opening the lines), then where the text came from, every outside string escaped. */
function blockItem(b: Block, now: number): string {
  const where = b.from === b.to ? `Line ${b.from + 1}` : `Lines ${b.from + 1}–${b.to + 1}`;
  const { words, css } = blockClass(b);
  const ev = b.ev;
  const tool = ev.tool ? ` by <code>${escapeHtml(ev.tool)}</code>${ev.model ? ` (model <code>${escapeHtml(ev.model)}</code>)` : ''}` : '';
  const review = b.reviewed && ev.reviewed ? ` Reviewed by ${escapeHtml(ev.reviewed.by)} ${escapeHtml(relativeTime(ev.reviewed.at, now))}.` : '';
  const span = `<button type="button" class="span" data-line="${b.from}" data-to-line="${b.to}" title="Open ${where.toLowerCase()}">${where}</button>`;
  return (
    `<li class="${css}">${span} <span class="kind">(${escapeHtml(words)})</span>: ${escapeHtml(ORIGIN_LABELS[ev.origin])}${tool}, ` +
    `${escapeHtml(relativeTime(ev.at, now))} — confidence: <strong>${escapeHtml(ev.confidence)}</strong> — ${escapeHtml(ev.detail)}.${review}</li>`
  );
}

/** The counts of the file by class, as an HTML table. */
function countsTable(infos: readonly LineInfo[]): string {
  const s = summarize(infos);
  const rows: Array<[string, number]> = [['AI-written', s.ai], ['mixed', s.mixed], ['human', s.human], ['unknown', s.unknown], ['reviewed (of AI and mixed)', s.reviewed]];
  return `<table><thead><tr><th>class</th><th>lines</th></tr></thead><tbody>${rows.map(([k, n]) => `<tr><td>${k}</td><td class="n">${n}</td></tr>`).join('')}</tbody></table>`;
}

/**
 * The file report as a page for a webview: the counts by class, then where
 * each block of changed lines came from, each line span a button that posts
 * an {@link OpenLinesMessage}. The page loads nothing: its policy allows only
 * its own style and script, by `nonce`; every string from outside (the file's
 * name, a tool, a model, a reviewer, a detail) is escaped.
 */
export function renderFileReportHtml(name: string, infos: readonly LineInfo[], nonce: string, now = Date.now()): string {
  const n = checkNonce(nonce);
  const s = summarize(infos);
  const blocks = blocksOf(infos);
  const list = blocks.length ? `<ul class="blocks">${blocks.map((b) => blockItem(b, now)).join('\n')}</ul>` : '<p>No changed lines.</p>';
  const origins = Object.entries(ORIGIN_LABELS).map(([k, v]) => `<code>${k}</code> ${escapeHtml(v.toLowerCase())}`).join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${n}'; script-src 'nonce-${n}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>AI Provenance: ${escapeHtml(name)}</title>
<style nonce="${n}">${STYLE}</style>
</head>
<body>
<h1>AI Provenance: <code>${escapeHtml(name)}</code></h1>
<p>${changedLines(s.lines)} since the last commit; AI share ${aiShare(s)}% (lines with any AI text).</p>
${countsTable(infos)}
<h2>Where the text came from</h2>
${list}
<p class="note">Origins: ${origins}.</p>
<script nonce="${n}">${SCRIPT}</script>
</body>
</html>
`;
}
