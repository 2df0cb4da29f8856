import type { Evidence } from './origin';
import { mergeRuns, RunTree } from './runTree';

/**
 * A run of characters with one origin. `ev === null` marks base text: text
 * that was in the document when tracking began (saved, or equal to HEAD).
 * Runs are immutable; the model replaces them instead of editing in place, so
 * a shallow copy of the run list is a snapshot.
 */
export interface Run {
  readonly len: number;
  readonly ev: Evidence | null;
}

/** One change of a VS Code change event, in offsets of the text before the event. */
export interface TextEdit {
  readonly offset: number;
  readonly deleteLength: number;
  /** The inserted text's runs; their lengths add up to the inserted length. */
  readonly insert: readonly Run[];
}

/** The shape of a change without its origins (what undo and redo report). */
export interface EditShape {
  readonly offset: number;
  readonly deleteLength: number;
  readonly insertLength: number;
}

interface AppliedOp {
  readonly offset: number;
  readonly removed: readonly Run[];
  readonly inserted: readonly Run[];
}

/** The ops of one change event, in the order they were applied. */
type HistoryEntry = readonly AppliedOp[];

const MAX_HISTORY = 2000;

export function runsLength(runs: readonly Run[]): number {
  let n = 0;
  for (const r of runs) n += r.len;
  return n;
}

/**
 * The per-document span model: an ordered list of runs covering the whole
 * text (held in a {@link RunTree}, so an edit costs O(log n)). Edits shift,
 * split, trim and merge runs; undo and redo restore the runs an edit removed.
 */
export class SpanModel {
  private tree: RunTree;
  private undoStack: HistoryEntry[] = [];
  private redoStack: HistoryEntry[][] = [];

  constructor(length: number, runs?: readonly Run[]) {
    if (runs) {
      if (runsLength(runs) !== length) throw new RangeError('runs do not cover the text');
      this.tree = new RunTree(normalize(runs));
    } else {
      this.tree = new RunTree(length > 0 ? [{ len: length, ev: null }] : []);
    }
  }

  get length(): number {
    return this.tree.length;
  }

  /** All runs in order (a fresh array). */
  getRuns(): Run[] {
    return this.tree.toArray();
  }

  /** Number of runs, for benchmarks and diagnostics. */
  runCount(): number {
    return this.tree.count();
  }

  /** True when some text has a recorded origin (is not base text). */
  hasOrigins(): boolean {
    return this.tree.toArray().some((r) => r.ev !== null);
  }

  /** The runs covering `[offset, offset + length)`, cut to that range. */
  slice(offset: number, length: number): Run[] {
    return normalize(this.tree.slice(offset, length));
  }

  /** The run at a character offset (the last one at the very end). */
  runAt(offset: number): Run | undefined {
    return this.tree.runAt(offset);
  }

  /**
   * Replaces the evidence of the text in `[offset, offset + length)` through
   * `map` (mark as reviewed, as human-written, as AI), without touching the
   * text or the undo history. `map` is called once per distinct evidence.
   */
  relabel(offset: number, length: number, map: (ev: Evidence | null) => Evidence | null): void {
    if (length <= 0) return;
    const seen = new Map<Evidence | null, Evidence | null>();
    const runs = this.tree.slice(offset, length).map((r) => {
      if (!seen.has(r.ev)) seen.set(r.ev, map(r.ev));
      return { len: r.len, ev: seen.get(r.ev) as Evidence | null };
    });
    this.tree.replace(offset, length, runs);
  }

  /** The whole run holding the character at `offset`: where it starts, how long it is, and its evidence. */
  spanAt(offset: number): { start: number; len: number; ev: Evidence | null } | undefined {
    return this.tree.spanAt(offset);
  }

  /**
   * Makes `[offset, offset + length)` base text again (it now equals the
   * committed text), without touching the text or the undo history.
   */
  clearOrigins(offset: number, length: number): void {
    if (length <= 0) return;
    this.tree.replace(offset, length, [{ len: length, ev: null }]);
  }

  /**
   * Applies a forward change event (typing, paste, completion, …). The edits
   * are in offsets of the text before the event and must not overlap, as in
   * VS Code's `contentChanges`, in any order.
   */
  apply(edits: readonly TextEdit[]): void {
    if (edits.length === 0) return;
    const ops: AppliedOp[] = [];
    for (const e of sortDescending(edits)) {
      const removed = this.tree.replace(e.offset, e.deleteLength, e.insert);
      ops.push({ offset: e.offset, removed, inserted: e.insert });
    }
    this.undoStack.push(ops);
    if (this.undoStack.length > MAX_HISTORY) this.undoStack.shift();
    if (this.redoStack.length) this.redoStack = [];
  }

  /**
   * Applies an undo event. VS Code may undo several of our events at once
   * (consecutive typing is one undo group) and reports their net change; we
   * take back our events one by one until their net change matches it, then
   * keep the runs those events had removed. When nothing matches (the history
   * does not reach back that far), the restored text gets `fallback`.
   * Returns whether the history matched.
   */
  undo(edits: readonly EditShape[], fallback: Evidence): boolean {
    const target = netOf(edits, this.length);
    const net = new NetTracker(this.length);
    let k = 0;
    while (k < this.undoStack.length) {
      k++;
      const entry = this.undoStack[this.undoStack.length - k];
      for (let i = entry.length - 1; i >= 0; i--) {
        const op = entry[i];
        const insLen = runsLength(op.inserted);
        this.tree.replace(op.offset, insLen, op.removed);
        net.replace(op.offset, insLen, runsLength(op.removed));
      }
      if (net.matches(target)) {
        this.redoStack.push(this.undoStack.splice(this.undoStack.length - k, k));
        return true;
      }
    }
    // No match: put the events back as they were, then apply the undo plainly.
    for (let j = this.undoStack.length - k; j < this.undoStack.length; j++) this.replay(this.undoStack[j]);
    this.applyUnmatched(edits, fallback);
    return false;
  }

