/**
 * What an agent's hook costs per hook call (fixed seed). In a temporary
 * repository of 30 files (a few dirty), a Claude Code Edit is played: the pre
 * hook, the write, the post hook; and a Bash call (pre, a write, post), which
 * compares every dirty file. Times each call's work in process, each call of
 * the whole CLI as the agent runs it (Node's start included; with
 * `AI_PROVENANCE_BENCH_NODE=<node>` another runtime too, such as the one
 * VS Code's hooks run), and each call through the launcher's fast path as
 * the agent runs it (`sh -c`, the spool written, the drain started in the
 * background), then the drain's work per Edit in process. Prints median and
 * p99 per call; it is not a pass/fail test. Run with `npm run bench:agent-hook`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAgentHook } from '../src/node/agents/hook';
import { launcherText } from '../src/node/agents/launcher';
import { drainSpool } from '../src/node/agents/spool';
import { rng } from '../test/support/rng';
import { quantile } from './support';

const SEED = 20_261_130;
const FILES = 30;
const DIRTY = 5;
const RUNS = 51;
const CLI = path.resolve(__dirname, '../../dist/cli.js');

Object.assign(process.env, { GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'B', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'B', GIT_COMMITTER_EMAIL: 'b@example.com' });

function git(args: string[], cwd: string): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

function report(name: string, xs: readonly number[]): void {
  console.log(`${name.padEnd(52)} median ${quantile(xs, 0.5).toFixed(1).padStart(6)} ms  p99 ${quantile(xs, 0.99).toFixed(1).padStart(6)} ms  (${xs.length} calls)`);
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

/** Times one call. */
async function timed<T>(into: number[], fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  into.push(performance.now() - t0);
  return r;
}

async function inProcess(dir: string): Promise<void> {
  const t = { editPre: [] as number[], editPost: [] as number[], shellPre: [] as number[], shellPost: [] as number[] };
  const file = path.join(dir, 'src', 'f20.ts');
  for (let i = 0; i < RUNS; i++) {
    await timed(t.editPre, () => runAgentHook('claude-code', payload('PreToolUse', 'Edit', { file_path: file }, dir, `e${i}`), dir));
    writeFileSync(file, `export const edit${i} = ${i};\n`, { flag: 'a' });
    await timed(t.editPost, () => runAgentHook('claude-code', payload('PostToolUse', 'Edit', { file_path: file }, dir, `e${i}`), dir));
    await timed(t.shellPre, () => runAgentHook('claude-code', payload('PreToolUse', 'Bash', { command: 'gen' }, dir, `b${i}`), dir));
    writeFileSync(path.join(dir, 'src', `gen${i}.ts`), `export const g = ${i};\n`);
    await timed(t.shellPost, () => runAgentHook('claude-code', payload('PostToolUse', 'Bash', { command: 'gen' }, dir, `b${i}`), dir));
  }
  report('Edit pre hook, in process', t.editPre);
  report('Edit post hook, in process', t.editPost);
  report(`Bash pre hook (${DIRTY}+ dirty files), in process`, t.shellPre);
  report(`Bash post hook (${DIRTY}+ dirty files), in process`, t.shellPost);
}

