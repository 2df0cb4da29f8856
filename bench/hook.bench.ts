/**
 * What the commit hook adds to `git commit` (fixed seed). In a temporary
 * repository, 50 files with 2,000 added lines are staged, with ledgers written
 * as an editing session would (typed and AI lines mixed); then `git commit`
 * runs with the hook and without it, alternately, each commit undone with
 * `git reset --soft HEAD~1` before the next; and with the trailer hooks only
 * (no post-commit, so no record written), to show what the note adds. Also times the parts: a bare
 * `node` start, the hook's CLI on its own, and the hook's work in process.
 * Then the heavy cases (see `HEAVY_CASES`): huge diffs against the hook's budget.
 * Prints figures; it is not a pass/fail test. Run with `npm run bench:hook`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runHook } from '../src/node/commit/hook';
import { installHook } from '../src/node/commit/install';
import { buildFileLedger } from '../src/core/ledger';
import type { Evidence } from '../src/core/origin';
import type { Run } from '../src/core/spans';
import { findRepo } from '../src/node/git/git';
import { writeFileLedger } from '../src/node/git/ledgerStore';
import { rng } from '../test/support/rng';
import { BENCH_GIT_ENV, median, timedRun } from './support';

const SEED = 20_240_601;
const FILES = 50;
const LINES_PER_FILE = 40;
const RUNS = 7;
const HEAVY_FILES = 10;
const HEAVY_LINES = 5_000;
const CLI = path.resolve(__dirname, '../../dist/cli.js');

Object.assign(process.env, BENCH_GIT_ENV);

function run(cmd: string, args: readonly string[], cwd: string): { ms: number; stdout: string } {
  return timedRun(cmd, args, cwd);
}

const f1 = (n: number): string => n.toFixed(1);

function load(): string {
  return `${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`;
}

/** A file's lines and runs: words from the seed, each line typed or from an AI. */
function seededFile(rand: () => number, typed: Evidence, ai: Evidence[]): { text: string; runs: Run[] } {
  const words = ['const', 'value', 'return', 'input', 'result', 'await', 'items', 'map', 'filter', 'count', 'next', 'state'];
  let text = '';
  const runs: Run[] = [];
  for (let i = 0; i < LINES_PER_FILE; i++) {
    const n = 3 + Math.floor(rand() * 8);
    const line = `  ${Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' ')};`;
    const r = rand();
    runs.push({ len: line.length, ev: r < 0.55 ? typed : ai[Math.floor(rand() * ai.length)] });
    runs.push({ len: 1, ev: null });
    text += `${line}\n`;
  }
  return { text, runs };
}

