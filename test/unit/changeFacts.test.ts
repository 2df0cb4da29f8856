import { strict as assert } from 'node:assert';
import { classifyEvent, gatherFacts, NEAR_LINES, nextTypedWord, replayHistory } from '../../src/core/changeFacts';
import type { ContentChange } from '../../src/core/changeFacts';
import { EvidencePool } from '../../src/core/classify';
import type { Intent } from '../../src/core/classify';
import { SpanModel } from '../../src/core/spans';
import { snapshot } from './helpers/snapshot';

const BLOCK = 'function total(items) {\n  return items.reduce((a, b) => a + b, 0);\n}\n';

describe('gatherFacts', () => {
  it('turns each change into a fact with the event-wide facts', () => {
    const intent: Intent = { kind: 'ide', what: 'formatted the document', at: 9_990, anyDocument: false };
    const s = snapshot('ab\ncd\n', [{ rangeOffset: 0, rangeLength: 1, text: 'x' }, { rangeOffset: 3, rangeLength: 0, text: 'y' }], { intent, saving: true, chatSession: true, visible: false });
    const facts = gatherFacts(s);
    assert.equal(facts.length, 2);
    assert.deepEqual(
      facts.map((f) => [f.text, f.rangeLength, f.intent, f.saving, f.chatSession, f.visible, f.at]),
      [
        ['x', 1, intent, true, true, false, 10_000],
        ['y', 0, intent, true, true, false, 10_000],
      ],
    );
  });

  it('says how long ago and how near the person typed, asking for a line only when they did', () => {
    const text = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const at = (line: number): number => text.split('\n').slice(0, line).join('\n').length + 1;
    const none = snapshot(text, [{ rangeOffset: at(5), rangeLength: 0, text: 'q' }]);
    assert.equal(gatherFacts(none)[0].sinceTyping, undefined);
    assert.equal(gatherFacts(none)[0].nearTyping, false);
    assert.equal(none.asked.lines, 0);
    const typing = { at: 9_700, line: 5 };
    const near = gatherFacts(snapshot(text, [{ rangeOffset: at(5 + NEAR_LINES), rangeLength: 0, text: 'q' }], { typing }))[0];
    assert.equal(near.sinceTyping, 300);
    assert.equal(near.nearTyping, true);
    const far = gatherFacts(snapshot(text, [{ rangeOffset: at(5 + NEAR_LINES + 1), rangeLength: 0, text: 'q' }], { typing }))[0];
    assert.equal(far.nearTyping, false);
  });

  it('tells a change at a cursor from one away from it', () => {
    const s = snapshot('abcdef', [{ rangeOffset: 2, rangeLength: 2, text: 'X' }, { rangeOffset: 5, rangeLength: 0, text: 'Y' }], { cursors: [4] });
    assert.deepEqual(gatherFacts(s).map((f) => f.atCursor), [true, false]);
  });

  it('scans the document only when novelty is asked for, and once per event', () => {
    const s = snapshot(BLOCK, [{ rangeOffset: 0, rangeLength: 0, text: BLOCK }]);
    const [f] = gatherFacts(s);
    assert.equal(s.asked.text, 0);
    assert.ok(f.novelty!() >= 16);
    f.novelty!();
    assert.equal(s.asked.text, 1);
  });

  it('marks the one-line changes of an event that inserts a new multi-line block, unless an intent explains it', () => {
    const changes = [{ rangeOffset: 0, rangeLength: 0, text: 'import x;\n' }, { rangeOffset: 10, rangeLength: 0, text: BLOCK }];
    assert.deepEqual(gatherFacts(snapshot('import x;\n' + BLOCK, changes)).map((f) => f.partOfBlockEdit), [true, true]);
    const intent: Intent = { kind: 'ide', what: 'applied a code action', at: 9_990, anyDocument: true };
    assert.deepEqual(gatherFacts(snapshot('import x;\n' + BLOCK, changes, { intent })).map((f) => f.partOfBlockEdit), [false, false]);
    const moved = [{ rangeOffset: 0, rangeLength: 0, text: 'a' }, { rangeOffset: 1, rangeLength: 0, text: 'b' }];
    assert.deepEqual(gatherFacts(snapshot('ab', moved)).map((f) => f.partOfBlockEdit), [false, false]);
  });
});

describe('classifyEvent', () => {
  it('turns a keystroke into a typed run and notes its line, asking for the line once', () => {
    const s = snapshot('a\nbX', [{ rangeOffset: 3, rangeLength: 0, text: 'X' }], { typing: { at: 9_900, line: 1 } });
    const { edits, typedLine } = classifyEvent(s, { externalPaste: 'unknown' }, new EvidencePool());
    assert.equal(typedLine, 1);
    assert.equal(s.asked.lines, 1);
    assert.equal(edits.length, 1);
    assert.equal(edits[0].offset, 3);
    assert.equal(edits[0].insert[0].ev?.origin, 'typed');
  });

  it('gives a deletion no runs and no typed line', () => {
    const { edits, typedLine } = classifyEvent(snapshot('ac', [{ rangeOffset: 1, rangeLength: 1, text: '' }]), { externalPaste: 'unknown' }, new EvidencePool());
    assert.deepEqual(edits, [{ offset: 1, deleteLength: 1, insert: [] }]);
    assert.equal(typedLine, -1);
  });

  it('labels a new block away from the cursor in a hidden document as an agent, with one pooled evidence per burst', () => {
    const pool = new EvidencePool();
    const one = classifyEvent(snapshot(BLOCK, [{ rangeOffset: 0, rangeLength: 0, text: BLOCK }], { visible: false }), { externalPaste: 'unknown' }, pool);
    const two = classifyEvent(snapshot(BLOCK, [{ rangeOffset: 0, rangeLength: 0, text: BLOCK }], { visible: false, now: 10_500 }), { externalPaste: 'unknown' }, pool);
    assert.equal(one.edits[0].insert[0].ev?.origin, 'ai-chat');
    assert.equal(one.edits[0].insert[0].ev, two.edits[0].insert[0].ev);
  });

  it('passes a stamped paste its copied runs', () => {
    const stamped = [{ len: 5, ev: { origin: 'ai-completion' as const, confidence: 'certain' as const, detail: 'd', at: 1 } }];
    const intent: Intent = { kind: 'paste', at: 9_999, text: 'hello', stamped };
    const { edits } = classifyEvent(snapshot('hello', [{ rangeOffset: 0, rangeLength: 0, text: 'hello' }], { intent }), { externalPaste: 'unknown' }, new EvidencePool());
    assert.equal(edits[0].insert, stamped);
  });
});

