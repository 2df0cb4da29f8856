/**
 * What an agent's hook costs per tool call (fixed seed). In a temporary
 * repository of 30 files (a few dirty), a Claude Code Edit is played: the pre
 * hook, the write, the post hook; and a Bash call (pre, a write, post), which
 * compares every dirty file. Times the work in process (what the budget
 * bounds) and the whole CLI as the agent runs it (Node's start included).
 * Prints figures; it is not a pass/fail test. Run with `npm run bench:agent-hook`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAgentHook } from '../src/node/agents/hook';
import { rng } from '../test/support/rng';

const SEED = 20_261_130;
const FILES = 30;
const DIRTY = 5;
const RUNS = 21;
const CLI = path.resolve(__dirname, '../../dist/cli.js');

Object.assign(process.env, { GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'B', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'B', GIT_COMMITTER_EMAIL: 'b@example.com' });

function git(args: string[], cwd: string): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function report(name: string, xs: readonly number[]): void {
  console.log(`${name.padEnd(44)} median ${quantile(xs, 0.5).toFixed(1)} ms  p90 ${quantile(xs, 0.9).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms`);
}

function setUp(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aip-agent-bench-')));
  git(['init', '-q', '-b', 'main'], dir);
  const next = rng(SEED);
  mkdirSync(path.join(dir, 'src'));
  for (let f = 0; f < FILES; f++) {
    const lines = Array.from({ length: 200 }, (_, i) => `export const v${f}_${i} = ${Math.floor(next() * 1e6)};`);
    writeFileSync(path.join(dir, 'src', `f${f}.ts`), lines.join('\n') + '\n');
  }
  git(['add', '.'], dir);
  git(['commit', '-q', '-m', 'base'], dir);
  for (let f = 0; f < DIRTY; f++) writeFileSync(path.join(dir, 'src', `f${f}.ts`), `// dirty ${f}\n`, { flag: 'a' });
  return dir;
}

function payload(event: string, tool: string, input: Record<string, unknown>, dir: string, id: string): string {
  return JSON.stringify({ session_id: 's', transcript_path: '/nowhere/.claude/projects/x/s.jsonl', cwd: dir, hook_event_name: event, tool_name: tool, tool_input: input, tool_use_id: id });
}

async function inProcess(dir: string): Promise<void> {
  const edit: number[] = [];
  const shell: number[] = [];
  const file = path.join(dir, 'src', 'f20.ts');
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    await runAgentHook('claude-code', payload('PreToolUse', 'Edit', { file_path: file }, dir, `e${i}`), dir);
    writeFileSync(file, `export const edit${i} = ${i};\n`, { flag: 'a' });
    await runAgentHook('claude-code', payload('PostToolUse', 'Edit', { file_path: file }, dir, `e${i}`), dir);
    edit.push(performance.now() - t0);
    t0 = performance.now();
    await runAgentHook('claude-code', payload('PreToolUse', 'Bash', { command: 'gen' }, dir, `b${i}`), dir);
    writeFileSync(path.join(dir, 'src', `gen${i}.ts`), `export const g = ${i};\n`);
    await runAgentHook('claude-code', payload('PostToolUse', 'Bash', { command: 'gen' }, dir, `b${i}`), dir);
    shell.push(performance.now() - t0);
  }
  report('Edit: pre + post, in process', edit);
  report(`Bash: pre + post over ${DIRTY}+ dirty files, in process`, shell);
}

function viaCli(dir: string): void {
  const times: number[] = [];
  const bare: number[] = [];
  const file = path.join(dir, 'src', 'f21.ts');
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t0);
    t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'hook', 'claude-code'], { cwd: dir, input: payload('PreToolUse', 'Edit', { file_path: file }, dir, `c${i}`), encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  report('node -e 0 (for comparison)', bare);
  report('CLI pre hook, as the agent runs it', times);
}

async function main(): Promise<void> {
  const dir = setUp();
  try {
    console.log(`agent hook bench: ${FILES} files, ${DIRTY} dirty, ${RUNS} runs, load ${os.loadavg()[0].toFixed(2)} (${os.cpus().length} CPUs)`);
    await inProcess(dir);
    viaCli(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
