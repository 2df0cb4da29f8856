import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { git, GitError } from '../git/git';
import type { RepoPaths } from '../git/git';
import { exists, readIfExists, writeFileAtomic } from '../files';
import { CHAINED_SUFFIX, TEMPLATE_COPY_SUFFIX } from './message';

/** Any version of our marker. */
const MARKER_PREFIX = '# ai-provenance-hook ';
/**
 * The version of our hook scripts; bump it when a script changes shape, and
 * teach {@link hookScript} to still write the earlier shape for its version
 * (uninstall recognizes an unedited hook of any version by writing it again).
 */
export const HOOK_VERSION = 4;
/** The line that marks a hook file as ours. */
export const HOOK_MARKER = `${MARKER_PREFIX}v${HOOK_VERSION}`;

/**
 * The hooks we install: `prepare-commit-msg` writes the trailer before the
 * editor opens; `commit-msg` runs after it and removes the trailer again when
 * it is all that is left, so an empty message still aborts the commit;
 * `post-commit`, `post-rewrite` and `post-merge` store and carry the record
 * (src/node/record/).
 */
export const HOOK_NAMES = ['prepare-commit-msg', 'commit-msg', 'post-commit', 'post-rewrite', 'post-merge'] as const;
/** The opt-in hook that pushes the records along with a push (`install-hook --push-notes`). */
export const PUSH_HOOK = 'pre-push';
export type HookName = (typeof HOOK_NAMES)[number] | typeof PUSH_HOOK;
/** Every hook of ours uninstall looks for. */
const ALL_HOOK_NAMES: readonly HookName[] = [...HOOK_NAMES, PUSH_HOOK];

export interface InstallOptions {
  /** Absolute path of the bundled CLI (`dist/cli.js`). */
  readonly cliPath: string;
  /** A Node runtime: VS Code's own executable (run with `ELECTRON_RUN_AS_NODE=1`) or `node`. */
  readonly runtimePath: string;
  /**
   * Install even when `core.hooksPath` comes from the global or system git
   * configuration, where the hooks would serve every repository that uses it.
   * Only when the person asked for it explicitly.
   */
  readonly sharedHooksPath?: boolean;
  /** Install the `pre-push` hook too (an installed one of ours is kept up to date either way). */
  readonly pushNotes?: boolean;
}

export type HookManager = 'husky' | 'lefthook' | 'pre-commit';

export type InstallResult =
  | {
      readonly status: 'installed';
      /** Hook files written (absolute). */
      readonly hooks: string[];
      /** Previous hooks moved aside and now run first (absolute paths of their new names). */
      readonly chained: string[];
      /** True when our hook was already there and was only rewritten. */
      readonly updated: boolean;
    }
  | {
      /** A hook manager owns the hooks: nothing was written; `instructions` says what to add where. */
      readonly status: 'manual';
      readonly manager: HookManager;
      /** The file to edit (absolute). */
      readonly file: string;
      readonly instructions: string;
    }
  | {
      /** Nothing was written: a foreign hook sits where ours was, and its predecessor is already chained. */
      readonly status: 'conflict';
      readonly message: string;
      /**
       * Set when the conflict is only that `core.hooksPath` comes from the
       * global or system configuration: installing with `sharedHooksPath`
       * would write there, for every repository that uses it.
       */
      readonly sharedScope?: string;
    };

export interface UninstallResult {
  /** Our hook files removed. */
  readonly removed: string[];
  /** Chained hooks moved back to their own names. */
  readonly restored: string[];
  /**
   * Our hooks that were edited after we wrote them: kept as they are (with
   * any chained hook left beside them), and what the person must do.
   */
  readonly kept: Array<{ readonly file: string; readonly message: string }>;
}

/** Quotes a string for POSIX sh: single quotes, embedded single quotes as `'\''`. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The shell command a hook manager should run, with `args` appended unquoted (`"$@"`, `{0}`). */
export function hookCommand(opts: InstallOptions, sub: string, args: string): string {
  return `ELECTRON_RUN_AS_NODE=1 ${shQuote(opts.runtimePath)} ${shQuote(opts.cliPath)} ${sub} ${args} || true`;
}

