// The rules merged from four branches, checked against each other: a rule that explains one event must
// not reach into the next (the code action's spread), and a keystroke is typing whatever rule could match it.
import { strict as assert } from 'node:assert';
import { classifyEvent } from '../../src/core/changeFacts';
import type { ChangeSnapshot, ContentChange } from '../../src/core/changeFacts';
import { EvidencePool } from '../../src/core/classify';
import type { Evidence } from '../../src/core/origin';
import { SpanModel, type Run } from '../../src/core/spans';
import { snapshot } from './helpers/snapshot';

const ev = (origin: Evidence['origin']): Evidence => ({ origin, confidence: 'certain', detail: origin, at: 1 });
const OPTS = { externalPaste: 'unknown' as const };
const NOW = 10_000;

function run(before: string, runs: Run[], changes: ContentChange[], extra: Partial<ChangeSnapshot>): { origins: string[]; codeAction: string | undefined } {
  const model = new SpanModel(before.length, runs.length ? runs : before.length ? [{ len: before.length, ev: null }] : []);
  let after = before;
  for (const c of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) after = after.slice(0, c.rangeOffset) + c.text + after.slice(c.rangeOffset + c.rangeLength);
  const r = classifyEvent(snapshot(after, changes, { replaced: (c) => model.slice(c.rangeOffset, c.rangeLength), now: NOW, ...extra }), OPTS, new EvidencePool());
  return { origins: r.edits.flatMap((e) => e.insert.map((x) => `${x.ev?.origin ?? '-'}:${x.len}`)), codeAction: r.codeAction };
}

describe('classifier: the rules merged together', () => {
  it('an event another rule explained (an inline accept where the lightbulb showed a problem) opens no window for other documents', () => {
    const accept: ContentChange[] = [{ rangeOffset: 50, rangeLength: 0, text: 'const total = items.reduce((a, b) => a + b, 0);' }];
    const r = run('x'.repeat(200), [], accept, {
      intent: { kind: 'inline-accept', variant: 'full', at: NOW - 5 },
      codeActions: [{ at: NOW - 500, invoked: false, start: 50, end: 50, diagnostics: 1 }],
    });
    assert.deepEqual(r.origins, ['ai-completion:47']);
    assert.equal(r.codeAction, undefined);
  });

  it('an edit the code action on offer explained does open it (Move to a new file writes another file next)', () => {
    const text = 'export function moved(): number {\n  return compute(40) + 2;\n}\n';
    const block: ContentChange[] = [{ rangeOffset: 0, rangeLength: 0, text }];
    const r = run('const a = 1;\n', [], block, { cursors: [0], codeActions: [{ at: NOW - 500, invoked: true, start: 0, end: 0, diagnostics: 0 }] });
    assert.deepEqual(r.origins, [`ide:${text.length}`]);
    assert.equal(r.codeAction, 'menu');
  });

  it('an auto-closed pair typed while another editor of the document selects the same AI text stays typed', () => {
    const before = 'call();\nx = \n';
    const runs: Run[] = [{ len: 4, ev: null }, { len: 2, ev: ev('ai-completion') }, { len: before.length - 6, ev: null }];
    const r = run(before, runs, [{ rangeOffset: 12, rangeLength: 0, text: '()' }], { selections: [{ offset: 4, text: '()' }] });
    assert.deepEqual(r.origins, ['typed:2']);
  });

  it('an agent inserting a copy of the selected line in a file a chat session holds is the agent\'s, not a drop', () => {
    const line = '  const total = price * qty;\n';
    const before = `function f() {\n${line}}\n`;
    const runs: Run[] = [{ len: 15, ev: null }, { len: line.length, ev: ev('typed') }, { len: 2, ev: null }];
    const r = run(before, runs, [{ rangeOffset: 15 + line.length, rangeLength: 0, text: line }], { chatSession: true, selections: [{ offset: 15, text: line }] });
    assert.deepEqual(r.origins, [`ai-chat:${line.length}`]);
  });

  it('a character typed over a selected AI word and space is typed, not the AI text rearranged', () => {
    const before = 'let x = 1;\n';
    const runs: Run[] = [{ len: 4, ev: null }, { len: 2, ev: ev('ai-completion') }, { len: before.length - 6, ev: null }];
    const r = run(before, runs, [{ rangeOffset: 4, rangeLength: 2, text: 'x' }], { replacedText: () => 'x ' });
    assert.deepEqual(r.origins, ['typed:1']);
  });
});
