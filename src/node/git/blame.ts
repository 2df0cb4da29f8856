import { parseBlamePorcelain } from '../../core/blame';
import { git } from './git';
import type { GitOptions } from './git';

/** Where `git blame` says one line of the blamed version came from. */
export interface BlamedLine {
  readonly commit: string;
  /** The line's number in that commit's version of the file (1-based). */
  readonly line: number;
  /** The file's path in that commit (blame follows renames of the whole file). */
  readonly path: string;
  /** The commit is at the boundary of the blamed range: the line is older than the range. */
  readonly boundary: boolean;
}

/** `git blame --porcelain` (parsed by core's one parser): final line number (1-based) → origin. */
function byFinalLine(out: string): Map<number, BlamedLine> {
  return new Map(parseBlamePorcelain(out).map((b) => [b.line, { commit: b.commit, line: b.origLine, path: b.path, boundary: b.boundary }]));
}

/** `-L a,b` options covering ascending line numbers (runs merged). */
function lineOptions(lines: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j++;
    out.push('-L', `${lines[i]},${lines[j]}`);
    i = j + 1;
  }
  return out;
}

/**
 * Blames some lines (1-based, ascending) of `path` at the tip of `revs` (one
 * positive revision, and `^base` ones that bound the walk: lines older than
 * the range come out as `boundary`). One `git blame` process.
 */
export async function blameLines(path: string, lines: readonly number[], revs: readonly string[], opts: GitOptions): Promise<Map<number, BlamedLine>> {
  if (lines.length === 0) return new Map();
  const out = await git(['-c', 'core.quotePath=false', 'blame', '--porcelain', ...lineOptions(lines), ...revs, '--', path], opts);
  return byFinalLine(out);
}
