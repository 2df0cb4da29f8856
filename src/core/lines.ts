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

const NL = 10;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 160;
}

/**
 * Projects runs onto lines. Only lines that hold some non-space character with
 * a recorded origin are returned (in order); every other line is `unchanged`
 * or blank. Classes count non-space characters only, so indentation and
 * trailing spaces never decide a line's class.
 */
export function projectLines(text: string, runs: readonly Run[]): LineInfo[] {
  const out: LineInfo[] = [];
  let line = 0;
  let lineStart = 0;
  let acc: Map<Evidence, number> | null = null;

  const finish = (): void => {
    if (acc) {
      const info = classify(text, line, lineStart, acc);
      if (info) out.push(info);
      acc = null;
    }
  };

  let pos = 0;
  for (const r of runs) {
    const end = pos + r.len;
    if (r.ev === null) {
      pos = end;
      continue;
    }
    // Move to the line holding `pos`.
    let nl = text.indexOf('\n', lineStart);
    while (nl !== -1 && nl < pos) {
      finish();
      line++;
      lineStart = nl + 1;
      nl = text.indexOf('\n', lineStart);
    }
    for (let k = pos; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === NL) {
        finish();
        line++;
        lineStart = k + 1;
      } else if (!isSpace(c)) {
        if (!acc) acc = new Map();
        acc.set(r.ev, (acc.get(r.ev) ?? 0) + 1);
      }
    }
    pos = end;
  }
  finish();
  return out;
}

function classify(text: string, line: number, start: number, acc: Map<Evidence, number>): LineInfo | undefined {
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  let total = 0;
  for (let k = start; k < end; k++) if (!isSpace(text.charCodeAt(k))) total++;
  let ai = 0;
  let aiReviewed = 0;
  let human = 0;
  let unknown = 0;
  let topAi: Evidence | undefined;
  let topAiCount = 0;
  let top: Evidence | undefined;
  let topCount = 0;
  for (const [ev, n] of acc) {
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
