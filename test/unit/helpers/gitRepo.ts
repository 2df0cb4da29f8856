import { strict as assert } from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildFileLedger } from '../../../src/core/ledger';
import type { FileLedger } from '../../../src/core/ledger';
import type { Evidence, Origin } from '../../../src/core/origin';
import type { Run } from '../../../src/core/spans';
import { findRepo } from '../../../src/node/git/git';
import type { RepoPaths } from '../../../src/node/git/git';
import { writeFileLedger } from '../../../src/node/git/ledgerStore';
import { installHook } from '../../../src/node/commit/install';

/** The bundled CLI the installed hooks run (`npm test` builds it before mocha starts). */
export const CLI_PATH = path.resolve(__dirname, '../../dist/cli.js');

/**
 * Git's environment for the tests: no global or system configuration (a
 * developer's `core.hooksPath` or `commit.gpgsign` must not leak in), and no
 * terminal to prompt on.
 */
export const GIT_TEST_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_EDITOR: 'true',
  // post-commit in the foreground, so a test reads the record right after the commit
  // (recordFlows.test.ts runs the background path, waiting for it).
  AI_PROVENANCE_HOOK_FOREGROUND: '1',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
};

/** Applies {@link GIT_TEST_ENV} to this process for a `describe` block (findRepo and friends read `process.env`). */
export function useGitTestEnv(): void {
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const [k, v] of Object.entries(GIT_TEST_ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program and returns what it did; never throws for a non-zero exit. */
export function run(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): RunResult {
  const r = spawnSync(cmd, args as string[], { cwd, env: { ...process.env, ...GIT_TEST_ENV, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking this process: what a test does meanwhile runs beside the program. */
export function runAsync(cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...GIT_TEST_ENV, ...env }, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      if (err && typeof code !== 'number') reject(err);
      else resolve({ status: typeof code === 'number' ? code : 0, stdout, stderr });
    });
  });
}

/** A real temporary git repository. */
export class TempRepo {
  private constructor(
    readonly dir: string,
    readonly paths: RepoPaths,
  ) {}

  static async create(opts: { bare?: boolean } = {}): Promise<TempRepo> {
    const dir = await fs.realpath(mkdtempSync(path.join(os.tmpdir(), 'aip-commit-')));
    const init = run('git', opts.bare ? ['init', '-q', '--bare'] : ['init', '-q', '-b', 'main'], dir);
    if (init.status !== 0) throw new Error(init.stderr);
    run('git', ['config', 'user.name', 'Test Author'], dir);
    run('git', ['config', 'user.email', 'author@example.com'], dir);
    run('git', ['config', 'commit.gpgsign', 'false'], dir);
    const paths = await findRepo(dir);
    if (!paths) throw new Error(`findRepo failed for ${dir}`);
    return new TempRepo(dir, paths);
  }

  /** A repository that already exists (a submodule, say); `dispose` removes it. */
  static async open(dir: string): Promise<TempRepo> {
    const paths = await findRepo(dir);
    if (!paths) throw new Error(`findRepo failed for ${dir}`);
    return new TempRepo(dir, paths);
  }

  /** Re-reads the repository's paths (after `core.hooksPath` changed). */
  async refresh(): Promise<RepoPaths> {
    const paths = await findRepo(this.dir);
    if (!paths) throw new Error('findRepo failed');
    return paths;
  }

  git(args: readonly string[], env: Record<string, string> = {}): RunResult {
    return run('git', args, this.dir, env);
  }

  /** Runs git without blocking this process. */
  gitAsync(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
    return runAsync('git', args, this.dir, env);
  }

  /** Runs git and fails the test when it fails. */
  ok(args: readonly string[], env: Record<string, string> = {}): string {
    const r = this.git(args, env);
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  async write(rel: string, content: string | Buffer): Promise<void> {
    const file = path.join(this.dir, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }

  /** The full message of a commit. */
  message(rev = 'HEAD'): string {
    return this.ok(['log', '-1', '--format=%B', rev]);
  }

  /** The values of every `AI-Provenance` trailer of a commit, as git parses them. */
  trailers(rev = 'HEAD', key = 'AI-Provenance'): string[] {
    return this.ok(['log', '-1', `--format=%(trailers:key=${key},valueonly,separator=%x00)`, rev])
      .replace(/\n+$/, '')
      .split('\0')
      .filter((s) => s !== '');
  }

  async dispose(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const evidence = new Map<Origin, Evidence>();
/** One shared evidence object per origin (the ledger indexes evidence by identity). */
export function ev(origin: Origin, tool?: string): Evidence {
  if (tool) return { origin, confidence: 'certain', detail: `test ${origin}`, tool, at: 1_700_000_000_000 };
  let e = evidence.get(origin);
  if (!e) {
    e = { origin, confidence: 'certain', detail: `test ${origin}`, at: 1_700_000_000_000 };
    evidence.set(origin, e);
  }
  return e;
}

/**
 * A text and its runs from lines tagged with an origin (`null`: base text
 * that was there before tracking began). Line breaks are base text.
 */
export function textWithRuns(lines: ReadonlyArray<readonly [string, Evidence | null]>, eol = '\n'): { text: string; runs: Run[] } {
  const runs: Run[] = [];
  let text = '';
  for (const [line, e] of lines) {
    if (line.length > 0) runs.push({ len: line.length, ev: e });
    runs.push({ len: eol.length, ev: null });
    text += line + eol;
  }
  return { text, runs };
}

/** Writes a file into the work tree and its ledger, as the extension would on save. */
export async function writeTracked(repo: TempRepo, rel: string, lines: ReadonlyArray<readonly [string, Evidence | null]>, eol = '\n'): Promise<FileLedger> {
  const { text, runs } = textWithRuns(lines, eol);
  await repo.write(rel, text);
  const ledger = buildFileLedger(rel, text, runs, Date.now());
  await writeFileLedger(repo.paths.ledgerDir, ledger);
  return ledger;
}

/** Runs the bundled CLI as git's hooks and CI would. */
export function cli(cwd: string, args: readonly string[], env: Record<string, string> = {}): RunResult {
  return run(process.execPath, [CLI_PATH, ...args], cwd, env);
}

/**
 * What the CLI must do with bad input: exit 2, print nothing on stdout and
 * exactly one line on stderr. Returns that line, for the caller's own checks.
 */
export function assertUsageError(r: RunResult, label = ''): string {
  const why = `${label ? `${label}: ` : ''}${JSON.stringify(r.stderr)}`;
  assert.equal(r.status, 2, `exit code, ${why}`);
  assert.equal(r.stdout, '', `stdout, ${why}`);
  assert.match(r.stderr, /^[^\n]*\S[^\n]*\n$/, `one line on stderr, ${why}`);
  return r.stderr.slice(0, -1);
}

/** Installs the real hooks (running the bundled CLI with this Node) and fails the test when that does not work. */
export async function installTestHooks(paths: RepoPaths): Promise<void> {
  const r = await installHook(paths, { cliPath: CLI_PATH, runtimePath: process.execPath });
  if (r.status !== 'installed') throw new Error(`hooks not installed: ${r.status}`);
}

/** Commits what is staged with a message taken verbatim from a file (`git commit -F`, cleanup as git does for -F). */
export async function commitWithMessage(repo: TempRepo, message: string, extra: readonly string[] = []): Promise<string> {
  const file = path.join(repo.paths.gitDir, `TEST_MSG_${process.hrtime.bigint()}`);
  await fs.writeFile(file, message);
  try {
    repo.ok(['commit', '-q', '--allow-empty', ...extra, '-F', file]);
  } finally {
    await fs.rm(file, { force: true });
  }
  return repo.ok(['rev-parse', 'HEAD']).trim();
}

/**
 * A GIT_EDITOR script that types `subject` on the first line, as a person
 * would (it keeps what it was shown in `<msg>.seen`). It lives beside the
 * repository: the caller removes it.
 */
export async function subjectEditor(repo: TempRepo, subject: string): Promise<string> {
  const file = path.join(repo.dir, '..', `${path.basename(repo.dir)}-editor.sh`);
  await fs.writeFile(file, `#!/bin/sh\ncp "$1" "$1.seen"\nprintf '%s' '${subject}' | cat - "$1" > "$1.new" && mv "$1.new" "$1"\n`, { mode: 0o755 });
  return file;
}

export function assertCliBuilt(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: build it first (npm test does)`);
}

/**
 * The usual setup of a suite that works on a fresh repository per test: the
 * git test environment, the built CLI when asked, a new {@link TempRepo}
 * before each test (with our hooks installed when asked), disposed after it.
 * `set` receives each new repository.
 */
export function useTempRepo(set: (repo: TempRepo) => void, opts: { cli?: boolean; hooks?: boolean } = {}): void {
  useGitTestEnv();
  if (opts.cli) before(assertCliBuilt);
  let current: TempRepo | undefined;
  beforeEach(async () => {
    current = await TempRepo.create();
    if (opts.hooks) await installTestHooks(current.paths);
    set(current);
  });
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
}
