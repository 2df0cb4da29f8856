import { diffArrays } from 'diff';
import { projectLines, splitLines, textLines } from './lines';
import { isOrigin, isToolName } from './origin';
import type { Confidence, Evidence } from './origin';
import { runsFromPieces } from './spans';
import type { PlacedRun, Run } from './spans';

/**
 * The ledger: what the commit side needs to know about one saved file. It is
 * written under the repository's git directory, never in the work tree, and
 * holds line hashes (not the text), a class per line, and the origin
 * segments so the editor can restore its marks after a reload.
 */
export const LEDGER_VERSION = 1;

/** Line classes as one character each: `.` unchanged or blank, `a` ai, `m` mixed, `h` human, `u` unknown. */
export type ClassChar = '.' | 'a' | 'm' | 'h' | 'u';

export interface LedgerEvidence {
  readonly origin: Evidence['origin'];
  readonly confidence: Confidence;
  readonly detail: string;
  readonly tool?: string;
  readonly model?: string;
  readonly at: number;
  readonly reviewed?: { readonly by: string; readonly at: number };
}

export interface FileLedger {
  readonly v: typeof LEDGER_VERSION;
  /** Path relative to the repository root, with `/` separators. */
  readonly path: string;
  readonly savedAt: number;
  /** A hash per line of the saved text (line text without its line break). */
  readonly lines: readonly string[];
  /** One {@link ClassChar} per line. */
  readonly classes: string;
  /** The evidence table that `lineEv` and `segs` point into. */
  readonly ev: readonly LedgerEvidence[];
  /** For `a` and `m` lines: line number → index of the dominant AI evidence. */
  readonly lineEv: Readonly<Record<string, number>>;
  /** Origin segments inside lines: `[line, column, length, evidence index]`. */
  readonly segs: ReadonlyArray<readonly [number, number, number, number]>;
  /** `a` and `m` lines whose AI text a person marked as reviewed (absent in older entries). */
  readonly reviewed?: readonly number[];
}