/** Set (to anything) to run post-commit in the foreground: the commit then waits for its record. */
export const FOREGROUND_ENV = 'AI_PROVENANCE_HOOK_FOREGROUND';

/**
 * post-commit's fast path: for a plain commit (no rebase, cherry-pick, revert
 * or sequencer in progress) whose record prepare-commit-msg left, the record
 * is claimed for this commit (the file renamed after its SHA, see
 * src/node/record/commitRecord.ts) and stored by a background process, so
 * `git commit` does not wait for Node to start. Readers of that commit's
 * record wait for the claim to go. Its errors go to post-commit.log.
 */
const POST_COMMIT_IN_BACKGROUND = [
  '',
  '# A plain commit: its record is stored in the background (see docs/notes.md).',
  `if [ -z "$${FOREGROUND_ENV}" ]; then`,
  '	ai_provenance_head=$(git rev-parse -q --verify HEAD 2>/dev/null)',
  '	ai_provenance_paths=$(git rev-parse --path-format=absolute --git-path ai-provenance --absolute-git-dir 2>/dev/null)',
  '	ai_provenance_dir=$(printf \'%s\\n\' "$ai_provenance_paths" | sed -n 1p)',
  '	ai_provenance_git=$(printf \'%s\\n\' "$ai_provenance_paths" | sed -n 2p)',
  '	ai_provenance_run=',
  '	if [ -x "$ai_provenance_runtime" ]; then ai_provenance_run=$ai_provenance_runtime; elif command -v node >/dev/null 2>&1; then ai_provenance_run=node; fi',
  '	if [ -n "$ai_provenance_head" ] && [ -n "$ai_provenance_run" ] && [ -n "$ai_provenance_git" ] && [ -f "$ai_provenance_dir/pending-record.json" ] \\',
  '		&& [ ! -e "$ai_provenance_git/rebase-merge" ] && [ ! -e "$ai_provenance_git/rebase-apply" ] && [ ! -e "$ai_provenance_git/sequencer" ] \\',
  '		&& [ ! -e "$ai_provenance_git/CHERRY_PICK_HEAD" ] && [ ! -e "$ai_provenance_git/REVERT_HEAD" ] \\',
  '		&& mv -f "$ai_provenance_dir/pending-record.json" "$ai_provenance_dir/post-commit-$ai_provenance_head.json" 2>/dev/null; then',
  '		(ELECTRON_RUN_AS_NODE=1 "$ai_provenance_run" "$ai_provenance_cli" post-commit --claimed "$ai_provenance_head" </dev/null >/dev/null 2>>"$ai_provenance_dir/post-commit.log" &)',
  '		exit 0',
  '	fi',
  'fi',
];

/** The commit-msg guard's opening comment; v1 did not know templates yet. */
function commitMsgComment(version: number): string[] {
  return version === 1
    ? ['# Installed by the AI Provenance extension. When a commit message is empty but', "# for AI Provenance's own trailer, removes it so git still aborts the commit."]
    : [
        '# Installed by the AI Provenance extension. When a commit message is empty, or',
        "# an unedited template, but for AI Provenance's own trailer, removes it so git",
        '# still aborts the commit.',
      ];
}

/** The commit-msg guard's fast path. */
function commitMsgFastPath(version: number): string[] {
  const sed = "sed -e '/^# -* >8 -*$/,$d' -e '/^#/d' -e '/^[Aa][Ii]-[Pp][Rr][Oo][Vv][Ee][Nn][Aa][Nn][Cc][Ee][ \t]*:/d' \\";
  return [
    '',
    ...(version === 1
      ? ['# Fast path: the message has text of its own, so there is nothing to guard.', `if ${sed}`]
      : ['# Fast path: the message has text of its own and did not start as a template,', '# so there is nothing to guard.', `if [ ! -f "$1${TEMPLATE_COPY_SUFFIX}" ] && ${sed}`]),
    "\t-e '/^[Aa][Ss][Ss][Ii][Ss][Tt][Ee][Dd]-[Bb][Yy][ \t]*:/d' -e '/^[Ss][Ii][Gg][Nn][Ee][Dd]-[Oo][Ff][Ff]-[Bb][Yy][ \t]*:/d' \\",
    '\t"$1" 2>/dev/null | grep -q \'[^[:space:]]\'; then',
    '\texit 0',
    'fi',
  ];
}

