import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { git, GitError } from '../git/git';
import type { RepoPaths } from '../git/git';
import { EMPTY_TREE } from '../commit/staged';

/**
 * What the commit being made is, as far as `prepare-commit-msg` can tell.
 * git gives `--amend -m x` and `-m x` the same hook arguments (and `commit -C
 * HEAD` the same as `--amend -C HEAD`), so the command line of the `git
 * commit` that runs the hook decides, where the system shows it (Linux
 * `/proc`); elsewhere an amend is assumed only for `commit HEAD`, as before.
 */
export interface CommitOp {
  readonly kind: 'new' | 'amend' | 'squash' | 'edit-amend' | 'merge';
  /** The commit the new one's lines are compared with (a SHA, or the empty tree). */
  readonly base: string;
  /** Commits whose records the lines may be carried from, first wins. */
  readonly sources: readonly string[];
  /** A merge's other parent. */
  readonly otherParent?: string;
  /** HEAD when the hook ran (empty when unborn). */
  readonly head: string;
}

/** Reads `/proc/<pid>/stat`'s parent pid; `undefined` where there is no `/proc`. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The arguments of the `git commit` process above this one (a hook script,
 * maybe a hook manager, in between), or `undefined` when it cannot be seen.
 */
export function commitArgv(start = process.ppid): string[] | undefined {
  let pid: number | undefined = start;
  for (let depth = 0; pid !== undefined && depth < 6; depth++) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      return undefined;
    }
    if (/(^|\/)git(\.exe)?$/.test(argv[0] ?? '') && argv.includes('commit')) return argv.slice(argv.indexOf('commit') + 1);
    pid = parentOf(pid);
  }
  return undefined;
}

/** Options of `git commit` that take a separate value: their value is never an option. */
const VALUE_OPTIONS = new Set(['-m', '-F', '-C', '-c', '-t', '--author', '--date', '--file', '--message', '--template', '--fixup', '--squash', '--trailer', '--cleanup', '-S']);

/** What the hook needs to know of a `git commit` command line. */
export interface CommitFlags {
  /** `--amend` (or any prefix git accepts for it). */
  readonly amend: boolean;
  /** `-n`/`--no-verify` (the last of it and `--verify` wins): git will not run the commit-msg hook. */
  readonly noVerify: boolean;
  /** `--cleanup=<mode>` as given (the last wins), if given. */
  readonly cleanup?: string;
  /** `--allow-empty-message` (the last of it and its `--no-` form wins): git commits a message with no text. */
  readonly allowEmptyMessage: boolean;
}

/** Short options of `git commit` whose value follows them (attached, or as the next argument). */
const SHORT_WITH_VALUE = 'mFCct';

/** Reads the flags out of `git commit`'s arguments, short options bundled as git's parse-options allows (`-an`, `-nm msg`). */
export function commitFlags(argv: readonly string[]): CommitFlags {
  let amend = false;
  let noVerify = false;
  let cleanup: string | undefined;
  let allowEmptyMessage = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (VALUE_OPTIONS.has(a)) {
      if (a === '--cleanup') cleanup = argv[i + 1];
      i++;
    } else if (a.startsWith('--cleanup=')) cleanup = a.slice('--cleanup='.length);
    else if (a.length >= 4 && '--amend'.startsWith(a)) amend = true;
    // `--allow-empty` is an option of its own: only a longer prefix is this one.
    else if (a.length > '--allow-empty-'.length && '--allow-empty-message'.startsWith(a)) allowEmptyMessage = true;
    else if (a.length > '--no-allow-empty-'.length && '--no-allow-empty-message'.startsWith(a)) allowEmptyMessage = false;
    else if (a.length >= 9 && '--no-verify'.startsWith(a)) noVerify = true;
    else if (a.length >= 6 && '--verify'.startsWith(a)) noVerify = false;
    else if (/^-[A-Za-z]+$/.test(a)) {
      for (let k = 1; k < a.length; k++) {
        if (a[k] === 'n') noVerify = true;
        if (!SHORT_WITH_VALUE.includes(a[k])) continue;
        // The rest of the bundle is the value; with nothing left, the next argument is.
        if (k === a.length - 1) i++;
        break;
      }
    }
  }
  return { amend, noVerify, cleanup, allowEmptyMessage };
}

/** Whether these `git commit` arguments amend (`--amend`, or any prefix git accepts for it). */
export function isAmendArgv(argv: readonly string[]): boolean {
  return commitFlags(argv).amend;
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}

/** Full SHAs named in the lines of a sequencer file (`squash <sha> …`, or one SHA a line). */
function shasIn(file: string): string[] {
  return readLines(file)
    .map((l) => /(?:^|\s)([0-9a-f]{40})(?:\s|$)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

/** HEAD and its parents; empty when HEAD is unborn. */
async function headAndParents(cwd: string, timeoutMs: number): Promise<string[]> {
  try {
    return (await git(['rev-list', '--parents', '-n', '1', 'HEAD', '--'], { cwd, timeoutMs })).trim().split(' ');
  } catch (e) {
    if (e instanceof GitError) return [];
    throw e;
  }
}

export interface OpInput {
  readonly source?: string;
  readonly sha?: string;
  readonly cwd: string;
  readonly timeoutMs: number;
  /** The command line of `git commit`, when known. */
  readonly argv?: readonly string[];
}

/** Tells what the commit being made is: see {@link CommitOp}. */
export async function commitOp(repo: RepoPaths, input: OpInput): Promise<CommitOp> {
  const [head = '', p1 = EMPTY_TREE, p2] = await headAndParents(input.cwd, input.timeoutMs);
  const at = (f: string): string => path.join(repo.gitDir, f);
  const amend = input.argv ? isAmendArgv(input.argv) : input.source === 'commit' && input.sha === 'HEAD';
  const reused = input.source === 'commit' && input.sha && input.sha !== 'HEAD' ? [input.sha] : [];
  if (existsSync(at('rebase-merge'))) {
    const fixups = shasIn(at('rebase-merge/current-fixups'));
    const done = readLines(at('rebase-merge/done')).filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const last = done.length > 0 ? shasIn(at('rebase-merge/done')).slice(-1) : [];
    if (fixups.length > 0) return { kind: 'squash', base: p1, head, sources: [head, ...shasIn(at('rebase-merge/rewritten-pending')), ...fixups, ...last] };
    // The person's own `commit --amend` at an `edit` stop (a reword's amend is the sequencer's).
    if (amend && !(process.env.GIT_REFLOG_ACTION ?? '').startsWith('rebase')) return { kind: 'edit-amend', base: p1, head, sources: [head, ...last] };
  }
  if (amend) return { kind: 'amend', base: p1, head, sources: [head, ...reused], ...(p2 ? { otherParent: p2 } : {}) };
  const merging = readLines(at('MERGE_HEAD'))[0]?.trim();
  if (merging && /^[0-9a-f]{40}$/.test(merging)) return { kind: 'merge', base: head || EMPTY_TREE, head, sources: reused, otherParent: merging };
  const picked = readLines(at('CHERRY_PICK_HEAD'))[0]?.trim();
  const squashed = existsSync(at('rebase-merge')) ? [] : shasIn(at('SQUASH_MSG')).filter((s) => s !== head);
  const sources = [...reused, ...(picked && /^[0-9a-f]{40}$/.test(picked) ? [picked] : []), ...squashed];
  return { kind: 'new', base: head || EMPTY_TREE, head, sources };
}
