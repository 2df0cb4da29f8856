import type { ContentChange } from './changeFacts';
import type { Evidence } from './origin';
import { runsLength, type Run, type SpanModel } from './spans';

/**
 * How a paste was tied to an in-editor copy by its text: equal, equal once
 * line endings are normalised, or equal line by line once leading and
 * trailing white space is set aside (auto-indent on paste re-indents).
 */
export type CopyMatchHow = 'exact' | 'line-endings' | 'indentation';

/** A copy made in this window: what was copied and the origins it had then. */
export interface CopyEntry {
  /** The id our clipboard stamp carries. */
  readonly id: string;
  /** The copied text; absent when it was too large to keep (the stamp still finds the runs). */
  readonly text?: string;
  readonly runs: readonly Run[];
  /** The evidence given at copy time to base text in the copy: a match by text rewords it. */
  readonly own: Evidence;
  readonly at: number;
}

/** A paste tied to a copy by its text, with the copy's runs laid over the pasted text. */
export interface CopyMatch {
  readonly runs: readonly Run[];
  readonly how: CopyMatchHow;
  readonly copiedAt: number;
}

export interface CopyRecordLimits {
  /** Copies kept (the newest). */
  readonly maxEntries: number;
  /** Characters of copied text kept over all copies; a copy larger than this keeps only its runs. */
  readonly maxChars: number;
  /** How long a copy can be matched by its text. */
  readonly maxAgeMs: number;
}

export const COPY_RECORD_LIMITS: CopyRecordLimits = { maxEntries: 32, maxChars: 1 << 20, maxAgeMs: 30 * 60_000 };

/** What one run costs in the character budget (a run is a small object). */
const RUN_COST = 16;

/**
 * The copies this window made recently, newest last, in memory only and
 * bounded in count and size. A paste finds its copy by the clipboard stamp's
 * id (first choice), or, when the stamp did not arrive, by its text.
 */
export class CopyRecord {
  private entries: CopyEntry[] = [];
  private cost = 0;

  constructor(private readonly limits: CopyRecordLimits = COPY_RECORD_LIMITS) {}

  /** Number of copies kept, for tests and diagnostics. */
  get size(): number {
    return this.entries.length;
  }

  /** Characters (and runs, weighted) held, for tests and diagnostics. */
  get heldChars(): number {
    return this.cost;
  }

  /** Keeps a copy; drops the oldest while over a limit. The text is kept only when it fits. */
  add(entry: CopyEntry): void {
    const fits = entry.text !== undefined && entry.text.length <= this.limits.maxChars && runsLength(entry.runs) === entry.text.length;
    const kept: CopyEntry = fits ? entry : { id: entry.id, runs: entry.runs, own: entry.own, at: entry.at };
    // The same text copied again: the newer copy's origins are the current ones.
    const same = kept.text === undefined ? -1 : this.entries.findIndex((e) => e.text === kept.text);
    if (same >= 0) this.remove(same);
    this.entries.push(kept);
    this.cost += entryCost(kept);
    while (this.entries.length > 1 && (this.entries.length > this.limits.maxEntries || this.cost > this.limits.maxChars)) this.remove(0);
  }

  /**
   * The copy a clipboard stamp names, however old: the stamp itself ties the
   * paste to it. A copy kept without its text (a cut whose text was gone when
   * the copy reached us) learns it from the paste, when it fits, so that the
   * change the paste makes can still be matched by its text.
   */
  byId(id: string, pastedText?: string): CopyEntry | undefined {
    const i = this.entries.findIndex((e) => e.id === id);
    if (i < 0) return undefined;
    const e = this.entries[i];
    if (e.text !== undefined || pastedText === undefined || runsLength(e.runs) !== pastedText.length) return e;
    this.remove(i);
    this.add({ ...e, text: pastedText });
    return this.byId(id);
  }

  /**
   * The newest recent copy whose text matches `text`, its runs laid over
   * `text`. Base text of the copy (and white space the paste added) takes the
   * evidence `describe` gives for the way it matched.
   */
  match(text: string, now: number, describe: (how: CopyMatchHow, copiedAt: number) => Evidence): CopyMatch | undefined {
    if (!/\S/.test(text)) return undefined;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e.text === undefined || now - e.at > this.limits.maxAgeMs || now < e.at) continue;
      const how = matchHow(e.text, text);
      if (!how) continue;
      const ev = describe(how, e.at);
      const relabelled = e.runs.map((r) => (r.ev === e.own ? { len: r.len, ev } : r));
      const runs = fitRuns(e.text, relabelled, text, ev);
      if (runs) return { runs, how, copiedAt: e.at };
    }
    return undefined;
  }

  private remove(i: number): void {
    const [e] = this.entries.splice(i, 1);
    this.cost -= entryCost(e);
  }
}

function entryCost(e: CopyEntry): number {
  return (e.text?.length ?? 0) + RUN_COST * e.runs.length;
}

function matchHow(copied: string, pasted: string): CopyMatchHow | undefined {
  if (copied === pasted) return 'exact';
  if (copied.replace(/\r\n/g, '\n') === pasted.replace(/\r\n/g, '\n')) return 'line-endings';
  return sameModuloIndent(copied, pasted) ? 'indentation' : undefined;
}