/**
 * The hook script. POSIX sh; never fails the commit on our account: a chained
 * hook's failure is still that hook's decision, everything of ours ends in
 * `exit 0`. `version`: the script as that version of ours wrote it, byte for
 * byte (v1: the guard before templates; v2 and v3: post-commit in the
 * foreground).
 */
export function hookScript(name: HookName, opts: InstallOptions, version = HOOK_VERSION): string {
  const lines = [
    '#!/bin/sh',
    `${MARKER_PREFIX}v${version}`,
    ...(name === 'commit-msg'
      ? commitMsgComment(version)
      : name === 'prepare-commit-msg'
        ? ['# Installed by the AI Provenance extension. It adds an AI-Provenance trailer', '# with line counts only (no code, no file names) to commit messages.']
        : name === PUSH_HOOK
          ? ['# Installed by the AI Provenance extension (asked for). It pushes the records', '# (refs/notes/ai-provenance) along with a push; it never fails or holds up the push.']
          : ['# Installed by the AI Provenance extension. It stores and carries the line-level', '# record of each commit (a git note on refs/notes/ai-provenance).']),
    '# Remove it with the "AI Provenance: Uninstall Commit Hook" command or',
    '# `ai-provenance uninstall-hook`; a hook that was here before is restored.',
    `ai_provenance_cli=${shQuote(opts.cliPath)}`,
    `ai_provenance_runtime=${shQuote(opts.runtimePath)}`,
    '',
    '# A hook that was here before runs first, with the same arguments.',
    `ai_provenance_chained="$0${CHAINED_SUFFIX}"`,
    ...(name === 'post-rewrite' || name === PUSH_HOOK
      ? [`# Both read ${name === PUSH_HOOK ? 'the refs being pushed' : 'the rewritten commits'} on standard input: keep it.`, 'ai_provenance_stdin=$(cat)', 'if [ -x "$ai_provenance_chained" ]; then', '\tprintf \'%s\\n\' "$ai_provenance_stdin" | "$ai_provenance_chained" "$@" || exit $?']
      : ['if [ -x "$ai_provenance_chained" ]; then', '\t"$ai_provenance_chained" "$@" || exit $?']),
    'fi',
    '',
    '# The extension was moved or uninstalled: do nothing.',
    '[ -f "$ai_provenance_cli" ] || exit 0',
  ];
  if (name === 'commit-msg') lines.push(...commitMsgFastPath(version));
  if (name === 'post-commit' && version >= 4) lines.push(...POST_COMMIT_IN_BACKGROUND);
  const sub = name === 'prepare-commit-msg' ? 'hook' : name;
  const stdin = name === 'post-rewrite' || name === PUSH_HOOK;
  const input = stdin ? `printf '%s\\n' "$ai_provenance_stdin" | ` : '';
  const redirect = stdin ? '' : ' </dev/null';
  lines.push(
    '',
    'if [ -x "$ai_provenance_runtime" ]; then',
    `\t${input}ELECTRON_RUN_AS_NODE=1 "$ai_provenance_runtime" "$ai_provenance_cli" ${sub} "$@"${redirect} || true`,
    'elif command -v node >/dev/null 2>&1; then',
    `\t${input}node "$ai_provenance_cli" ${sub} "$@"${redirect} || true`,
    'fi',
    'exit 0',
    '',
  );
  return lines.join('\n');
}


/** Whether a hook file's text is one of ours, of any version. */
export function isOurHook(text: string | undefined): boolean {
  return text !== undefined && text.split('\n').some((l) => l.startsWith(MARKER_PREFIX));
}

const LEFTHOOK_FILES = ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml', 'lefthook.json', '.lefthook.json', 'lefthook.toml', '.lefthook.toml'];
const PRE_COMMIT_FILES = ['.pre-commit-config.yaml', '.pre-commit-config.yml'];

