import { strict as assert } from 'node:assert';
import { classifyChange } from '../../src/core/classify';
import type { Intent } from '../../src/core/classify';
import { CopyRecord, carryLineRuns, fitRuns, removedRuns } from '../../src/core/copyRecord';
import type { CopyEntry, CopyMatchHow } from '../../src/core/copyRecord';
import type { Evidence } from '../../src/core/origin';
import { SpanModel, runsLength } from '../../src/core/spans';
import type { Run } from '../../src/core/spans';

const AI: Evidence = { origin: 'ai-completion', confidence: 'certain', detail: 'accepted an inline suggestion', at: 1 };
const TYPED: Evidence = { origin: 'typed', confidence: 'likely', detail: 'typed', at: 1 };
const FILL: Evidence = { origin: 'paste', confidence: 'likely', detail: 'fill', at: 1 };

function own(at: number): Evidence {
  return { origin: 'paste', confidence: 'certain', detail: 'copied in the editor (stamp) and pasted', at };
}

function entry(id: string, text: string, runs: readonly Run[], at = 1000): CopyEntry {
  return { id, text, runs, own: own(at), at };
}

const matched = (how: CopyMatchHow, copiedAt: number): Evidence => ({ origin: 'paste', confidence: 'likely', detail: `matched ${how} ${copiedAt}`, at: 2000 });

/** The origin of every character, for comparing runs laid over a text. */
function perChar(runs: readonly Run[]): string {
  return runs.map((r) => (r.ev ? r.ev.origin[0] : '.').repeat(r.len)).join('');
}

