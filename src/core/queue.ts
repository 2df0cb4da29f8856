import { blocksOf } from './display';
import type { MarkKind } from './display';
import type { LineInfo } from './lines';
import type { AiRange } from './lineRanges';
import type { Evidence } from './origin';

/**
 * The reviewer's queue: the AI and mixed blocks of several files, grouped by
 * file, filtered and ordered, and the walk through the unreviewed ones. Pure:
 * the editor feeds it line views and draws what it returns.
 */

/** What the filter calls a block with no identified tool. */
export const NO_TOOL = '(no tool identified)';

/** One block of consecutive AI or mixed lines with the same evidence (zero-based, inclusive). */
export interface QueueBlock {
  /** The file's key (a URI string), as given. */
  readonly file: string;
  readonly from: number;
  readonly to: number;
  /** The mark the gutter draws: the AI origin, `mixed`, or `reviewed`. */
  readonly kind: Extract<MarkKind, 'ai-completion' | 'ai-paste' | 'ai-chat' | 'mixed' | 'reviewed'>;
  readonly ev: Evidence;
  readonly reviewed: boolean;
}

export interface QueueFile {
  readonly key: string;
  readonly label: string;
  readonly blocks: readonly QueueBlock[];
  /** Unreviewed AI and mixed lines of the file, whatever the filter. */
  readonly unreviewedLines: number;
}

export interface Queue {
  /** Files with at least one block left by the filter, ordered by label. */
  readonly files: readonly QueueFile[];
  /** Unreviewed AI and mixed lines over every file, whatever the filter (the badge). */
  readonly unreviewedLines: number;
  /** Every tool seen, for the filter's choices, sorted. */
  readonly tools: readonly string[];
}

export interface QueueFilter {
  readonly unreviewedOnly: boolean;
  /** Only blocks by these tools ({@link toolOf}); every tool when undefined. */
  readonly tools?: ReadonlySet<string>;
}

export const NO_FILTER: QueueFilter = { unreviewedOnly: false };

/** A source file: its key, the label to show, and its line view. */
export interface QueueInput {
  readonly key: string;
  readonly label: string;
  readonly infos: readonly LineInfo[];
}

export function toolOf(ev: Evidence): string {
  return ev.tool ?? NO_TOOL;
}

export function lineCount(b: { readonly from: number; readonly to: number }): number {
  return b.to - b.from + 1;
}

function isQueued(kind: string): kind is QueueBlock['kind'] {
  return kind === 'ai-completion' || kind === 'ai-paste' || kind === 'ai-chat' || kind === 'mixed' || kind === 'reviewed';
}

/** The AI and mixed blocks of one file. */
export function aiBlocks(file: string, infos: readonly LineInfo[]): QueueBlock[] {
  const out: QueueBlock[] = [];
  for (const b of blocksOf(infos)) if (isQueued(b.kind)) out.push({ file, from: b.from, to: b.to, kind: b.kind, ev: b.ev, reviewed: b.reviewed });
  return out;
}

function passes(b: QueueBlock, filter: QueueFilter): boolean {
  if (filter.unreviewedOnly && b.reviewed) return false;
  return !filter.tools || filter.tools.has(toolOf(b.ev));
}

/** Groups, counts and filters the blocks of `inputs`. */
export function buildQueue(inputs: readonly QueueInput[], filter: QueueFilter = NO_FILTER): Queue {
  return groupBlocks(inputs.map((i) => ({ key: i.key, label: i.label, blocks: aiBlocks(i.key, i.infos) })), filter);
}

function groupBlocks(inputs: ReadonlyArray<{ key: string; label: string; blocks: QueueBlock[] }>, filter: QueueFilter): Queue {
  const files: QueueFile[] = [];
  const tools = new Set<string>();
  let total = 0;
  for (const input of inputs) {
    const blocks = input.blocks;
    let unreviewed = 0;
    for (const b of blocks) {
      tools.add(toolOf(b.ev));
      if (!b.reviewed) unreviewed += lineCount(b);
    }
    total += unreviewed;
    const shown = blocks.filter((b) => passes(b, filter));
    if (shown.length) files.push({ key: input.key, label: input.label, blocks: shown, unreviewedLines: unreviewed });
  }
  files.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { files, unreviewedLines: total, tools: [...tools].sort() };
}

/**
 * The next unreviewed block in queue order (files in order, blocks by line)
 * after the position `at` (a file key and a zero-based line), wrapping
 * around; from the start when `at` is not in the queue. Undefined when
 * nothing is left to review.
 */
export function nextUnreviewed(queue: Queue, at?: { readonly file: string; readonly line: number }): QueueBlock | undefined {
  const all = queue.files.flatMap((f) => f.blocks.filter((b) => !b.reviewed));
  if (all.length === 0) return undefined;
  if (!at) return all[0];
  const fileIndex = queue.files.findIndex((f) => f.key === at.file);
  if (fileIndex < 0) return all[0];
  const order = new Map(queue.files.map((f, i) => [f.key, i]));
  const after = all.find((b) => {
    const i = order.get(b.file) as number;
    return i > fileIndex || (i === fileIndex && b.from > at.line);
  });
  return after ?? all[0];
}

/** A file of committed AI ranges (from the records, via blame): its key, label, and ranges. */
export interface RangeInput {
  readonly key: string;
  readonly label: string;
  readonly ranges: readonly AiRange[];
}

/** A committed range as a queue block: its evidence is what the records say (no time of the edit: `at` is 0). */
export function rangeBlock(file: string, r: AiRange): QueueBlock {
  const origin = r.origin ?? 'ai-chat';
  const kind = r.reviewed ? 'reviewed' : r.class === 'mixed' ? 'mixed' : origin === 'ai-completion' || origin === 'ai-paste' ? origin : 'ai-chat';
  const ev: Evidence = { origin, confidence: 'certain', detail: 'from the commit record', at: 0, ...(r.tool ? { tool: r.tool } : {}), ...(r.model ? { model: r.model } : {}), ...(r.reviewed ? { reviewed: r.reviewed } : {}) };
  return { file, from: r.start - 1, to: r.end - 1, kind, ev, reviewed: r.reviewed !== undefined };
}

/** The queue of committed ranges (This branch): grouped, counted and filtered as {@link buildQueue} does. */
export function buildRangeQueue(inputs: readonly RangeInput[], filter: QueueFilter = NO_FILTER): Queue {
  return groupBlocks(inputs.map((i) => ({ key: i.key, label: i.label, blocks: i.ranges.map((r) => rangeBlock(i.key, r)) })), filter);
}