/**
 * Each hook we use, with the arguments a hook manager must pass on: husky
 * runs the lines in a shell script (`"$@"`), lefthook substitutes `{1}`…,
 * `use_stdin` for the hooks that read standard input.
 */
const MANAGED: ReadonlyArray<{ hook: HookName; sub: string; husky: string; lefthook: string; stdin?: true }> = [
  { hook: 'prepare-commit-msg', sub: 'hook', husky: '"$@"', lefthook: '{0}' },
  { hook: 'commit-msg', sub: 'commit-msg', husky: '"$1"', lefthook: '{1}' },
  { hook: 'post-commit', sub: 'post-commit', husky: '', lefthook: '' },
  { hook: 'post-rewrite', sub: 'post-rewrite', husky: '"$1"', lefthook: '{1}', stdin: true },
  { hook: 'post-merge', sub: 'post-merge', husky: '"$1"', lefthook: '{1}' },
  { hook: PUSH_HOOK, sub: 'pre-push', husky: '"$1" "$2"', lefthook: '{1} {2}', stdin: true },
];

const OPTIONAL_PUSH = `(${PUSH_HOOK} only to push the records along with each push: see docs/notes.md, "Sharing")`;

function huskyInstructions(huskyDir: string, opts: InstallOptions): string {
  return (
    "husky manages this repository's git hooks, so AI Provenance did not write any. Add each line to the file named (create it if needed):\n" +
    MANAGED.map((m) => `${path.join(huskyDir, m.hook)}:\n  ${hookCommand(opts, m.sub, m.husky)}`).join('\n') +
    `\n${OPTIONAL_PUSH}`
  );
}

function lefthookInstructions(file: string, opts: InstallOptions): string {
  const blocks = MANAGED.map(
    (m) => `${m.hook}:\n  commands:\n    ai-provenance:\n      run: ${hookCommand(opts, m.sub, m.lefthook)}${m.stdin ? '\n      use_stdin: true' : ''}`,
  );
  return `lefthook manages this repository's git hooks, so AI Provenance did not write any. Add to ${file}:\n${blocks.join('\n')}\n${OPTIONAL_PUSH}\nthen run \`lefthook install\`.`;
}

function preCommitInstructions(file: string, hooksDir: string, opts: InstallOptions): string {
  const run = (sub: string): string => `${shQuote(opts.runtimePath)} ${shQuote(opts.cliPath)} ${sub}`;
  const entry = (id: string, stage: string, command: string, files: boolean): string =>
    `    - id: ${id}\n      name: AI Provenance ${stage}\n      entry: env ELECTRON_RUN_AS_NODE=1 ${command}\n      language: system\n      stages: [${stage}]\n      always_run: true${files ? '' : '\n      pass_filenames: false'}\n`;
  const sh = (script: string): string => `sh -c ${shQuote(`ELECTRON_RUN_AS_NODE=1 ${script} || true`)}`;
  return (
    `pre-commit manages this repository's git hooks, so AI Provenance did not write any. Add to ${file}:\n` +
    '- repo: local\n  hooks:\n' +
    entry('ai-provenance', 'prepare-commit-msg', run('hook'), true) +
    entry('ai-provenance-guard', 'commit-msg', run('commit-msg'), true) +
    entry('ai-provenance-record', 'post-commit', run('post-commit'), false) +
    entry('ai-provenance-merge', 'post-merge', sh(`${run('post-merge')} "$PRE_COMMIT_IS_SQUASH_MERGE"`), false) +
    entry('ai-provenance-push', 'pre-push', sh(`${run('pre-push')} "$PRE_COMMIT_REMOTE_NAME" "$PRE_COMMIT_REMOTE_URL" </dev/null`), false) +
    'then run `pre-commit install --hook-type prepare-commit-msg --hook-type commit-msg --hook-type post-commit --hook-type post-merge` ' +
    `(add --hook-type pre-push only to push the records along with each push). pre-commit does not pass git's list of rewritten commits to its hooks, so write ${path.join(hooksDir, 'post-rewrite')} yourself (pre-commit leaves it alone):\n` +
    `  #!/bin/sh\n  ${hookCommand(opts, 'post-rewrite', '"$1"')}`
  );
}