describe('copy record (in-editor copies matched by their text)', () => {
  it('finds a copy by its stamp id and by its exact text', () => {
    const rec = new CopyRecord();
    const runs = [{ len: 5, ev: TYPED }];
    rec.add(entry('s:1', 'p = 1', runs));
    assert.equal(rec.byId('s:1')?.runs, runs);
    const m = rec.match('p = 1', 1500, matched);
    assert.ok(m);
    assert.equal(m.how, 'exact');
    assert.equal(perChar(m.runs), 'ttttt');
  });

  it('never matches different text, nor white space alone', () => {
    const rec = new CopyRecord();
    rec.add(entry('s:1', 'p = 1', [{ len: 5, ev: TYPED }]));
    assert.equal(rec.match('p = 2', 1500, matched), undefined);
    assert.equal(rec.match('p = 1;', 1500, matched), undefined);
    assert.equal(rec.match('p =  1', 1500, matched), undefined, 'white space inside a line is content');
    assert.equal(rec.match('p = 1\np = 1', 1500, matched), undefined);
    rec.add(entry('s:2', '   ', [{ len: 3, ev: TYPED }]));
    assert.equal(rec.match('   ', 1500, matched), undefined);
  });

  it('matches across CRLF and LF and keeps each character its origin', () => {
    const rec = new CopyRecord();
    // "ab\r\ncd": the AI wrote "ab", the person typed "cd"; the line break is the person's.
    rec.add(entry('s:1', 'ab\r\ncd', [{ len: 2, ev: AI }, { len: 2, ev: TYPED }, { len: 2, ev: TYPED }]));
    const m = rec.match('ab\ncd', 1500, matched);
    assert.ok(m);
    assert.equal(m.how, 'line-endings');
    assert.equal(perChar(m.runs), 'aattt');
    assert.equal(runsLength(m.runs), 5);
    // and the other way round
    const lf = new CopyRecord();
    lf.add(entry('s:2', 'ab\ncd', [{ len: 2, ev: AI }, { len: 3, ev: TYPED }]));
    assert.equal(perChar(lf.match('ab\r\ncd', 1500, matched)?.runs ?? []), 'aatttt');
  });

  it('matches a paste that auto-indent re-indented, white space it added taking the match evidence', () => {
    const rec = new CopyRecord();
    const text = 'if x:\n  y = 1';
    rec.add(entry('s:1', text, [{ len: 6, ev: TYPED }, { len: 2, ev: TYPED }, { len: 5, ev: AI }]));
    const m = rec.match('if x:\n      y = 1', 1500, matched);
    assert.ok(m);
    assert.equal(m.how, 'indentation');
    // two spaces keep the typed indentation, four more are the editor's; "y = 1" stays AI
    assert.equal(perChar(m.runs), 'tttttt' + 'tt' + 'pppp' + 'aaaaa');
    assert.equal(m.runs[1].ev?.detail, 'matched indentation 1000');
    assert.ok(rec.match('if x:\ny = 1', 1500, matched), 'indentation removed');
  });

  it('rewords the copy-time evidence of base text to say the copy was matched by its text', () => {
    const rec = new CopyRecord();
    const e = entry('s:1', 'base', []);
    rec.add({ ...e, runs: [{ len: 4, ev: e.own }] });
    const m = rec.match('base', 1500, matched);
    assert.equal(m?.runs[0].ev?.detail, 'matched exact 1000');
    assert.equal(m?.runs[0].ev?.confidence, 'likely');
  });

  it('prefers the newest copy of the same text, and forgets copies past their age', () => {
    const rec = new CopyRecord({ maxEntries: 8, maxChars: 1000, maxAgeMs: 10_000 });
    rec.add(entry('s:1', 'x = 1', [{ len: 5, ev: AI }], 1000));
    rec.add(entry('s:2', 'x = 1', [{ len: 5, ev: TYPED }], 2000));
    assert.equal(rec.size, 1);
    assert.equal(perChar(rec.match('x = 1', 3000, matched)?.runs ?? []), 'ttttt');
    assert.equal(rec.match('x = 1', 13_000, matched), undefined);
  });

  it('stays bounded in count and in characters, dropping the oldest copies', () => {
    const rec = new CopyRecord({ maxEntries: 4, maxChars: 200, maxAgeMs: 60_000 });
    for (let i = 0; i < 50; i++) rec.add(entry(`s:${i}`, `line ${i} ${'x'.repeat(20)}`, [{ len: 26 + String(i).length, ev: TYPED }], 1000 + i));
    assert.ok(rec.size <= 4, `${rec.size} entries`);
    assert.ok(rec.heldChars <= 200, `${rec.heldChars} characters`);
    assert.equal(rec.byId('s:0'), undefined);
    assert.ok(rec.byId('s:49'));
    assert.ok(rec.match(`line 49 ${'x'.repeat(20)}`, 2000, matched));
    assert.equal(rec.match(`line 0 ${'x'.repeat(20)}`, 2000, matched), undefined);
  });

  it('keeps only the runs of a copy too large to hold: its stamp still works, its text cannot match', () => {
    const rec = new CopyRecord({ maxEntries: 4, maxChars: 100, maxAgeMs: 60_000 });
    const big = 'y'.repeat(500);
    rec.add(entry('s:big', big, [{ len: 500, ev: AI }]));
    assert.ok(rec.byId('s:big'));
    assert.equal(rec.match(big, 1500, matched), undefined);
    assert.ok(rec.heldChars <= 100);
  });

  it('cut then paste: the cut text found by its text keeps the AI origin; classified, it is AI, not ai-paste', () => {
    const rec = new CopyRecord();
    // A completion accepted and then cut: the copy was taken before the deletion.
    const completion = 'const b = 2;\nconst c = 3;';
    rec.add(entry('s:1', completion, [{ len: completion.length, ev: AI }]));
    const m = rec.match(completion, 1500, matched);
    assert.ok(m);
    const intent: Intent = { kind: 'paste', at: 1500, text: completion, stamped: m.runs };
    // pasted inside an indented block: auto-indent re-indents the second line
    const arrived = 'const b = 2;\n    const c = 3;';
    const c = classifyChange({ text: arrived, rangeLength: 0, intent, at: 1500 }, { externalPaste: 'ai' });
    assert.ok('runs' in c);
    assert.equal(perChar(c.runs), 'aaaaaaaaaaaa' + 'a' + 'pppp' + 'aaaaaaaaaaaa');
    // text that matches no copy keeps today's behaviour
    const other: Intent = { kind: 'paste', at: 1500, text: 'from a chat', stamped: rec.match('from a chat', 1500, matched)?.runs ?? null };
    const o = classifyChange({ text: 'from a chat', rangeLength: 0, intent: other, at: 1500 }, { externalPaste: 'ai' });
    assert.ok('ev' in o && o.ev.origin === 'ai-paste');
  });

  it('a cut kept without its text learns it from the paste its stamp names, then matches by text', () => {
    const rec = new CopyRecord();
    const completion = 'const b = 2;\nconst c = 3;';
    rec.add({ id: 's:cut', runs: [{ len: completion.length, ev: AI }], own: own(1000), at: 1000 });
    assert.equal(rec.match(completion, 1500, matched), undefined);
    assert.equal(rec.byId('s:cut', 'other text')?.text, undefined, 'a text of another length is not learnt');
    assert.equal(rec.byId('s:cut', completion)?.text, completion);
    assert.equal(perChar(rec.match(completion, 1500, matched)?.runs ?? []), 'a'.repeat(completion.length));
  });

  it('fitRuns refuses runs that do not cover the copied text, and texts with other lines', () => {
    assert.equal(fitRuns('abc', [{ len: 2, ev: AI }], 'abc', FILL), undefined);
    assert.equal(fitRuns('a\nb', [{ len: 3, ev: AI }], 'a\nc', FILL), undefined);
    assert.equal(fitRuns('a\nb', [{ len: 3, ev: AI }], 'a\nb\n', FILL), undefined);
  });
});

