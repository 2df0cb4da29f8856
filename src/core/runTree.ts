import type { Evidence } from './origin';
import type { Run } from './spans';

/**
 * A node of the treap: one run, plus the total length and a heap priority of
 * its subtree. Positions are implicit (the lengths to the left), so an edit
 * costs O(log n) whatever the number of runs after it.
 */
interface Node {
  len: number;
  ev: Evidence | null;
  /** Characters in this subtree. */
  sum: number;
  pri: number;
  l: Node | null;
  r: Node | null;
}

function sumOf(t: Node | null): number {
  return t ? t.sum : 0;
}

function update(t: Node): void {
  t.sum = t.len + sumOf(t.l) + sumOf(t.r);
}

/**
 * An ordered list of runs covering a text, as an implicit treap. Neighbouring
 * runs never share evidence (they are merged), and no run is empty.
 */
export class RunTree {
  private root: Node | null = null;
  /** xorshift32 state: priorities are pseudo-random but the same on every run. */
  private seed = 0x9e3779b9;

  constructor(runs: readonly Run[]) {
    this.root = this.build(runs);
  }

  get length(): number {
    return sumOf(this.root);
  }

  /** All runs, in order. */
  toArray(): Run[] {
    const out: Run[] = [];
    const stack: Node[] = [];
    let t = this.root;
    while (t || stack.length) {
      while (t) {
        stack.push(t);
        t = t.l;
      }
      const n = stack.pop() as Node;
      out.push({ len: n.len, ev: n.ev });
      t = n.r;
    }
    return out;
  }

  /** Number of runs. */
  count(): number {
    let n = 0;
    const stack: Node[] = [];
    if (this.root) stack.push(this.root);
    while (stack.length) {
      const t = stack.pop() as Node;
      n++;
      if (t.l) stack.push(t.l);
      if (t.r) stack.push(t.r);
    }
    return n;
  }

  /** The run holding the character at `offset` (the last run at the very end). */
  runAt(offset: number): Run | undefined {
    let t = this.root;
    let pos = offset;
    let last: Node | null = null;
    while (t) {
      last = t;
      const ls = sumOf(t.l);
      if (pos < ls) t = t.l;
      else if (pos < ls + t.len) return { len: t.len, ev: t.ev };
      else {
        pos -= ls + t.len;
        t = t.r;
      }
    }
    return last ? { len: last.len, ev: last.ev } : undefined;
  }

  /** The whole run holding the character at `offset`, with its start. */
  spanAt(offset: number): { start: number; len: number; ev: Evidence | null } | undefined {
    let t = this.root;
    let pos = offset;
    let base = 0;
    while (t) {
      const ls = sumOf(t.l);
      if (pos < ls) t = t.l;
      else if (pos < ls + t.len) return { start: base + ls, len: t.len, ev: t.ev };
      else {
        pos -= ls + t.len;
        base += ls + t.len;
        t = t.r;
      }
    }
    return undefined;
  }

  /** The runs covering `[offset, offset + length)`, cut to that range (not merged). */
  slice(offset: number, length: number): Run[] {
    const out: Run[] = [];
    const end = offset + length;
    const visit = (t: Node | null, base: number): void => {
      if (!t || base >= end || base + t.sum <= offset) return;
      const ls = sumOf(t.l);
      visit(t.l, base);
      const s = base + ls;
      const from = Math.max(s, offset);
      const to = Math.min(s + t.len, end);
      if (to > from) out.push({ len: to - from, ev: t.ev });
      visit(t.r, s + t.len);
    };
    visit(this.root, 0);
    return out;
  }

  /**
   * Replaces `[offset, offset + deleteLength)` with `insert` and returns the
   * removed runs. Typing into or deleting inside a run takes a fast path that
   * only walks one root-to-leaf path.
   */
  replace(offset: number, deleteLength: number, insert: readonly Run[]): Run[] {
    const total = this.length;
    if (offset < 0 || deleteLength < 0 || offset + deleteLength > total) {
      throw new RangeError(`edit [${offset}, +${deleteLength}) outside text of length ${total}`);
    }
    if (deleteLength === 0 && insert.length === 1 && offset > 0 && this.extend(offset, insert[0])) return [];
    if (insert.length === 0 && deleteLength > 0) {
      const ev = this.shrink(offset, deleteLength);
      if (ev !== undefined) return [{ len: deleteLength, ev }];
    }
    const [a, bc] = this.split(this.root, offset);
    const [b, c] = this.split(bc, deleteLength);
    const removed = b ? collect(b) : [];
    // Take the runs at both seams out so the new runs merge with them.
    const seam: Run[] = [];
    let left = a;
    let right = c;
    if (left) {
      const last = lastNode(left);
      seam.push({ len: last.len, ev: last.ev });
      left = this.split(left, left.sum - last.len)[0];
    }
    for (const r of insert) if (r.len > 0) seam.push(r);
    if (right) {
      const first = firstNode(right);
      seam.push({ len: first.len, ev: first.ev });
      right = this.split(right, first.len)[1];
    }
    this.root = merge(merge(left, this.build(mergeRuns(seam))), right);
    return mergeRuns(removed);
  }

