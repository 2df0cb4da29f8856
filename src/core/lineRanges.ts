import { emptyCounts } from './trailer';
import type { Counts } from './trailer';
import { toolLabel } from './blame';
import type { LineProvenance, LineReview } from './blame';
import type { Origin } from './origin';
import { countLine } from './record';

/**
 * The AI lines a range of commits adds, as ranges a reviewer (or a pull
 * request annotation) can point at. Pure: the lines come from
 * src/node/report/lines.ts.
 */

/** Consecutive AI or mixed lines with the same origin, tool and review. */
export interface AiRange {
  /** 1-based, inclusive, in the tip's version of the file. */
  readonly start: number;
  readonly end: number;
  readonly class: 'ai' | 'mixed';
  readonly origin?: Origin;
  /** The tool (`claude-code`) and its model, when identified; `toolLabel` names both as the trailer does. */
  readonly tool?: string;
  readonly model?: string;
  readonly reviewed?: LineReview;
  /** The commits that introduced the range's lines, in line order, without repeats. */
  readonly commits: readonly string[];
}

function keyOf(p: LineProvenance): string {
  return [p.class, p.origin ?? '', toolLabel(p) ?? '', p.reviewed?.by ?? '\0', p.reviewed?.at ?? ''].join('\n');
}

function isAi(p: LineProvenance): boolean {
  return !p.blank && (p.class === 'ai' || p.class === 'mixed');
}

/**
 * Ranges of the AI and mixed lines among `added` (the lines a range added,
 * ascending). A blank added line between two lines of one range joins it
 * (it claims nothing: records cover non-blank lines only); any other line
 * ends it.
 */
export function aiRanges(added: readonly LineProvenance[]): AiRange[] {
  const out: AiRange[] = [];
  let cur: { first: LineProvenance; end: number; key: string; commits: string[] } | undefined;
  let blanksEnd = 0;
  const flush = (): void => {
    if (!cur) return;
    const f = cur.first;
    const named = { ...(f.origin ? { origin: f.origin } : {}), ...(f.tool ? { tool: f.tool } : {}), ...(f.model ? { model: f.model } : {}), ...(f.reviewed ? { reviewed: f.reviewed } : {}) };
    out.push({ start: f.line, end: cur.end, class: f.class as 'ai' | 'mixed', ...named, commits: cur.commits });
    cur = undefined;
  };
  for (const p of added) {
    const adjacent = cur !== undefined && p.line === Math.max(cur.end, blanksEnd) + 1;
    if (cur && adjacent && p.blank) {
      blanksEnd = p.line;
      continue;
    }
    if (cur && (!adjacent || !isAi(p) || keyOf(p) !== cur.key)) flush();
    if (!isAi(p)) continue;
    if (cur) cur.end = p.line;
    else cur = { first: p, end: p.line, key: keyOf(p), commits: [] };
    if (!cur.commits.includes(p.commit)) cur.commits.push(p.commit);
    blanksEnd = 0;
  }
  flush();
  return out;
}

/** Counts over the non-blank lines among `added`, as the trailer counts a commit's. */
export function countLines(added: readonly LineProvenance[]): Counts {
  const c = emptyCounts();
  for (const p of added) if (!p.blank) countLine(c, { cls: p.class, origin: p.origin, tool: p.tool, model: p.model, review: p.reviewed });
  return c;
}
