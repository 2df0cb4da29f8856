import { strict as assert } from 'node:assert';
import { markKind, markRanges, summarize } from '../../src/core/display';
import type { ShownClass } from '../../src/core/display';
import { buildFileLedger, parseFileLedger, restoreRuns } from '../../src/core/ledger';
import { projectLines } from '../../src/core/lines';
import type { LineInfo } from '../../src/core/lines';
import type { Evidence, Origin } from '../../src/core/origin';
import { SpanModel } from '../../src/core/spans';
import { aiShare, countFile, formatTrailerValue } from '../../src/core/trailer';

const ev = (origin: Origin, extra: Partial<Evidence> = {}): Evidence => ({ origin, confidence: 'certain', detail: origin, at: 0, ...extra });
const info = (line: number, cls: LineInfo['cls'], e: Evidence, reviewed = false): LineInfo => ({ line, cls, ev: e, reviewed });
const ALL = new Set<ShownClass>(['ai', 'mixed', 'reviewed', 'external', 'unknown']);

describe('display', () => {
  it('gives AI lines the mark of their origin, and reviewed lines their own', () => {
    assert.equal(markKind(info(0, 'ai', ev('ai-completion'))), 'ai-completion');
    assert.equal(markKind(info(0, 'ai', ev('ai-paste'))), 'ai-paste');
    assert.equal(markKind(info(0, 'ai', ev('ai-chat'))), 'ai-chat');
    assert.equal(markKind(info(0, 'mixed', ev('ai-chat'))), 'mixed');
    assert.equal(markKind(info(0, 'ai', ev('ai-chat'), true)), 'reviewed');
    assert.equal(markKind(info(0, 'unknown', ev('external'))), 'external');
    assert.equal(markKind(info(0, 'unknown', ev('unknown'))), 'unknown');
    assert.equal(markKind(info(0, 'human', ev('typed'))), undefined);
  });

  it('merges consecutive lines of one kind into ranges and honours the shown classes', () => {
    const c = ev('ai-completion');
    const p = ev('ai-paste');
    const infos = [info(1, 'ai', c), info(2, 'ai', c), info(3, 'ai', p), info(5, 'ai', p), info(6, 'unknown', ev('unknown')), info(7, 'human', ev('typed'))];
    const r = markRanges(infos, ALL);
    assert.deepEqual(r.get('ai-completion'), [[1, 2]]);
    assert.deepEqual(r.get('ai-paste'), [[3, 3], [5, 5]]);
    assert.deepEqual(r.get('unknown'), [[6, 6]]);
    assert.deepEqual(markRanges(infos, new Set<ShownClass>(['mixed'])).get('ai-paste'), []);
  });

  it('summarizes a file and its AI share', () => {
    const a = ev('ai-chat');
    const s = summarize([info(0, 'ai', a, true), info(1, 'mixed', a), info(2, 'human', ev('typed')), info(3, 'unknown', ev('unknown'))]);
    assert.deepEqual(s, { lines: 4, ai: 1, mixed: 1, human: 1, unknown: 1, reviewed: 1 });
    assert.equal(aiShare(s), 50);
    assert.equal(aiShare(summarize([])), 0);
  });
});

describe('review workflow in the core', () => {
  function written(): { text: string; model: SpanModel; ai: Evidence } {
    const ai = ev('ai-completion');
    const text = 'typed\nconst b = 2;\nconst c = 3;\n';
    const model = new SpanModel(0);
    model.apply([{ offset: 0, deleteLength: 0, insert: [{ len: 6, ev: ev('typed') }] }]);
    model.apply([{ offset: 6, deleteLength: 0, insert: [{ len: 26, ev: ai }] }]);
    return { text, model, ai };
  }

  it('relabels a range as reviewed without touching text or history', () => {
    const { text, model, ai } = written();
    model.relabel(6, 13, (e) => (e === ai ? { ...e, reviewed: { by: 'Ada <ada@example.org>', at: 9 } } : e));
    const infos = projectLines(text, model.getRuns());
    assert.deepEqual(
      infos.map((i) => [i.line, i.cls, i.reviewed]),
      [
        [0, 'human', false],
        [1, 'ai', true],
        [2, 'ai', false],
      ],
    );
    assert.equal(model.undo([{ offset: 6, deleteLength: 26, insertLength: 0 }], ev('unknown')), true);
  });

  it('finds the whole span under a position', () => {
    const { model, ai } = written();
    assert.deepEqual(model.spanAt(10), { start: 6, len: 26, ev: ai });
    assert.equal(model.spanAt(99), undefined);
  });

  it('keeps reviews through the ledger and counts reviewed= in the trailer', () => {
    const { text, model, ai } = written();
    model.relabel(6, 13, (e) => (e === ai ? { ...e, reviewed: { by: 'Ada', at: 9 } } : e));
    const ledger = parseFileLedger(JSON.stringify(buildFileLedger('f.js', text, model.getRuns(), 1)));
    assert.ok(ledger);
    assert.deepEqual(ledger.reviewed, [1]);
    const back = projectLines(text, restoreRuns(ledger, text));
    assert.equal(back[1].reviewed, true);
    assert.equal(back[1].ev.reviewed?.by, 'Ada');
    const c = countFile(null, text, ledger);
    assert.equal(c.reviewed, 1);
    assert.match(formatTrailerValue(c), / reviewed=1$/);
  });
});