  /** Fast path: `run` goes right after a character of the same evidence. */
  private extend(offset: number, run: Run): boolean {
    if (run.len <= 0) return true;
    const found = this.locate(offset - 1);
    if (!found || found.node.ev !== run.ev) return false;
    found.node.len += run.len;
    for (const n of found.path) n.sum += run.len;
    return true;
  }

  /** Fast path: the deleted range lies inside one run and leaves some of it; returns that run's evidence. */
  private shrink(offset: number, deleteLength: number): Evidence | null | undefined {
    const found = this.locate(offset);
    if (!found) return undefined;
    const t = found.node;
    if (found.within + deleteLength > t.len || deleteLength >= t.len) return undefined;
    t.len -= deleteLength;
    for (const n of found.path) n.sum -= deleteLength;
    return t.ev;
  }

  /** The node holding character `offset`, the path down to it (inclusive), and the offset inside its run. */
  private locate(offset: number): { node: Node; path: Node[]; within: number } | undefined {
    const path: Node[] = [];
    let t = this.root;
    let pos = offset;
    while (t) {
      path.push(t);
      const ls = sumOf(t.l);
      if (pos < ls) t = t.l;
      else if (pos < ls + t.len) return { node: t, path, within: pos - ls };
      else {
        pos -= ls + t.len;
        t = t.r;
      }
    }
    return undefined;
  }

  private nextPri(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  /** Builds a treap from runs in O(n) (a Cartesian tree over fresh priorities). */
  private build(runs: readonly Run[]): Node | null {
    const stack: Node[] = [];
    for (const r of runs) {
      if (r.len <= 0) continue;
      const n: Node = { len: r.len, ev: r.ev, sum: r.len, pri: this.nextPri(), l: null, r: null };
      let last: Node | null = null;
      while (stack.length && (stack[stack.length - 1] as Node).pri < n.pri) {
        last = stack.pop() as Node;
        update(last);
      }
      n.l = last;
      if (stack.length) (stack[stack.length - 1] as Node).r = n;
      stack.push(n);
    }
    for (let i = stack.length - 1; i >= 0; i--) update(stack[i]);
    return stack.length ? stack[0] : null;
  }

  /** Splits `t` into the first `pos` characters and the rest, cutting a run in two where needed. */
  private split(t: Node | null, pos: number): [Node | null, Node | null] {
    if (!t) return [null, null];
    const ls = sumOf(t.l);
    if (pos <= ls) {
      const [a, b] = this.split(t.l, pos);
      t.l = b;
      update(t);
      return [a, t];
    }
    if (pos >= ls + t.len) {
      const [a, b] = this.split(t.r, pos - ls - t.len);
      t.r = a;
      update(t);
      return [t, b];
    }
    // `pos` falls inside this node's run: the right part becomes a node with the
    // same priority, which keeps the heap order on both sides.
    const k = pos - ls;
    const right: Node = { len: t.len - k, ev: t.ev, sum: 0, pri: t.pri, l: null, r: t.r };
    t.len = k;
    t.r = null;
    update(right);
    update(t);
    return [t, right];
  }
}

function merge(a: Node | null, b: Node | null): Node | null {
  if (!a) return b;
  if (!b) return a;
  if (a.pri >= b.pri) {
    a.r = merge(a.r, b);
    update(a);
    return a;
  }
  b.l = merge(a, b.l);
  update(b);
  return b;
}

function firstNode(t: Node): Node {
  while (t.l) t = t.l;
  return t;
}

function lastNode(t: Node): Node {
  while (t.r) t = t.r;
  return t;
}

function collect(t: Node): Run[] {
  const out: Run[] = [];
  const walk = (n: Node | null): void => {
    if (!n) return;
    walk(n.l);
    out.push({ len: n.len, ev: n.ev });
    walk(n.r);
  };
  walk(t);
  return out;
}

/** Merges neighbouring runs with the same evidence and drops empty ones. */
export function mergeRuns(runs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (r.len <= 0) continue;
    const last = out[out.length - 1];
    if (last && last.ev === r.ev) out[out.length - 1] = { len: last.len + r.len, ev: r.ev };
    else out.push(r);
  }
  return out;
}
