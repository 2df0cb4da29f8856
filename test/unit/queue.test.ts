import { strict as assert } from 'node:assert';
import type { LineInfo } from '../../src/core/lines';
import type { Evidence, Origin } from '../../src/core/origin';
import { aiBlocks, buildQueue, NO_TOOL, nextUnreviewed } from '../../src/core/queue';

const ev = (origin: Origin, extra: Partial<Evidence> = {}): Evidence => ({ origin, confidence: 'certain', detail: origin, at: 1, ...extra });
const info = (line: number, cls: LineInfo['cls'], e: Evidence, reviewed = false): LineInfo => ({ line, cls, ev: e, reviewed });

const completion = ev('ai-completion', { tool: 'copilot' });
const paste = ev('ai-paste');
const agent = ev('ai-chat', { tool: 'claude-code', reviewed: { by: 'Ann', at: 5 } });
const typed = ev('typed');
const external = ev('external');

// a.ts: completion on lines 0-2, typed 3, mixed paste 5, external 7; b.ts: a reviewed agent block 10-11, then a completion 20.
const a: LineInfo[] = [info(0, 'ai', completion), info(1, 'ai', completion), info(2, 'ai', completion), info(3, 'human', typed), info(5, 'mixed', paste), info(7, 'unknown', external)];
const b: LineInfo[] = [info(10, 'ai', agent, true), info(11, 'ai', agent, true), info(20, 'ai', completion)];

describe('queue', () => {
  it('keeps only AI and mixed blocks, one per run of lines with the same mark and evidence', () => {
    const blocks = aiBlocks('a', a);
    assert.deepEqual(
      blocks.map((x) => [x.from, x.to, x.kind, x.reviewed]),
      [
        [0, 2, 'ai-completion', false],
        [5, 5, 'mixed', false],
      ],
    );
    // A line with the same evidence but a different mark starts a new block.
    const split = aiBlocks('c', [info(0, 'ai', completion), info(1, 'mixed', completion), info(2, 'ai', completion, true)]);
    assert.deepEqual(split.map((x) => x.kind), ['ai-completion', 'mixed', 'reviewed']);
  });

  it('groups by file in label order, counts unreviewed lines for the badge and lists the tools', () => {
    const q = buildQueue([
      { key: 'file:///b', label: 'src/b.ts', infos: b },
      { key: 'file:///a', label: 'src/a.ts', infos: a },
      { key: 'file:///n', label: 'src/none.ts', infos: [info(0, 'human', typed)] },
    ]);
    assert.deepEqual(q.files.map((f) => f.label), ['src/a.ts', 'src/b.ts']);
    assert.equal(q.unreviewedLines, 3 + 1 + 1);
    assert.deepEqual(q.files.map((f) => f.unreviewedLines), [4, 1]);
    assert.deepEqual(q.tools, [NO_TOOL, 'claude-code', 'copilot'].sort());
  });

  it('filters to unreviewed blocks and to tools, without changing the badge count', () => {
    const inputs = [
      { key: 'a', label: 'a', infos: a },
      { key: 'b', label: 'b', infos: b },
    ];
    const unreviewed = buildQueue(inputs, { unreviewedOnly: true });
    assert.deepEqual(unreviewed.files.map((f) => f.blocks.map((x) => x.from)), [[0, 5], [20]]);
    assert.equal(unreviewed.unreviewedLines, 5);
    const agentOnly = buildQueue(inputs, { unreviewedOnly: false, tools: new Set(['claude-code']) });
    assert.deepEqual(agentOnly.files.map((f) => [f.key, f.blocks.map((x) => x.from)]), [['b', [10]]]);
    const none = buildQueue(inputs, { unreviewedOnly: true, tools: new Set(['claude-code']) });
    assert.deepEqual(none.files, []);
    assert.equal(none.unreviewedLines, 5);
  });

  it('walks the unreviewed blocks in queue order from the cursor, wrapping around', () => {
    const q = buildQueue([
      { key: 'a', label: 'a', infos: a },
      { key: 'b', label: 'b', infos: b },
    ]);
    const walk = (at?: { file: string; line: number }): [string, number] | undefined => {
      const n = nextUnreviewed(q, at);
      return n && [n.file, n.from];
    };
    assert.deepEqual(walk(), ['a', 0]);
    assert.deepEqual(walk({ file: 'a', line: 0 }), ['a', 5]);
    assert.deepEqual(walk({ file: 'a', line: 1 }), ['a', 5]);
    // The reviewed agent block in b is skipped.
    assert.deepEqual(walk({ file: 'a', line: 5 }), ['b', 20]);
    assert.deepEqual(walk({ file: 'b', line: 20 }), ['a', 0]);
    assert.deepEqual(walk({ file: 'elsewhere', line: 3 }), ['a', 0]);
    assert.equal(nextUnreviewed(buildQueue([{ key: 'b', label: 'b', infos: b.slice(0, 2) }])), undefined);
  });
});
