import { strict as assert } from 'node:assert';
import { classifyEvent, gatherFacts } from '../../src/core/changeFacts';
import type { ChangeSnapshot, ContentChange } from '../../src/core/changeFacts';
import { EvidencePool } from '../../src/core/classify';
import type { Intent } from '../../src/core/classify';
import { dropOf, sameDroppedText, type SelectedText } from '../../src/core/dragDrop';
import type { Evidence } from '../../src/core/origin';
import { SpanModel, type Run } from '../../src/core/spans';
import { snapshot } from './helpers/snapshot';

const ev = (origin: Evidence['origin'], detail: string = origin, tool?: string): Evidence => ({ origin, confidence: 'certain', detail, tool, at: 1 });
const TYPED = ev('typed');
const AI = ev('ai-completion', 'accepted an inline suggestion', 'fixture.ai');
const OPTS = { externalPaste: 'ai' as const };

/**
 * What VS Code's drop (DragAndDropCommand) sends for selected text `[from, to)`
 * dropped at `target`: the deletion of the selection unless `copy`, and the
 * insertion of its text, in one event, sorted from the end of the document,
 * every offset in the text before the event.
 */
function dropEvent(before: string, from: number, to: number, target: number, copy = false): { changes: ContentChange[]; after: string } {
  const text = before.slice(from, to);
  const changes: ContentChange[] = [{ rangeOffset: target, rangeLength: 0, text }];
  if (!copy) changes.push({ rangeOffset: from, rangeLength: to - from, text: '' });
  changes.sort((a, b) => b.rangeOffset - a.rangeOffset);
  let after = before;
  for (const c of changes) after = after.slice(0, c.rangeOffset) + c.text + after.slice(c.rangeOffset + c.rangeLength);
  return { changes, after };
}

/** The snapshot of one event on a document with origins, as the capture layer gives it. */
function snapshotOn(model: SpanModel, after: string, changes: ContentChange[], extra: Partial<ChangeSnapshot> = {}): ChangeSnapshot {
  return snapshot(after, changes, { replaced: (c) => model.slice(c.rangeOffset, c.rangeLength), ...extra });
}

/** Classifies and applies a drop on a model; returns the origin of each character of the text after it ('-' for base text). */
function applyDrop(before: string, runs: Run[], from: number, to: number, target: number, opts: { copy?: boolean; selections?: SelectedText[]; intent?: Intent } = {}): { after: string; origins: string[]; model: SpanModel } {
  const model = new SpanModel(before.length, runs);
  const { changes, after } = dropEvent(before, from, to, target, opts.copy);
  const selections = opts.selections ?? [{ offset: from, text: before.slice(from, to) }];
  const { edits } = classifyEvent(snapshotOn(model, after, changes, { selections, intent: opts.intent }), OPTS, new EvidencePool());
  model.apply(edits);
  const origins: string[] = [];
  for (const r of model.getRuns()) for (let k = 0; k < r.len; k++) origins.push(r.ev?.origin ?? '-');
  return { after, origins, model };
}

/** The origins of the characters of line `n` of `text`, one name per distinct run, in order. */
function lineOrigins(text: string, origins: string[], n: number): string[] {
  const start = text.split('\n').slice(0, n).join('\n').length + (n > 0 ? 1 : 0);
  const line = text.split('\n')[n];
  const out: string[] = [];
  for (let k = start; k < start + line.length; k++) if (out[out.length - 1] !== origins[k]) out.push(origins[k]);
  return out;
}

