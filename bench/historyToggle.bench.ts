/**
 * Toggle AI History end to end (fixed seed), on the blame benchmark's history:
 * a 10,000-line file with 500 commits, every commit with its record. Each
 * figure is what the command computes before drawing — find the repository,
 * the file's history through the cache (FileHistory), the buffer over it,
 * the marks and the marked commits' dates:
 *   cold      no cache at all: a full git blame (beside `git blame --porcelain` itself)
 *   memory    same HEAD, again in the same process
 *   disk      same HEAD, in a fresh process, from the cache file
 *   +1, +10   after 1 or 10 new commits (each with its record)
 *   dirty     a buffer with a few edits over HEAD
 *   warmed    the first toggle after the idle warm (FileHistory.warm, what the
 *             editor runs in the background, git at the lowest priority): from
 *             no cache, and after 1 or 10 new commits; the warm's own time beside
 * Prints median and p99 (nearest rank: of fewer than 100 runs, the slowest)
 * and the machine's load; never pass/fail. The target is ≤ 300 ms warm.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRepo } from '../src/node/git/git';
import { writeRecords } from '../src/node/record/notes';
import { FileHistory, HISTORY_DIR } from '../src/node/report/fileHistory';
import type { HistoryHow } from '../src/node/report/fileHistory';
import { formatRecord, recordOf } from '../src/core/record';
import type { LineAttr } from '../src/core/record';
import { rng } from '../test/support/rng';
import { buildLineRepo } from './lineRepo';
import { BENCH_GIT_ENV, median, quantile, timedRun } from './support';
import { WARM_BOUNDS } from '../src/core/historyWarm';

const SEED = 20_261_130;
const FILE = 'big.ts';
Object.assign(process.env, BENCH_GIT_ENV);

/** What the command does before drawing; the time it took and how the history was reached. */
async function toggle(dir: string, histories: Map<string, FileHistory>, contents: string): Promise<{ ms: number; how: HistoryHow; marked: number }> {
  const t0 = process.hrtime.bigint();
  const repo = await findRepo(dir);
  if (!repo) throw new Error('not a repository');
  let h = histories.get(repo.root);
  if (!h) histories.set(repo.root, (h = new FileHistory(repo)));
  const { marks, how } = await h.marks(FILE, contents);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await h.flush();
  return { ms, how, marked: marks.byLine.size };
}

const rand = rng(SEED + 1);
const AI: LineAttr = { cls: 'ai', origin: 'ai-completion', conf: 'certain' };

/** A commit replacing 20 lines of the file (as the history's commits do), with its record. */
async function newCommit(dir: string, n: number): Promise<void> {
  const lines = readFileSync(path.join(dir, FILE), 'utf8').split('\n');
  const attrs = new Map<number, LineAttr>();
  for (let k = 0; k < 20; k++) {
    const at = Math.floor(rand() * (lines.length - 1));
    lines[at] = `  const n${n}_${k} = ${Math.floor(rand() * 1e9)};`;
    attrs.set(at + 1, AI);
  }
  writeFileSync(path.join(dir, FILE), lines.join('\n'));
  timedRun('git', ['commit', '-q', '-a', '-m', `new ${n}`], dir);
  const sha = timedRun('git', ['rev-parse', 'HEAD'], dir).stdout.trim();
  await writeRecords(new Map([[sha, formatRecord(recordOf([{ path: FILE, lines: attrs }]))]]), { cwd: dir });
}

/** The file with a few edits: lines typed in, one changed, one deleted. */
function dirty(text: string): string {
  const lines = text.split('\n');
  for (let k = 0; k < 3; k++) lines.splice(Math.floor(rand() * lines.length), 0, `  typed${k}();`);
  lines[Math.floor(rand() * lines.length)] = '  changed();';
  lines.splice(Math.floor(rand() * lines.length), 1);
  return lines.join('\n');
}

function fig(name: string, xs: readonly number[], hows: readonly HistoryHow[], extra = ''): void {
  const how = [...new Set(hows)].join('/');
  console.log(`${name.padEnd(34)} median ${median(xs).toFixed(0).padStart(5)} ms   p99 ${quantile(xs, 0.99).toFixed(0).padStart(5)} ms   runs ${xs.length}   via ${how}${extra}   (load ${os.loadavg()[0].toFixed(2)})`);
}

/** One toggle in this (fresh) process: `--child <dir>`, prints the result as JSON. */
async function child(dir: string): Promise<void> {
  const r = await toggle(dir, new Map(), readFileSync(path.join(dir, FILE), 'utf8'));
  process.stdout.write(JSON.stringify(r));
}

