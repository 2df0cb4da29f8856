import { diffArrays } from 'diff';
import { alignLines, DIFF_TIMEOUT_MS, hashLine, lineDiffOptions } from './ledger';
import type { FileLedger, LedgerEvidence } from './ledger';
import { isBlank, splitLines } from './lines';
import { AI_ORIGINS, isOrigin, isToolName } from './origin';
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
  /** Tools actually identified for AI lines, as `Assisted-by` values (`tool` or `tool:model`). */
  tools: Set<string>;
}

/**
 * The value of an `Assisted-by:` line: the tool, and with the kernel's
 * `AGENT:MODEL` convention its model when the tool itself named it.
 */
export function assistedBy(tool: string, model: string | undefined): string {
  return model ? `${tool}:${model}` : tool;
}

/**
 * The AI share in percent, rounded to `decimals`: lines with any AI text over
 * all counted lines, (ai + mixed) / lines; 0 when there are none. The editor
 * shows whole percents, `report` one decimal.
 */
export function aiShare(c: Pick<Counts, 'lines' | 'ai' | 'mixed'>, decimals = 0): number {
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
 * Edits past which an in-process line diff gives up and git's own diff
 * decides instead (see attributeEntries): a bound by size, so the hook and
 * `report` give up on the same files whatever the load, and jsdiff's cost
 * ((N + M) × edits) stays a fraction of the hook's budget.
 */
export const MAX_EDIT_LENGTH = 400;

/** Steps (lines × edits) an in-process line diff may take: longer files get fewer edits. */
const MAX_DIFF_STEPS = 2_000_000;

/** The edits a bounded diff of `lines` lines (both sides) is given: {@link MAX_EDIT_LENGTH} at most. */
export function editBound(lines: number): number {
  return Math.max(16, Math.min(MAX_EDIT_LENGTH, Math.floor(MAX_DIFF_STEPS / Math.max(1, lines))));
}

/** Every line of a text (a new file's), zero-based, the empty last "line" after a final newline left out. */
export function allLines(text: string): number[] {
  return allOf(splitText(text));
}

/** A text and its lines ({@link splitLines}): split once, for a text diffed more than once. */
export interface SplitText {
  readonly text: string;
  readonly lines: readonly string[];
}

export function splitText(text: string): SplitText {
  return { text, lines: splitLines(text) };
}

/** The lines a diff compares: the empty last "line" after a final newline left out. */
function diffLines(t: SplitText): readonly string[] {
  return t.text.endsWith('\n') ? t.lines.slice(0, -1) : t.lines;
}

function allOf(t: SplitText): number[] {
  return Array.from({ length: t.lines.length - (t.text.endsWith('\n') ? 1 : 0) }, (_, i) => i);
}

/**
 * The zero-based numbers of the lines of `after` that are added relative to
 * `before` (`null` for a new file), or `undefined` when the diff gave up
 * (out of time, or, when `bounded`, more edits than {@link editBound} allows).
 */
export function diffAdded(before: string | null, after: string, timeoutMs = DIFF_TIMEOUT_MS, bounded = false): number[] | undefined {
  return diffAddedSplit(before === null ? null : splitText(before), splitText(after), timeoutMs, bounded);
}

/** {@link diffAdded} on texts already split (a commit range diffs each text against the one before and the one after). */
export function diffAddedSplit(before: SplitText | null, after: SplitText, timeoutMs = DIFF_TIMEOUT_MS, bounded = false): number[] | undefined {
  if (before === null) return allOf(after);
  const newLines = diffLines(after);
  const oldLines = diffLines(before);
  const parts = diffArrays(oldLines as string[], newLines as string[], lineDiffOptions(timeoutMs, bounded ? editBound(oldLines.length + newLines.length) : undefined));
  if (!parts) return undefined;
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
 * {@link diffAdded}, where a diff that gives up counts every line of `after`
 * as added: for callers with no better source than the two texts.
 */
export function addedLines(before: string | null, after: string, timeoutMs = DIFF_TIMEOUT_MS): number[] {
  return diffAdded(before, after, timeoutMs) ?? allLines(after);
}

/** The class of one added line, as the ledger saw it, with the evidence behind an AI line. */
export interface AddedLine {
  /** Zero-based line number in the new text. */
  readonly line: number;
  readonly cls: 'ai' | 'mixed' | 'human' | 'unknown';
  /** For `ai` and `mixed` lines: the AI evidence that dominates the line. */
  readonly ev?: LedgerEvidence;
  /** For `ai` and `mixed` lines: a person marked the AI text as reviewed. */
  readonly reviewed?: boolean;
}

const LEDGER_CLASS = { a: 'ai', m: 'mixed', h: 'human' } as const;

/**
 * Attributes a file's non-blank added lines with its ledger. A line the
 * ledger does not know (edited outside the editor, or before tracking began)
 * is `unknown`: we say what the evidence supports and nothing more.
 */
export function attributeAdded(before: string | null, after: string, ledger: FileLedger | undefined, timeoutMs = DIFF_TIMEOUT_MS): AddedLine[] {
  return attributeLines(splitLines(after), addedLines(before, after, timeoutMs), ledger, timeoutMs);
}

/** {@link attributeAdded} for added lines already found (`lines`: the new text's lines). */
export function attributeLines(lines: readonly string[], added: readonly number[], ledger: FileLedger | undefined, timeoutMs = DIFF_TIMEOUT_MS): AddedLine[] {
  const map = ledger ? alignLines(ledger.lines, lines.map(hashLine), timeoutMs, editBound(ledger.lines.length + lines.length)) : undefined;
  const reviewed = new Set(ledger?.reviewed ?? []);
  const out: AddedLine[] = [];
  for (const i of added) {
    if (isBlank(lines[i])) continue;
    const old = map ? map[i] : -1;
    const ch = old >= 0 && ledger ? ledger.classes[old] : 'u';
    const cls = ch === 'a' || ch === 'm' || ch === 'h' ? LEDGER_CLASS[ch] : 'unknown';
    if (cls === 'ai' || cls === 'mixed') {
      out.push({ line: i, cls, ev: ledger?.ev[ledger.lineEv[String(old)]], reviewed: reviewed.has(old) });
    } else out.push({ line: i, cls });
  }
  return out;
}

/** The counts of attributed lines: what the trailer says about them. */
export function tallyAdded(lines: Iterable<AddedLine>): Counts {
  const counts = emptyCounts();
  for (const l of lines) {
    counts.lines++;
    counts[l.cls]++;
    if (l.cls !== 'ai' && l.cls !== 'mixed') continue;
    if (l.reviewed) counts.reviewed++;
    if (l.ev) {
      counts.byOrigin[l.ev.origin] = (counts.byOrigin[l.ev.origin] ?? 0) + 1;
      // Names outside the grammar are never written into a message (see isToolName).
      if (l.ev.tool && isToolName(l.ev.tool)) counts.tools.add(assistedBy(l.ev.tool, l.ev.model && isToolName(l.ev.model) ? l.ev.model : undefined));
    }
  }
  return counts;
}

/** Counts a file's added lines by class and origin ({@link attributeAdded}, then {@link tallyAdded}). */
export function countFile(before: string | null, after: string, ledger: FileLedger | undefined, timeoutMs = DIFF_TIMEOUT_MS): Counts {
  return tallyAdded(attributeAdded(before, after, ledger, timeoutMs));
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

/** What a trailer value said, or why it could not be read. */
export type TrailerReading =
  | {
      readonly status: 'ok';
      /** The counts; `tools` stays empty (tools are named on `Assisted-by` lines, not in the value). */
      readonly counts: Counts;
      /** Tokens beyond `lines`, the classes and the origins (additive revisions such as `reviewed=3`), in value order. */
      readonly extra: Record<string, number>;
    }
  | { readonly status: 'malformed'; readonly problem: string }
  | { readonly status: 'unsupported-version'; readonly version: number; readonly problem: string };

const TOKEN = /^([a-z][a-z0-9-]*)=(\d+)$/;
const CORE_KEYS = ['lines', 'ai', 'mixed', 'human', 'unknown'] as const;

/** Splits a value into its tokens, in order; a string says what is wrong. */
function readTokens(text: string): Map<string, number> | string {
  const tokens = new Map<string, number>();
  for (const tok of text.split(/\s+/)) {
    const m = TOKEN.exec(tok);
    if (!m) return `bad token ${JSON.stringify(tok.slice(0, 40))}`;
    const n = Number(m[2]);
    if (!Number.isSafeInteger(n)) return `count too large in ${m[1]}`;
    if (tokens.has(m[1])) return `${m[1]} given twice`;
    tokens.set(m[1], n);
  }
  return tokens;
}

/**
 * Reads one trailer value by the rules for readers in docs/trailer.md: `v`
 * first, unknown tokens kept, and anything that does not parse reported as
 * malformed rather than guessed at, because a CI gate must not act on a
 * value it had to guess at.
 */
export function readTrailerValue(value: string): TrailerReading {
  const text = value.trim();
  if (text === '') return { status: 'malformed', problem: 'empty value' };
  const tokens = readTokens(text);
  if (typeof tokens === 'string') return { status: 'malformed', problem: tokens };
  if (tokens.keys().next().value !== 'v') return { status: 'malformed', problem: 'does not start with v=' };
  const version = tokens.get('v') ?? 0;
  if (version !== TRAILER_VERSION) return { status: 'unsupported-version', version, problem: `unsupported version v=${version}` };
  for (const k of CORE_KEYS) if (!tokens.has(k)) return { status: 'malformed', problem: `no ${k}=` };
  const counts = emptyCounts();
  for (const k of CORE_KEYS) counts[k] = tokens.get(k) ?? 0;
  if (counts.lines !== counts.ai + counts.mixed + counts.human + counts.unknown) {
    return { status: 'malformed', problem: 'lines is not ai + mixed + human + unknown' };
  }
  const extra: Record<string, number> = {};
  for (const [k, n] of tokens) {
    if (k === 'v' || (CORE_KEYS as readonly string[]).includes(k)) continue;
    if (isOrigin(k)) counts.byOrigin[k] = n;
    else extra[k] = n;
  }
  counts.reviewed = extra.reviewed ?? 0;
  return { status: 'ok', counts, extra };
}

/** AI and mixed lines a person marked as reviewed (the additive `reviewed` token; absent means none), never more than there are. */
export function reviewedOf(c: Pick<Counts, 'ai' | 'mixed' | 'reviewed'>): { reviewed: number; unreviewed: number } {
  const reviewed = Math.min(c.reviewed, c.ai + c.mixed);
  return { reviewed, unreviewed: c.ai + c.mixed - reviewed };
}

/**
 * What does not add up in a readable trailer's counts, or `undefined`: the
 * per-origin counts must add up to `ai + mixed` (the writer names the
 * dominant AI origin of every such line) and `reviewed` cannot exceed them.
 */
export function countsProblem(c: Counts): string | undefined {
  const aiLines = c.ai + c.mixed;
  const byOrigin = Object.values(c.byOrigin).reduce((a, n) => a + (n ?? 0), 0);
  if (byOrigin !== aiLines) return `the origins add up to ${byOrigin}, not ai + mixed = ${aiLines}`;
  if (c.reviewed > aiLines) return `reviewed=${c.reviewed} is more than ai + mixed = ${aiLines}`;
  return undefined;
}
