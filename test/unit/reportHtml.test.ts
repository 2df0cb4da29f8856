import { strict as assert } from 'node:assert';
import type { LineInfo } from '../../src/core/lines';
import type { Evidence, Origin } from '../../src/core/origin';
import { escapeHtml, parseOpenLines, renderFileReportHtml } from '../../src/core/reportHtml';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const NONCE = 'AbCdEfGhIjKlMnOpQrStUvWx';
const ev = (origin: Origin, extra: Partial<Evidence> = {}): Evidence => ({ origin, confidence: 'likely', detail: `${origin} detail`, at: NOW - 5 * 60_000, ...extra });
const info = (line: number, cls: LineInfo['cls'], e: Evidence, reviewed = false): LineInfo => ({ line, cls, ev: e, reviewed });

/** The page's tags, by name: what a browser would build from it. */
const tags = (html: string, name: string): string[] => html.match(new RegExp(`<${name}\\b[^>]*>`, 'gi')) ?? [];
/** Every tag of the page: an escaped `<` is text, so each `<` left is one. */
const allTags = (html: string): string[] => html.match(/<[^>]*>/g) ?? [];
const text = (html: string): string => html.replace(/<[^>]*>/g, '').replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));

describe('the file report page', () => {
  it('draws the counts, then one item per block whose line span carries the lines to open', () => {
    const chat = ev('ai-chat', { tool: 'claude-code', model: 'opus', reviewed: { by: 'Ann <ann@example.com>', at: NOW - 2 * 3_600_000 } });
    const typed = ev('typed');
    const html = renderFileReportHtml('src/a.ts', [info(0, 'ai', chat, true), info(1, 'ai', chat, true), info(2, 'human', typed), info(4, 'ai', ev('ai-completion'))], NONCE, NOW);
    const t = text(html);
    assert.ok(t.includes('AI Provenance: src/a.ts'));
    assert.ok(t.includes('4 changed non-blank lines since the last commit; AI share 75% (lines with any AI text).'), t);
    assert.ok(html.includes('<tr><td>AI-written</td><td class="n">3</td></tr>'));
    assert.ok(html.includes('<tr><td>reviewed (of AI and mixed)</td><td class="n">2</td></tr>'));
    const spans = tags(html, 'button');
    assert.deepEqual(spans.map((b) => [/data-line="(\d+)"/.exec(b)?.[1], /data-to-line="(\d+)"/.exec(b)?.[1]]), [['0', '1'], ['2', '2'], ['4', '4']]);
    assert.ok(t.includes('Lines 1–2 (reviewed): AI chat or agent by claude-code (model opus), 5 min ago — confidence: likely — ai-chat detail. Reviewed by Ann <ann@example.com> 2 h ago.'), t);
    assert.ok(t.includes('Line 3 (human): Typed, 5 min ago'), t);
    assert.ok(t.includes('Line 5 (AI-written): AI inline completion, 5 min ago'), t);
    assert.ok(html.includes('<li class="reviewed">') && html.includes('<li class="ai">'));
    assert.ok(text(renderFileReportHtml('b', [], NONCE, NOW)).includes('No changed lines.'));
  });

  it('loads nothing: a strict policy, the one style and the one script by nonce, colours from the theme', () => {
    const html = renderFileReportHtml('a.ts', [info(0, 'ai', ev('ai-paste'))], NONCE, NOW);
    const csp = tags(html, 'meta').find((m) => m.includes('Content-Security-Policy'));
    assert.equal(csp, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}';">`);
    assert.deepEqual(tags(html, 'script'), [`<script nonce="${NONCE}">`]);
    assert.deepEqual(tags(html, 'style'), [`<style nonce="${NONCE}">`]);
    assert.ok(!/https?:|src=|<link|<img|<iframe/i.test(html), 'no address, no resource');
    assert.ok(!allTags(html).some((t) => /\son\w+=/i.test(t)), 'no inline handler');
    assert.ok(html.includes('var(--vscode-editor-foreground)') && html.includes('var(--vscode-editor-background)') && html.includes('var(--vscode-textLink-foreground)'));
    assert.ok(!/#[0-9a-f]{3,6}\b|rgb\(/i.test(/<style[^>]*>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? ''), 'no fixed colour');
    // The script parses (it runs in the webview, where acquireVsCodeApi exists).
    const script = /<script[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.doesNotThrow(() => new Function(script));
    assert.ok(script.includes("postMessage({ type: 'open', line: Number(b.dataset.line), toLine: Number(b.dataset.toLine) })"));
  });

  it('escapes every string from outside: a hostile file name, tool, model, reviewer and detail stay text', () => {
    const name = `src/<script>alert(1)</script>"'&\`.ts`;
    const hostile = ev('ai-chat', {
      tool: '</code><script>alert(2)</script>',
      model: '"><img src=x onerror=alert(3)>',
      detail: '<b onclick="x()">bold</b> & </li></ul><style>body{display:none}</style>',
      reviewed: { by: "Eve <eve@x>'\"<iframe src=javascript:alert(4)>", at: NOW },
    });
    const html = renderFileReportHtml(name, [info(0, 'ai', hostile, true)], NONCE, NOW);
    assert.equal(tags(html, 'script').length, 1);
    assert.equal(tags(html, 'style').length, 1);
    assert.equal(tags(html, 'img').length + tags(html, 'iframe').length + tags(html, 'b').length, 0);
    assert.ok(!allTags(html).some((t) => /\son\w+=|javascript:/i.test(t)));
    const t = text(html);
    assert.ok(t.includes(`AI Provenance: ${name}`), t);
    assert.ok(t.includes('by </code><script>alert(2)</script> (model "><img src=x onerror=alert(3)>)'), t);
    assert.ok(t.includes('<b onclick="x()">bold</b> & </li></ul><style>body{display:none}</style>.'), t);
    assert.ok(t.includes(`Reviewed by Eve <eve@x>'"<iframe src=javascript:alert(4)> just now.`), t);
    assert.equal(escapeHtml(`<a href="x" title='y'>&\`</a>`), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#96;&#60;/a&#62;');
  });

  it('refuses a nonce that could break out of the policy', () => {
    assert.throws(() => renderFileReportHtml('a', [], `${NONCE}'; script-src *`, NOW), /nonce/);
    assert.throws(() => renderFileReportHtml('a', [], 'short', NOW), /nonce/);
  });

  it('takes from the page only a well-formed request to open lines', () => {
    assert.deepEqual(parseOpenLines({ type: 'open', line: 2, toLine: 4 }), { type: 'open', line: 2, toLine: 4 });
    for (const bad of [undefined, null, 'open', { type: 'open', line: 2 }, { type: 'open', line: -1, toLine: 0 }, { type: 'open', line: 3, toLine: 2 },
      { type: 'open', line: 1.5, toLine: 2 }, { type: 'open', line: '1', toLine: 2 }, { type: 'run', line: 1, toLine: 1 }, { type: 'open', line: NaN, toLine: NaN }]) {
      assert.equal(parseOpenLines(bad), undefined, JSON.stringify(bad));
    }
  });
});
