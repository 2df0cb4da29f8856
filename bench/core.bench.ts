/**
 * Core micro-benchmarks (fixed seeds): the cost of classifying and applying
 * one change to the span model of a 20,000-line document holding about 2,000
 * spans, replaying 50,000 recorded changes, memory per span, and how the
 * per-change cost grows with the number of spans. Prints figures; it is not a
 * pass/fail test. Run with `npm run bench` (node --expose-gc).
 */
import { classifyEvent } from '../src/core/changeFacts';
import type { ContentChange, TypingMark } from '../src/core/changeFacts';
import { EvidencePool } from '../src/core/classify';
import type { Intent } from '../src/core/classify';
import type { Evidence } from '../src/core/origin';
import { SpanModel } from '../src/core/spans';
import { rng } from '../test/support/rng';

const LINE = 40; // characters per line, with its line break
const OPTIONS = { externalPaste: 'ai' as const };

/** A model of `lines` lines with about `spans` runs of AI and typed text spread through it. */
function seededModel(lines: number, spans: number, seed: number): SpanModel {
  const rand = rng(seed);
  const model = new SpanModel(lines * LINE);
  const evs: Evidence[] = [];
  for (let i = 0; i < 64; i++) evs.push({ origin: i % 2 ? 'ai-completion' : 'typed', confidence: 'certain', detail: `seed ${i}`, at: i });
  // Each insert into base text adds two runs (itself and the split-off base).
  let i = 0;
  let count = model.runCount();
  while (count < spans) {
    for (let k = 0; k < Math.max(1, (spans - count) >> 2); k++) {
      const at = Math.floor(rand() * model.length);
      model.apply([{ offset: at, deleteLength: 0, insert: [{ len: 1 + Math.floor(rand() * 30), ev: evs[i++ % evs.length] }] }]);
    }
    count = model.runCount();
  }
  return model;
}

interface Change {
  change: ContentChange;
  intent?: Intent;
  at: number;
}

/** A recorded editing session: mostly typing at a cursor, some deletes, pastes and accepted completions. */
function recordChanges(n: number, length: number, seed: number): Change[] {
  const rand = rng(seed);
  const out: Change[] = [];
  let cursor = Math.floor(length / 2);
  let len = length;
  let t = 1_000_000;
  for (let i = 0; i < n; i++) {
    t += 80;
    const r = rand();
    if (r < 0.02) cursor = Math.floor(rand() * len);
    let text: string;
    let rangeLength = 0;
    let intent: Intent | undefined;
    if (r < 0.8) text = 'x';
    else if (r < 0.9) {
      text = '';
      rangeLength = Math.min(1, cursor);
    } else if (r < 0.95) {
      text = 'const value = compute(input);\n';
      intent = { kind: 'inline-accept', variant: 'full', at: t - 5 };
    } else {
      text = 'pasted line one\npasted line two\n';
      intent = { kind: 'paste', at: t - 5, text, stamped: null };
    }
    const offset = cursor - rangeLength;
    out.push({ change: { rangeOffset: offset, rangeLength, text }, intent, at: t });
    len += text.length - rangeLength;
    cursor = offset + text.length;
  }
  return out;
}

const NO_CURSORS: readonly number[] = [];
let typing: TypingMark | undefined;

/**
 * Gathers the facts of a change, classifies it and applies it: the work the
 * extension does per content change (a snapshot, facts, edits; the typing mark
 * kept as the tracker keeps it). Lines are fixed-width here.
 */
function step(model: SpanModel, pool: EvidencePool, c: Change): void {
  const now = c.at;
  const { edits, typedLine } = classifyEvent(
    {
      changes: [c.change],
      intent: c.intent,
      saving: false,
      chatSession: false,
      visible: true,
      typing,
      cursors: NO_CURSORS,
      now,
      lineOf: (offset) => Math.floor(offset / LINE),
      text: () => '',
    },
    OPTIONS,
    pool,
  );
  model.apply(edits);
  if (typedLine >= 0) typing = { at: now, line: typedLine };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Per-change times in microseconds for `n` changes on a model with about `spans` runs. */
function timeChanges(lines: number, spans: number, n: number, seed: number): { median: number; p99: number; runs: number } {
  const model = seededModel(lines, spans, seed);
  const changes = recordChanges(n, model.length, seed + 1);
  const pool = new EvidencePool();
  // Warm up the JIT on a copy of the workload.
  const warm = seededModel(lines, Math.min(spans, 2000), seed + 2);
  for (const c of recordChanges(20_000, warm.length, seed + 3)) step(warm, pool, c);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    step(model, pool, changes[i]);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  times.sort();
  return { median: percentile(times, 0.5), p99: percentile(times, 0.99), runs: model.runCount() };
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

function bytesPerSpan(spans: number): number {
  const before = heapUsed();
  const model = seededModel(spans / 5, spans, 11);
  const after = heapUsed();
  const n = model.runCount();
  // Keep the model alive until after the measurement.
  if (n === 0) throw new Error('empty model');
  return (after - before) / n;
}

function fmt(n: number, digits = 2): string {
  return n.toFixed(digits);
}

const main = (): void => {
  const canGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const base = timeChanges(20_000, 2_000, 50_000, 1);
  console.log(`document: 20000 lines (${20_000 * LINE} chars), spans at start: 2000, after the run: ${base.runs}`);

  const replayModelSeed = seededModel(20_000, 2_000, 5);
  const replay = recordChanges(50_000, replayModelSeed.length, 6);
  const pool = new EvidencePool();
  const r0 = process.hrtime.bigint();
  for (const c of replay) step(replayModelSeed, pool, c);
  const replayMs = Number(process.hrtime.bigint() - r0) / 1e6;

  const bytes = bytesPerSpan(100_000);
  console.log('scaling (per-change cost by number of spans):');
  for (const spans of [1_000, 10_000, 100_000]) {
    const s = timeChanges(Math.max(20_000, spans / 2), spans, 30_000, 21);
    console.log(`  spans=${spans} change-median-us=${fmt(s.median)} change-p99-us=${fmt(s.p99)}`);
  }
  if (!canGc) console.log('(bytes-per-span is approximate: run with --expose-gc)');
  console.log(`core: change-median-us=${fmt(base.median)} change-p99-us=${fmt(base.p99)} replay-50k-ms=${fmt(replayMs, 1)} bytes-per-span=${Math.round(bytes)}`);
};

main();
