import { strict as assert } from 'node:assert';
import { buildFileLedger } from '../../src/core/ledger';
import type { Evidence } from '../../src/core/origin';
import { SpanModel } from '../../src/core/spans';
import { addedLines, countFile, formatTrailerValue, readTrailerValue } from '../../src/core/trailer';

const ev = (origin: Evidence['origin']): Evidence => ({ origin, confidence: 'certain', detail: origin, at: 0 });

/** A file written as pieces with origins, and its ledger. */
function written(pieces: Array<[string, Evidence['origin']]>, base = ''): { text: string; ledger: ReturnType<typeof buildFileLedger> } {
  const model = new SpanModel(base.length);
  let text = base;
  for (const [t, o] of pieces) {
    model.apply([{ offset: text.length, deleteLength: 0, insert: [{ len: t.length, ev: ev(o) }] }]);
    text += t;
  }
  return { text, ledger: buildFileLedger('f.js', text, model.getRuns(), 0) };
}

describe('trailer counting', () => {
  it('counts 3 typed + 2 completed + 3 pasted lines exactly', () => {
    const { text, ledger } = written(
      [
        ['// typed line one\nconst a = 1;\n// @ai-next\n', 'typed'],
        ['const b = 2;\nconst c = 3;', 'ai-completion'],
        ['\n', 'typed'],
        ['pasted one\npasted two\npasted three', 'ai-paste'],
        ['\n', 'typed'],
      ],
      '// app\n',
    );
    const c = countFile('// app\n', text, ledger);
    assert.equal(formatTrailerValue(c), 'v=1 lines=8 ai=5 mixed=0 human=3 unknown=0 ai-completion=2 ai-paste=3');
  });

  it('counts every line of a file with no ledger as unknown', () => {
    const c = countFile(null, 'a\n\nb\n', undefined);
    assert.equal(formatTrailerValue(c), 'v=1 lines=2 ai=0 mixed=0 human=0 unknown=2');
  });

  it('counts lines changed after the ledger was written as unknown', () => {
    const { text, ledger } = written([['one\ntwo\n', 'ai-chat']]);
    const c = countFile(null, text.replace('two', 'TWO'), ledger);
    assert.deepEqual([c.ai, c.unknown], [1, 1]);
  });

  it('finds added lines with a diff, ignoring moved context', () => {
    assert.deepEqual(addedLines('a\nb\nc\n', 'a\nx\nb\nc\ny\n'), [1, 4]);
    assert.deepEqual(addedLines(null, 'a\nb'), [0, 1]);
    assert.deepEqual(addedLines('a\r\nb\r\n', 'a\r\nb\r\nc\r\n'), [2]);
  });

  it('parses what it formats, and keeps unknown tokens readable', () => {
    const p = readTrailerValue('v=1 lines=8 ai=5 mixed=0 human=3 unknown=0 ai-completion=2 ai-paste=3 reviewed=4');
    assert.ok(p.status === 'ok');
    assert.equal(formatTrailerValue(p.counts), 'v=1 lines=8 ai=5 mixed=0 human=3 unknown=0 ai-completion=2 ai-paste=3 reviewed=4');
    assert.equal(p.counts.reviewed, 4);
    assert.deepEqual(p.extra, { reviewed: 4 });
    assert.equal(p.counts.byOrigin['ai-paste'], 3);
    assert.equal(readTrailerValue('lines=1').status, 'malformed', 'a version is required');
    assert.equal(readTrailerValue('v=1 lines=x').status, 'malformed');
  });
});
