import { carryLineRuns, compress, expand, fitRuns, type LineSource } from './copyRecord';
import { AI_ORIGINS, type Evidence } from './origin';
import { runsLength, type Run } from './spans';

const SPACE = /\s/;

/**
 * Lays the runs of `source` over `target` when both hold the same non-space
 * characters in the same order and differ only in white space (lines joined,
 * re-indented, a line break added or dropped). Every non-space character
 * keeps its evidence; white space keeps the evidence of the same white space
 * character at that point of `source`, else gets `fill`. Undefined when the
 * non-space characters differ or the runs do not cover `source`.
 */
export function fitByContent(source: string, runs: readonly Run[], target: string, fill: Evidence): readonly Run[] | undefined {
  if (runsLength(runs) !== source.length) return undefined;
  const evs = expand(runs);
  const out: Array<Evidence | null> = [];
  let s = 0;
  for (let t = 0; t < target.length; t++) {
    const ch = target[t];
    if (SPACE.test(ch)) {
      const same = s < source.length && source[s] === ch;
      out.push(same ? evs[s] : fill);
      if (same) s++;
      continue;
    }
    while (s < source.length && SPACE.test(source[s])) s++;
    if (source[s] !== ch) return undefined;
    out.push(evs[s++]);
  }
  while (s < source.length && SPACE.test(source[s])) s++;
  return s === source.length ? compress(out) : undefined;
}

/** The lines of `text` (without line breaks) with the runs of each, for {@link carryLineRuns}. */
function linesOf(text: string, runs: readonly Run[]): LineSource[] {
  const evs = expand(runs);
  const out: LineSource[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const body = line.endsWith('\r') ? line.slice(0, -1) : line;
    out.push({ text: body, runs: compress(evs.slice(start, start + body.length)) });
    start += line.length + 1;
  }
  return out;
}

function sortedLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .sort()
    .join('\n');
}

/** Each character of `target` takes the evidence of an unused equal character of `source`, first come first served. */
function permuteChars(source: string, runs: readonly Run[], target: string): Run[] | undefined {
  const evs = expand(runs);
  const used = new Array<boolean>(source.length).fill(false);
  const out: Array<Evidence | null> = [];
  for (let t = 0; t < target.length; t++) {
    let j = 0;
    while (j < source.length && (used[j] || source[j] !== target[t])) j++;
    if (j === source.length) return undefined;
    used[j] = true;
    out.push(evs[j]);
  }
  return compress(out);
}

/** Transpose swaps two characters: a longer reordering within a line is an edit, not a rearrangement. */
const MAX_PERMUTED_CHARS = 2;

/**
 * The runs of `text`, which replaced `old` (whose runs are `oldRuns`), when
 * it holds the same text rearranged: the same non-space characters with other
 * white space (Join Lines, indent, outdent), the same lines in another order
 * (Sort Lines), or two characters swapped (Transpose). Moved text keeps its origins; white space the rearrangement
 * added gets `fill`. Undefined when `text` is not such a rearrangement.
 */
export function rearrangedRuns(old: string, oldRuns: readonly Run[], text: string, fill: Evidence): readonly Run[] | undefined {
  if (old === text || runsLength(oldRuns) !== old.length || !/\S/.test(text)) return undefined;
  const runs = fitByContent(old, oldRuns, text, fill) ?? permuted(old, oldRuns, text, fill);
  // Base text (no recorded origin) rearranged is the command's, as carryLineRuns has it.
  return runs && compress(expand(runs).map((ev) => ev ?? fill));
}

function permuted(old: string, oldRuns: readonly Run[], text: string, fill: Evidence): readonly Run[] | undefined {
  if (text.includes('\n')) return sortedLines(old) === sortedLines(text) ? carryLineRuns(linesOf(old, oldRuns), text, fill) : undefined;
  const oneLine = !old.includes('\n') && text.length === old.length && text.length <= MAX_PERMUTED_CHARS;
  return oneLine ? permuteChars(old, oldRuns, text) : undefined;
}

/** Whether any of the runs is AI text. */
export function holdsAi(runs: readonly Run[]): boolean {
  return runs.some((r) => !!r.ev && AI_ORIGINS.includes(r.ev.origin));
}

/**
 * The stamped runs of a copy laid over the text that arrived: as they are when
 * they fit, else by line layout ({@link fitRuns}), else by content
 * ({@link fitByContent}: a whole-line copy's line break, say). Undefined when
 * neither fits.
 */
export function fitCopy(copied: string, runs: readonly Run[], pasted: string, fill: Evidence): readonly Run[] | undefined {
  return fitRuns(copied, runs, pasted, fill) ?? fitByContent(copied, runs, pasted, fill);
}
