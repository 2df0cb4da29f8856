import { strict as assert } from 'node:assert';
import { isBlank, projectLines, splitLines } from '../../src/core/lines';
import type { Evidence } from '../../src/core/origin';
import { SpanModel } from '../../src/core/spans';

const ev = (origin: Evidence['origin']): Evidence => ({ origin, confidence: 'certain', detail: origin, at: 0 });
const TYPED = ev('typed');
const AI = ev('ai-completion');
const CHAT = ev('ai-chat');
const EXT = ev('external');

/** Builds a text and its model by appending pieces with their origins (null = base). */
function build(pieces: Array<[string, Evidence | null]>): { text: string; model: SpanModel } {
  const model = new SpanModel(0);
  let text = '';
  for (const [t, e] of pieces) {
    model.apply([{ offset: text.length, deleteLength: 0, insert: [{ len: t.length, ev: e }] }]);
    text += t;
  }
  return { text, model };
}

describe('projectLines', () => {
  it('classifies whole AI lines, typed lines and unchanged lines', () => {
    const { text, model } = build([
      ['base line\n', null],
      ['typed line\n', TYPED],
      ['const b = 2;\nconst c = 3;\n', AI],
    ]);
    const infos = projectLines(text, model.getRuns());
    assert.deepEqual(
      infos.map((i) => [i.line, i.cls, i.ev.origin]),
      [
        [1, 'human', 'typed'],
        [2, 'ai', 'ai-completion'],
        [3, 'ai', 'ai-completion'],
      ],
    );
  });

  it('calls a line mixed when only some of its characters are AI', () => {
    const { text, model } = build([
      ['let x = ', TYPED],
      ['compute();', AI],
      ['\n', TYPED],
    ]);
    const infos = projectLines(text, model.getRuns());
    assert.equal(infos.length, 1);
    assert.equal(infos[0].cls, 'mixed');
    assert.equal(infos[0].ev, AI);
  });

  it('counts base characters in a changed line as not AI', () => {
    const { text, model } = build([
      ['foo(', null],
      ['bar', AI],
      [')\n', null],
    ]);
    assert.equal(projectLines(text, model.getRuns())[0].cls, 'mixed');
  });

  it('ignores indentation and trailing spaces when deciding a class', () => {
    const { text, model } = build([
      ['    ', TYPED],
      ['return 1;', AI],
      ['  \n', TYPED],
    ]);
    assert.equal(projectLines(text, model.getRuns())[0].cls, 'ai');
  });

  it('skips blank lines and lines whose only change is white space', () => {
    const { text, model } = build([
      ['a\n', null],
      ['\n   \n', AI],
      ['b', null],
      ['  ', TYPED],
    ]);
    assert.deepEqual(projectLines(text, model.getRuns()), []);
  });

  it('calls a line unknown when it has no AI text but some of unknown origin', () => {
    const { text, model } = build([
      ['written by a tool', EXT],
      [' and typed\n', TYPED],
    ]);
    assert.equal(projectLines(text, model.getRuns())[0].cls, 'unknown');
  });

  it('picks the AI origin that covers most of a mixed line', () => {
    const { text, model } = build([
      ['ab', AI],
      ['cdef', CHAT],
      ['g', TYPED],
    ]);
    const [info] = projectLines(text, model.getRuns());
    assert.equal(info.cls, 'mixed');
    assert.equal(info.ev, CHAT);
  });

  it('handles CRLF line endings', () => {
    const { text, model } = build([['one\r\n', AI], ['two\r\n', TYPED]]);
    assert.deepEqual(
      projectLines(text, model.getRuns()).map((i) => i.cls),
      ['ai', 'human'],
    );
    assert.deepEqual(splitLines(text), ['one', 'two', '']);
  });

  it('finds runs deep in a long document', () => {
    const base = 'x\n'.repeat(5000);
    const model = new SpanModel(base.length);
    model.apply([{ offset: 2 * 4000, deleteLength: 0, insert: [{ len: 4, ev: AI }] }]);
    const text = base.slice(0, 8000) + 'abc\n' + base.slice(8000);
    assert.deepEqual(
      projectLines(text, model.getRuns()).map((i) => [i.line, i.cls]),
      [[4000, 'ai']],
    );
  });

  it('isBlank treats tabs and carriage returns as blank', () => {
    assert.equal(isBlank(' \t\r'), true);
    assert.equal(isBlank(' x '), false);
  });
});

describe('projectLines against a naive per-character projection (randomized, fixed seeds)', () => {
  const palette: Evidence[] = [TYPED, AI, CHAT, EXT, ev('ai-paste'), ev('unknown')];
  /** The definition, character by character. */
  function naive(text: string, runs: ReadonlyArray<{ len: number; ev: Evidence | null }>): Array<[number, string, string]> {
    const owner: Array<Evidence | null> = [];
    for (const r of runs) for (let i = 0; i < r.len; i++) owner.push(r.ev);
    const out: Array<[number, string, string]> = [];
    let start = 0;
    text.split('\n').forEach((line, n) => {
      const counts = new Map<Evidence, number>();
      let total = 0;
      for (let i = 0; i < line.length; i++) {
        if (/\s/.test(line[i])) continue;
        total++;
        const o = owner[start + i];
        if (o) counts.set(o, (counts.get(o) ?? 0) + 1);
      }
      start += line.length + 1;
      if (counts.size === 0 || total === 0) return;
      const isAi = (e: Evidence): boolean => ['ai-completion', 'ai-chat', 'ai-paste'].includes(e.origin);
      const ai = [...counts].filter(([e]) => isAi(e)).reduce((n, [, c]) => n + c, 0);
      const unknown = [...counts].filter(([e]) => e.origin === 'external' || e.origin === 'unknown').reduce((n, [, c]) => n + c, 0);
      const cls = ai > 0 ? (ai === total ? 'ai' : 'mixed') : unknown > 0 ? 'unknown' : 'human';
      let best: Evidence | undefined;
      let bestN = 0;
      for (const [e, c] of counts) if ((ai === 0 || isAi(e)) && c > bestN) [best, bestN] = [e, c];
      out.push([n, cls, (best as Evidence).origin]);
    });
    return out;
  }
  for (const seed of [11, 12, 13, 14]) {
    it(`seed ${seed}: 300 random documents give the same classes and dominant origins`, () => {
      let s = seed;
      const rand = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      for (let d = 0; d < 300; d++) {
        const text = Array.from({ length: Math.floor(rand() * 200) }, () => 'ab  \n\r\t'[Math.floor(rand() * 7)]).join('');
        const runs: Array<{ len: number; ev: Evidence | null }> = [];
        let left = text.length;
        while (left > 0) {
          const len = 1 + Math.floor(rand() * Math.min(left, 12));
          runs.push({ len, ev: rand() < 0.3 ? null : palette[Math.floor(rand() * palette.length)] });
          left -= len;
        }
        const got = projectLines(text, runs).map((i) => [i.line, i.cls, i.ev.origin]);
        // CRLF: a '\r' before '\n' is white space either way.
        assert.deepEqual(got, naive(text, runs), JSON.stringify(text));
      }
    });
  }
});
