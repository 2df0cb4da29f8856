import { strict as assert } from 'node:assert';
import type { LineProvenance } from '../../src/core/blame';
import { historyMarks } from '../../src/core/history';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const NONE = '0'.repeat(40);
const line = (n: number, commit: string, cls: LineProvenance['class'], extra: Partial<LineProvenance> = {}): LineProvenance => ({
  line: n, commit, class: cls, recorded: true, blank: false, ...extra,
});

describe('history marks', () => {
  it('marks committed AI and mixed lines, merged into ranges; uncommitted and human lines stay unmarked', () => {
    const lines = [
      line(1, A, 'ai', { origin: 'ai-completion', tool: 'copilot' }),
      line(2, B, 'ai', { origin: 'ai-chat', tool: 'claude-code' }),
      line(3, A, 'human'),
      line(4, NONE, 'ai', { origin: 'ai-paste' }),
      line(5, B, 'mixed', { origin: 'ai-paste', reviewed: { by: 'Rita', at: 1 } }),
      line(6, B, 'unknown', { blank: true }),
      line(7, B, 'mixed', { origin: 'ai-paste', reviewed: { by: 'Rita', at: 1 } }),
    ];
    const m = historyMarks(lines);
    assert.deepEqual(m.ranges, [[0, 1], [4, 6]]);
    assert.deepEqual([...m.byLine.keys()], [0, 1, 4, 6]);
    assert.equal(m.byLine.get(1)?.tool, 'claude-code');
    assert.deepEqual(m.commits, [A, B]);
  });

  it('has nothing to mark in a file with no AI history', () => {
    const m = historyMarks([line(1, A, 'human'), line(2, NONE, 'ai')]);
    assert.deepEqual(m.ranges, []);
    assert.equal(m.byLine.size, 0);
  });
});
