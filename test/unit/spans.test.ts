import { strict as assert } from 'node:assert';
import type { Evidence } from '../../src/core/origin';
import { normalize, runsLength, SpanModel } from '../../src/core/spans';
import type { EditShape, Run, TextEdit } from '../../src/core/spans';
import { rng } from '../support/rng';

const ev = (origin: Evidence['origin'], at = 0): Evidence => ({ origin, confidence: 'certain', detail: origin, at });
const TYPED = ev('typed');
const AI = ev('ai-completion');
const PASTE = ev('ai-paste');
const FALLBACK = ev('unknown');

/** The per-character origins of a model, for comparison with the naive reference. */
function perChar(runs: readonly Run[]): Array<Evidence | null> {
  const out: Array<Evidence | null> = [];
  for (const r of runs) for (let i = 0; i < r.len; i++) out.push(r.ev);
  return out;
}

const insert = (offset: number, len: number, e: Evidence | null, deleteLength = 0): TextEdit => ({ offset, deleteLength, insert: len ? [{ len, ev: e }] : [] });

describe('SpanModel', () => {
  it('starts as one base run covering the text', () => {
    const m = new SpanModel(10);
    assert.deepEqual(m.getRuns(), [{ len: 10, ev: null }]);
    assert.equal(m.hasOrigins(), false);
  });

  it('splits a base run on an insert in its middle', () => {
    const m = new SpanModel(10);
    m.apply([insert(4, 3, AI)]);
    assert.deepEqual(m.getRuns(), [
      { len: 4, ev: null },
      { len: 3, ev: AI },
      { len: 6, ev: null },
    ]);
    assert.equal(m.length, 13);
  });

  it('merges consecutive keystrokes with the same evidence', () => {
    const m = new SpanModel(0);
    for (let i = 0; i < 5; i++) m.apply([insert(i, 1, TYPED)]);
    assert.deepEqual(m.getRuns(), [{ len: 5, ev: TYPED }]);
  });

  it('trims runs on a delete that spans several of them', () => {
    const m = new SpanModel(0);
    m.apply([insert(0, 4, TYPED)]);
    m.apply([insert(4, 4, AI)]);
    m.apply([insert(8, 4, PASTE)]);
    m.apply([{ offset: 2, deleteLength: 8, insert: [] }]);
    assert.deepEqual(m.getRuns(), [
      { len: 2, ev: TYPED },
      { len: 2, ev: PASTE },
    ]);
  });

  it('replaces text and merges with an equal neighbour', () => {
    const m = new SpanModel(6);
    m.apply([insert(0, 6, AI, 6)]);
    m.apply([insert(2, 2, AI, 2)]);
    assert.deepEqual(m.getRuns(), [{ len: 6, ev: AI }]);
  });

  it('applies multi-cursor changes in any order VS Code reports them', () => {
    const a = new SpanModel(20);
    const b = new SpanModel(20);
    const edits = [insert(2, 1, TYPED), insert(10, 1, TYPED), insert(18, 1, TYPED)];
    a.apply(edits);
    b.apply([...edits].reverse());
    assert.deepEqual(a.getRuns(), b.getRuns());
    assert.deepEqual(
      perChar(a.getRuns()).map((e) => (e ? 't' : '.')).join(''),
      '..t........t........t..',
    );
  });

  it('slices runs for a copy', () => {
    const m = new SpanModel(0);
    m.apply([insert(0, 4, TYPED)]);
    m.apply([insert(4, 4, AI)]);
    assert.deepEqual(m.slice(2, 4), [
      { len: 2, ev: TYPED },
      { len: 2, ev: AI },
    ]);
  });

  it('undoes a group of typing events reported as one change', () => {
    const m = new SpanModel(3);
    for (let i = 0; i < 5; i++) m.apply([insert(3 + i, 1, TYPED)]);
    assert.equal(m.undo([{ offset: 3, deleteLength: 5, insertLength: 0 }], FALLBACK), true);
    assert.deepEqual(m.getRuns(), [{ len: 3, ev: null }]);
    assert.equal(m.redo([{ offset: 3, deleteLength: 0, insertLength: 5 }], FALLBACK), true);
    assert.deepEqual(m.getRuns(), [
      { len: 3, ev: null },
      { len: 5, ev: TYPED },
    ]);
  });

  it('restores the origins a deletion removed when it is undone', () => {
    const m = new SpanModel(0);
    m.apply([insert(0, 6, AI)]);
    m.apply([{ offset: 1, deleteLength: 4, insert: [] }]);
    assert.equal(m.undo([{ offset: 1, deleteLength: 0, insertLength: 4 }], FALLBACK), true);
    assert.deepEqual(m.getRuns(), [{ len: 6, ev: AI }]);
  });

  it('gives restored text the fallback evidence when the history does not match', () => {
    const m = new SpanModel(5);
    assert.equal(m.undo([{ offset: 5, deleteLength: 0, insertLength: 3 }], FALLBACK), false);
    assert.deepEqual(m.getRuns(), [
      { len: 5, ev: null },
      { len: 3, ev: FALLBACK },
    ]);
  });

  it('rejects an edit outside the text', () => {
    const m = new SpanModel(3);
    assert.throws(() => m.apply([insert(4, 1, TYPED)]), RangeError);
  });

  it('rejects runs that do not cover the text', () => {
    assert.throws(() => new SpanModel(3, [{ len: 2, ev: null }]), RangeError);
  });
});