/** A 53-bit string hash (cyrb53), printed in base 36. Not cryptographic: it only aligns lines. */
export function hashLine(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

const CLASS_CHAR = { ai: 'a', mixed: 'm', human: 'h', unknown: 'u' } as const;

/** Builds the ledger entry for a saved text and its runs. */
export function buildFileLedger(path: string, text: string, runs: readonly Run[], savedAt: number): FileLedger {
  const lines = splitLines(text);
  const classes: string[] = new Array<string>(lines.length).fill('.');
  const evIndex = new Map<Evidence, number>();
  const ev: LedgerEvidence[] = [];
  const indexOf = (e: Evidence): number => {
    let i = evIndex.get(e);
    if (i === undefined) {
      i = ev.length;
      evIndex.set(e, i);
      ev.push({
        origin: e.origin,
        confidence: e.confidence,
        detail: e.detail,
        ...(e.tool && isToolName(e.tool) ? { tool: e.tool } : {}),
        ...(e.tool && isToolName(e.tool) && e.model && isToolName(e.model) ? { model: e.model } : {}),
        at: e.at,
        ...(e.reviewed ? { reviewed: { by: e.reviewed.by, at: e.reviewed.at } } : {}),
      });
    }
    return i;
  };
  const lineEv: Record<string, number> = {};
  const reviewed: number[] = [];
  for (const info of projectLines(text, runs)) {
    classes[info.line] = CLASS_CHAR[info.cls];
    if (info.cls === 'ai' || info.cls === 'mixed') {
      lineEv[String(info.line)] = indexOf(info.ev);
      if (info.reviewed) reviewed.push(info.line);
    }
  }
  const segs: Array<[number, number, number, number]> = [];
  let pos = 0;
  let line = 0;
  let lineStart = 0;
  for (const r of runs) {
    const end = pos + r.len;
    if (r.ev !== null) {
      const e = indexOf(r.ev);
      let k = pos;
      while (k < end) {
        let nl = text.indexOf('\n', lineStart);
        while (nl !== -1 && nl < k) {
          line++;
          lineStart = nl + 1;
          nl = text.indexOf('\n', lineStart);
        }
        const lineEnd = nl === -1 ? text.length : nl;
        // Segments hold line text only: not the line break, nor the \r of a CRLF.
        const textEnd = nl > lineStart && text.charCodeAt(nl - 1) === 13 ? nl - 1 : lineEnd;
        const segEnd = Math.min(end, textEnd);
        if (segEnd > k) segs.push([line, k - lineStart, segEnd - k, e]);
        if (end <= textEnd) break;
        k = lineEnd + 1;
      }
    }
    pos = end;
  }
  return { v: LEDGER_VERSION, path, savedAt, lines: lines.map(hashLine), classes: classes.join(''), ev, lineEv, segs, ...(reviewed.length ? { reviewed } : {}) };
}

/** Reads a ledger entry from JSON; `undefined` when it is not one we understand (corrupt, or another version). */
export function parseFileLedger(json: string): FileLedger | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  if (d.v !== LEDGER_VERSION || typeof d.path !== 'string' || typeof d.classes !== 'string' || typeof d.savedAt !== 'number') return undefined;
  if (!Array.isArray(d.lines) || !d.lines.every((h) => typeof h === 'string')) return undefined;
  if (d.classes.length !== d.lines.length || !/^[.amhu]*$/.test(d.classes)) return undefined;
  if (!Array.isArray(d.ev) || !d.ev.every(isLedgerEvidence)) return undefined;
  if (!d.lineEv || typeof d.lineEv !== 'object') return undefined;
  const evCount = d.ev.length;
  if (!Object.values(d.lineEv as Record<string, unknown>).every((i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < evCount)) return undefined;
  if (!Array.isArray(d.segs) || !d.segs.every((s) => Array.isArray(s) && s.length === 4 && s.every((n) => Number.isInteger(n) && n >= 0) && s[3] < evCount)) {
    return undefined;
  }
  if (d.reviewed !== undefined && !(Array.isArray(d.reviewed) && d.reviewed.every((n) => Number.isInteger(n) && n >= 0 && n < (d.classes as string).length))) {
    return undefined;
  }
  return data as FileLedger;
}

function isLedgerEvidence(e: unknown): e is LedgerEvidence {
  if (!e || typeof e !== 'object') return false;
  const x = e as Record<string, unknown>;
  return (
    isOrigin(x.origin) &&
    (x.confidence === 'certain' || x.confidence === 'likely' || x.confidence === 'unknown') &&
    typeof x.detail === 'string' &&
    typeof x.at === 'number' &&
    (x.tool === undefined || typeof x.tool === 'string') &&
    (x.model === undefined || typeof x.model === 'string') &&
    (x.reviewed === undefined || isReview(x.reviewed))
  );
}

function isReview(r: unknown): boolean {
  if (!r || typeof r !== 'object') return false;
  const x = r as Record<string, unknown>;
  return typeof x.by === 'string' && typeof x.at === 'number';
}

/** Whether two lists of line hashes are the same: the ledger describes exactly this text. */
export function sameLines(ledgerLines: readonly string[], currentHashes: readonly string[]): boolean {
  return ledgerLines.length === currentHashes.length && ledgerLines.every((h, i) => h === currentHashes[i]);
}

/** Bounds a line diff, so a huge unrelated rewrite cannot stall a commit or the editor. */
export const DIFF_TIMEOUT_MS = 500;

/** jsdiff's bounds for a line diff: a time, and optionally a number of edits. */
export function lineDiffOptions(timeoutMs: number, maxEdit: number | undefined): { timeout: number; maxEditLength?: number } {
  return maxEdit === undefined ? { timeout: timeoutMs } : { timeout: timeoutMs, maxEditLength: maxEdit };
}

/**
 * Maps each line of `current` to the ledger line it equals, or -1. Uses a
 * line diff, so it survives lines added or removed elsewhere. When the diff
 * gives up (too different, too slow, more than `maxEdit` edits), no line
 * maps: we then know nothing.
 */
export function alignLines(ledgerLines: readonly string[], currentHashes: readonly string[], timeoutMs = DIFF_TIMEOUT_MS, maxEdit?: number): Int32Array {
  // The usual case: the ledger was written for exactly this text (saved, then staged). No diff needed.
  if (sameLines(ledgerLines, currentHashes)) return Int32Array.from(currentHashes, (_, i) => i);
  const map = new Int32Array(currentHashes.length).fill(-1);
  const parts = diffArrays(ledgerLines as string[], currentHashes as string[], lineDiffOptions(timeoutMs, maxEdit));
  if (!parts) return map;
  let oldIdx = 0;
  let newIdx = 0;
  for (const part of parts) {
    const n = part.count ?? part.value.length;
    if (part.added) newIdx += n;
    else if (part.removed) oldIdx += n;
    else {
      for (let i = 0; i < n; i++) map[newIdx + i] = oldIdx + i;
      oldIdx += n;
      newIdx += n;
    }
  }
  return map;
}

/**
 * Restores runs for `text` from a ledger entry: the segments of every line
 * that is still the same line; everything else is base text.
 */
export function restoreRuns(ledger: FileLedger, text: string): Run[] {
  const lines = splitLines(text);
  const hashes = lines.map(hashLine);
  const oldToNew = new Int32Array(ledger.lines.length).fill(-1);
  alignLines(ledger.lines, hashes).forEach((o, n) => {
    if (o >= 0) oldToNew[o] = n;
  });
  const evs: Evidence[] = ledger.ev.map((e) => ({ ...e }));
  const src = textLines(text);
  const placed: PlacedRun[] = [];
  for (const [line, col, len, e] of ledger.segs) {
    const n = oldToNew[line];
    if (n === undefined || n < 0) continue;
    if (col + len > lines[n].length) continue;
    placed.push({ start: src.lineStart(n) + col, len, ev: evs[e] });
  }
  return runsFromPieces(placed, text.length);
}