describe('the word being typed', () => {
  const type = (offset: number, text: string): ContentChange => ({ rangeOffset: offset, rangeLength: 0, text });

  it('grows with word characters typed at its end, shrinks with Backspace, ends with anything else', () => {
    let w = nextTypedWord(undefined, [type(10, 'c')], true);
    assert.deepEqual(w, { start: 10, end: 11 });
    w = nextTypedWord(w, [type(11, 'o')], true);
    w = nextTypedWord(w, [type(12, 'u')], true);
    assert.deepEqual(w, { start: 10, end: 13 });
    assert.deepEqual(nextTypedWord(w, [{ rangeOffset: 12, rangeLength: 1, text: '' }], true), { start: 10, end: 12 });
    assert.equal(nextTypedWord({ start: 10, end: 11 }, [{ rangeOffset: 10, rangeLength: 1, text: '' }], true), undefined);
    // a word character typed elsewhere starts a new word
    assert.deepEqual(nextTypedWord(w, [type(40, 'é')], true), { start: 40, end: 41 });
    // a non-word keystroke, an auto-closed pair, Enter, a change not typed, several changes: the word ends
    for (const c of [type(13, '.'), type(13, '()'), type(13, '\n  '), { rangeOffset: 10, rangeLength: 3, text: 'x' }]) assert.equal(nextTypedWord(w, [c], true), undefined);
    assert.equal(nextTypedWord(w, [type(13, 'n')], false), undefined);
    assert.equal(nextTypedWord(w, [type(13, 'n'), type(30, 'n')], true), undefined);
  });

  it('lets an IntelliSense accept seconds after the last keystroke be ide: the typed word replaced by one name at the cursor', () => {
    const text = 'const total = cou';
    const opts = { externalPaste: 'unknown' as const };
    let word: ReturnType<typeof nextTypedWord>;
    for (let i = 14; i < 17; i++) {
      const r = classifyEvent(snapshot(text.slice(0, i + 1), [type(i, text[i])], { word, cursors: [i] }), opts, new EvidencePool());
      word = r.word;
    }
    assert.deepEqual(word, { start: 14, end: 17 });
    const accept = { rangeOffset: 14, rangeLength: 3, text: 'counter' };
    const late = classifyEvent(snapshot('const total = counter', [accept], { word, cursors: [17], typing: { at: 5_000, line: 0 } }), opts, new EvidencePool());
    assert.equal(late.edits[0].insert[0].ev?.origin, 'ide');
    assert.equal(late.word, undefined, 'the accept ends the word');
    // The cursor elsewhere, or the word ended by another edit: not recognised this way (unknown, never AI).
    const moved = classifyEvent(snapshot('const total = counter', [accept], { word, cursors: [3], typing: { at: 5_000, line: 0 } }), opts, new EvidencePool());
    assert.equal(moved.edits[0].insert[0].ev?.origin, 'unknown');
    const ended = classifyEvent(snapshot('const total = counter', [accept], { cursors: [17], typing: { at: 5_000, line: 0 } }), opts, new EvidencePool());
    assert.equal(ended.edits[0].insert[0].ev?.origin, 'unknown');
    // Replacing more or less than the word is not it either.
    const wider = classifyEvent(snapshot('const total = counter', [{ rangeOffset: 13, rangeLength: 4, text: 'counter' }], { word, cursors: [17], typing: { at: 5_000, line: 0 } }), opts, new EvidencePool());
    assert.equal(wider.edits[0].insert[0].ev?.origin, 'unknown');
  });
});

describe('replayHistory', () => {
  it('restores what an undo took back, and calls unknown what history did not record', () => {
    const model = new SpanModel(3);
    const ev = { origin: 'ai-chat' as const, confidence: 'likely' as const, detail: 'd', at: 1 };
    model.apply([{ offset: 3, deleteLength: 0, insert: [{ len: 4, ev }] }]);
    assert.equal(replayHistory(model, [{ rangeOffset: 3, rangeLength: 4, text: '' }], 'undo', 5), true);
    assert.equal(model.length, 3);
    assert.equal(replayHistory(model, [{ rangeOffset: 3, rangeLength: 0, text: 'abcd' }], 'redo', 6), true);
    assert.equal(model.runAt(4)?.ev, ev);
    assert.equal(replayHistory(model, [{ rangeOffset: 0, rangeLength: 0, text: 'zz' }], 'undo', 7), false);
    assert.equal(model.runAt(0)?.ev?.origin, 'unknown');
  });
});