  /** Applies a redo event: re-applies the group the matching undo took back. */
  redo(edits: readonly EditShape[], fallback: Evidence): boolean {
    const group = this.redoStack[this.redoStack.length - 1];
    if (group) {
      const net = new NetTracker(this.length);
      for (const entry of group) {
        for (const op of entry) net.replace(op.offset, runsLength(op.removed), runsLength(op.inserted));
      }
      if (net.matches(netOf(edits, this.length))) {
        for (const entry of group) this.replay(entry);
        this.redoStack.pop();
        this.undoStack.push(...group);
        return true;
      }
    }
    this.applyUnmatched(edits, fallback);
    return false;
  }

  private replay(entry: HistoryEntry): void {
    for (const op of entry) this.tree.replace(op.offset, runsLength(op.removed), op.inserted);
  }

  /** An undo or redo we could not match: apply it plainly and forget the history, which no longer lines up. */
  private applyUnmatched(edits: readonly EditShape[], fallback: Evidence): void {
    for (const e of sortDescending(edits)) {
      this.tree.replace(e.offset, e.deleteLength, e.insertLength > 0 ? [{ len: e.insertLength, ev: fallback }] : []);
    }
    this.undoStack = [];
    this.redoStack = [];
  }
}

/** Merges neighbouring runs with the same evidence and drops empty ones. */
export const normalize = mergeRuns;

/** A stretch of text with known evidence, by absolute offset. */
export interface PlacedRun {
  readonly start: number;
  readonly len: number;
  readonly ev: Evidence;
}

/**
 * Runs covering a text of `length` characters from pieces placed in it: the
 * gaps are base text; of pieces that overlap, the earliest placed wins.
 */
export function runsFromPieces(pieces: readonly PlacedRun[], length: number): Run[] {
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  const runs: Run[] = [];
  let pos = 0;
  for (const p of sorted) {
    if (p.start < pos || p.start + p.len > length) continue;
    if (p.start > pos) runs.push({ len: p.start - pos, ev: null });
    runs.push({ len: p.len, ev: p.ev });
    pos = p.start + p.len;
  }
  if (length > pos) runs.push({ len: length - pos, ev: null });
  return mergeRuns(runs);
}

function sortDescending<T extends { offset: number }>(edits: readonly T[]): T[] {
  return edits.length === 1 ? [edits[0]] : [...edits].sort((a, b) => b.offset - a.offset);
}

/** The net effect of an event: the range of the old text it changed, and the new length. */
interface Net {
  /** Start of the changed range in the text before; `-1` when nothing changed. */
  readonly start: number;
  /** End of the changed range in the text before. */
  readonly end: number;
  readonly newLength: number;
}

/** The net effect of VS Code's changes (non-overlapping, in offsets of the text before). */
function netOf(edits: readonly EditShape[], length: number): Net {
  let start = Infinity;
  let end = -1;
  let delta = 0;
  for (const e of edits) {
    if (e.deleteLength === 0 && e.insertLength === 0) continue;
    start = Math.min(start, e.offset);
    end = Math.max(end, e.offset + e.deleteLength);
    delta += e.insertLength - e.deleteLength;
  }
  return end < 0 ? { start: -1, end: -1, newLength: length } : { start, end, newLength: length + delta };
}

interface Piece {
  /** Offset in the original text, or -1 for inserted text. */
  readonly from: number;
  readonly len: number;
}

/**
 * Composes a sequence of edits into their net effect on the original text,
 * as VS Code does when it undoes a group of edits at once: text inserted and
 * removed again within the group leaves no trace.
 */
class NetTracker {
  private pieces: Piece[];
  private total: number;

  constructor(private readonly originalLength: number) {
    this.pieces = originalLength > 0 ? [{ from: 0, len: originalLength }] : [];
    this.total = originalLength;
  }

  replace(offset: number, removed: number, inserted: number): void {
    const out: Piece[] = [];
    let pos = 0;
    let placed = false;
    const end = offset + removed;
    for (const p of this.pieces) {
      const pEnd = pos + p.len;
      if (pEnd <= offset || pos >= end) {
        if (!placed && pos >= end) {
          if (inserted > 0) out.push({ from: -1, len: inserted });
          placed = true;
        }
        out.push(p);
      } else {
        if (pos < offset) out.push({ from: p.from < 0 ? -1 : p.from, len: offset - pos });
        if (!placed && pEnd >= end) {
          if (inserted > 0) out.push({ from: -1, len: inserted });
          placed = true;
        }
        if (pEnd > end) out.push({ from: p.from < 0 ? -1 : p.from + (end - pos), len: pEnd - end });
      }
      pos = pEnd;
    }
    if (!placed && inserted > 0) out.push({ from: -1, len: inserted });
    this.pieces = out;
    this.total += inserted - removed;
  }

  /** Whether the composed edits have the same net effect as `target`. */
  matches(target: Net): boolean {
    if (this.total !== target.newLength) return false;
    // Original text kept in place at the start and at the end is unchanged.
    let head = 0;
    for (const p of this.pieces) {
      if (p.from !== head) break;
      head += p.len;
    }
    let tail = this.originalLength;
    for (let i = this.pieces.length - 1; i >= 0; i--) {
      const p = this.pieces[i];
      if (p.from < 0 || p.from + p.len !== tail) break;
      tail = p.from;
    }
    if (head >= this.originalLength && this.total === this.originalLength) return target.start === -1;
    return target.start === Math.min(head, tail) && target.end === Math.max(tail, head);
  }
}
