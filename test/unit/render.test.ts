import { strict as assert } from 'node:assert';
import type { LineInfo } from '../../src/core/lines';
import { nextAiBlock } from '../../src/core/navigate';
import type { Evidence, Origin } from '../../src/core/origin';
import { describe as describeEvidence, escapeMarkdown, relativeTime, renderCommitPreview, renderShareTooltip } from '../../src/core/render';
import { emptyCounts } from '../../src/core/trailer';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const ev = (origin: Origin, extra: Partial<Evidence> = {}): Evidence => ({ origin, confidence: 'likely', detail: `${origin} detail`, at: NOW - 5 * 60_000, ...extra });
const info = (line: number, cls: LineInfo['cls'], e: Evidence, reviewed = false): LineInfo => ({ line, cls, ev: e, reviewed });

describe('render', () => {
  it('writes the status bar tooltip with the same table', () => {
    const md = renderShareTooltip({ lines: 1, ai: 1, mixed: 0, human: 0, unknown: 0, reviewed: 0 });
    assert.equal(
      md,
      '**AI Provenance**: 1 changed non-blank line in this file\n\n| | lines |\n|---|--:|\n| AI-written | 1 |\n| mixed | 0 |\n| human | 0 |\n| unknown | 0 |\n| reviewed (of AI and mixed) | 0 |\n\nClick for the file report.',
    );
  });

  it('writes the commit preview: the trailer, the tools, a row per file, and what is left out', () => {
    const total = emptyCounts();
    total.lines = 3;
    total.ai = 2;
    total.human = 1;
    total.tools.add('zed').add('copilot');
    const files = [{ path: 'a|b.ts', counts: total }];
    const md = renderCommitPreview('repo', { total, files }, 2);
    assert.ok(md.startsWith('# Commit provenance: repo\n'));
    assert.ok(md.includes('    AI-Provenance: v=1 lines=3 ai=2 '));
    assert.ok(md.includes('    Assisted-by: copilot\n    Assisted-by: zed\n'));
    assert.ok(md.includes('| a\\|b.ts | 3 | 2 | 0 | 1 | 0 |'));
    assert.ok(md.includes('unsaved changes in 2 open file(s)'));
    const none = renderCommitPreview('repo', { total: emptyCounts(), files: [] }, 0);
    assert.ok(none.includes('Nothing is staged.') && !none.includes('unsaved'));
  });

  it('escapes what may come from outside in trusted Markdown, and only there', () => {
    assert.equal(escapeMarkdown('[x](command:y)'), '\\[x\\]\\(command:y\\)');
    const e = ev('unknown', { detail: 'a_b' });
    assert.ok(describeEvidence(e, true, NOW).endsWith('a\\_b'));
    assert.ok(describeEvidence(e, false, NOW).endsWith('a_b'));
  });

  it("names an agent's model beside the agent when its hook gave one", () => {
    const e = ev('ai-chat', { confidence: 'certain', tool: 'claude-code', model: 'claude-opus-4-5' });
    assert.ok(describeEvidence(e, true, NOW).startsWith('AI chat or agent by `claude-code` (model `claude-opus-4-5`), '));
    assert.ok(describeEvidence({ ...e, model: undefined }, true, NOW).startsWith('AI chat or agent by `claude-code`, '));
  });

  it('says when in words', () => {
    assert.equal(relativeTime(NOW - 10_000, NOW), 'just now');
    assert.equal(relativeTime(NOW - 10 * 60_000, NOW), '10 min ago');
    assert.equal(relativeTime(NOW - 3 * 3_600_000, NOW), '3 h ago');
    assert.equal(relativeTime(NOW - 3 * 86_400_000, NOW), 'on 2026-11-27');
  });
});

describe('nextAiBlock', () => {
  const a = ev('ai-chat');
  const infos = [info(2, 'ai', a), info(3, 'mixed', a), info(5, 'human', ev('typed')), info(8, 'ai', a)];
  it('goes to the start of the next or previous block of AI lines, wrapping around', () => {
    assert.equal(nextAiBlock(infos, 0, 1), 2);
    assert.equal(nextAiBlock(infos, 2, 1), 8);
    assert.equal(nextAiBlock(infos, 9, 1), 2);
    assert.equal(nextAiBlock(infos, 8, -1), 2);
    assert.equal(nextAiBlock(infos, 1, -1), 8);
    assert.equal(nextAiBlock([info(1, 'human', ev('typed'))], 0, 1), undefined);
  });
});
