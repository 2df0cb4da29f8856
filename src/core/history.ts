import type { LineProvenance } from './blame';
import { aiRanges } from './lineRanges';

/**
 * History marks: the lines of a file that earlier commits added as AI or
 * mixed, by their records (through blame). Pure: the editor blames the
 * buffer and draws what this returns.
 */

/** Blame's commit for lines not committed yet. */
export function isUncommitted(commit: string): boolean {
  return /^0+$/.test(commit);
}

export interface HistoryMarks {
  /** Zero-based, inclusive line ranges to mark, ascending, merged. */
  readonly ranges: ReadonlyArray<readonly [number, number]>;
  /** Each marked non-blank line (zero-based) → what its commit's record says, for the hover. */
  readonly byLine: ReadonlyMap<number, LineProvenance>;
  /** The commits the marks name, without repeats. */
  readonly commits: readonly string[];
}

/** The committed AI and mixed lines of a blamed file (every line of it, in order), as ranges and a line index. */
export function historyMarks(lines: readonly LineProvenance[]): HistoryMarks {
  const committed = lines.filter((p) => !isUncommitted(p.commit));
  const ranges: Array<[number, number]> = [];
  for (const r of aiRanges(committed)) {
    const last = ranges[ranges.length - 1];
    // Ranges differ by origin, tool or review for the hover; the marks themselves merge.
    if (last && last[1] === r.start - 2) last[1] = r.end - 1;
    else ranges.push([r.start - 1, r.end - 1]);
  }
  const byLine = new Map<number, LineProvenance>();
  const commits = new Set<string>();
  for (const p of committed) {
    if (p.blank || (p.class !== 'ai' && p.class !== 'mixed')) continue;
    byLine.set(p.line - 1, p);
    commits.add(p.commit);
  }
  return { ranges, byLine, commits: [...commits] };
}