/** Each call as the agent makes it: a new process, the payload on stdin. */
async function viaCli(dir: string, node: string, label: string): Promise<void> {
  const bare: number[] = [];
  const pre: number[] = [];
  const post: number[] = [];
  const file = path.join(dir, 'src', 'f21.ts');
  const cli = (event: string, i: number): void => {
    const r = spawnSync(node, [CLI, 'hook', 'claude-code'], { cwd: dir, input: payload(event, 'Edit', { file_path: file }, dir, `c${i}`), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  for (let i = 0; i < RUNS; i++) {
    await timed(bare, () => spawnSync(node, ['-e', '0']));
    await timed(pre, () => cli('PreToolUse', i));
    writeFileSync(file, `export const cli${i} = ${i};\n`, { flag: 'a' });
    await timed(post, () => cli('PostToolUse', i));
  }
  report(`${label}: node -e 0 (Node's own start)`, bare);
  report(`${label}: CLI Edit pre hook, as the agent runs it`, pre);
  report(`${label}: CLI Edit post hook, as the agent runs it`, post);
}

/**
 * Each Edit call through the launcher, as the agent runs it: `sh -c`, the
 * payload on stdin. First as it happens, each call starting a drain in the
 * background (one at a time: the Node it starts takes the CPU from the
 * calls that run beside it).
 * Then with drains held off (the spool's lock held by this process, so the
 * launcher starts none): each call's two entries are set aside, then put
 * back a pair at a time and drained in process, oldest first, as the
 * background drain would.
 */
async function viaFastPath(dir: string, state: string): Promise<void> {
  const spool = path.join(state, 'agent-spool');
  const launcher = path.join(state, 'bin', 'ai-provenance');
  mkdirSync(path.dirname(launcher), { recursive: true });
  writeFileSync(launcher, launcherText({ runtimePath: process.execPath, cliPath: CLI }, spool), { mode: 0o755 });
  const file = path.join(dir, 'src', 'f22.ts');
  const call = (event: string, i: number): void => {
    const r = spawnSync('sh', ['-c', `'${launcher}' hook claude-code || true`], { cwd: dir, input: payload(event, 'Edit', { file_path: file }, dir, `f${i}`), encoding: 'utf8' });
    if (r.status !== 0 || r.stdout !== '' || r.stderr !== '') throw new Error(`fast path: ${r.status} ${r.stdout} ${r.stderr}`);
  };
  const live = { pre: [] as number[], post: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    await timed(live.pre, () => call('PreToolUse', i));
    writeFileSync(file, `export const live${i} = ${i};\n`, { flag: 'a' });
    await timed(live.post, () => call('PostToolUse', i));
  }
  report('fast path: Edit pre hook, drains in the background', live.pre);
  report('fast path: Edit post hook, drains in the background', live.post);
  await new Promise((r) => setTimeout(r, 5_000));
  await heldOff(spool, file, call);
}

async function heldOff(spool: string, file: string, call: (event: string, i: number) => void): Promise<void> {
  const aside = path.join(spool, '..', 'aside');
  mkdirSync(aside);
  writeFileSync(path.join(spool, '.lock'), `${process.pid}\n`);
  const t = { pre: [] as number[], post: [] as number[], drain: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    await timed(t.pre, () => call('PreToolUse', RUNS + i));
    writeFileSync(file, `export const held${i} = ${i};\n`, { flag: 'a' });
    await timed(t.post, () => call('PostToolUse', RUNS + i));
    const files = readdirSync(spool).filter((n) => !n.startsWith('.'));
    if (files.filter((n) => n.endsWith('.meta')).length !== 2) throw new Error(`expected the call's two entries in the spool, found ${files.join(' ')}`);
    mkdirSync(path.join(aside, String(i).padStart(3, '0')));
    for (const n of files) renameSync(path.join(spool, n), path.join(aside, String(i).padStart(3, '0'), n));
  }
  rmSync(path.join(spool, '.lock'));
  const log = async (): Promise<void> => undefined;
  for (const pairDir of readdirSync(aside).sort()) {
    for (const n of readdirSync(path.join(aside, pairDir))) renameSync(path.join(aside, pairDir, n), path.join(spool, n));
    const ran = await timed(t.drain, () => drainSpool(spool, { deadline: Date.now() + 60_000, log }));
    if (ran !== 2) throw new Error(`the drain ran ${ran} entries, not 2`);
  }
  report('fast path: Edit pre hook, no drain started', t.pre);
  report('fast path: Edit post hook, no drain started', t.post);
  report('fast path: the drain of one Edit (pre+post), in process', t.drain);
}

async function main(): Promise<void> {
  const dir = setUp();
  try {
    console.log(`agent hook bench: ${FILES} files, ${DIRTY} dirty, ${RUNS} runs, load ${os.loadavg()[0].toFixed(2)} (${os.cpus().length} CPUs)`);
    await inProcess(dir);
    await viaCli(dir, process.execPath, `node ${process.version}`);
    await viaFastPath(dir, mkdtempSync(path.join(os.tmpdir(), 'aip-agent-bench-state-')));
    console.log(`load after: ${os.loadavg()[0].toFixed(2)}`);
    const other = process.env.AI_PROVENANCE_BENCH_NODE;
    if (other) await viaCli(dir, other, `node ${spawnSync(other, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
