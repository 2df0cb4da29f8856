import { strict as assert } from 'node:assert';
import type { BlameLine, LineProvenance } from '../../src/core/blame';
import { decodeHistory, encodeHistory, notedCommits, notesSignature, onTop } from '../../src/core/historyCache';
import type { CachedHistory } from '../../src/core/historyCache';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const line = (n: number, commit: string, extra: Partial<LineProvenance> = {}): LineProvenance => ({
  line: n, commit, class: 'human', recorded: true, blank: false, source: { path: 'app.ts', line: n }, ...extra,
});
const HISTORY: CachedHistory = {
  path: 'app.ts',
  commit: B,
  notes: 'refs/notes/ai-provenance 1234',
  lines: [
    line(1, A, { class: 'ai', origin: 'ai-chat', tool: 'claude-code', model: 'claude-opus-4-5', reviewed: { by: 'Rita <r@x>', at: 5 } }),
    line(2, B, { class: 'unknown', blank: true, recorded: false, source: { path: 'old.ts', line: 7 } }),
    line(3, A, { class: 'mixed', origin: 'ai-paste' }),
  ],
};
const blame = (n: number, commit: string, origLine: number, boundary: boolean, text = 'x', path = 'app.ts'): BlameLine => ({ line: n, commit, origLine, path, boundary, text });

describe('history cache (pure): the cache file, notes changes, a range on top', () => {
  it('a cache file reads back as written, dates included; a corrupt, foreign or other-version one reads as nothing', () => {
    const text = encodeHistory(HISTORY, new Map([[A, 1000]]));
    const got = decodeHistory(text, 'app.ts', B);
    assert.deepEqual(got?.history, HISTORY);
    assert.deepEqual([...(got?.dates ?? [])], [[A, 1000]]);
    assert.equal(decodeHistory(text, 'other.ts', B), undefined);
    assert.equal(decodeHistory(text, 'app.ts', A), undefined);
    assert.equal(decodeHistory(text.slice(0, -5), 'app.ts', B), undefined);
    assert.equal(decodeHistory(text.replace('"v":1', '"v":2'), 'app.ts', B), undefined);
    assert.equal(decodeHistory(text.replace('"ai-chat"', '"ai-whatever"'), 'app.ts', B), undefined);
    assert.equal(decodeHistory(text.replace(/"rows":\[\d+/, '"rows":[99'), 'app.ts', B), undefined);
  });

  it('names the commits whose notes a diff of two notes trees touches, fanned out or not', () => {
    assert.deepEqual(notedCommits(`${A}\n${B.slice(0, 2)}/${B.slice(2)}\nREADME\n`), [A, B]);
    assert.equal(notesSignature('refs/notes/b 2\nrefs/notes/a 1\n'), notesSignature('refs/notes/a 1\nrefs/notes/b 2'));
  });

  it('carries a range blame onto the cached history by the boundary lines\' line numbers; anything else is no answer', () => {
    const range = [blame(1, C, 1, false, 'new'), blame(2, B, 3, true), blame(3, B, 1, true)];
    const got = onTop(range, HISTORY, new Map());
    assert.deepEqual(got?.map((p) => [p.line, p.commit, p.class, p.source?.line]), [[1, C, 'unknown', 1], [2, A, 'mixed', 3], [3, A, 'ai', 1]]);
    assert.equal(onTop([blame(1, A, 1, true)], HISTORY, new Map()), undefined, 'a boundary at another commit');
    assert.equal(onTop([blame(1, B, 1, true, 'x', 'old.ts')], HISTORY, new Map()), undefined, 'a boundary under another path');
    assert.equal(onTop([blame(1, B, 4, true)], HISTORY, new Map()), undefined, 'a line the cached commit does not have');
  });
});