describe('dropOf', () => {
  const before = '// a\nlet w = 1;\nlet h = 2;\n// end\n';
  const from = before.indexOf('let w');
  const to = before.indexOf('// end');
  const sel: SelectedText[] = [{ offset: from, text: before.slice(from, to) }];

  it('recognises a move up or down, whatever order the two changes come in', () => {
    const up = dropEvent(before, from, to, 0).changes;
    assert.deepEqual(dropOf(up, sel), { kind: 'move', insert: 1, source: sel[0] });
    assert.deepEqual(dropOf([...up].reverse(), sel), { kind: 'move', insert: 0, source: sel[0] });
    const down = dropEvent(before, from, to, before.length).changes;
    assert.deepEqual(dropOf(down, sel), { kind: 'move', insert: 0, source: sel[0] });
  });

  it('recognises a copy outside the selection or at either of its ends', () => {
    for (const target of [0, from, to, before.length]) {
      assert.deepEqual(dropOf(dropEvent(before, from, to, target, true).changes, sel), { kind: 'copy', insert: 0, source: sel[0] }, `at ${target}`);
    }
    assert.equal(dropOf(dropEvent(before, from, to, from + 3, true).changes, sel), undefined, 'inside the selection');
  });

  it('finds the dragged one among several selections', () => {
    const other: SelectedText = { offset: 0, text: '// a' };
    assert.equal(dropOf(dropEvent(before, from, to, 0).changes, [other, ...sel])?.source, sel[0]);
  });

  it('is no drop without selections, with other text, another range or another shape', () => {
    const { changes } = dropEvent(before, from, to, 0);
    assert.equal(dropOf(changes, []), undefined);
    assert.equal(dropOf(changes, [{ offset: from, text: before.slice(from, to - 1) + 'X' }]), undefined, 'other text of the same length');
    assert.equal(dropOf(changes, [{ offset: from + 1, text: before.slice(from, to) }]), undefined, 'a selection elsewhere');
    const typedOver = changes.map((c) => (c.text ? c : { ...c, text: 'x' }));
    assert.equal(dropOf(typedOver, sel), undefined, 'the selection replaced, not deleted');
    const replaced = changes.map((c) => (c.text ? { ...c, rangeLength: 1 } : c));
    assert.equal(dropOf(replaced, sel), undefined, 'the insertion replaces text');
    assert.equal(dropOf([...changes, { rangeOffset: 0, rangeLength: 0, text: 'x' }], sel), undefined, 'three changes');
    const inside = [{ rangeOffset: from + 2, rangeLength: 0, text: sel[0].text }, { rangeOffset: from, rangeLength: sel[0].text.length, text: '' }];
    assert.equal(dropOf(inside, sel), undefined, 'a move into the moved text');
  });

  it('allows the line endings of the document and nothing else', () => {
    assert.equal(sameDroppedText('a\r\nb', 'a\nb'), true);
    assert.equal(sameDroppedText('a\nb', 'a\r\nb'), true);
    assert.equal(sameDroppedText('a\nb', 'a\n b'), false);
    assert.equal(sameDroppedText('a\nb', 'a\nb\n'), false);
  });
});

