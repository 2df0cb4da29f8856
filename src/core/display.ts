import type { LineInfo } from './lines';
import type { Evidence } from './origin';
import type { Counts } from './trailer';

/**
 * What a line's gutter mark shows. AI lines by the origin that dominates
 * them, so a reviewer tells a completion from a paste or an agent's edit at
 * a glance; `reviewed` once a person vouched for all their AI text.
 */
export const MARK_KINDS = ['ai-completion', 'ai-paste', 'ai-chat', 'mixed', 'reviewed', 'external', 'unknown'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

/** The gutter classes a user can switch on or off (`provenance.gutter.classes`). */
export const SHOWN_CLASSES = ['ai', 'mixed', 'reviewed', 'external', 'unknown'] as const;
export type ShownClass = (typeof SHOWN_CLASSES)[number];

export function markKind(info: LineInfo): MarkKind | undefined {
  switch (info.cls) {
    case 'ai':
      if (info.reviewed) return 'reviewed';
      return info.ev.origin === 'ai-completion' || info.ev.origin === 'ai-paste' || info.ev.origin === 'ai-chat' ? info.ev.origin : 'ai-chat';
    case 'mixed':
      return info.reviewed ? 'reviewed' : 'mixed';
    case 'unknown':
      return info.ev.origin === 'external' ? 'external' : 'unknown';
    default:
      return undefined;
  }
}

/** Which user-facing class a mark kind belongs to. */
export function classOfKind(kind: MarkKind): ShownClass {
  if (kind === 'ai-completion' || kind === 'ai-paste' || kind === 'ai-chat') return 'ai';
  return kind;
}

/**
 * Groups consecutive lines of the same mark kind into `[first, last]` line
 * ranges (zero-based, inclusive), one list per kind, skipping kinds not shown.
 */
export function markRanges(infos: readonly LineInfo[], shown: ReadonlySet<ShownClass>): Map<MarkKind, Array<[number, number]>> {
  const out = new Map<MarkKind, Array<[number, number]>>();
  for (const k of MARK_KINDS) out.set(k, []);
  let kind: MarkKind | undefined;
  let start = -1;
  let prev = -2;
  const flush = (): void => {
    if (kind !== undefined && start >= 0) (out.get(kind) as Array<[number, number]>).push([start, prev]);
  };
  for (const info of infos) {
    const k = markKind(info);
    if (k === undefined || !shown.has(classOfKind(k))) continue;
    if (k !== kind || info.line !== prev + 1) {
      flush();
      kind = k;
      start = info.line;
    }
    prev = info.line;
  }
  flush();
  return out;
}

/** Counts for the status bar and the file report, over changed non-blank lines: the trailer's, for one file. */
export type FileSummary = Pick<Counts, 'lines' | 'ai' | 'mixed' | 'human' | 'unknown' | 'reviewed'>;

export function summarize(infos: readonly LineInfo[]): FileSummary {
  const s: FileSummary = { lines: 0, ai: 0, mixed: 0, human: 0, unknown: 0, reviewed: 0 };
  for (const i of infos) {
    s.lines++;
    s[i.cls]++;
    if ((i.cls === 'ai' || i.cls === 'mixed') && i.reviewed) s.reviewed++;
  }
  return s;
}

/** Consecutive lines with the same mark and evidence (zero-based, inclusive). */
export interface Block {
  readonly from: number;
  to: number;
  readonly kind: MarkKind | 'human';
  readonly ev: Evidence;
  readonly reviewed: boolean;
}

/** Blocks of consecutive lines with the same mark and evidence; lines with no mark are `human`. */
export function blocksOf(infos: readonly LineInfo[]): Block[] {
  const blocks: Block[] = [];
  let block: Block | undefined;
  for (const i of infos) {
    const kind = markKind(i) ?? 'human';
    if (block && i.line === block.to + 1 && block.kind === kind && block.ev === i.ev) block.to = i.line;
    else {
      block = { from: i.line, to: i.line, kind, ev: i.ev, reviewed: i.reviewed };
      blocks.push(block);
    }
  }
  return blocks;
}
