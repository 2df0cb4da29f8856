import { strict as assert } from 'node:assert';
import { alignLines, buildFileLedger, hashLine, parseFileLedger, restoreRuns } from '../../src/core/ledger';
import { projectLines } from '../../src/core/lines';
import type { Evidence } from '../../src/core/origin';
import { SpanModel } from '../../src/core/spans';

const ev = (origin: Evidence['origin'], tool?: string): Evidence => ({ origin, confidence: 'certain', detail: `${origin} detail`, at: 5, tool });
const TYPED = ev('typed');
const AI = ev('ai-completion', 'acme.ai');

function sample(): { text: string; model: SpanModel } {
  const text = 'base\ntyped\nconst b = 2;\nlet x = ai();\n';
  const model = new SpanModel(5);
  model.apply([{ offset: 5, deleteLength: 0, insert: [{ len: 6, ev: TYPED }] }]);
  model.apply([{ offset: 11, deleteLength: 0, insert: [{ len: 13, ev: AI }] }]);
  model.apply([{ offset: 24, deleteLength: 0, insert: [{ len: 8, ev: TYPED }] }]);
  model.apply([{ offset: 32, deleteLength: 0, insert: [{ len: 6, ev: AI }] }]);
  return { text, model };
}

describe('ledger', () => {
  it('records a class per line and the dominant AI evidence', () => {
    const { text, model } = sample();
    const l = buildFileLedger('src/a.js', text, model.getRuns(), 10);
    assert.equal(l.classes, '.ham.');
    assert.equal(l.lines.length, 5);
    assert.equal(l.ev[l.lineEv['2']].origin, 'ai-completion');
    assert.equal(l.ev[l.lineEv['2']].tool, 'acme.ai');
    assert.ok(!JSON.stringify(l).includes('const b'), 'no file content in the ledger');
  });

  it('round-trips through JSON and restores identical line classes', () => {
    const { text, model } = sample();
    const l = parseFileLedger(JSON.stringify(buildFileLedger('a', text, model.getRuns(), 10)));
    assert.ok(l);
    const runs = restoreRuns(l, text);
    assert.deepEqual(
      projectLines(text, runs).map((i) => [i.line, i.cls, i.ev.origin]),
      projectLines(text, model.getRuns()).map((i) => [i.line, i.cls, i.ev.origin]),
    );
  });

  it('restores lines that moved when lines were added above them', () => {
    const { text, model } = sample();
    const l = buildFileLedger('a', text, model.getRuns(), 10);
    const moved = 'new 1\nnew 2\n' + text;
    assert.deepEqual(
      projectLines(moved, restoreRuns(l, moved)).map((i) => [i.line, i.cls]),
      [
        [3, 'human'],
        [4, 'ai'],
        [5, 'mixed'],
      ],
    );
  });

  it('drops origins of lines that changed since the ledger was written', () => {
    const { text, model } = sample();
    const l = buildFileLedger('a', text, model.getRuns(), 10);
    const edited = text.replace('const b = 2;', 'const b = 3;');
    assert.deepEqual(
      projectLines(edited, restoreRuns(l, edited)).map((i) => i.line),
      [1, 3],
    );
  });

  it('restores CRLF files exactly (segments never include the carriage return)', () => {
    const text = 'ab\r\ncd\r\n\r\nef';
    const m = new SpanModel(0);
    m.apply([{ offset: 0, deleteLength: 0, insert: [{ len: text.length, ev: AI }] }]);
    const l = buildFileLedger('crlf.txt', text, m.getRuns(), 1);
    assert.equal(l.classes, 'aa.a');
    assert.ok(l.segs.every(([line, col, len]) => col + len <= ['ab', 'cd', '', 'ef'][line].length));
    assert.deepEqual(
      projectLines(text, restoreRuns(l, text)).map((i) => [i.line, i.cls]),
      [
        [0, 'ai'],
        [1, 'ai'],
        [3, 'ai'],
      ],
    );
  });

  it('rejects corrupt ledgers and other versions', () => {
    const { text, model } = sample();
    const good = buildFileLedger('a', text, model.getRuns(), 10);
    assert.equal(parseFileLedger('{not json'), undefined);
    assert.equal(parseFileLedger(JSON.stringify({ ...good, v: 2 })), undefined);
    assert.equal(parseFileLedger(JSON.stringify({ ...good, classes: 'zz' })), undefined);
    assert.equal(parseFileLedger(JSON.stringify({ ...good, segs: [[0, 0, 1, 99]] })), undefined);
    assert.equal(parseFileLedger('null'), undefined);
  });

  it('aligns lines with a diff', () => {
    const h = (s: string[]): string[] => s.map(hashLine);
    assert.deepEqual(Array.from(alignLines(h(['a', 'b', 'c']), h(['x', 'a', 'c']))), [-1, 0, 2]);
  });

  it('hashes lines stably and distinctly', () => {
    assert.equal(hashLine('abc'), hashLine('abc'));
    assert.notEqual(hashLine('abc'), hashLine('abd'));
    assert.notEqual(hashLine(''), hashLine(' '));
  });
});