describe('drag and drop keeps the origins of the dragged text', () => {
  // '// i' base, two typed lines, '// end' base
  const before = '// i\nlet width = 10;\nlet height = 20;\n// end\n';
  const from = before.indexOf('let width');
  const to = before.indexOf('// end');
  const typedRuns: Run[] = [{ len: from, ev: null }, { len: to - from, ev: TYPED }, { len: before.length - to, ev: null }];

  it('keeps two typed lines moved to the top typed, never AI (issue 9, flow I)', () => {
    const { after, origins } = applyDrop(before, typedRuns, from, to, 0);
    assert.equal(after, 'let width = 10;\nlet height = 20;\n// i\n// end\n');
    assert.deepEqual(lineOrigins(after, origins, 0), ['typed']);
    assert.deepEqual(lineOrigins(after, origins, 1), ['typed']);
    assert.deepEqual(lineOrigins(after, origins, 2), ['-']);
    assert.ok(!origins.some((o) => o.startsWith('ai')));
  });

  it('without the selection before it, the same event is what it always was (a block away from the cursor): the selection is the evidence', () => {
    const model = new SpanModel(before.length, typedRuns);
    const { changes, after } = dropEvent(before, from, to, 0);
    const { edits } = classifyEvent(snapshotOn(model, after, changes), OPTS, new EvidencePool());
    const ins = edits.find((e) => e.insert.length > 0);
    assert.deepEqual(ins?.insert.map((r) => r.ev?.origin), ['ai-chat']);
  });

  it('keeps moved AI lines ai-completion with their tool and evidence (issue 9, flow J)', () => {
    const text = '// j\n\nconst b = 2;\nconst c = 3;\n';
    const s = text.indexOf('const b');
    const runs: Run[] = [{ len: s, ev: null }, { len: text.length - s, ev: AI }];
    const { after, origins, model } = applyDrop(text, runs, s, text.length, 0);
    assert.equal(after, 'const b = 2;\nconst c = 3;\n// j\n\n');
    assert.deepEqual(lineOrigins(after, origins, 0), ['ai-completion']);
    assert.deepEqual(lineOrigins(after, origins, 1), ['ai-completion']);
    assert.equal(model.runAt(0)?.ev, AI, 'the very evidence, tool included');
  });

  it('keeps each part of a mixed selection its own origin, and gives moved base text the drop (the person’s)', () => {
    const text = 'const a = 1; // note\nnext\n';
    // 'const a = 1;' AI, ' // note' base, then the line break typed
    const runs: Run[] = [{ len: 12, ev: AI }, { len: 8, ev: null }, { len: 1, ev: TYPED }, { len: 5, ev: null }];
    const { after, origins, model } = applyDrop(text, runs, 0, 21, text.length);
    assert.equal(after, 'next\nconst a = 1; // note\n');
    assert.deepEqual(lineOrigins(after, origins, 1), ['ai-completion', 'ide']);
    assert.equal(origins[after.length - 1], 'typed');
    const base = model.runAt(after.indexOf('// note'))?.ev;
    assert.equal(base?.confidence, 'likely');
    assert.match(base?.detail ?? '', /moved by drag and drop/);
  });

  it('keeps the origins of a word moved within a line', () => {
    const text = 'foo(alpha, beta);\n';
    const runs: Run[] = [{ len: 4, ev: TYPED }, { len: 5, ev: AI }, { len: 9, ev: TYPED }];
    const { after, origins } = applyDrop(text, runs, 4, 9, 15);
    assert.equal(after, 'foo(, betaalpha);\n');
    assert.deepEqual(origins.slice(10, 15), Array(5).fill('ai-completion'));
    assert.ok(origins.slice(0, 10).every((o) => o === 'typed'));
  });

  it('gives a copy (Ctrl held) the runs of the text it copies, which stays as it was', () => {
    const { after, origins } = applyDrop(before, typedRuns, from, from + 'let width = 10;\n'.length, before.length, { copy: true });
    assert.equal(after, before + 'let width = 10;\n');
    assert.deepEqual(lineOrigins(after, origins, 4), ['typed']);
    assert.deepEqual(lineOrigins(after, origins, 1), ['typed'], 'the source keeps its runs');
    const ai = applyDrop('xyz\n', [{ len: 4, ev: AI }], 0, 4, 4, { copy: true });
    assert.deepEqual(ai.origins, Array(8).fill('ai-completion'));
    // Two characters dropped are a keystroke's worth: taken for typing, never for the AI text they copy.
    const pair = applyDrop('x\n', [{ len: 2, ev: AI }], 0, 2, 2, { copy: true });
    assert.deepEqual(pair.origins, ['ai-completion', 'ai-completion', 'typed', 'typed']);
  });

  it('lays the runs over the document’s line endings', () => {
    const text = 'a = 1\r\nb = 2\r\n';
    const model = new SpanModel(text.length, [{ len: text.length, ev: TYPED }]);
    const inserted = 'a = 1\nb = 2\n';
    const changes = [{ rangeOffset: text.length, rangeLength: 0, text: inserted }];
    const { edits } = classifyEvent(snapshotOn(model, text + inserted, changes, { selections: [{ offset: 0, text }] }), OPTS, new EvidencePool());
    assert.equal(edits[0].insert.length, 1);
    assert.equal(edits[0].insert[0].ev, TYPED);
    assert.equal(edits[0].insert[0].len, inserted.length);
  });

  it('never turns text into AI: every dropped character is AI only where the dragged one was', () => {
    const origins: Evidence[] = [TYPED, AI, ev('ai-chat'), ev('paste'), ev('unknown')];
    const text = 'abcdefghij\nklmnopqrst\nuvwxyz\n';
    for (let seed = 1; seed <= 40; seed++) {
      const runs: Run[] = [];
      for (let k = 0; k < text.length; k++) runs.push({ len: 1, ev: (seed * 7 + k * 13) % 6 === 5 ? null : origins[(seed + k * 3) % origins.length] });
      const from = seed % 9;
      const to = from + 3 + (seed % 11);
      const target = seed % 2 ? to + 2 + (seed % 5) : 0;
      const model = new SpanModel(text.length, runs);
      const { changes, after } = dropEvent(text, from, to, target, seed % 3 === 0);
      const { edits } = classifyEvent(snapshotOn(model, after, changes, { selections: [{ offset: from, text: text.slice(from, to) }] }), OPTS, new EvidencePool());
      const ins = edits.find((e) => e.insert.length > 0)!;
      const got = ins.insert.flatMap((r) => Array(r.len).fill(r.ev) as Array<Evidence | null>);
      got.forEach((e, k) => {
        const was = runs[from + k].ev;
        assert.equal(e?.origin.startsWith('ai'), was?.origin.startsWith('ai') ?? false, `seed ${seed} char ${k}`);
        if (was) assert.equal(e, was);
      });
    }
  });

  it('leaves an intercepted command its own say, and asks for the runs only of a drop', () => {
    const intent: Intent = { kind: 'ide', what: 'duplicated the selection', at: 9_999, anyDocument: false };
    const { origins, after } = applyDrop(before, typedRuns, from, to, 0, { intent });
    assert.deepEqual(lineOrigins(after, origins, 0), ['ide']);
    let asked = 0;
    const model = new SpanModel(before.length, typedRuns);
    const typing = [{ rangeOffset: 3, rangeLength: 0, text: 'x' }];
    const facts = gatherFacts(snapshotOn(model, before, typing, { selections: [{ offset: from, text: 'let' }], replaced: () => (asked++, []) }));
    assert.equal(facts[0].dropped, undefined);
    assert.equal(asked, 0);
  });
});