function inFreshProcess(dir: string): { ms: number; how: HistoryHow } {
  const r = spawnSync(process.execPath, [__filename, '--child', dir], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { ms: number; how: HistoryHow };
}

async function series(runs: number, step: () => Promise<{ ms: number; how: HistoryHow }>): Promise<{ ms: number[]; how: HistoryHow[] }> {
  const out = { ms: [] as number[], how: [] as HistoryHow[] };
  for (let i = 0; i < runs; i++) {
    const r = await step();
    out.ms.push(r.ms);
    out.how.push(r.how);
  }
  return out;
}

/** The editor's idle warm (see HistoryWarmer): HEAD's history into the cache; its time and how. */
async function idleWarm(dir: string, histories: Map<string, FileHistory>): Promise<{ ms: number; how: string }> {
  const t0 = process.hrtime.bigint();
  const repo = await findRepo(dir);
  if (!repo) throw new Error('not a repository');
  let h = histories.get(repo.root);
  if (!h) histories.set(repo.root, (h = new FileHistory(repo)));
  const how = await h.warm(FILE, WARM_BOUNDS.maxBytes);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await h.flush();
  return { ms, how };
}

/** Runs of: `before` (new commits, say), the idle warm, then the toggle; prints the toggle and the warm. */
async function warmedSeries(name: string, runs: number, histories: () => Map<string, FileHistory>, dir: string, text: () => string, before: () => Promise<void>): Promise<void> {
  const warms: number[] = [];
  const hows: string[] = [];
  const toggles = await series(runs, async () => {
    await before();
    const hs = histories();
    const w = await idleWarm(dir, hs);
    warms.push(w.ms);
    hows.push(w.how);
    return toggle(dir, hs, text());
  });
  fig(name, toggles.ms, toggles.how, `   (the warm: median ${median(warms).toFixed(0)} ms via ${[...new Set(hows)].join('/')})`);
}

async function main(): Promise<void> {
  const repo = await buildLineRepo({ files: 1, linesPerFile: 10_000, commits: 500, seed: SEED, changesPerCommit: 20, insertShare: 0.1 });
  const dir = repo.dir;
  const text = (): string => readFileSync(path.join(dir, FILE), 'utf8');
  const cacheDir = path.join(dir, '.git', 'ai-provenance', HISTORY_DIR);
  try {
    console.log(`history: ${repo.shas.length} commits, ${FILE} ${text().split('\n').length - 1} lines; load before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    const git: number[] = [];
    const cold = await series(3, async () => {
      git.push(timedRun('git', ['blame', '--porcelain', 'HEAD', '--', FILE], dir).ms);
      rmSync(cacheDir, { recursive: true, force: true });
      return toggle(dir, new Map(), text());
    });
    fig('git blame --porcelain HEAD', git, []);
    fig('cold (no cache: full blame)', cold.ms, cold.how, `   ${(median(cold.ms) / median(git)).toFixed(2)}× git blame`);
    const histories = new Map<string, FileHistory>();
    await toggle(dir, histories, text());
    const memory = await series(30, () => toggle(dir, histories, text()));
    fig('warm, same HEAD, from memory', memory.ms, memory.how);
    const disk = await series(10, async () => inFreshProcess(dir));
    fig('warm, same HEAD, disk, new process', disk.ms, disk.how);
    let n = 0;
    const one = await series(10, async () => {
      await newCommit(dir, n++);
      return toggle(dir, histories, text());
    });
    fig('after 1 new commit', one.ms, one.how);
    const ten = await series(5, async () => {
      for (let k = 0; k < 10; k++) await newCommit(dir, n++);
      return toggle(dir, histories, text());
    });
    fig('after 10 new commits', ten.ms, ten.how);
    const edited = await series(20, () => toggle(dir, histories, dirty(text())));
    fig('dirty buffer (5 edits), same HEAD', edited.ms, edited.how);
    await warmedSeries('first toggle after the idle warm', 3, () => new Map(), dir, text, async () => rmSync(cacheDir, { recursive: true, force: true }));
    await warmedSeries('+1 commit, idle warm, toggle', 10, () => histories, dir, text, () => newCommit(dir, n++));
    await warmedSeries('+10 commits, idle warm, toggle', 5, () => histories, dir, text, async () => {
      for (let k = 0; k < 10; k++) await newCommit(dir, n++);
    });
    console.log(`load after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3]).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