describe('line commands carry the moved lines\' origins (carryLineRuns)', () => {
  const IDE: Evidence = { origin: 'ide', confidence: 'certain', detail: 'moved lines (command intercepted)', at: 5 };
  const aiLine = 'const total = 1;';
  const typedLine = 'let mine = 2;';
  const sources = [
    { text: `  ${aiLine}`, runs: [{ len: 2 + aiLine.length, ev: AI }] },
    { text: typedLine, runs: [{ len: typedLine.length, ev: TYPED }] },
  ];

  it('a moved AI line stays AI and a copied typed line stays typed, re-indented or not', () => {
    const moved = `${aiLine}\n`;
    assert.equal(perChar(carryLineRuns(sources, moved, IDE)), 'a'.repeat(aiLine.length) + 'i');
    const copied = `\n    ${typedLine}`;
    assert.equal(perChar(carryLineRuns(sources, copied, IDE)), 'i'.repeat(5) + 't'.repeat(typedLine.length));
  });

  it('what the command itself adds (a comment marker, a joined space, a new line) is the command\'s', () => {
    assert.equal(perChar(carryLineRuns(sources, '// ', IDE)), 'iii');
    assert.equal(perChar(carryLineRuns(sources, 'const other = 3;', IDE)), 'i'.repeat(16));
    assert.deepEqual(carryLineRuns(sources, '', IDE), []);
  });

  it('classified with a line command\'s intent, moved text keeps its runs and a keystroke-sized insert is the command\'s', () => {
    const intent: Intent = { kind: 'ide', what: 'moved lines', at: 5, anyDocument: false, carry: sources };
    const cls = classifyChange({ text: `${typedLine}\n`, rangeLength: 0, intent, at: 6 }, { externalPaste: 'ai' });
    assert.ok('runs' in cls);
    assert.equal(perChar(cls.runs), 't'.repeat(typedLine.length) + 'i');
    const plain = classifyChange({ text: '// ', rangeLength: 0, intent: { ...intent, carry: undefined }, at: 6 }, { externalPaste: 'ai' });
    assert.ok('ev' in plain && plain.ev.origin === 'ide');
  });
});

describe('a cut keeps what it removed (removedRuns)', () => {
  const IDE: Evidence = { origin: 'ide', confidence: 'certain', detail: 'moved lines down (command intercepted)', at: 5 };
  const head = '// @ai-next\n';
  const completion = 'const b = 2;\nconst c = 3;';

  it('a completion moved with Alt+Down, cut and pasted elsewhere stays AI (the changes VS Code 1.139 reports)', () => {
    const model = new SpanModel(head.length + completion.length, [{ len: head.length, ev: TYPED }, { len: completion.length, ev: AI }]);
    // Move Line Down on `const b`: VS Code deletes the next line and inserts it above, in one event.
    const sources = ['// @ai-next', 'const b = 2;', 'const c = 3;'].map((text, i) => {
      const offset = [0, head.length, head.length + 13][i];
      return { text, runs: model.slice(offset, text.length) };
    });
    const move = [{ rangeOffset: head.length + 12, rangeLength: 13, text: '' }, { rangeOffset: head.length, rangeLength: 0, text: 'const c = 3;\n' }];
    model.apply(move.map((c) => ({ offset: c.rangeOffset, deleteLength: c.rangeLength, insert: carryLineRuns(sources, c.text, IDE) })));
    const cut = [{ rangeOffset: head.length, rangeLength: 25, text: '' }];
    const removed = removedRuns(cut, model);
    assert.ok(removed);
    assert.equal(perChar(removed[0]), 'a'.repeat(12) + 'i' + 'a'.repeat(12));
    const pasted = fitRuns('const c = 3;\nconst b = 2;', removed[0], 'const c = 3;\nconst b = 2;', FILL);
    assert.ok(pasted);
    assert.equal(perChar(pasted), 'a'.repeat(12) + 'i' + 'a'.repeat(12));
  });

  it('only for changes that only delete, in document order', () => {
    const model = new SpanModel(10, [{ len: 4, ev: AI }, { len: 6, ev: TYPED }]);
    assert.equal(removedRuns([{ rangeOffset: 0, rangeLength: 2, text: 'x' }], model), undefined);
    assert.equal(removedRuns([{ rangeOffset: 0, rangeLength: 0, text: '' }], model), undefined);
    assert.equal(removedRuns([], model), undefined);
    const two = removedRuns([{ rangeOffset: 6, rangeLength: 2, text: '' }, { rangeOffset: 2, rangeLength: 3, text: '' }], model);
    assert.deepEqual(two?.map(perChar), ['aat', 'tt']);
  });
});
