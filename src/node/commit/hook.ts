import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findRepo, git, GitError } from '../git/git';
import { readHookSettingsSync } from '../git/ledgerStore';
import type { RepoPaths } from '../git/git';
import { ASSISTED_BY_KEY, formatTrailerValue, TRAILER_KEY } from '../../core/trailer';
import { hasNoContent, hasProvenanceTrailer, oneLine, openTrailerBlock, TEMPLATE_COPY_SUFFIX, untouchedTemplate, withoutLoneTrailers, withoutOurTrailers } from './message';
import { readIfExists } from '../files';
import { describeError, LOG_PREFIX } from '../log';
import { EMPTY_TREE, readStagedEntries } from './staged';
import type { RawEntry } from './staged';
import type { CommitRecord } from '../../core/record';
import { recordCounts } from '../../core/record';
import { prepareCommitRecord, prepareReplay } from '../record/commitRecord';
import { commitArgv, commitOp, isAmendArgv } from '../record/operation';
import type { CommitOp } from '../record/operation';

/** Everything the hook may take, end to end, before it gives up and leaves the message alone. */
export const HOOK_BUDGET_MS = 4_500;

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
}

/** What the hook did, for tests and the CLI; the message file is the real output. */
export interface HookOutcome {
  readonly changed: boolean;
  /** Why nothing was written, when nothing was. */
  readonly skipped?: 'merge' | 'sequencer' | 'no-repo' | 'error' | 'timeout' | 'disabled';
  readonly value?: string;
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
  const deadline = { passed: false };
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<HookOutcome>((resolve) => {
    timer = setTimeout(() => {
      deadline.passed = true;
      resolve({ changed: false, skipped: 'timeout' });
    }, args.budgetMs ?? HOOK_BUDGET_MS);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([addTrailer(args, deadline), budget]);
    if (outcome.skipped === 'timeout') log(`${LOG_PREFIX} took too long; commit message left unchanged`);
    return outcome;
  } catch (e) {
    log(`${LOG_PREFIX} ${describeError(e)}; commit message left unchanged`);
    return { changed: false, skipped: 'error' };
  } finally {
    clearTimeout(timer);
  }
}

async function addTrailer(args: HookArgs, deadline: { passed: boolean }): Promise<HookOutcome> {
  const timeoutMs = HOOK_BUDGET_MS;
  const templateCopy = args.msgFile + TEMPLATE_COPY_SUFFIX;
  // Everything that does not depend on something else starts at once: every
  // millisecond here is added to each commit. The staged diff needs only a
  // directory inside the work tree (git runs hooks at its root), not the
  // repository's paths, so it runs beside findRepo instead of after it.
  // It is spawned first: everything after waits for it.
  const argv = commitArgv();
  const amend = argv ? isAmendArgv(argv) : args.source === 'commit' && args.sha === 'HEAD';
  const staged = settle(amend ? amendBase(args, timeoutMs).then((base) => readStagedEntries(args.cwd, { base, timeoutMs })) : readStagedEntries(args.cwd, { timeoutMs }));
  const [repo, config, original] = await Promise.all([
    findRepo(args.cwd),
    readMessageConfig(args.cwd),
    fs.readFile(args.msgFile, 'latin1'),
    // A copy left by a commit that was aborted in the editor must not judge this one.
    args.source === 'template' ? undefined : fs.rm(templateCopy, { force: true }),
  ]);
  if (!repo) throw new Error(`not inside a git work tree: ${args.cwd}`);
  const cc = config.commentChar;
  // git aborts a commit whose template was left unedited, but only if the
  // message still is the template: keep a copy, so the commit-msg guard can
  // take our trailer out again in that case.
  if (args.source === 'template') await fs.writeFile(templateCopy, original, 'latin1');

  const op = await commitOp(repo, { source: args.source, sha: args.sha, cwd: repo.root, timeoutMs, argv });
  const record = await recordOrReplay(repo, op, hasProvenanceTrailer(original, cc), amend ? staged : undefined, amend ? undefined : staged, timeoutMs);
  if (!record) return { changed: false, skipped: 'sequencer' };

  // provenance.trailer.* as the extension left them beside the ledger.
  const settings = readHookSettingsSync(repo.ledgerDir);
  if (!settings.trailer) return { changed: false, skipped: 'disabled' };
  const total = recordCounts(record);
  if (!settings.whenNoAi && total.ai + total.mixed === 0) return { changed: false, skipped: 'disabled' };
  const value = formatTrailerValue(total);

  const tools = [...new Set([...total.tools].map((t) => oneLine(t)).filter((t) => t !== ''))].sort();
  if (deadline.passed) return { changed: false, skipped: 'timeout' };

  // A squash's message holds each squashed commit's trailer: one, the record's, is left.
  if (op.kind === 'squash') await fs.writeFile(args.msgFile, withoutOurTrailers(original, cc), 'latin1');
  if (hasNoContent(original, cc)) {
    // The editor template (or nothing at all): nothing to replace, and
    // interpret-trailers would glue the trailer to the subject line to come.
    const lines = [`${TRAILER_KEY}: ${value}`, ...tools.map((t) => `${ASSISTED_BY_KEY}: ${t}`)];
    await fs.writeFile(args.msgFile, openTrailerBlock(original, lines), 'latin1');
    return { changed: true, value };
  }
  const trailerArgs = ['interpret-trailers', '--in-place', '--no-divider', '--where', 'end', '--if-missing', 'add'];
  trailerArgs.push('--if-exists', 'replace', '--trailer', `${TRAILER_KEY}: ${value}`);
  // addIfDifferent: a re-run (amend) never repeats a tool already named.
  for (const tool of tools) trailerArgs.push('--if-exists', 'addIfDifferent', '--trailer', `${ASSISTED_BY_KEY}: ${tool}`);
  trailerArgs.push(args.msgFile);
  await git(trailerArgs, { cwd: repo.root, timeoutMs });
  return { changed: true, value };
}

/**
 * The record of the commit being made (issue 11, src/node/record/), left for
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
  timeoutMs: number,
): Promise<CommitRecord | undefined> {
  if (sequencerInProgress(repo) && hasTrailer && op.kind !== 'squash' && op.kind !== 'edit-amend') {
    await prepareReplay(repo, op);
    return undefined;
  }
  const early = op.kind === 'new' || op.kind === 'merge' ? headDiff : amendDiff;
  return prepareCommitRecord(repo, op, early ? unwrap(await early) : undefined, timeoutMs);
}

/**
 * The `commit-msg` guard: runs after the editor closed. When the person left
 * the message empty and only our trailer remains, removes it, so git still
 * aborts the commit for an empty message (or, with `--allow-empty-message`,
 * records an empty one, as it would have without us). Likewise when the
 * message is still the unedited commit template, so git still aborts with
 * "you did not edit the message".
 */
export async function runCommitMsgGuard(args: { msgFile: string; cwd: string; log?: (line: string) => void }): Promise<boolean> {
  const log = args.log ?? stderrLine;
  try {
    const templateCopy = args.msgFile + TEMPLATE_COPY_SUFFIX;
    const [config, msg, template] = await Promise.all([readMessageConfig(args.cwd), fs.readFile(args.msgFile, 'latin1'), readIfExists(templateCopy, 'latin1')]);
    if (template !== undefined) await fs.rm(templateCopy, { force: true });
    let stripped = withoutLoneTrailers(msg, config.commentChar);
    if (stripped === undefined && template !== undefined) stripped = untouchedTemplate(msg, template, config.commentChar);
    if (stripped === undefined) return false;
    await fs.writeFile(args.msgFile, stripped, 'latin1');
    return true;
  } catch (e) {
    log(`${LOG_PREFIX} ${describeError(e)}`);
    return false;
  }
}

interface MessageConfig {
  readonly commentChar: string;
}

/** `core.commentChar` (`#` when unset or `auto`: git's template then still uses `#` unless the message starts lines with it). */
async function readMessageConfig(cwd: string): Promise<MessageConfig> {
  let value = '';
  try {
    value = (await git(['config', '--get', 'core.commentChar'], { cwd, timeoutMs: HOOK_BUDGET_MS })).trim();
  } catch (e) {
    // Exit code 1: the key is not set.
    if (!(e instanceof GitError && e.exitCode === 1)) throw e;
  }
  return { commentChar: value && value !== 'auto' ? value[0] : '#' };
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
