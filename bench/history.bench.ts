/**
 * History marks benchmark (fixed seed): what Toggle AI History computes once
 * blame and the records are in (their cost is the lines library's, measured
 * by its own benchmark): the marks and the hover index of a 10,000-line file
 * whose lines came from 500 commits, about a third of them AI or mixed (three
 * origins, two tools, some reviewed), with runs of uncommitted lines. Prints
 * median, p99 and max; not a pass/fail test. Run with `npm run bench:history`.
 */
import type { LineProvenance } from '../src/core/blame';
import { historyMarks } from '../src/core/history';
import type { Origin } from '../src/core/origin';
import { rng } from '../test/support/rng';

const LINES = 10_000;
const COMMITS = 500;
const rand = rng(500);
const commits = Array.from({ length: COMMITS }, (_, i) => i.toString(16).padStart(40, 'c'));
const NONE = '0'.repeat(40);
const origins: Origin[] = ['ai-completion', 'ai-paste', 'ai-chat'];

// Blocks of 1–20 lines from one commit, as history leaves them.
const lines: LineProvenance[] = [];
while (lines.length < LINES) {
  const n = 1 + Math.floor(rand() * 20);
  const r = rand();
  const commit = r < 0.03 ? NONE : commits[Math.floor(rand() * COMMITS)];
  const cls: LineProvenance['class'] = r < 0.3 ? 'ai' : r < 0.36 ? 'mixed' : r < 0.9 ? 'human' : 'unknown';
  const origin = cls === 'ai' || cls === 'mixed' ? origins[Math.floor(rand() * 3)] : undefined;
  const tool = origin === 'ai-chat' ? 'claude-code' : origin === 'ai-completion' ? 'copilot' : undefined;
  const reviewed = origin && rand() < 0.3 ? { by: 'Rita Reviewer <rita@example.com>', at: 1_750_000_000_000 } : undefined;
  for (let k = 0; k < n && lines.length < LINES; k++) {
    lines.push({ line: lines.length + 1, commit, class: cls, recorded: true, blank: rand() < 0.08, ...(origin ? { origin } : {}), ...(tool ? { tool } : {}), ...(reviewed ? { reviewed } : {}) });
  }
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

for (let i = 0; i < 20; i++) historyMarks(lines);
const N = 300;
const times = new Float64Array(N);
let marks = historyMarks(lines);
for (let i = 0; i < N; i++) {
  const t0 = process.hrtime.bigint();
  marks = historyMarks(lines);
  times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
}
times.sort();
console.log(`history: ${LINES} lines from ${COMMITS} commits; ${marks.ranges.length} marked ranges, ${marks.byLine.size} AI lines in the hover index, ${marks.commits.length} commits named`);
console.log(`history: build-median-ms=${percentile(times, 0.5).toFixed(3)} build-p99-ms=${percentile(times, 0.99).toFixed(3)} build-max-ms=${times[N - 1].toFixed(3)} runs=${N}`);
