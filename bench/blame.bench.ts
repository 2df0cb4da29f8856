/**
 * `ai-provenance blame` against `git blame --porcelain` on the same file, in
 * the same run (fixed seed): a 10,000-line file with 500 commits of history,
 * every commit with its record. Prints medians and the ratio; never
 * pass/fail. The target is at most 2× git blame. `npm run bench:blame`.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { blameFile } from '../src/node/report/lines';
import { buildLineRepo } from './lineRepo';
import { BENCH_GIT_ENV, median, timedRun } from './support';

const SEED = 20_261_130;
const LINES = 10_000;
const COMMITS = 500;
const RUNS = 3;
const CLI = path.resolve(__dirname, '../../dist/cli.js');

Object.assign(process.env, BENCH_GIT_ENV);

function stats(xs: readonly number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${median(xs).toFixed(0)} ms, min ${s[0].toFixed(0)}, max ${s[s.length - 1].toFixed(0)}`;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const repo = await buildLineRepo({ files: 1, linesPerFile: LINES, commits: COMMITS, seed: SEED, changesPerCommit: 20, insertShare: 0.1 });
  try {
    const lines = Number(timedRun('git', ['rev-list', '--count', 'HEAD'], repo.dir).stdout.trim());
    const size = timedRun('git', ['show', 'HEAD:big.ts'], repo.dir).stdout.split('\n').length - 1;
    console.log(`history: ${lines} commits, big.ts ${size} lines, every commit with a record (set up in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const git: number[] = [];
    const cli: number[] = [];
    const lib: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so load on the machine hits all three alike.
      git.push(timedRun('git', ['blame', '--porcelain', 'HEAD', '--', 'big.ts'], repo.dir).ms);
      cli.push(timedRun(process.execPath, [CLI, 'blame', '--json', 'big.ts'], repo.dir).ms);
      const s = process.hrtime.bigint();
      const b = await blameFile(repo.dir, 'big.ts');
      lib.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (b.lines.length !== size) throw new Error(`blamed ${b.lines.length} lines, expected ${size}`);
    }
    const b = await blameFile(repo.dir, 'big.ts');
    const classes = new Map<string, number>();
    for (const l of b.lines) classes.set(l.class, (classes.get(l.class) ?? 0) + 1);
    console.log(`lines by class: ${[...classes].map(([k, n]) => `${k} ${n}`).join(', ')}; ${new Set(b.lines.map((l) => l.commit)).size} commits named`);
    console.log(`git blame --porcelain             ${stats(git)}`);
    console.log(`ai-provenance blame --json (CLI)  ${stats(cli)}   ${(median(cli) / median(git)).toFixed(2)}× git blame`);
    console.log(`blameFile (in process)            ${stats(lib)}   ${(median(lib) / median(git)).toFixed(2)}× git blame`);
    console.log(`(${RUNS} runs each, interleaved; target: at most 2× git blame)`);
  } finally {
    rmSync(repo.dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
