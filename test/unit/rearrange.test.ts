import { strict as assert } from 'node:assert';
import { classifyChange } from '../../src/core/classify';
import type { ChangeFact, Intent } from '../../src/core/classify';
import { CopyRecord } from '../../src/core/copyRecord';
import type { Evidence } from '../../src/core/origin';
import { fitByContent, fitCopy, holdsAi, rearrangedRuns } from '../../src/core/rearrange';
import type { Run } from '../../src/core/spans';

const AI: Evidence = { origin: 'ai-completion', confidence: 'certain', detail: 'accepted an inline suggestion', at: 1 };
const TYPED: Evidence = { origin: 'typed', confidence: 'likely', detail: 'typed', at: 1 };
const BREAK: Evidence = { origin: 'typed', confidence: 'likely', detail: 'Enter', at: 1 };
const FILL: Evidence = { origin: 'ide', confidence: 'likely', detail: 'fill', at: 1 };
const OPTS = { externalPaste: 'ai' as const };

/** One letter per character: a(i), t(yped), i(de), p(aste), u(nknown), . base. */
function perChar(runs: readonly Run[] | undefined): string {
  assert.ok(runs, 'expected runs');
  return runs.map((r) => (r.ev ? r.ev.origin[0] : '.').repeat(r.len)).join('');
}

/** Runs for a text whose characters are given by `map`: one letter per character (a AI, t typed, b the line break typed, . base). */
function runsOf(map: string): Run[] {
  const ev = (c: string): Evidence | null => (c === 'a' ? AI : c === 't' ? TYPED : c === 'b' ? BREAK : null);
  const out: Run[] = [];
  for (const c of map) {
    const e = ev(c);
    const last = out[out.length - 1];
    if (last && last.ev === e) out[out.length - 1] = { len: last.len + 1, ev: e };
    else out.push({ len: 1, ev: e });
  }
  return out;
}

describe('fitting copied runs over what was pasted', () => {
  it('lays a whole-line copy without its line break over the clipboard text with it', () => {
    // What prepareDocumentPaste saw for Ctrl+C with an empty selection: the line without its break.
    const copied = 'const b = 2;';
    const runs = [{ len: copied.length, ev: AI }];
    assert.equal(perChar(fitCopy(copied, runs, 'const b = 2;\n', FILL)), 'a'.repeat(12) + 'i');
    assert.equal(perChar(fitCopy(copied, runs, 'const b = 2;\r\n', FILL)), 'a'.repeat(12) + 'ii');
  });

  it('lays the pieces of a multi-cursor whole-line copy over the clipboard text (each line with its break, joined by one)', () => {
    const copied = 'let m = 1;\nconst b = 2;';
    const runs = runsOf('tttttttttt' + 'b' + 'aaaaaaaaaaaa');
    assert.equal(perChar(fitCopy(copied, runs, 'let m = 1;\n\nconst b = 2;\n', FILL)), 'tttttttttt' + 't' + 'i' + 'aaaaaaaaaaaa' + 'i');
  });

  it('keeps every non-space character when only white space differs, and nothing when text differs', () => {
    assert.equal(perChar(fitByContent('a b', runsOf('a.t'), '  a\n\tb ', FILL)), 'iiaiiti');
    assert.equal(fitByContent('a b', runsOf('a.t'), 'a c', FILL), undefined);
    assert.equal(fitByContent('a b', runsOf('a.t'), 'a b c', FILL), undefined);
    assert.equal(fitByContent('a b c', runsOf('a.t.a'), 'a b', FILL), undefined);
    assert.equal(fitByContent('a b', runsOf('aa'), 'a b', FILL), undefined, 'runs that do not cover the text');
  });

  it('a stamped copy whose runs cannot be laid over the paste is unknown when it held AI text, the person\'s paste otherwise', () => {
    const paste = (stamped: Run[]): Intent => ({ kind: 'paste', at: 990, text: 'x = 1\ny = 2', stamped });
    const f = (intent: Intent): ChangeFact => ({ text: 'x = 1\ny = 2', rangeLength: 0, at: 1000, intent });
    // Runs of another length than the clipboard text: neither fit applies.
    const ai = classifyChange(f(paste([{ len: 3, ev: AI }])), OPTS);
    assert.ok('ev' in ai);
    assert.equal(ai.ev.origin, 'unknown');
    const human = classifyChange(f(paste([{ len: 3, ev: TYPED }])), OPTS);
    assert.ok('ev' in human);
    assert.equal(human.ev.origin, 'paste');
    const unfitted = classifyChange(f({ kind: 'paste', at: 990, text: 'x = 1\ny = 2', stamped: null, unfitted: 'ai' }), OPTS);
    assert.ok('ev' in unfitted);
    assert.equal(unfitted.ev.origin, 'unknown');
    assert.ok(holdsAi([{ len: 1, ev: null }, { len: 2, ev: AI }]));
    assert.ok(!holdsAi([{ len: 1, ev: null }, { len: 2, ev: TYPED }]));
  });

  it('a whole-line copy kept with its line break matches the clipboard text when the stamp is lost', () => {
    const rec = new CopyRecord();
    const own: Evidence = { origin: 'paste', confidence: 'certain', detail: 'copied', at: 1000 };
    rec.add({ id: 's:1', text: 'const b = 2;\n', runs: runsOf('aaaaaaaaaaaab'), own, at: 1000 });
    const m = rec.match('const b = 2;\n', 1500, () => ({ origin: 'paste', confidence: 'likely', detail: 'matched', at: 1500 }));
    assert.equal(perChar(m?.runs), 'aaaaaaaaaaaat');
  });

  it('classifies the pasted whole line (inserted above the cursor\'s line) as the copy\'s', () => {
    const intent: Intent = { kind: 'paste', at: 990, text: 'const b = 2;\n', stamped: runsOf('aaaaaaaaaaaab') };
    const c = classifyChange({ text: 'const b = 2;\n', rangeLength: 0, at: 1000, intent }, OPTS);
    assert.ok('runs' in c);
    assert.equal(perChar(c.runs), 'aaaaaaaaaaaat');
  });
});

