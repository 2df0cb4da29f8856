/**
 * `ai-provenance report <range> --lines` over a history of 500 commits
 * (fixed seed; 20 files, every commit with its record and trailer), for
 * ranges of 50 to 500 commits: the wall time, and how many git processes
 * it starts (counted by a `git` on PATH that logs each start and runs the
 * real one). Prints figures; never pass/fail. Targets: at most 2 s for 500
 * commits, and the whole report starting as many git processes whatever the
 * number of commits. `npm run bench:lines`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rangeLines } from '../src/node/report/lines';
import { buildLineRepo } from './lineRepo';
import { BENCH_GIT_ENV, median, timedRun } from './support';

const SEED = 20_261_130;
const COMMITS = 500;
const RANGES = [50, 100, 250, 499];
const RUNS = 3;
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

async function main(): Promise<void> {
  const t0 = Date.now();
  const repo = await buildLineRepo({ files: 20, linesPerFile: 500, commits: COMMITS, seed: SEED, changesPerCommit: 5, insertShare: 0.1 });
  const scratch = path.join(repo.dir, '..', `${path.basename(repo.dir)}-scratch`);
  mkdirSync(scratch);
  try {
    console.log(`history: ${COMMITS} commits over 20 files of ~500 lines, each with a record and a trailer (set up in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const counter = countingGit(scratch);
    console.log('range            commits  rangeLines (in process)   whole report --lines --json (CLI)   git processes: whole report / lines part   AI ranges');
    for (const n of RANGES) {
      const range = `HEAD~${n}..HEAD`;
      const times: number[] = [];
      let r = await rangeLines(repo.dir, [range]);
      for (let i = 0; i < RUNS; i++) {
        const s = process.hrtime.bigint();
        r = await rangeLines(repo.dir, [range]);
        times.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      counter.reset();
      const whole = timedRun(process.execPath, [CLI, 'report', range, '--lines', '--json'], repo.dir, { env: counter.env });
      const wholeCount = counter.count();
      const wholeTimes = [whole.ms];
      for (let i = 1; i < RUNS; i++) wholeTimes.push(timedRun(process.execPath, [CLI, 'report', range, '--lines', '--json'], repo.dir).ms);
      counter.reset();
      const savedPath = process.env.PATH;
      process.env.PATH = counter.env.PATH;
      await rangeLines(repo.dir, [range]);
      process.env.PATH = savedPath;
      const linesPart = counter.count();
      const ranges = (JSON.parse(whole.stdout) as { files: Array<{ ranges: unknown[] }> }).files.reduce((k, f) => k + f.ranges.length, 0);
      if (ranges !== r.files.reduce((k, f) => k + f.ranges.length, 0)) throw new Error('CLI and library disagree');
      console.log(`${range.padEnd(16)} ${String(n).padStart(7)}  median ${median(times).toFixed(0).padStart(6)} ms          median ${median(wholeTimes).toFixed(0).padStart(6)} ms                  ${String(wholeCount).padStart(5)} / ${String(linesPart).padStart(3)}                        ${ranges}`);
    }
    console.log(`(rangeLines: ${RUNS} timed runs per range after a warm-up; the whole report: ${RUNS} runs, the first one counted; it also checks each commit's trailer against its diff, in one diff-tree --stdin and one cat-file --batch for all the commits; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; the lines part is rev-parse ×2, log, ls-tree, one blame per file touched (20 here), notes list, cat-file)`);
  } finally {
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
