// The fixture extension (test/fixtures/ai-fixture): a deterministic fake AI,
// the oracle log of VS Code's own edit labels, and a scripted agent driven
// through request files (RPC).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths';
import { waitFor } from './wait';

export const FIXTURE_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'ai-fixture');
/** The status bar text the fixture shows once it is active. */
export const FIXTURE_READY = 'ai-fixture: ready';

/** Runs the project's vsce in `dir` and returns the absolute VSIX path. */
export function packageVsix(dir: string, outPath: string): string {
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const out = path.resolve(outPath);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
  if (r.status !== 0 || !fs.existsSync(out)) {
    throw new Error(`vsce package in ${dir} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return out;
}

export function buildFixtureVsix(outDir: string): string {
  return packageVsix(FIXTURE_DIR, path.join(outDir, 'ai-fixture.vsix'));
}

/** One line of the oracle log: a content change (no `t`), or an event (`t`: open, save, copy, paste, agent). */
export interface OracleEntry {
  t?: string;
  uri: string;
  version?: number;
  reason?: number;
  detailedReason?: { source?: string; metadata?: Record<string, unknown> };
  changes: { rangeOffset: number; rangeLength: number; text: string }[];
  id?: string;
  copyId?: string;
  phase?: 'start' | 'end';
  ranges?: { offset: number; length: number }[];
}

export function readOracleLog(file: string): OracleEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as OracleEntry);
}

/** What the fixture's `state` request answers. */
export interface FixtureState {
  ok: boolean;
  active?: string;
  selections: { line: number; character: number; endLine: number; endCharacter: number }[];
  docs: { text: string; version: number }[];
}

/** Requests to the fixture's scripted agent: a file per request in `dir` (aiFixture.rpcDir), a file per answer. */
export class FixtureRpc {
  private seq = 0;
  constructor(readonly dir: string) { fs.mkdirSync(dir, { recursive: true }); }

  async call<T = { ok: boolean; error?: string }>(op: string, args: object = {}, { timeout = 20_000 } = {}): Promise<T> {
    const id = `r${String(++this.seq).padStart(6, '0')}`;
    const tmp = path.join(this.dir, `${id}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify({ op, ...args }));
    fs.renameSync(tmp, path.join(this.dir, `${id}.req.json`));
    const res = path.join(this.dir, `${id}.res.json`);
    const out = await waitFor(`fixture rpc ${op}`, () => (fs.existsSync(res) ? JSON.parse(fs.readFileSync(res, 'utf8')) : null), { timeout, interval: 20 });
    fs.rmSync(res, { force: true });
    if (!out.ok) throw new Error(`rpc ${op} ${JSON.stringify(args).slice(0, 200)} failed: ${out.error ?? JSON.stringify(out)}`);
    return out as T;
  }

  state(rel: string): Promise<FixtureState> {
    return this.call<FixtureState>('state', { path: rel });
  }
}
