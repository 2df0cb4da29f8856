/**
 * What carrying records through a rebase costs (fixed seed). A temporary
 * repository gets 50 commits with hooks installed (each with its record),
 * then an interactive rebase turns every fifth commit into a squash; the
 * rebase's own "<old> <new>" list is kept by a tiny post-rewrite hook, and
 * the record's post-rewrite work is timed on it: the CLI as git runs it, and
 * in process, with the CPU time the CLI and its git processes used (less
 * swayed by load than wall time). Prints figures; not a pass/fail test.
 * `npm run bench:rewrite`.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installHook } from '../src/node/commit/install';
import { buildFileLedger } from '../src/core/ledger';
import type { Evidence } from '../src/core/origin';
import type { Run } from '../src/core/spans';
import { findRepo } from '../src/node/git/git';
import { writeFileLedger } from '../src/node/git/ledgerStore';
import { runPostRewrite } from '../src/node/record/commitRecord';
import { rng } from '../test/support/rng';
import { BENCH_GIT_ENV, median, timedRun } from './support';

const SEED = 20_261_130;
const COMMITS = 50;
const RUNS = 5;
const CLI = path.resolve(__dirname, '../../dist/cli.js');

Object.assign(process.env, BENCH_GIT_ENV);

function run(cmd: string, args: readonly string[], cwd: string, input?: string, env: Record<string, string> = {}): { ms: number; stdout: string } {
  return timedRun(cmd, args, cwd, { input, env });
}

/**
 * CPU time (user + system, ms) of the child processes this process has
 * waited for, and theirs (Linux `/proc/self/stat` cutime + cstime, in clock
 * ticks of 10 ms): what a run cost, less swayed by the machine's load than
 * its wall time. `undefined` without /proc.
 */
function childCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of stat(5); the slice starts at field 3.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function stats(xs: readonly number[]): string {
  return `median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.map((x) => x.toFixed(1)).join(', ')})`;
}

async function main(): Promise<void> {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aip-rewrite-bench-')));
  try {
    run('git', ['init', '-q', '-b', 'main'], dir);
    run('git', ['config', 'commit.gpgsign', 'false'], dir);
    writeFileSync(path.join(dir, 'README.md'), '# bench\n');
    run('git', ['add', '.'], dir);
    run('git', ['commit', '-q', '-m', 'base'], dir);
    const repo = await findRepo(dir);
    if (!repo) throw new Error('no repository');
    const installed = await installHook(repo, { cliPath: CLI, runtimePath: process.execPath });
    if (installed.status !== 'installed') throw new Error(`hooks not installed: ${installed.status}`);

    const rand = rng(SEED);
    const ai: Evidence = { origin: 'ai-completion', confidence: 'certain', detail: 'bench', at: 1_700_000_000_000 };
    const typed: Evidence = { origin: 'typed', confidence: 'likely', detail: 'bench', at: 1_700_000_000_000 };
    const texts = new Map<string, string>();
    const runsOf = new Map<string, Run[]>();
    for (let c = 0; c < COMMITS; c++) {
      const rel = `src/f${c % 10}.ts`;
      let text = texts.get(rel) ?? '';
      const runs = runsOf.get(rel) ?? [];
      for (let i = 0; i < 20; i++) {
        const line = `  line ${c}.${i} ${Math.floor(rand() * 1e6)};`;
        runs.push({ len: line.length, ev: rand() < 0.5 ? ai : typed }, { len: 1, ev: null });
        text += `${line}\n`;
      }
      texts.set(rel, text);
      runsOf.set(rel, runs);
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
      await writeFileLedger(repo.ledgerDir, buildFileLedger(rel, text, runs, 1_700_000_000_000));
      run('git', ['add', '-A'], dir);
      run('git', ['commit', '-q', '-m', `commit ${c}`], dir);
    }

    // Keep the rebase's list: a hooks directory whose post-rewrite only saves its input.
    const keepList = path.join(repo.gitDir, 'keep-list-hooks');
    mkdirSync(keepList);
    const listFile = path.join(repo.gitDir, 'rewritten');
    writeFileSync(path.join(keepList, 'post-rewrite'), `#!/bin/sh\n[ "$1" = rebase ] && cat > '${listFile}'\nexit 0\n`, { mode: 0o755 });
    const squashEveryFifth = `awk 'NR > 1 && (NR % 5) == 0 && /^pick / { sub(/^pick/, "squash") } { print }' "$1" > "$1.new" && mv "$1.new" "$1"`;
    const editor = path.join(repo.gitDir, 'seq-editor.sh');
    writeFileSync(editor, `#!/bin/sh\n${squashEveryFifth}\n`, { mode: 0o755 });
    const rebase = run('git', ['-c', `core.hooksPath=${keepList}`, 'rebase', '-q', '-i', '--root'], dir, undefined, { GIT_SEQUENCE_EDITOR: editor });
    const list = readFileSync(listFile, 'utf8');
    const pairs = list.split('\n').filter((l) => l.trim() !== '').length;
    const news = new Set(list.split('\n').map((l) => l.split(' ')[1]).filter(Boolean)).size;
    console.log(`rewrite bench: ${COMMITS} commits of 20 lines (seed ${SEED}), rebase -i --root with every fifth a squash: ${pairs} pairs -> ${news} commits`);
    console.log(`node ${process.version}, ${run('git', ['--version'], dir).stdout.trim()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
    console.log(`the rebase itself, without our hooks: ${rebase.ms.toFixed(1)} ms`);

    const cliMs: number[] = [];
    const cliCpuMs: number[] = [];
    const inProcessMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const cpu0 = childCpuMs();
      cliMs.push(run(process.execPath, [CLI, 'post-rewrite', 'rebase'], dir, list).ms);
      const cpu1 = childCpuMs();
      if (cpu0 !== undefined && cpu1 !== undefined) cliCpuMs.push(cpu1 - cpu0);
      const t0 = process.hrtime.bigint();
      await runPostRewrite(repo, 'rebase', list, 30_000);
      inProcessMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const noted = new Set(run('git', ['notes', '--ref=ai-provenance', 'list'], dir).stdout.trim().split('\n').map((l) => l.split(' ')[1]));
    const newShas = new Set(list.split('\n').map((l) => l.split(' ')[1]).filter(Boolean));
    console.log(`post-rewrite (CLI, as git runs it): ${stats(cliMs)}`);
    if (cliCpuMs.length > 0) console.log(`post-rewrite (CLI) CPU time, node and its git processes: ${stats(cliCpuMs)}`);
    console.log(`post-rewrite (in process): ${stats(inProcessMs)}`);
    console.log(`load after the runs ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    // The 50 commits' own records stay; every rewritten commit has one (a commit the rebase kept as it was is among both).
    console.log(`records stored: ${noted.size}; rewritten commits with a record: ${[...newShas].filter((s) => noted.has(s)).length} of ${newShas.size}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
