import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findRepo, git, GitError } from '../git/git';
import { awaitEditorSaves, readHookSettingsSync } from '../git/ledgerStore';
import type { RepoPaths } from '../git/git';
import { ASSISTED_BY_KEY, formatTrailerValue, TRAILER_KEY } from '../../core/trailer';
import { CHAINED_SUFFIX, hasNoContent, hasProvenanceTrailer, HOOK_ADDED_KEYS, insertTrailers, openTrailerBlock, TEMPLATE_COPY_SUFFIX, untouchedTemplate, utf8Bytes, withoutLoneTrailers, withoutOurTrailers } from './message';
import { exists, readIfExists, readRegularFile, writeFileAtomic } from '../files';
import { describeError } from '../errors';
import { LOG_PREFIX } from '../log';
import { BudgetExceeded, EMPTY_TREE, readStagedEntries } from './staged';
import { isOurHook } from './install';
import type { RawEntry } from './staged';
import type { CommitRecord } from '../../core/record';
import { recordCounts } from '../../core/record';
import { prepareCommitRecord, prepareReplay } from '../record/commitRecord';
import { commitArgv, commitFlags, commitOp } from '../record/operation';
import { COMMIT_DRAIN_MS, drainAgentSpool } from '../agents/spool';
import type { CommitFlags } from '../record/operation';
import type { CommitOp } from '../record/operation';

/** Everything the hook may take, end to end, before it gives up and leaves the message alone. */
export const HOOK_BUDGET_MS = 4_500;
/** The longest the hook waits for the editor to write the ledger of a file it has just saved. */
export const SAVE_WAIT_MS = 2_000;

export interface HookArgs {
  /** The message file git passes (`.git/COMMIT_EDITMSG`, `.git/MERGE_MSG`, …). */
  readonly msgFile: string;
  /** `message`, `template`, `merge`, `squash` or `commit`; absent when git opens an editor on an empty message. */
  readonly source?: string;
  /** With source `commit`: the commit whose message is reused (`HEAD` for `--amend`). */
  readonly sha?: string;
  readonly cwd: string;
  /** Where the one line of trouble goes; stderr by default. */
  readonly log?: (line: string) => void;
  readonly budgetMs?: number;
  /** Called once, just before the message is written (the hook CLI's watchdog stands down then). */
  readonly beforeWrite?: () => void;
}

