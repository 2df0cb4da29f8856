import { strict as assert } from 'node:assert';
import type { Evidence } from '../../src/core/origin';
import { minimalEdits } from '../../src/core/remap';
import { SpanModel } from '../../src/core/spans';
import type { EditShape } from '../../src/core/spans';

/** Applies edit shapes (ascending, in offsets of `before`) to text, taking inserted text from `after`. */
function applyShapes(before: string, after: string, edits: readonly EditShape[]): string {
  let out = '';
  let pos = 0;
  let shift = 0;
  for (const e of edits) {
    out += before.slice(pos, e.offset);
    out += after.slice(e.offset + shift, e.offset + shift + e.insertLength);
    shift += e.insertLength - e.deleteLength;
    pos = e.offset + e.deleteLength;
  }
  return out + before.slice(pos);
}

describe('minimalEdits', () => {
  it('finds nothing to change in equal texts', () => {
    assert.deepEqual(minimalEdits('abc', 'abc'), []);
  });

  it('keeps the common prefix and suffix out of the edit', () => {
    assert.deepEqual(minimalEdits('let a = 1;\nlet b = 2;\n', 'let a = 1;\nlet b = 3;\n'), [{ offset: 19, deleteLength: 1, insertLength: 1 }]);
  });

  it('finds several small changes inside one large replaced block', () => {
    const before = 'function f(a,b){\nreturn a+b\n}\n';
    const after = 'function f(a, b) {\n  return a + b;\n}\n';
    const edits = minimalEdits(before, after);
    assert.ok(edits.length > 1);
    assert.equal(applyShapes(before, after, edits), after);
    const inserted = edits.reduce((n, e) => n + e.insertLength, 0);
    assert.ok(inserted < 12, `only the new characters are inserted (${inserted})`);
  });

  it('keeps the origin of text a formatter or a reload did not change', () => {
    const ai: Evidence = { origin: 'ai-completion', confidence: 'certain', detail: 'ai', at: 0 };
    const ext: Evidence = { origin: 'external', confidence: 'likely', detail: 'disk', at: 1 };
    const before = 'const total=sum(xs)\n';
    const after = 'const total = sum(xs);\n';
    const model = new SpanModel(0);
    model.apply([{ offset: 0, deleteLength: 0, insert: [{ len: before.length, ev: ai }] }]);
    model.apply(minimalEdits(before, after).map((m) => ({ offset: m.offset, deleteLength: m.deleteLength, insert: m.insertLength ? [{ len: m.insertLength, ev: ext }] : [] })));
    assert.equal(model.length, after.length);
    const aiChars = model.getRuns().filter((r) => r.ev === ai).reduce((n, r) => n + r.len, 0);
    assert.equal(aiChars, before.length, 'every character that was there keeps its AI origin');
  });

  it('is exact on random texts (fixed seed)', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 200; i++) {
      const mk = (): string => Array.from({ length: Math.floor(rand() * 40) }, () => 'ab \n'[Math.floor(rand() * 4)]).join('');
      const before = mk();
      const after = mk();
      assert.equal(applyShapes(before, after, minimalEdits(before, after)), after);
    }
  });
});

describe('SpanModel.clearOrigins', () => {
  it('makes a range base text again without touching the undo history', () => {
    const ai: Evidence = { origin: 'ai-chat', confidence: 'likely', detail: 'ai', at: 0 };
    const m = new SpanModel(0);
    m.apply([{ offset: 0, deleteLength: 0, insert: [{ len: 10, ev: ai }] }]);
    m.clearOrigins(0, 4);
    assert.deepEqual(m.getRuns(), [
      { len: 4, ev: null },
      { len: 6, ev: ai },
    ]);
    assert.equal(m.undo([{ offset: 0, deleteLength: 10, insertLength: 0 }], ai), true, 'the history still lines up');
    assert.equal(m.length, 0);
  });
});
