/**
 * `ai-provenance report <range> --lines` over a history of 501 commits
 * (fixed seed; 20 files, every commit with its record and trailer), for
 * ranges of 50 to 500 commits: the wall time, and how many git processes
 * it starts (counted by a `git` on PATH that logs each start and runs the
 * real one). At 500 commits, the whole report's median and p99 over more
 * runs, with the load average around them. Prints figures; never
 * pass/fail. Targets: at most 2 s for 500 commits, and the whole report
 * starting as many git processes whatever the number of commits.
 * `npm run bench:lines`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rangeLines } from '../src/node/report/lines';
import { buildLineRepo } from './lineRepo';
import { BENCH_GIT_ENV, median, quantile, timedRun } from './support';

const SEED = 20_261_130;
const COMMITS = 501;
const RANGES = [50, 100, 250, 500];
const RUNS = 3;
/** Runs of the whole report at 500 commits, for its median and p99. */
const WHOLE_RUNS = 10;
const CLI = path.resolve(__dirname, '../../dist/cli.js');

Object.assign(process.env, BENCH_GIT_ENV);

/** A directory whose `git` counts its starts into `log`, then runs the real git. */
function countingGit(dir: string): { env: Record<string, string>; count: () => number; reset: () => void } {
  const real = timedRun('sh', ['-c', 'command -v git'], dir).stdout.trim();
  const bin = path.join(dir, 'counting-bin');
  const log = path.join(dir, 'git-starts.log');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$1 $2" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  const reset = (): void => writeFileSync(log, '');
  reset();
  return { env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` }, count: () => readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').length, reset };
}

type Counter = ReturnType<typeof countingGit>;

function load(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

function wholeReport(dir: string, range: string, env?: Record<string, string>): { ms: number; ranges: number } {
  const r = timedRun(process.execPath, [CLI, 'report', range, '--lines', '--json'], dir, { env });
  return { ms: r.ms, ranges: (JSON.parse(r.stdout) as { files: Array<{ ranges: unknown[] }> }).files.reduce((k, f) => k + f.ranges.length, 0) };
}

/** One row: rangeLines in process, the whole report through the CLI, and the git processes of each. */
async function row(dir: string, n: number, counter: Counter): Promise<void> {
  const range = `HEAD~${n}..HEAD`;
  const times: number[] = [];
  let r = await rangeLines(dir, [range]);
  for (let i = 0; i < RUNS; i++) {
    const s = process.hrtime.bigint();
    r = await rangeLines(dir, [range]);
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  counter.reset();
  const whole = wholeReport(dir, range, counter.env);
  const wholeCount = counter.count();
  const wholeTimes = [whole.ms];
  for (let i = 1; i < RUNS; i++) wholeTimes.push(wholeReport(dir, range).ms);
  counter.reset();
  const savedPath = process.env.PATH;
  process.env.PATH = counter.env.PATH;
  await rangeLines(dir, [range]);
  process.env.PATH = savedPath;
  const linesPart = counter.count();
  if (whole.ranges !== r.files.reduce((k, f) => k + f.ranges.length, 0)) throw new Error('CLI and library disagree');
  console.log(`${range.padEnd(16)} ${String(n).padStart(7)}  median ${median(times).toFixed(0).padStart(6)} ms          median ${median(wholeTimes).toFixed(0).padStart(6)} ms                  ${String(wholeCount).padStart(5)} / ${String(linesPart).padStart(3)}                        ${whole.ranges}`);
}

/** The whole report at 500 commits, {@link WHOLE_RUNS} times: median, p99, the processes it started, the load around it. */
function headline(dir: string, counter: Counter): void {
  const range = `HEAD~${RANGES[RANGES.length - 1]}..HEAD`;
  const before = load();
  counter.reset();
  const times = [wholeReport(dir, range, counter.env).ms];
  const processes = counter.count();
  for (let i = 1; i < WHOLE_RUNS; i++) times.push(wholeReport(dir, range).ms);
  console.log(`report ${range} --lines --json, whole CLI run: median ${median(times).toFixed(0)} ms, p99 ${quantile(times, 0.99).toFixed(0)} ms (${WHOLE_RUNS} runs: p99 is the slowest), ${processes} git processes; load average ${before} before, ${load()} after (${os.cpus().length} cores)`);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const repo = await buildLineRepo({ files: 20, linesPerFile: 500, commits: COMMITS, seed: SEED, changesPerCommit: 5, insertShare: 0.1 });
  const scratch = path.join(repo.dir, '..', `${path.basename(repo.dir)}-scratch`);
  mkdirSync(scratch);
  try {
    console.log(`history: ${COMMITS} commits over 20 files of ~500 lines, each with a record and a trailer (set up in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const counter = countingGit(scratch);
    console.log('range            commits  rangeLines (in process)   whole report --lines --json (CLI)   git processes: whole report / lines part   AI ranges');
    for (const n of RANGES) await row(repo.dir, n, counter);
    console.log(`(rangeLines: ${RUNS} timed runs per range after a warm-up; the whole report: ${RUNS} runs, the first one counted; it also checks each commit's trailer against its diff, in one diff-tree --stdin and one cat-file --batch for all the commits, while the files are blamed; the lines part is rev-parse ×3, log, ls-tree, one blame per file touched (20 here), notes list ×2 (ours and git-ai's), cat-file; load average ${load()})`);
    headline(repo.dir, counter);
  } finally {
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