describe('text rearranged in place (Sort Lines, Join Lines, Transpose)', () => {
  const shape = (old: string, oldRuns: Run[], text: string, intent?: Intent): ChangeFact => ({
    text,
    rangeLength: old.length,
    at: 1000,
    intent,
    replacedText: () => old,
    replaced: () => oldRuns,
    atCursor: true,
  });

  it('sorted lines keep their own origins; the line breaks are the command\'s', () => {
    const old = 'let t = 1;\nconst c = 3;\nconst b = 2;';
    const runs = runsOf('tttttttttt' + 'b' + 'aaaaaaaaaaaa' + 'b' + 'aaaaaaaaaaaa');
    const c = classifyChange(shape(old, runs, 'const b = 2;\nconst c = 3;\nlet t = 1;'), OPTS);
    assert.ok('runs' in c);
    assert.equal(perChar(c.runs), 'aaaaaaaaaaaa' + 'i' + 'aaaaaaaaaaaa' + 'i' + 'tttttttttt');
  });

  it('joined lines keep their characters\' origins; the space the command put in is its own', () => {
    const old = 'const b = 2;\n  const c = 3;';
    const runs = runsOf('aaaaaaaaaaaa' + 'a' + '..' + 'aaaaaaaaaaaa');
    const c = classifyChange(shape(old, runs, 'const b = 2; const c = 3;'), OPTS);
    assert.ok('runs' in c);
    assert.equal(perChar(c.runs), 'a'.repeat(12) + 'i' + 'a'.repeat(12));
  });

  it('transposed characters keep theirs (AI stays AI, typed stays typed)', () => {
    const c = classifyChange(shape('et', runsOf('at'), 'te'), OPTS);
    assert.ok('runs' in c);
    assert.equal(perChar(c.runs), 'ta');
  });

  it('base text rearranged is the command\'s, as a line command\'s is', () => {
    assert.equal(perChar(rearrangedRuns('b\na', runsOf('...'), 'a\nb', FILL)), 'iii');
  });

  it('is no rearrangement when the text changed, was only inserted, or is not known', () => {
    assert.equal(rearrangedRuns('a\nb', runsOf('aba'), 'a\nc', FILL), undefined);
    assert.equal(rearrangedRuns('abc', runsOf('aaa'), 'cab', FILL), undefined, 'more than two characters reordered in a line is an edit');
    assert.equal(rearrangedRuns('ab', runsOf('aa'), 'ab', FILL), undefined, 'the same text');
    const typed = classifyChange({ text: 'x', rangeLength: 0, at: 1000, replacedText: () => '', replaced: () => [] }, OPTS);
    assert.ok('ev' in typed && typed.ev.origin === 'typed');
    const unknownOld = classifyChange({ ...shape('et', runsOf('aa'), 'te'), replacedText: () => undefined }, OPTS);
    assert.ok('ev' in unknownOld && unknownOld.ev.origin === 'typed', 'two characters with nothing known stay a keystroke');
  });

  it('a wrapped Join Lines (its key on macOS) keeps the joined characters\' origins instead of calling the line the command\'s', () => {
    const intent: Intent = { kind: 'ide', what: 'joined lines', at: 990, anyDocument: false, carry: [{ text: 'const b = 2;', runs: [{ len: 12, ev: AI }] }] };
    const c = classifyChange(shape('const b = 2;\nconst c = 3;', runsOf('a'.repeat(12) + 'a' + 'a'.repeat(12)), 'const b = 2; const c = 3;', intent), OPTS);
    assert.ok('runs' in c);
    assert.equal(perChar(c.runs), 'a'.repeat(12) + 'i' + 'a'.repeat(12));
  });
});