/** A hook manager that owns the repository's hooks, and what to tell the person. */
export function detectHookManager(repo: RepoPaths, opts: InstallOptions): Extract<InstallResult, { status: 'manual' }> | undefined {
  // Only a `.husky` inside the work tree: a repository that merely lives under a folder of that name is not husky's.
  const inside = path.relative(repo.root, path.resolve(repo.hooksDir));
  const segments = inside.startsWith('..') || path.isAbsolute(inside) ? [] : inside.split(/[\\/]/);
  const huskyAt = segments.lastIndexOf('.husky');
  if (huskyAt >= 0) {
    // husky 9 points core.hooksPath at `.husky/_` and runs `.husky/<hook>`; older
    // versions point at `.husky` itself. Either way the person's scripts live in `.husky/`.
    const huskyDir = path.join(repo.root, ...segments.slice(0, huskyAt + 1));
    return { status: 'manual', manager: 'husky', file: path.join(huskyDir, 'prepare-commit-msg'), instructions: huskyInstructions(huskyDir, opts) };
  }
  const lefthook = LEFTHOOK_FILES.map((f) => path.join(repo.root, f)).find((f) => existsSync(f));
  if (lefthook) return { status: 'manual', manager: 'lefthook', file: lefthook, instructions: lefthookInstructions(lefthook, opts) };
  const preCommit = PRE_COMMIT_FILES.map((f) => path.join(repo.root, f)).find((f) => existsSync(f));
  if (preCommit) return { status: 'manual', manager: 'pre-commit', file: preCommit, instructions: preCommitInstructions(preCommit, repo.hooksDir, opts) };
  return undefined;
}

/**
 * When `core.hooksPath` is set outside this repository (`global`, `system`),
 * hooks written there serve every repository: says so, or `undefined` when
 * the hooks are this repository's own.
 */
async function sharedHooksPath(repo: RepoPaths): Promise<{ scope: string; message: string } | undefined> {
  let out: string;
  try {
    out = await git(['config', '--show-scope', '--get', 'core.hooksPath'], { cwd: repo.root, timeoutMs: 10_000 });
  } catch (e) {
    // Exit code 1: not set, so the hooks live in this repository's git directory.
    if (e instanceof GitError && e.exitCode === 1) return undefined;
    throw e;
  }
  const scope = out.slice(0, out.indexOf('\t'));
  if (scope === 'local' || scope === 'worktree') return undefined;
  return {
    scope,
    message:
      `core.hooksPath is set in your ${scope} git configuration, so hooks installed in ${repo.hooksDir} would run for every repository that uses it, not only this one. ` +
      'Nothing was written. To install there anyway, run install-hook --shared-hooks-path; to install for this repository only, set core.hooksPath in its own configuration.',
  };
}

/** The hooks to write: the commit hooks, and `pre-push` when asked for or already ours. */
async function hooksToInstall(repo: RepoPaths, opts: InstallOptions): Promise<HookName[]> {
  const push = opts.pushNotes === true || isOurHook(await readIfExists(path.join(repo.hooksDir, PUSH_HOOK), 'utf8'));
  return push ? [...HOOK_NAMES, PUSH_HOOK] : [...HOOK_NAMES];
}

/**
 * Installs our hooks into `repo.hooksDir` (which honours `core.hooksPath` and
 * worktrees). A previous hook is moved to `<name>.ai-provenance-chained` and
 * run first; our own hook is rewritten in place, unless the person edited
 * it (then nothing is written and the result says so). When a hook manager owns the
 * hooks nothing is written and the result says what to add where.
 */