/**
 * The naive reference: an array with one origin per character, and a full
 * snapshot per event for undo and redo.
 */
class NaiveModel {
  chars: Array<Evidence | null>;
  /** The state before each applied event. */
  readonly past: Array<Array<Evidence | null>> = [];
  /** Undone groups: the state before the undo and the snapshots it took off `past`. */
  private readonly future: Array<{ after: Array<Evidence | null>; states: Array<Array<Evidence | null>> }> = [];
  constructor(length: number) {
    this.chars = new Array<Evidence | null>(length).fill(null);
  }
  apply(edits: readonly TextEdit[]): void {
    this.past.push(this.chars.slice());
    this.future.length = 0;
    for (const e of [...edits].sort((a, b) => b.offset - a.offset)) {
      this.chars.splice(e.offset, e.deleteLength, ...perChar(e.insert));
    }
  }
  /** What undoing the last `n` events would change, without doing it. */
  peekUndo(n: number): EditShape {
    return diffShape(this.chars, this.past[this.past.length - n]);
  }
  /** Undoes the last `n` events as one group; returns the change VS Code would report. */
  undo(n: number): EditShape {
    const target = this.past[this.past.length - n];
    const states = this.past.splice(this.past.length - n, n);
    this.future.push({ after: this.chars, states });
    const shape = diffShape(this.chars, target);
    this.chars = target;
    return shape;
  }
  redo(): EditShape {
    const g = this.future.pop();
    if (!g) throw new Error('nothing to redo');
    this.past.push(...g.states);
    const shape = diffShape(this.chars, g.after);
    this.chars = g.after;
    return shape;
  }
  get redoable(): number {
    return this.future.length;
  }
}

/** The change between two states, widened to the hull of what differs. */
function diffShape(before: ReadonlyArray<unknown>, after: ReadonlyArray<unknown>): EditShape {
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  return { offset: p, deleteLength: before.length - p - s, insertLength: after.length - p - s };
}

