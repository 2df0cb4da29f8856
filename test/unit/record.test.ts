import { strict as assert } from 'node:assert';
import { buildFileLedger } from '../../src/core/ledger';
import { formatRanges, formatRecord, mergeRecords, parseRanges, parseRecord, recordCounts, recordOf, fileRecordOf, RECORD_HEADER } from '../../src/core/record';
import type { CommitRecord, LineAttr } from '../../src/core/record';
import { carryFile, lineMap } from '../../src/core/recordCarry';
import { attributeAdded, countFile, formatTrailerValue } from '../../src/core/trailer';
import { ev, textWithRuns } from './helpers/gitRepo';

const AI: LineAttr = { cls: 'ai', origin: 'ai-completion', conf: 'certain' };
const rec = (files: Record<string, Array<[number, LineAttr]>>): CommitRecord => recordOf(Object.entries(files).map(([path, lines]) => ({ path, lines: new Map(lines) })));

describe('record: format', () => {
  it('writes ranges, one line per file and kind of line, and reads them back', () => {
    const r = rec({
      'src/a.ts': [
        [1, AI],
        [2, AI],
        [3, AI],
        [5, { cls: 'human' }],
        [9, AI],
        [10, { cls: 'mixed', origin: 'ai-chat', conf: 'likely', tool: 'claude-code', model: 'claude-opus-4-5', review: { by: 'Ann Lee <ann@example.com>', at: 1700000000000 } }],
      ],
      'docs/my notes.md': [[4, { cls: 'unknown' }]],
    });
    const text = formatRecord(r);
    assert.equal(
      text,
      [
        RECORD_HEADER,
        'docs/my%20notes.md 4 unknown',
        'src/a.ts 1-3,9 ai origin=ai-completion conf=certain',
        'src/a.ts 5 human',
        'src/a.ts 10 mixed origin=ai-chat conf=likely tool=claude-code model=claude-opus-4-5 review=Ann%20Lee%20<ann@example.com>@1700000000000',
        '',
      ].join('\n'),
    );
    const back = parseRecord(text);
    assert.deepEqual(back.problems, []);
    assert.equal(formatRecord(back.record), text);
    assert.equal(formatTrailerValue(recordCounts(back.record)), 'v=1 lines=7 ai=4 mixed=1 human=1 unknown=1 ai-completion=4 ai-chat=1 reviewed=1');
    assert.deepEqual([...recordCounts(back.record).tools], ['claude-code:claude-opus-4-5']);
  });

  it('parses ranges strictly', () => {
    assert.deepEqual(parseRanges('1-3,5,7-8'), [1, 2, 3, 5, 7, 8]);
    assert.equal(formatRanges([1, 2, 3, 5, 7, 8]), '1-3,5,7-8');
    for (const bad of ['0', '3-1', '1,1', '2,1', '1-', 'a', '', '1-2,2']) assert.equal(parseRanges(bad), undefined, bad);
  });

  it('stays readable after git concatenates or sorts notes, and reports what is off', () => {
    const a = formatRecord(rec({ 'a.ts': [[1, AI]] }));
    const b = formatRecord(rec({ 'a.ts': [[2, { cls: 'human' }]] }));
    const joined = parseRecord(`${a}\n${b}`);
    assert.deepEqual([...joined.record.files[0].lines.keys()], [1, 2]);
    assert.deepEqual(joined.problems, ['2 headers (notes concatenated)']);
    const sorted = parseRecord(`${a}${b}`.split('\n').filter((l) => l !== '').sort().join('\n'));
    assert.equal(formatRecord(sorted.record), formatRecord(joined.record));
    const bad = parseRecord(`${RECORD_HEADER}\na.ts 1 robot\na.ts x ai\na.ts 2 ai origin=telepathy\n`);
    assert.equal(bad.problems.length, 3);
    assert.equal(bad.record.files.length, 0);
    assert.deepEqual(parseRecord('ai-provenance v2\nanything').unsupported, 2);
    assert.match(parseRecord('a.ts 1 ai\n').problems[0], /no "ai-provenance v1" header/);
  });

  it('merges two records of a commit: known beats unknown, the later wins otherwise', () => {
    const a = rec({ 'a.ts': [[1, AI], [2, { cls: 'unknown' }], [3, { cls: 'human' }]] });
    const b = rec({ 'a.ts': [[1, { cls: 'unknown' }], [2, AI], [3, AI]], 'b.ts': [[1, AI]] });
    const m = mergeRecords(a, b);
    assert.equal(formatRecord(m), `${RECORD_HEADER}\na.ts 1-3 ai origin=ai-completion conf=certain\nb.ts 1 ai origin=ai-completion conf=certain\n`);
  });

  it('derives exactly the counts the trailer has always had from the ledger', () => {
    const { text, runs } = textWithRuns([
      ['typed()', ev('typed')],
      ['ai()', ev('ai-chat', 'claude-code:claude-opus-4-5')],
      ['', null],
      ['plain', null],
      ['ai2()', ev('ai-completion')],
    ]);
    const ledger = buildFileLedger('f.ts', text, runs, 0);
    const r = recordOf([fileRecordOf('f.ts', attributeAdded(null, text, ledger))]);
    assert.equal(formatTrailerValue(recordCounts(r)), formatTrailerValue(countFile(null, text, ledger)));
    assert.equal(
      formatRecord(r),
      `${RECORD_HEADER}\nf.ts 1 human\nf.ts 2 ai origin=ai-chat conf=certain tool=claude-code model=claude-opus-4-5\nf.ts 4 unknown\nf.ts 5 ai origin=ai-completion conf=certain\n`,
    );
  });
});

describe('record: carrying lines through a rewrite', () => {
  it('maps lines by content around insertions and edits', () => {
    assert.deepEqual([...lineMap('a\nb\nc\n', 'x\na\nB\nc\n')], [
      [2, 1],
      [4, 3],
    ]);
  });

  it('takes the ledger first, then the first source that knows the line, else unknown', () => {
    const source = { text: 'one\ntwo\nthree\n', file: { path: 'a.ts', lines: new Map<number, LineAttr>([[1, AI], [2, { cls: 'unknown' }], [3, { cls: 'human' }]]) } };
    const later = { text: 'two\n', file: { path: 'a.ts', lines: new Map<number, LineAttr>([[1, { cls: 'mixed', origin: 'ai-paste', conf: 'likely' }]]) } };
    const text = 'new\none\ntwo\nthree\n';
    const added = attributeAdded(null, text, undefined);
    const f = carryFile('a.ts', text, added, [source, later]);
    assert.deepEqual([...f.lines], [
      [1, { cls: 'unknown' }],
      [2, AI],
      [3, { cls: 'mixed', origin: 'ai-paste', conf: 'likely' }],
      [4, { cls: 'human' }],
    ]);
  });
});