export async function installHook(repo: RepoPaths, opts: InstallOptions): Promise<InstallResult> {
  const manual = detectHookManager(repo, opts);
  if (manual) return manual;
  const shared = opts.sharedHooksPath ? undefined : await sharedHooksPath(repo);
  if (shared) return { status: 'conflict', message: shared.message, sharedScope: shared.scope };
  await fs.mkdir(repo.hooksDir, { recursive: true });

  // Check every hook before touching any, so a conflict leaves nothing half done.
  const names = await hooksToInstall(repo, opts);
  const plan: Array<{ file: string; chained: string; text: string | undefined; moveAside: boolean }> = [];
  for (const name of names) {
    const file = path.join(repo.hooksDir, name);
    const chained = file + CHAINED_SUFFIX;
    const text = await readIfExists(file, 'utf8');
    const present = text !== undefined || (await exists(file));
    const moveAside = present && !isOurHook(text);
    if (text !== undefined && isOurHook(text) && !isUneditedHook(name, text)) {
      return {
        status: 'conflict',
        message:
          `${file} was changed after AI Provenance installed it; installing again would lose those changes, so nothing was written. ` +
          `Move your own lines into ${chained} (it runs first), or remove the file, then install again.`,
      };
    }
    if (moveAside && (await exists(chained))) {
      return {
        status: 'conflict',
        message: `${file} is not AI Provenance's hook, and ${chained} already holds an earlier hook. Merge them by hand, then install again.`,
      };
    }
    plan.push({ file, chained, text, moveAside });
  }

  const hooks: string[] = [];
  const chainedOut: string[] = [];
  let updated = true;
  for (const name of names) {
    const step = plan.shift();
    if (!step) break;
    if (!isOurHook(step.text)) updated = false;
    if (step.moveAside) {
      await fs.rename(step.file, step.chained);
      chainedOut.push(step.chained);
    }
    await writeFileAtomic(step.file, hookScript(name, opts), 0o755);
    hooks.push(step.file);
  }
  return { status: 'installed', hooks, chained: chainedOut, updated };
}

/** A shell word as {@link shQuote} wrote it, or `undefined`. */
function shUnquote(word: string): string | undefined {
  const m = /^'((?:[^']|'\\'')*)'$/.exec(word);
  return m ? m[1].replace(/'\\''/g, "'") : undefined;
}

/**
 * Whether `text` is exactly the hook script we wrote, byte for byte, this
 * version or an earlier one (its marker says which): nobody edited it.
 */
export function isUneditedHook(name: HookName, text: string): boolean {
  const value = (key: string): string | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${key}=`));
    return line === undefined ? undefined : shUnquote(line.slice(key.length + 1));
  };
  const cliPath = value('ai_provenance_cli');
  const runtimePath = value('ai_provenance_runtime');
  const version = Number(/^# ai-provenance-hook v([1-9]\d*)$/m.exec(text)?.[1]);
  if (cliPath === undefined || runtimePath === undefined || !(version >= 1 && version <= HOOK_VERSION)) return false;
  return text === hookScript(name, { cliPath, runtimePath }, version);
}

function keptMessage(file: string, chained: string, hasChained: boolean): string {
  return (
    `${file} was changed after AI Provenance installed it, so it was kept as it is. ` +
    'Remove the AI Provenance lines from it yourself (or the file, if nothing in it is yours)' +
    (hasChained ? `; the hook that was there before is still in ${chained}: move it back when you are done.` : '.')
  );
}

/**
 * Removes our hooks and moves chained hooks back. Only a hook that is
 * byte for byte what we wrote is removed: one the person edited since is
 * kept, with its chained hook beside it, and the result says what to do.
 * Foreign hooks are left alone.
 */
export async function uninstallHook(repo: RepoPaths): Promise<UninstallResult> {
  const removed: string[] = [];
  const restored: string[] = [];
  const kept: Array<{ file: string; message: string }> = [];
  for (const name of ALL_HOOK_NAMES) {
    const file = path.join(repo.hooksDir, name);
    const chained = file + CHAINED_SUFFIX;
    const text = await readIfExists(file, 'utf8');
    if (text === undefined || !isOurHook(text)) continue;
    if (!isUneditedHook(name, text)) {
      kept.push({ file, message: keptMessage(file, chained, await exists(chained)) });
      continue;
    }
    await fs.rm(file, { force: true });
    removed.push(file);
    if (await exists(chained)) {
      await fs.rename(chained, file);
      restored.push(file);
    }
  }
  return { removed, restored, kept };
}