describe('SpanModel against a naive per-character reference (randomized, fixed seeds)', () => {
  const palette: Evidence[] = [TYPED, AI, PASTE, ev('ai-chat'), ev('ide')];
  for (const seed of [1, 2, 3, 42, 1234, 99991]) {
    it(`seed ${seed}: 3000 random edits, multi-cursor events and deletes give identical origins`, () => {
      const rand = rng(seed);
      const model = new SpanModel(50);
      const naive = new NaiveModel(50);
      for (let step = 0; step < 3000; step++) {
        const len = model.length;
        const k = 1 + Math.floor(rand() * (rand() < 0.8 ? 1 : 4));
        // Non-overlapping changes in offsets of the text before the event.
        const points = Array.from({ length: k }, () => Math.floor(rand() * (len + 1))).sort((a, b) => a - b);
        const edits: TextEdit[] = [];
        let lastEnd = -1;
        for (const p of points) {
          if (p <= lastEnd) continue;
          const del = rand() < 0.4 ? Math.min(Math.floor(rand() * 8), len - p) : 0;
          const ins = rand() < 0.85 ? 1 + Math.floor(rand() * 6) : 0;
          const runs: Run[] = [];
          let left = ins;
          while (left > 0) {
            const n = 1 + Math.floor(rand() * left);
            runs.push({ len: n, ev: palette[Math.floor(rand() * palette.length)] });
            left -= n;
          }
          edits.push({ offset: p, deleteLength: del, insert: runs });
          lastEnd = p + del;
        }
        const order = rand() < 0.5 ? edits : [...edits].reverse();
        model.apply(order);
        naive.apply(order);
        assert.equal(model.length, naive.chars.length, `length at step ${step}`);
      }
      assert.deepEqual(perChar(model.getRuns()), naive.chars);
      assert.deepEqual(model.getRuns(), normalize(model.getRuns()), 'runs are kept merged');
      assert.equal(runsLength(model.getRuns()), model.length);
    });
  }

  for (const seed of [7, 8, 9, 77, 2024]) {
    it(`seed ${seed}: undo and redo of VS Code-style undo groups restore exactly the reference's origins`, () => {
      const rand = rng(seed);
      // Every inserted character gets its own evidence object, so two states never
      // look alike by accident and the reference's diff is the net change VS Code reports.
      let counter = 0;
      const fresh = (): Evidence => ev(palette[counter % palette.length].origin, counter++);
      const model = new SpanModel(0);
      const naive = new NaiveModel(0);
      // Undo groups as VS Code forms them: consecutive one-character typing at the
      // cursor merges into one group; every other edit is a group of its own.
      const groups: number[] = [];
      const redoGroups: number[] = [];
      let typingEnd = -1;
      let undos = 0;
      let redos = 0;
      let multi = 0;
      for (let step = 0; step < 3000; step++) {
        const roll = rand();
        if (roll < 0.12 && groups.length > 0) {
          const n = groups.pop() as number;
          if (n > 1) multi++;
          assert.equal(model.undo([naive.undo(n)], FALLBACK), true, `undo of ${n} matched at step ${step}`);
          redoGroups.push(n);
          typingEnd = -1;
          undos++;
        } else if (roll < 0.35 && redoGroups.length > 0) {
          groups.push(redoGroups.pop() as number);
          assert.equal(model.redo([naive.redo()], FALLBACK), true, `redo matched at step ${step}`);
          typingEnd = -1;
          redos++;
        } else {
          const len = model.length;
          const typing = rand() < 0.5 && typingEnd >= 0 && typingEnd <= len;
          const p = typing ? typingEnd : Math.floor(rand() * (len + 1));
          const del = !typing && rand() < 0.3 ? Math.min(1 + Math.floor(rand() * 5), len - p) : 0;
          const ins = typing ? 1 : rand() < 0.8 || del === 0 ? 1 + Math.floor(rand() * 4) : 0;
          const runs: Run[] = [];
          for (let i = 0; i < ins; i++) runs.push({ len: 1, ev: fresh() });
          const edit: TextEdit = { offset: p, deleteLength: del, insert: runs };
          model.apply([edit]);
          naive.apply([edit]);
          redoGroups.length = 0;
          if (typing && groups.length > 0) groups[groups.length - 1]++;
          else groups.push(1);
          typingEnd = del === 0 && ins === 1 ? p + 1 : -1;
        }
        assert.deepEqual(perChar(model.getRuns()), naive.chars, `origins at step ${step}`);
      }
      assert.ok(undos > 100, `exercised undo (${undos} times)`);
      assert.ok(multi > 20, `exercised undo of merged typing groups (${multi} times)`);
      assert.ok(redos > 50, `exercised redo (${redos} times)`);
    });
  }
});