/** Compares pasted text with copied text while forgiving what auto-indent and line endings change. */
export function sameModuloIndent(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (s: string): string =>
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .join('\n');
  return norm(a) === norm(b);
}

/** One line of a text: where its content (without leading and trailing white space) and its line break lie. */
interface LineParts {
  readonly start: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly end: number;
  /** End of the line break after the line (`end` for the last line). */
  readonly breakEnd: number;
}

function lineParts(text: string): LineParts[] {
  const out: LineParts[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const breakEnd = nl < 0 ? text.length : nl + 1;
    const end = nl < 0 ? text.length : nl > start && text[nl - 1] === '\r' ? nl - 1 : nl;
    let cs = start;
    while (cs < end && /\s/.test(text[cs])) cs++;
    let ce = end;
    while (ce > cs && /\s/.test(text[ce - 1])) ce--;
    out.push({ start, contentStart: cs, contentEnd: ce, end, breakEnd });
    if (nl < 0) return out;
    start = breakEnd;
  }
}

/**
 * Lays the runs of `source` over `target`, a copy of it whose line endings or
 * leading and trailing white space differ (auto-indent on paste). Every
 * non-space character keeps its own evidence; white space keeps the evidence
 * of the white space it replaced, position for position, and white space
 * with no counterpart gets `fill`. Undefined when the texts differ otherwise.
 */
export function fitRuns(source: string, runs: readonly Run[], target: string, fill: Evidence): readonly Run[] | undefined {
  if (runsLength(runs) !== source.length) return undefined;
  if (source === target) return runs;
  const src = lineParts(source);
  const dst = lineParts(target);
  if (src.length !== dst.length) return undefined;
  const evs = expand(runs);
  const out: Array<Evidence | null> = [];
  const copy = (from: number, to: number, s0: number, s1: number): void => {
    for (let k = 0; k < to - from; k++) out.push(s0 + k < s1 ? evs[s0 + k] : fill);
  };
  for (let i = 0; i < src.length; i++) {
    const s = src[i];
    const d = dst[i];
    if (source.slice(s.contentStart, s.contentEnd) !== target.slice(d.contentStart, d.contentEnd)) return undefined;
    copy(d.start, d.contentStart, s.start, s.contentStart);
    copy(d.contentStart, d.contentEnd, s.contentStart, s.contentEnd);
    copy(d.contentEnd, d.end, s.contentEnd, s.end);
    // A line break keeps the evidence of the one it stands for, whatever its length (CRLF or LF).
    const brk = s.end < s.breakEnd ? evs[s.end] : fill;
    for (let k = d.end; k < d.breakEnd; k++) out.push(brk);
  }
  return compress(out);
}

/** One evidence per character. */
export function expand(runs: readonly Run[]): Array<Evidence | null> {
  const out: Array<Evidence | null> = [];
  for (const r of runs) for (let k = 0; k < r.len; k++) out.push(r.ev);
  return out;
}

/** Runs from one evidence per character. */
export function compress(evs: ReadonlyArray<Evidence | null>): Run[] {
  const runs: Run[] = [];
  for (const ev of evs) {
    const last = runs[runs.length - 1];
    if (last && last.ev === ev) runs[runs.length - 1] = { len: last.len + 1, ev };
    else runs.push({ len: 1, ev });
  }
  return runs;
}

/** One line as it was before a line command: its text (no line break) and the runs of that text. */
export interface LineSource {
  readonly text: string;
  readonly runs: readonly Run[];
}

/**
 * The runs of text a line command inserted (moved, copied, sorted or
 * re-indented lines): each inserted line whose content (leading and trailing
 * white space aside) is one of `sources` keeps that line's runs for its
 * content; white space, line breaks and every other character are the
 * command's (`fill`).
 */
export function carryLineRuns(sources: readonly LineSource[], target: string, fill: Evidence): Run[] {
  const byContent = new Map<string, Array<Evidence | null>>();
  for (const src of sources) {
    const t = src.text.trim();
    if (!t || byContent.has(t) || runsLength(src.runs) !== src.text.length) continue;
    const start = src.text.indexOf(t);
    byContent.set(t, expand(src.runs).slice(start, start + t.length));
  }
  const out: Array<Evidence | null> = [];
  for (const p of lineParts(target)) {
    const content = byContent.get(target.slice(p.contentStart, p.contentEnd));
    // Base text (no recorded origin) moved by the person's command is the command's, as a copy of it would be.
    for (let k = p.start; k < p.breakEnd; k++) out.push((content && k >= p.contentStart && k < p.contentEnd ? content[k - p.contentStart] : null) ?? fill);
  }
  return compress(out);
}

/**
 * The runs each change removes, in document order, when the changes only
 * delete text (a cut does); undefined otherwise. Read it before the model
 * applies the changes, whichever way they are then applied: a cut's copy can
 * reach the paste provider after the text is gone.
 */
export function removedRuns(changes: readonly ContentChange[], model: Pick<SpanModel, 'slice'>): Run[][] | undefined {
  if (changes.length === 0 || !changes.every((c) => c.text === '' && c.rangeLength > 0)) return undefined;
  return [...changes].sort((a, b) => a.rangeOffset - b.rangeOffset).map((c) => model.slice(c.rangeOffset, c.rangeLength));
}
