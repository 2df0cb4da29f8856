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

/**
 * Reads `git blame --porcelain`: final line number (1-based) → origin. git
 * gives a commit's details (and `filename`, `boundary`) the first time the
 * commit appears, and repeats `filename` only when it has several paths, so
 * what was said of a commit holds for its later lines.
 */
export function parseBlamePorcelain(out: string): Map<number, BlamedLine> {
  const lines = new Map<number, BlamedLine>();
  const names = new Map<string, string>();
  const boundaries = new Set<string>();
  let pending: { commit: string; orig: number; final: number } | undefined;
  for (const line of out.split('\n')) {
    const head = /^([0-9a-f]{40}) (\d+) (\d+)(?: \d+)?$/.exec(line);
    if (head) pending = { commit: head[1], orig: Number(head[2]), final: Number(head[3]) };
    else if (!pending) continue;
    else if (line === 'boundary') boundaries.add(pending.commit);
    else if (line.startsWith('filename ')) names.set(pending.commit, line.slice('filename '.length));
    else if (line.startsWith('\t')) {
      const { commit, orig, final } = pending;
      const path = names.get(commit);
      if (path !== undefined) lines.set(final, { commit, line: orig, path, boundary: boundaries.has(commit) });
      pending = undefined;
    }
  }
  return lines;
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
  return parseBlamePorcelain(out);
}
