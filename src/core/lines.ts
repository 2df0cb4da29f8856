import { isAiOrigin, isHumanOrigin } from './origin';
import type { Evidence, LineClass } from './origin';
import type { Run } from './spans';

/** The class of one changed, non-blank line and the evidence that dominates it. */
export interface LineInfo {
  /** Zero-based line number. */
  readonly line: number;
  readonly cls: Exclude<LineClass, 'unchanged'>;
  /** For `ai` and `mixed` lines, the AI evidence covering most characters; otherwise the evidence covering most. */
  readonly ev: Evidence;
  /** For `ai` and `mixed` lines: every AI character in the line was marked as reviewed. */
  readonly reviewed: boolean;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 160;
}

/** A count standing for "every character of the line" (one run covers it). */
const WHOLE = -1;

/**
 * Line access the projection needs, so it never has to copy or scan a whole
 * document: VS Code's TextDocument answers these in O(log n).
 */
export interface LineSource {
  /** The line holding a character offset (the last line at the end). */
  lineOf(offset: number): number;
  /** Offset of the first character of a line. */
  lineStart(line: number): number;
  /** A line's text without its line break. */
  lineText(line: number): string;
  readonly lineCount: number;
}

/** The line holding `offset`, given ascending line starts (`starts[0] === 0`) of `count` lines. */
export function lineOfOffset(starts: ArrayLike<number>, offset: number, count = starts.length): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A {@link LineSource} over a string (builds a line index once). */
export function textLines(text: string): LineSource {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return {
    lineCount: starts.length,
    lineStart: (line) => starts[line],
    lineOf: (offset) => lineOfOffset(starts, offset),
    lineText: (line) => {
      const end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
      const l = text.slice(starts[line], end);
      return l.charCodeAt(l.length - 1) === 13 ? l.slice(0, -1) : l;
    },
  };
}

/**
 * Projects runs onto lines. Only lines that hold some non-space character with
 * a recorded origin are returned (in order); every other line is `unchanged`
 * or blank. Classes count non-space characters only, so indentation and
 * trailing spaces never decide a line's class.
 */
export function projectLines(text: string, runs: readonly Run[]): LineInfo[] {
  return projectLinesFrom(textLines(text), runs);
}

/**
 * The same projection through a {@link LineSource}: it visits only the lines
 * that runs with an origin touch, so its cost follows the amount of tracked
 * text, not the size of the document.
 */
export function projectLinesFrom(src: LineSource, runs: readonly Run[]): LineInfo[] {
  const out: LineInfo[] = [];
  const acc = new LineAccumulator(out);
  let pos = 0;
  for (const r of runs) {
    const end = pos + r.len;
    if (r.ev !== null) walkRun(src, acc, r.ev, pos, end);
    pos = end;
  }
  acc.finish();
  return out;
}

/** Adds one run with an origin to the lines it touches, line by line. */
function walkRun(src: LineSource, acc: LineAccumulator, ev: Evidence, pos: number, end: number): void {
  let k = pos;
  while (k < end) {
    if (acc.line < 0 || k >= acc.start + acc.text.length + 1 || k < acc.start) {
      const l = src.lineOf(k);
      if (l !== acc.line) acc.moveTo(l, src.lineStart(l), src.lineText(l));
    }
    const to = Math.min(end, acc.start + acc.text.length);
    acc.add(ev, k, to);
    if (to >= end) return;
    // Past the end of this line's text: skip its line break and go on with the next line.
    if (acc.line + 1 >= src.lineCount) return;
    const next = src.lineStart(acc.line + 1);
    if (next >= end) return;
    acc.moveTo(acc.line + 1, next, src.lineText(acc.line + 1));
    k = next;
  }
}

/** The line being projected and the evidence seen on it, classified into `out` when the projection moves on. */
class LineAccumulator {
  line = -1;
  text = '';
  start = 0;
  /** Non-space characters of the current line, counted at most once (-1: not yet). */
  private total = -1;
  // Evidence and character counts of the current line, in order of first appearance: usually one or two.
  private readonly accEv: Evidence[] = [];
  private readonly accN: number[] = [];

  constructor(private readonly out: LineInfo[]) {}

  moveTo(line: number, start: number, text: string): void {
    this.finish();
    this.line = line;
    this.start = start;
    this.text = text;
  }

  /** Counts the characters `[k, to)` of the current line for `ev`. */
  add(ev: Evidence, k: number, to: number): void {
    const { accEv, accN, start, text } = this;
    if (k <= start && to >= start + text.length && accEv.length === 0) {
      // The run covers the whole line, the usual case for AI text: no need to count.
      accEv.push(ev);
      accN.push(WHOLE);
      return;
    }
    const n = nonSpace(text, Math.max(0, k - start), to - start);
    if (n === 0) return;
    const j = accEv.indexOf(ev);
    if (j >= 0) accN[j] = accN[j] === WHOLE ? WHOLE : accN[j] + n;
    else {
      accEv.push(ev);
      accN.push(n);
    }
  }

  finish(): void {
    const { accEv, accN, text } = this;
    if (accEv.length === 1 && accN[0] === WHOLE) {
      // One run covers the whole line: its class is its origin's, if the line is not blank.
      const ev = accEv[0];
      if (!isBlank(text)) {
        const ai = isAiOrigin(ev.origin);
        this.out.push({ line: this.line, cls: ai ? 'ai' : isHumanOrigin(ev.origin) ? 'human' : 'unknown', ev, reviewed: ai && ev.reviewed !== undefined });
      }
    } else if (accEv.length) {
      if (this.total < 0) this.total = nonSpace(text, 0, text.length);
      for (let j = 0; j < accN.length; j++) if (accN[j] === WHOLE) accN[j] = this.total;
      const info = classify(this.line, this.total, accEv, accN);
      if (info) this.out.push(info);
    }
    accEv.length = 0;
    accN.length = 0;
    this.total = -1;
  }
}

function nonSpace(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 160)) n++;
  }
  return n;
}

function classify(line: number, total: number, evs: readonly Evidence[], counts: readonly number[]): LineInfo | undefined {
  let ai = 0;
  let aiReviewed = 0;
  let human = 0;
  let unknown = 0;
  let topAi: Evidence | undefined;
  let topAiCount = 0;
  let top: Evidence | undefined;
  let topCount = 0;
  for (let j = 0; j < evs.length; j++) {
    const ev = evs[j];
    const n = counts[j];
    if (isAiOrigin(ev.origin)) {
      ai += n;
      if (ev.reviewed) aiReviewed += n;
      if (n > topAiCount) {
        topAi = ev;
        topAiCount = n;
      }
    } else if (isHumanOrigin(ev.origin)) human += n;
    else unknown += n;
    if (n > topCount) {
      top = ev;
      topCount = n;
    }
  }
  if (total === 0 || !top) return undefined;
  if (topAi) return { line, cls: ai === total ? 'ai' : 'mixed', ev: topAi, reviewed: aiReviewed === ai };
  if (unknown > 0) return { line, cls: 'unknown', ev: top, reviewed: false };
  if (human > 0) return { line, cls: 'human', ev: top, reviewed: false };
  return undefined;
}

/** Splits text into lines on `\n`, dropping a `\r` before it, so CRLF and LF texts hash alike. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** True when a line has nothing but white space. */
export function isBlank(line: string): boolean {
  for (let k = 0; k < line.length; k++) if (!isSpace(line.charCodeAt(k))) return false;
  return true;
}
