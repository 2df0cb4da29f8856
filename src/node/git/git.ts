import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import * as os from 'node:os';

/** An error from running git, with its exit code and stderr. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  readonly cwd: string;
  /** Text for git's standard input. */
  readonly input?: string | Buffer;
  /** Kill git after this many milliseconds. */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Run git at the lowest CPU priority (default: whatever {@link atLowPriority} says for the caller). */
  readonly lowPriority?: boolean;
}

/** The lowest CPU priority (nice 19): background work yields the CPU to everything else. */
export const LOWEST_PRIORITY = 19;
const lowPriorityScope = new AsyncLocalStorage<boolean>();

/**
 * Runs `fn` with every git process it starts (directly or through any
 * helper, awaited or not) at the lowest CPU priority: background work such as
 * warming a cache, which must never compete with typing.
 */
export function atLowPriority<T>(fn: () => Promise<T>): Promise<T> {
  return lowPriorityScope.run(true, fn);
}

/** Lowers a started process to the lowest priority; a platform that refuses leaves it as it is. */
export function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    os.setPriority(pid, LOWEST_PRIORITY);
  } catch {
    // Not allowed or already gone: the process runs at the normal priority.
  }
}

/** Runs git and resolves with its stdout as a Buffer; rejects with a {@link GitError}. */
export function gitBuffer(args: readonly string[], opts: GitOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args as string[],
      { cwd: opts.cwd, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, timeout: opts.timeoutMs ?? 30_000, env: opts.env ?? process.env, windowsHide: true },
      (err, stdout, stderr) => {
        if (err) {
          const code = typeof (err as NodeJS.ErrnoException).code === 'number' ? ((err as unknown as { code: number }).code) : null;
          reject(new GitError(`git ${args[0]} failed: ${stderr.toString().trim() || err.message}`, code, stderr.toString()));
        } else resolve(stdout);
      },
    );
    if (opts.lowPriority ?? (lowPriorityScope.getStore() === true)) lowerPriority(child.pid);
    if (opts.input !== undefined) {
      // git may exit before reading all its input; the exit code tells what went wrong, not EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(opts.input);
    }
  });
}

/** Runs git and resolves with its stdout as UTF-8 text. */
export async function git(args: readonly string[], opts: GitOptions): Promise<string> {
  return (await gitBuffer(args, opts)).toString('utf8');
}

/** Where a repository keeps things: its work tree root and a path inside its git directory. */
export interface RepoPaths {
  readonly root: string;
  /** This work tree's git directory (`git rev-parse --absolute-git-dir`). */
  readonly gitDir: string;
  /** `git rev-parse --git-path ai-provenance`, absolute. */
  readonly ledgerDir: string;
  /** `git rev-parse --git-path hooks`, absolute (honours core.hooksPath and worktrees). */
  readonly hooksDir: string;
  /** `git rev-parse --git-common-dir`, absolute: what all work trees share. */
  readonly commonDir: string;
}

/** Finds the repository that holds `dir`; `undefined` when it is not inside a work tree. */
export async function findRepo(dir: string): Promise<RepoPaths | undefined> {
  let out: string;
  try {
    out = await git(['rev-parse', '--path-format=absolute', '--show-toplevel', '--absolute-git-dir', '--git-path', 'ai-provenance', '--git-path', 'hooks', '--git-common-dir'], {
      cwd: dir,
      timeoutMs: 10_000,
    });
  } catch (e) {
    if (e instanceof GitError || (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const lines = out.split('\n');
  // One path a line: a path that holds a line break would shift the others (and send hooks into the work tree).
  if (lines.length !== 6 || lines[5] !== '') throw new Error(`a repository whose path holds a line break is not supported: ${JSON.stringify(dir)}`);
  const [root, gitDir, ledgerDir, hooksDir, commonDir] = lines;
  if (!root || !gitDir || !ledgerDir || !hooksDir || !commonDir) return undefined;
  return { root, gitDir, ledgerDir, hooksDir, commonDir };
}
