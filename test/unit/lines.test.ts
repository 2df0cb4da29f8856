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