/** What the hook did, for tests and the CLI; the message file is the real output. */
export interface HookOutcome {
  readonly changed: boolean;
  /** Why nothing was written, when nothing was. */
  readonly skipped?: 'merge' | 'sequencer' | 'no-repo' | 'error' | 'timeout' | 'disabled' | 'empty';
  readonly value?: string;
  /** The trailer was offered as comment lines only (`--no-verify` with the editor). */
  readonly commented?: boolean;
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * The `prepare-commit-msg` logic: counts the staged lines by origin and adds
 * or replaces the `AI-Provenance` trailer. Never throws and never fails the
 * commit: on any error the message is left as it was and one line goes to
 * stderr.
 */
export async function runHook(args: HookArgs): Promise<HookOutcome> {
  const log = args.log ?? stderrLine;
  // A merge `git merge` commits by itself keeps git's message; its record
  // (the lines neither parent had) is written by post-merge.
  if (args.source === 'merge' && (process.env.GIT_REFLOG_ACTION ?? '').startsWith('merge')) return { changed: false, skipped: 'merge' };
  const deadline = new Deadline(args.budgetMs ?? HOOK_BUDGET_MS, args.beforeWrite);
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<HookOutcome>((resolve) => {
    // Ends a run that waits (on git, on I/O); a message already being written is let finish.
    timer = setTimeout(() => {
      if (!deadline.writing) resolve({ changed: false, skipped: 'timeout' });
    }, Math.max(0, deadline.at - Date.now()));
    timer.unref();
  });
  try {
    const outcome = await Promise.race([addTrailer(args, deadline), budget]);
    if (outcome.skipped === 'timeout') log(`${LOG_PREFIX} took too long; commit message left unchanged`);
    return outcome;
  } catch (e) {
    if (e instanceof BudgetExceeded) {
      log(`${LOG_PREFIX} took too long; commit message left unchanged`);
      return { changed: false, skipped: 'timeout' };
    }
    log(`${LOG_PREFIX} ${describeError(e)}; commit message left unchanged`);
    return { changed: false, skipped: 'error' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The hook's budget, by the clock: a timer cannot fire while the main thread
 * is busy counting, so every decision reads the clock instead.
 */
class Deadline {
  readonly at: number;
  /** Set once the message is being written: from then on the run finishes, so stderr never calls a changed message unchanged. */
  writing = false;
  constructor(
    budgetMs: number,
    private readonly beforeWrite?: () => void,
  ) {
    this.at = Date.now() + budgetMs;
  }

  /** Claims the right to write the message; `false` once the budget is spent. */
  claim(): boolean {
    if (Date.now() >= this.at) return false;
    this.writing = true;
    this.beforeWrite?.();
    return true;
  }
}

async function addTrailer(args: HookArgs, deadline: Deadline): Promise<HookOutcome> {
  const timeoutMs = HOOK_BUDGET_MS;
  const templateCopy = args.msgFile + TEMPLATE_COPY_SUFFIX;
  // Everything that does not depend on something else starts at once: every
  // millisecond here is added to each commit. The staged diff needs only a
  // directory inside the work tree (git runs hooks at its root), not the
  // repository's paths, so it runs beside findRepo instead of after it.
  // It is spawned first: everything after waits for it.
  const argv = commitArgv();
  const flags = argv ? commitFlags(argv) : undefined;
  const amend = flags ? flags.amend : args.source === 'commit' && args.sha === 'HEAD';
  const staged = settle(amend ? amendBase(args, timeoutMs).then((base) => readStagedEntries(args.cwd, { base, timeoutMs })) : readStagedEntries(args.cwd, { timeoutMs }));
  // An agent's calls the launcher spooled become ledger records first, so a commit right after an agent's edit counts it.
  const drained = drainAgentSpool(process.env, COMMIT_DRAIN_MS, true);
  const [repo, config, original] = await Promise.all([
    findRepo(args.cwd),
    readMessageConfig(args.cwd),
    readMessage(args.msgFile),
    // A copy left by a commit that was aborted in the editor must not judge this one.
    args.source === 'template' ? undefined : fs.rm(templateCopy, { force: true }),
  ]);
  if (!repo) throw new Error(`not inside a git work tree: ${args.cwd}`);
  const cc = commentCharOf(config, original);
  // git aborts a commit whose template was left unedited, but only if the
  // message still is the template: keep a copy, so the commit-msg guard can
  // take our trailer out again in that case. With a comment character other
  // than `#` the guard's shell fast path cannot tell comments from text, so
  // an empty message gets the copy too: the copy makes the guard run.
  // The same when another commit-msg hook runs before the guard (Gerrit adds a Change-Id to what it sees).
  const forceGuard = config.commentChar !== '' || existsSync(path.join(repo.hooksDir, `commit-msg${CHAINED_SUFFIX}`));
  if (args.source === 'template' || (forceGuard && hasNoContent(original, cc))) await fs.writeFile(templateCopy, original, 'latin1');
  // git will abort this commit for its empty message: no record to build.
  if (await abortsEmpty(args, flags, original, cc, config, repo)) return { changed: false, skipped: 'empty' };

  // A file the editor saved a moment ago may not have its ledger yet: wait for it, beside the drain.
  const saved = staged.then((s) => (s.ok ? awaitEditorSaves(repo.ledgerDir, s.value.map((e) => e.path), Math.min(Date.now() + SAVE_WAIT_MS, deadline.at - SAVE_WAIT_MS)) : 0));
  const op = await commitOp(repo, { source: args.source, sha: args.sha, cwd: repo.root, timeoutMs, argv });
  await Promise.all([drained, saved]);
  const record = await recordOrReplay(repo, op, hasProvenanceTrailer(original, cc), amend ? staged : undefined, amend ? undefined : staged, deadline.at);
  if (!record) return { changed: false, skipped: 'sequencer' };
  // A message given whole (-m '', -F of an empty file) that has no text of its
  // own: git will not ask the person again, and with --no-verify the guard
  // would not run either, so a trailer would become the whole message.
  if (args.source === 'message' && hasNoContent(original, cc)) return { changed: false, skipped: 'empty' };

  // provenance.trailer.* as the extension left them beside the ledger.
  const settings = readHookSettingsSync(repo.ledgerDir);
  if (!settings.trailer) return { changed: false, skipped: 'disabled' };
  const total = recordCounts(record);
  if (!settings.whenNoAi && total.ai + total.mixed === 0) return { changed: false, skipped: 'disabled' };
  const value = formatTrailerValue(total);

  if (unguardedEditor(args, flags, original, cc)) return offerInComment(args.msgFile, original, cc, value, [...total.tools].sort(), stripsComments(flags, config), deadline);
  if (!deadline.claim()) return { changed: false, skipped: 'timeout' };
  // A squash's message holds each squashed commit's trailer: one, the record's, is left.
  const message = op.kind === 'squash' ? withoutOurTrailers(original, cc) : original;
  if (message !== original) await writeFileAtomic(args.msgFile, Buffer.from(message, 'latin1'));
  await writeTrailer(args.msgFile, message, cc, value, [...total.tools].sort());
  return { changed: true, value };
}

/**
 * Whether git will abort the commit for an empty message whatever happens
 * next, so the record would be built for nothing: a message given whole
 * (`-m ''`, `-F` of an empty file) with no text once git cleans it up, from
 * a `git commit` whose arguments we know, without `--allow-empty-message`,
 * and no commit-msg hook that could still add text (none, or our guard with
 * nothing chained before it, or `--no-verify`). Anything less certain builds
 * the record as before.
 */
async function abortsEmpty(args: HookArgs, flags: CommitFlags | undefined, original: string, cc: string, config: MessageConfig, repo: RepoPaths): Promise<boolean> {
  if (args.source !== 'message' || !flags || flags.allowEmptyMessage) return false;
  if (original.trim() !== '' && !(stripsComments(flags, config) && hasNoContent(original, cc))) return false;
  if (flags.noVerify) return true;
  const guard = path.join(repo.hooksDir, 'commit-msg');
  if (!(await exists(guard))) return true;
  const text = await readRegularFile(guard);
  return text !== undefined && isOurHook(text.toString('utf8')) && !(await exists(guard + CHAINED_SUFFIX));
}

/**
 * Whether git will open the editor on a message with no text of its own (or
 * on a template) and then skip the commit-msg guard (`--no-verify`): a
 * trailer written now would stay even if the person leaves the message empty.
 */
function unguardedEditor(args: HookArgs, flags: CommitFlags | undefined, original: string, cc: string): boolean {
  if (!flags?.noVerify) return false;
  return args.source === 'template' || (args.source === undefined && hasNoContent(original, cc));
}

/**
 * Whether git will strip comment lines from the message the editor leaves
 * (`--cleanup`, else `commit.cleanup`; the default strips). `scissors` does
 * not: it keeps comments above the scissors line.
 */
function stripsComments(flags: CommitFlags | undefined, config: MessageConfig): boolean {
  const mode = flags?.cleanup ?? config.cleanup;
  return mode === '' || mode === 'default' || mode === 'strip';
}

/**
 * With `--no-verify` and the editor, the trailer goes in as comment lines,
 * with a word on how to keep it: git strips them, so a message left empty
 * still aborts and a written one is committed as written, exactly as without
 * the hook. Where git keeps comments (`--cleanup=whitespace|verbatim|scissors`),
 * nothing is written at all.
 */
async function offerInComment(msgFile: string, original: string, cc: string, value: string, tools: readonly string[], strips: boolean, deadline: Deadline): Promise<HookOutcome> {
  if (!strips) return { changed: false, skipped: 'empty' };
  if (!deadline.claim()) return { changed: false, skipped: 'timeout' };
  const lines = [
    'AI Provenance: git commit --no-verify skips the hook that takes the trailer',
    'below out of a message left empty, so here it is only a comment. To keep',
    `it, remove the "${cc} " in front of its line${tools.length > 0 ? 's' : ''}.`,
    `${TRAILER_KEY}: ${value}`,
    ...tools.map((t) => `${ASSISTED_BY_KEY}: ${utf8Bytes(t)}`),
  ];
  await writeFileAtomic(msgFile, Buffer.from(openTrailerBlock(original, lines.map((l) => `${cc} ${l}`)), 'latin1'));
  return { changed: true, value, commented: true };
}

/**
 * The record of the commit being made (src/node/record/), left for
 * post-commit; `undefined` for a replayed commit that keeps its trailer. A
 * rebase, cherry-pick or revert replays commits whose trailer was written
 * when they were made, from the ledger of that time; recounting now, with a
 * ledger that describes today's work tree, would only lose information. A
 * squash, or an amend at an `edit` stop, is recounted from the records it is
 * made of. The diff started early (against HEAD's parent for an amend,
 * against HEAD otherwise) is used when it compared with the right commit.
 */
async function recordOrReplay(
  repo: RepoPaths,
  op: CommitOp,
  hasTrailer: boolean,
  amendDiff: Promise<Settled<RawEntry[]>> | undefined,
  headDiff: Promise<Settled<RawEntry[]>> | undefined,
  deadline: number,
): Promise<CommitRecord | undefined> {
  if (sequencerInProgress(repo) && hasTrailer && op.kind !== 'squash' && op.kind !== 'edit-amend') {
    await prepareReplay(repo, op);
    return undefined;
  }
  const early = op.kind === 'new' || op.kind === 'merge' ? headDiff : amendDiff;
  return prepareCommitRecord(repo, op, early ? unwrap(await early) : undefined, HOOK_BUDGET_MS, deadline);
}

/** Writes our trailer lines into the message, the rest of it left as it is. */
async function writeTrailer(msgFile: string, original: string, cc: string, value: string, tools: readonly string[]): Promise<void> {
  if (hasNoContent(original, cc)) {
    // The editor template (or nothing at all): nothing to replace, and
    // interpret-trailers would glue the trailer to the subject line to come.
    const lines = [`${TRAILER_KEY}: ${value}`, ...tools.map((t) => `${ASSISTED_BY_KEY}: ${t}`)];
    // The message is bytes (held as latin1); our lines go in as UTF-8 bytes, never cut down to latin1.
    await writeFileAtomic(msgFile, Buffer.from(openTrailerBlock(original, lines.map(utf8Bytes)), 'latin1'));
    return;
  }
  await writeFileAtomic(msgFile, Buffer.from(insertTrailers(original, cc, value, tools.map(utf8Bytes)), 'latin1'));
}

/**
 * The `commit-msg` guard: runs after the editor closed. When the person left
 * the message empty and only our trailer remains, removes it, so git still
 * aborts the commit for an empty message (or, with `--allow-empty-message`,
 * records an empty one, as it would have without us). Likewise when the
 * message is still the unedited commit template, so git still aborts with
 * "you did not edit the message".
 */
export async function runCommitMsgGuard(args: { msgFile: string; cwd: string; log?: (line: string) => void; beforeWrite?: () => void }): Promise<boolean> {
  const log = args.log ?? stderrLine;
  try {
    const templateCopy = args.msgFile + TEMPLATE_COPY_SUFFIX;
    const [config, msg, template] = await Promise.all([readMessageConfig(args.cwd), readMessage(args.msgFile), readIfExists(templateCopy, 'latin1')]);
    if (template !== undefined) await fs.rm(templateCopy, { force: true });
    const cc = commentCharOf(config, msg);
    // A message that started empty: any Change-Id in it came from a hook, not from the person.
    let stripped = withoutLoneTrailers(msg, cc, template !== undefined && hasNoContent(template, cc) ? HOOK_ADDED_KEYS : []);
    if (stripped === undefined && template !== undefined) stripped = untouchedTemplate(msg, template, cc);
    if (stripped === undefined) return false;
    args.beforeWrite?.();
    await writeFileAtomic(args.msgFile, Buffer.from(stripped, 'latin1'));
    return true;
  } catch (e) {
    log(`${LOG_PREFIX} ${describeError(e)}`);
    return false;
  }
}

/** The message file as bytes (held as latin1); only a regular file is read, so nothing at that path can make the hook wait. */
async function readMessage(file: string): Promise<string> {
  const bytes = await readRegularFile(file);
  if (bytes === undefined) throw new Error((await exists(file)) ? `${file} is not a regular file` : `ENOENT: no such file: ${file}`);
  return bytes.toString('latin1');
}

interface MessageConfig {
  /** `core.commentChar` as set: `''` when unset, `auto`, or the character. */
  readonly commentChar: string;
  /** `commit.cleanup` as set: `''` when unset. */
  readonly cleanup: string;
}

/** git's candidates for `core.commentChar=auto`, in the order it tries them. */
const AUTO_COMMENT_CHARS = '#;@!$%^&|:';

/**
 * The comment character of `msg`: `#` when unset; for `auto`, the first of
 * git's candidates that starts git's own comment block (several lines that
 * are the character alone or the character and a space).
 */
export function commentCharOf(config: MessageConfig, msg: string): string {
  if (config.commentChar === '') return '#';
  if (config.commentChar !== 'auto') return config.commentChar[0];
  const lines = msg.split('\n');
  for (const c of AUTO_COMMENT_CHARS) if (lines.filter((l) => l === c || l.startsWith(`${c} `)).length >= 2) return c;
  return '#';
}

/** `core.commentChar` and `commit.cleanup`, in one git process (the last value of each wins, as for git). */
async function readMessageConfig(cwd: string): Promise<MessageConfig> {
  let out = '';
  try {
    out = await git(['config', '--get-regexp', '^(core\\.commentchar|commit\\.cleanup)$'], { cwd, timeoutMs: HOOK_BUDGET_MS });
  } catch (e) {
    // Exit code 1: neither key is set.
    if (!(e instanceof GitError && e.exitCode === 1)) throw e;
  }
  const config = { commentChar: '', cleanup: '' };
  for (const line of out.split('\n')) {
    const sp = line.indexOf(' ');
    const key = sp < 0 ? line : line.slice(0, sp);
    if (key === 'core.commentchar') config.commentChar = sp < 0 ? '' : line.slice(sp + 1);
    else if (key === 'commit.cleanup') config.cleanup = sp < 0 ? '' : line.slice(sp + 1);
  }
  return config;
}

/** Whether git is replaying commits (the markers live in this work tree's git dir). */
function sequencerInProgress(repo: RepoPaths): boolean {
  return ['rebase-merge', 'rebase-apply', 'CHERRY_PICK_HEAD', 'REVERT_HEAD'].some((f) => existsSync(path.join(repo.gitDir, f)));
}

/**
 * What an amend is counted against: `--amend` (git passes `commit HEAD`)
 * rewrites HEAD, so the whole commit counts, against HEAD's parent, not only
 * what was staged since.
 */
async function amendBase(args: HookArgs, timeoutMs: number): Promise<string> {
  try {
    return (await git(['rev-parse', '-q', '--verify', 'HEAD^1^{commit}'], { cwd: args.cwd, timeoutMs })).trim();
  } catch (e) {
    // A root commit being amended: its parent is the empty tree.
    if (e instanceof GitError && e.exitCode === 1) return EMPTY_TREE;
    throw e;
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Holds a promise's outcome, so a failure that turns out not to matter is never an unhandled rejection. */
function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(s: Settled<T>): T {
  if (!s.ok) throw s.error;
  return s.value;
}
