/**
 * Decoration update benchmark (fixed seed): what the gutter computes for one
 * visible editor per update — project the document's runs onto lines and group
 * them into per-kind line ranges — for a 10,000-line file holding 1,000 AI
 * ranges, after each of a stream of typing edits. Prints median, p99 and max;
 * it is not a pass/fail test. Hidden editors cost nothing (the gutter only
 * draws visible ones) and typing is debounced (80 ms), so this is the cost of
 * one redraw. It reads only the lines tracked text touches, through a model
 * of VS Code's document line index (lazily recomputed prefix sums), as the
 * extension does. Run with `npm run bench:decorations`.
 */
import { markRanges } from '../src/core/display';
import type { ShownClass } from '../src/core/display';
import { lineOfOffset, projectLinesFrom } from '../src/core/lines';
import type { LineSource } from '../src/core/lines';
import type { Evidence } from '../src/core/origin';
import { SpanModel } from '../src/core/spans';
import { rng } from '../test/support/rng';

const LINES = 10_000;
const AI_RANGES = 1_000;
const SHOWN = new Set<ShownClass>(['ai', 'mixed', 'reviewed', 'external']);

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const rand = rng(3);
const origins: Array<Evidence['origin']> = ['ai-completion', 'ai-paste', 'ai-chat'];
const evs: Evidence[] = origins.map((origin, i) => ({ origin, confidence: 'certain', detail: origin, at: i }));
const typed: Evidence = { origin: 'typed', confidence: 'likely', detail: 'typed', at: 0 };

// A 10,000-line file; 1,000 AI ranges of 1–6 whole lines, spread through it.
const lineText = (i: number): string => `    const value${i} = compute(input${i}, ${i % 97});`;
// Like VS Code's extension-host document: lines, and prefix sums of their
// lengths that an edit invalidates from its line on and that are recomputed
// lazily when an offset is looked up (its PrefixSumComputer).
const lines = Array.from({ length: LINES }, (_, i) => lineText(i));
lines.push('');
const sums = new Float64Array(lines.length + 1);
let validUpTo = 0;
function prefix(line: number): number {
  while (validUpTo < line) {
    sums[validUpTo + 1] = sums[validUpTo] + lines[validUpTo].length + 1;
    validUpTo++;
  }
  return sums[line];
}
const doc: LineSource = {
  lineCount: lines.length,
  lineStart: (line) => prefix(line),
  lineText: (line) => lines[line],
  lineOf: (offset) => {
    prefix(lines.length);
    return lineOfOffset(sums, offset, lines.length);
  },
};
const totalLength = (): number => prefix(lines.length) - 1;
const model = new SpanModel(totalLength());
const step = Math.floor(LINES / AI_RANGES);
for (let r = 0; r < AI_RANGES; r++) {
  const first = r * step;
  const count = 1 + Math.floor(rand() * Math.min(6, step - 1));
  const start = doc.lineStart(first);
  const end = doc.lineStart(first + count) - 1;
  model.relabel(start, end - start, () => evs[r % evs.length]);
}

/** One redraw: project the runs through the document's lines, group into ranges. */
function update(): number {
  const infos = projectLinesFrom(doc, model.getRuns());
  const ranges = markRanges(infos, SHOWN);
  let n = 0;
  for (const list of ranges.values()) n += list.length;
  return n;
}

// Warm up, then time one redraw after each of 2,000 keystrokes: typing at a
// cursor that jumps to a random line every 40 keystrokes.
for (let i = 0; i < 200; i++) update();
const N = 2_000;
let cursorLine = 0;
let cursorCol = 0;
const times = new Float64Array(N);
let ranges = 0;
for (let i = 0; i < N; i++) {
  if (i % 40 === 0) {
    cursorLine = Math.floor(rand() * LINES);
    cursorCol = Math.floor(rand() * (lines[cursorLine].length + 1));
  }
  const line = cursorLine;
  const col = cursorCol++;
  const at = doc.lineStart(line) + col;
  lines[line] = lines[line].slice(0, col) + 'x' + lines[line].slice(col);
  validUpTo = Math.min(validUpTo, line);
  model.apply([{ offset: at, deleteLength: 0, insert: [{ len: 1, ev: typed }] }]);
  const t0 = process.hrtime.bigint();
  ranges = update();
  times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
}
times.sort();
console.log(`document: ${LINES} lines, ${totalLength()} chars, ${AI_RANGES} AI ranges, ${model.runCount()} runs; ${ranges} decoration ranges per update`);
console.log(
  `decorations: update-median-ms=${percentile(times, 0.5).toFixed(3)} update-p99-ms=${percentile(times, 0.99).toFixed(3)} update-max-ms=${times[N - 1].toFixed(3)} updates=${N}`,
);