async function main(): Promise<void> {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aip-hook-bench-')));
  try {
    run('git', ['init', '-q', '-b', 'main'], dir);
    run('git', ['config', 'commit.gpgsign', 'false'], dir);
    writeFileSync(path.join(dir, 'README.md'), '# bench\n');
    run('git', ['add', '.'], dir);
    run('git', ['-c', 'core.hooksPath=/nonexistent', 'commit', '-q', '-m', 'base'], dir);
    const repo = await findRepo(dir);
    if (!repo) throw new Error('no repository');

    const rand = rng(SEED);
    const at = 1_700_000_000_000;
    const typed: Evidence = { origin: 'typed', confidence: 'likely', detail: 'bench typed', at };
    const ai: Evidence[] = [
      { origin: 'ai-completion', confidence: 'certain', detail: 'bench completion', at },
      { origin: 'ai-chat', confidence: 'certain', detail: 'bench chat', tool: 'Bench Agent', at },
      { origin: 'ai-paste', confidence: 'likely', detail: 'bench paste', at },
    ];
    for (let f = 0; f < FILES; f++) {
      const rel = `src/m${String(f).padStart(2, '0')}/file${f}.ts`;
      const { text, runs } = seededFile(rand, typed, ai);
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
      await writeFileLedger(repo.ledgerDir, buildFileLedger(rel, text, runs, at));
    }
    run('git', ['add', '-A'], dir);

    const installed = await installHook(repo, { cliPath: CLI, runtimePath: process.execPath });
    if (installed.status !== 'installed') throw new Error(`hook not installed: ${installed.status}`);
    const noHooks = path.join(repo.gitDir, 'no-hooks');
    mkdirSync(noHooks);
    // The trailer hooks alone: what a commit cost before the record (the note) existed.
    const trailerOnly = path.join(repo.gitDir, 'trailer-only-hooks');
    mkdirSync(trailerOnly);
    for (const name of ['prepare-commit-msg', 'commit-msg']) copyFileSync(path.join(repo.hooksDir, name), path.join(trailerOnly, name));
    // Both sides name their hooks directory the same way, so they differ only in the hooks.
    const commitWith = ['-c', `core.hooksPath=${repo.hooksDir}`, 'commit', '-q', '-m', 'bench'];
    const commitWithout = ['-c', `core.hooksPath=${noHooks}`, 'commit', '-q', '-m', 'bench'];
    const commitNoNote = ['-c', `core.hooksPath=${trailerOnly}`, 'commit', '-q', '-m', 'bench'];
    const undo = ['reset', '-q', '--soft', 'HEAD~1'];

    console.log(`hook bench: ${FILES} files, ${FILES * LINES_PER_FILE} added lines staged (seed ${SEED}), ${RUNS} runs each, alternating`);
    console.log(`node ${process.version}, ${run('git', ['--version'], dir).stdout.trim()}`);
    console.log(`load average before: ${load()}`);

    // Warm-up (page cache, git's own start-up), and a check that the hook did its work.
    run('git', commitWith, dir);
    const trailer = run('git', ['log', '-1', '--format=%(trailers:key=AI-Provenance,valueonly)'], dir).stdout.trim();
    if (!trailer) throw new Error('the hook wrote no trailer');
    console.log(`trailer: ${trailer}`);
    run('git', undo, dir);
    run('git', commitWithout, dir);
    run('git', undo, dir);

    // post-commit may store the record in the background (AI_PROVENANCE_HOOK_FOREGROUND unset): wait for it.
    const waitStart = Date.now();
    while (!run('git', ['notes', '--ref=ai-provenance', 'list'], dir).stdout.trim()) {
      if (Date.now() - waitStart > 30_000) throw new Error('the hooks wrote no record');
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`post-commit: ${process.env.AI_PROVENANCE_HOOK_FOREGROUND ? 'foreground' : 'background (the default)'}`);

    const withMs: number[] = [];
    const withoutMs: number[] = [];
    const noNoteMs: number[] = [];
    const args = { with: commitWith, without: commitWithout, 'no-note': commitNoNote } as const;
    for (let i = 0; i < RUNS; i++) {
      // Rotate which goes first, so a drift in load favours none.
      const kinds = ['with', 'without', 'no-note'] as const;
      const order = kinds.map((_, k) => kinds[(k + i) % kinds.length]);
      const got: Record<string, number> = {};
      for (const which of order) {
        got[which] = run('git', args[which], dir).ms;
        run('git', undo, dir);
      }
      withMs.push(got.with);
      withoutMs.push(got.without);
      noNoteMs.push(got['no-note']);
      console.log(`run ${i + 1}: with note ${f1(got.with)} ms, trailer only ${f1(got['no-note'])} ms, no hook ${f1(got.without)} ms`);
    }

    // The parts: what a bare runtime costs, the CLI on its own, the hook's work in process.
    const msgFile = path.join(repo.gitDir, 'BENCH_MSG');
    const nodeMs: number[] = [];
    const cliMs: number[] = [];
    const inProcessMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      nodeMs.push(run(process.execPath, ['-e', '0'], dir).ms);
      writeFileSync(msgFile, 'bench\n');
      cliMs.push(run(process.execPath, [CLI, 'hook', msgFile, 'message'], dir).ms);
      writeFileSync(msgFile, 'bench\n');
      const t0 = process.hrtime.bigint();
      const outcome = await runHook({ msgFile, source: 'message', cwd: dir });
      inProcessMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (!outcome.changed) throw new Error(`runHook did nothing: ${outcome.skipped ?? '?'}`);
    }
    console.log(`node -e 0: median ${f1(median(nodeMs))} ms (${nodeMs.map(f1).join(', ')})`);
    console.log(`node dist/cli.js hook: median ${f1(median(cliMs))} ms (${cliMs.map(f1).join(', ')})`);
    console.log(`runHook in process: median ${f1(median(inProcessMs))} ms (${inProcessMs.map(f1).join(', ')})`);
    console.log(`load average after: ${load()}`);

    const a = median(withMs);
    const b = median(withoutMs);
    const c = median(noNoteMs);
    console.log(`hook: with-ms=${f1(a)} without-ms=${f1(b)} added-ms=${f1(a - b)}`);
    console.log(`record: with-note-ms=${f1(a)} trailer-only-ms=${f1(c)} note-added-ms=${f1(a - c)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface HeavyCase {
  readonly name: string;
  readonly files: number;
  readonly lines: number;
  /** The file's text before (`changed` false) and after the change. */
  readonly text: (f: number, lines: number, changed: boolean) => string;
}

/**
 * The heavy cases (issue 10): 10 committed files of 5,000 lines with every
 * other line changed, and 12 files of 20,000 lines reversed; each file has a
 * ledger from before the change (so the hook has to align it too). The line
 * diffs alone would take many seconds; the hook must end within its budget
 * and say truthfully whether it wrote the trailer.
 */
const HEAVY_CASES: readonly HeavyCase[] = [
  {
    name: `${HEAVY_FILES} files of ${HEAVY_LINES} lines, every other line changed`,
    files: HEAVY_FILES,
    lines: HEAVY_LINES,
    text: (f, n, changed) => Array.from({ length: n }, (_, i) => (changed && i % 2 === 1 ? `changed ${f} ${i}` : `line ${f} ${i}`)).join('\n') + '\n',
  },
  {
    name: '12 files of 20,000 lines, each reversed',
    files: 12,
    lines: 20_000,
    text: (f, n, changed) => Array.from({ length: n }, (_, i) => `line ${f} ${changed ? n - 1 - i : i}`).join('\n') + '\n',
  },
];

async function heavy(c: HeavyCase): Promise<void> {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aip-hook-heavy-')));
  try {
    run('git', ['init', '-q', '-b', 'main'], dir);
    run('git', ['config', 'commit.gpgsign', 'false'], dir);
    for (let f = 0; f < c.files; f++) writeFileSync(path.join(dir, `f${f}.txt`), c.text(f, c.lines, false));
    run('git', ['add', '.'], dir);
    run('git', ['-c', 'core.hooksPath=/nonexistent', 'commit', '-q', '-m', 'base'], dir);
    const repo = await findRepo(dir);
    if (!repo) throw new Error('no repository');
    const typed: Evidence = { origin: 'typed', confidence: 'likely', detail: 'bench typed', at: 1_700_000_000_000 };
    for (let f = 0; f < c.files; f++) {
      const old = c.text(f, c.lines, false);
      await writeFileLedger(repo.ledgerDir, buildFileLedger(`f${f}.txt`, old, [{ len: old.length, ev: typed }], 1_700_000_000_000));
      writeFileSync(path.join(dir, `f${f}.txt`), c.text(f, c.lines, true));
    }
    run('git', ['add', '.'], dir);
    const installed = await installHook(repo, { cliPath: CLI, runtimePath: process.execPath });
    if (installed.status !== 'installed') throw new Error(`hook not installed: ${installed.status}`);
    const t0 = process.hrtime.bigint();
    const r = spawnSync('git', ['commit', '-q', '-m', 'heavy'], { cwd: dir, env: process.env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const trailer = run('git', ['log', '-1', '--format=%(trailers:key=AI-Provenance,valueonly)'], dir).stdout.trim();
    console.log(`heavy case: ${c.name}: git commit ${f1(ms)} ms (exit ${r.status})`);
    console.log(`heavy case: trailer ${trailer ? JSON.stringify(trailer) : 'none'}; hook stderr ${JSON.stringify(r.stderr.trim())}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function heavyCases(): Promise<void> {
  for (const c of HEAVY_CASES) await heavy(c);
}

main().then(heavyCases).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
