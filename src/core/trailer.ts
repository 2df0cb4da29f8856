import { diffArrays } from 'diff';
import { alignLines, DIFF_TIMEOUT_MS, hashLine } from './ledger';
import type { FileLedger } from './ledger';
import { isBlank, splitLines } from './lines';
import { AI_ORIGINS, isOrigin } from './origin';
import type { Origin } from './origin';

export const TRAILER_KEY = 'AI-Provenance';
export const ASSISTED_BY_KEY = 'Assisted-by';
export const TRAILER_VERSION = 1;

/** Counts over a commit's non-blank added lines. `ai + mixed + human + unknown === lines`. */
export interface Counts {
  lines: number;
  ai: number;
  mixed: number;
  human: number;
  unknown: number;
  /** `ai` and `mixed` lines whose AI text a person marked as reviewed. */
  reviewed: number;
  /** For `ai` and `mixed` lines: the AI origin that dominates each line. */
  byOrigin: Partial<Record<Origin, number>>;
  /** Tools actually identified for AI lines. */
  tools: Set<string>;
}

/**
 * The AI share in percent, rounded to `decimals`: lines with any AI text over
 * all counted lines, (ai + mixed) / lines; 0 when there are none.
 */
export function aiSharePercent(c: Pick<Counts, 'lines' | 'ai' | 'mixed'>, decimals = 0): number {
  const scale = 10 ** decimals;
  return c.lines === 0 ? 0 : Math.round(((c.ai + c.mixed) * 100 * scale) / c.lines) / scale;
}

export function emptyCounts(): Counts {
  return { lines: 0, ai: 0, mixed: 0, human: 0, unknown: 0, reviewed: 0, byOrigin: {}, tools: new Set() };
}

export function addCounts(into: Counts, c: Counts): void {
  into.lines += c.lines;
  into.ai += c.ai;
  into.mixed += c.mixed;
  into.human += c.human;
  into.unknown += c.unknown;
  into.reviewed += c.reviewed;
  for (const [o, n] of Object.entries(c.byOrigin) as Array<[Origin, number]>) into.byOrigin[o] = (into.byOrigin[o] ?? 0) + n;
  for (const t of c.tools) into.tools.add(t);
}

/**
 * The zero-based numbers of the lines of `after` that are added relative to
 * `before` (`null` for a new file). When the diff gives up, every line of
 * `after` counts as added: over-counting lines as unknown is honest, dropping
 * them is not.
 */
export function addedLines(before: string | null, after: string): number[] {
  const newLines = splitLines(after);
  if (after.endsWith('\n')) newLines.pop();
  if (before === null) return newLines.map((_, i) => i);
  const oldLines = splitLines(before);
  if (before.endsWith('\n')) oldLines.pop();
  const parts = diffArrays(oldLines, newLines, { timeout: DIFF_TIMEOUT_MS });
  if (!parts) return newLines.map((_, i) => i);
  const out: number[] = [];
  let idx = 0;
  for (const p of parts) {
    const n = p.count ?? p.value.length;
    if (p.added) for (let i = 0; i < n; i++) out.push(idx + i);
    if (!p.removed) idx += n;
  }
  return out;
}

/**
 * Attributes a file's added lines with its ledger. A line the ledger does not
 * know (edited outside the editor, or before tracking began) is `unknown`:
 * we say what the evidence supports and nothing more.
 */
export function countFile(before: string | null, after: string, ledger: FileLedger | undefined): Counts {
  const counts = emptyCounts();
  const lines = splitLines(after);
  const added = addedLines(before, after);
  const hashes = ledger ? lines.map(hashLine) : [];
  // The usual case: the ledger was written for exactly this text (saved, then staged). No diff needed.
  const same = ledger !== undefined && ledger.lines.length === hashes.length && hashes.every((h, i) => h === ledger.lines[i]);
  const map = ledger ? (same ? Int32Array.from(hashes, (_, i) => i) : alignLines(ledger.lines, hashes)) : undefined;
  const reviewed = new Set(ledger?.reviewed ?? []);
  for (const i of added) {
    if (isBlank(lines[i])) continue;
    counts.lines++;
    const old = map ? map[i] : -1;
    const cls = old >= 0 && ledger ? ledger.classes[old] : 'u';
    switch (cls) {
      case 'a':
      case 'm': {
        if (cls === 'a') counts.ai++;
        else counts.mixed++;
        if (reviewed.has(old)) counts.reviewed++;
        const ev = ledger?.ev[ledger.lineEv[String(old)]];
        if (ev) {
          counts.byOrigin[ev.origin] = (counts.byOrigin[ev.origin] ?? 0) + 1;
          if (ev.tool) counts.tools.add(ev.tool);
        }
        break;
      }
      case 'h':
        counts.human++;
        break;
      default:
        counts.unknown++;
    }
  }
  return counts;
}

/** `v=1 lines=8 ai=5 mixed=0 human=3 unknown=0 ai-completion=2 ai-paste=3` */
export function formatTrailerValue(c: Counts): string {
  const parts = [`v=${TRAILER_VERSION}`, `lines=${c.lines}`, `ai=${c.ai}`, `mixed=${c.mixed}`, `human=${c.human}`, `unknown=${c.unknown}`];
  for (const o of AI_ORIGINS) {
    const n = c.byOrigin[o];
    if (n) parts.push(`${o}=${n}`);
  }
  // Additive in v1: absent means none reviewed.
  if (c.reviewed > 0) parts.push(`reviewed=${c.reviewed}`);
  return parts.join(' ');
}

/** Parses a trailer value; unknown tokens are kept so newer writers stay readable. */
export function parseTrailerValue(value: string): { version: number; tokens: Map<string, number> } | undefined {
  const tokens = new Map<string, number>();
  for (const tok of value.trim().split(/\s+/)) {
    const m = /^([a-z][a-z0-9-]*)=(\d+)$/.exec(tok);
    if (!m) return undefined;
    tokens.set(m[1], Number(m[2]));
  }
  const version = tokens.get('v');
  if (version === undefined) return undefined;
  return { version, tokens };
}

export function countsFromTokens(tokens: Map<string, number>): Counts {
  const c = emptyCounts();
  c.lines = tokens.get('lines') ?? 0;
  c.ai = tokens.get('ai') ?? 0;
  c.mixed = tokens.get('mixed') ?? 0;
  c.human = tokens.get('human') ?? 0;
  c.unknown = tokens.get('unknown') ?? 0;
  c.reviewed = tokens.get('reviewed') ?? 0;
  for (const [k, n] of tokens) if (isOrigin(k)) c.byOrigin[k] = n;
  return c;
}
