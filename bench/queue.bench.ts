/**
 * Review queue refresh benchmark (fixed seed): what the AI Provenance view
 * computes on a refresh over 200 open files of 1,000 lines, each holding 30
 * AI ranges of 1–6 lines (completion, paste, agent; some reviewed, some
 * mixed): project every file's runs onto lines (as if no projection were
 * cached: the worst case, every file changed since the last refresh), then
 * group, count and filter them into the queue. Prints median, p99 and max; it
 * is not a pass/fail test. Run with `npm run bench:queue`.
 */
import { projectLines } from '../src/core/lines';
import type { Evidence } from '../src/core/origin';
import { buildQueue } from '../src/core/queue';
import type { QueueInput } from '../src/core/queue';
import { SpanModel } from '../src/core/spans';
import { rng } from '../test/support/rng';

const FILES = 200;
const LINES = 1_000;
const RANGES = 30;
const rand = rng(14);

const evs: Evidence[] = [
  { origin: 'ai-completion', confidence: 'certain', detail: 'completion', tool: 'copilot', at: 1 },
  { origin: 'ai-paste', confidence: 'likely', detail: 'paste', at: 2 },
  { origin: 'ai-chat', confidence: 'certain', detail: 'agent', tool: 'claude-code', at: 3 },
  { origin: 'ai-chat', confidence: 'certain', detail: 'agent', tool: 'claude-code', at: 4, reviewed: { by: 'Ann <ann@example.com>', at: 5 } },
];
const typed: Evidence = { origin: 'typed', confidence: 'likely', detail: 'typed', at: 0 };

const text = Array.from({ length: LINES }, (_, i) => `    const value${i} = compute(input${i}, ${i % 97});`).join('\n') + '\n';
const starts: number[] = [0];
for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);

const files = Array.from({ length: FILES }, (_, f) => {
  const model = new SpanModel(text.length);
  const step = Math.floor(LINES / RANGES);
  for (let r = 0; r < RANGES; r++) {
    const first = r * step;
    const count = 1 + Math.floor(rand() * 6);
    model.relabel(starts[first], starts[first + count] - 1 - starts[first], () => evs[Math.floor(rand() * evs.length)]);
    // Some lines typed into afterwards: mixed.
    if (rand() < 0.2) model.relabel(starts[first] + 4, 3, () => typed);
  }
  return { key: `file:///w/src/f${f}.ts`, label: `src/f${f}.ts`, runs: model.getRuns() };
});

function refresh(): number {
  const inputs: QueueInput[] = files.map((f) => ({ key: f.key, label: f.label, infos: projectLines(text, f.runs) }));
  return buildQueue(inputs, { unreviewedOnly: true }).unreviewedLines;
}

// The usual refresh: one file changed, the other projections come from the per-version cache.
const cached: QueueInput[] = files.map((f) => ({ key: f.key, label: f.label, infos: projectLines(text, f.runs) }));
function refreshCached(): number {
  return buildQueue(cached, { unreviewedOnly: true }).unreviewedLines;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function timeIt(name: string, fn: () => number, n: number): number {
  for (let i = 0; i < 5; i++) fn();
  const times = new Float64Array(n);
  let result = 0;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  times.sort();
  console.log(`queue: ${name}-median-ms=${percentile(times, 0.5).toFixed(2)} ${name}-p99-ms=${percentile(times, 0.99).toFixed(2)} ${name}-max-ms=${times[n - 1].toFixed(2)} runs=${n}`);
  return result;
}

const unreviewed = timeIt('refresh-all-projected', refresh, 200);
timeIt('refresh-cached', refreshCached, 1_000);
console.log(`queue: ${FILES} files of ${LINES} lines, ${RANGES} AI ranges each; ${unreviewed} unreviewed AI lines`);
