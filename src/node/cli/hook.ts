import { Worker } from 'node:worker_threads';
import { HOOK_BUDGET_MS, runCommitMsgGuard, runHook, WRITE_FREE } from '../commit/hook';
import { LOG_PREFIX } from '../log';
import { isAgentId } from '../../core/agentPayload';
import { UsageError } from '../errors';
import type { Command } from './args';

/** Grace on top of the hook's own budget before the process is ended regardless. */
const HARD_EXIT_MS = HOOK_BUDGET_MS + 500;
/** More grace when the message is being written at that moment (one rename away from done). */
const WRITE_GRACE_MS = 1_000;

/**
 * The watchdog, run in a worker thread: a timer there fires even while the
 * main thread is stuck (a synchronous read that never returns, a diff that
 * does not yield), and `process.kill` from it ends the whole process. The
 * shared cell decides, atomically, who goes first: taken by the watchdog
 * (0 → 2), the main thread can no longer start writing the message, so
 * "unchanged" is true; already taken by the main thread (1: writing, one
 * atomic rename), the watchdog waits a little more and says only that it
 * ended the hook. Plain JavaScript: the worker evaluates it as it is.
 */
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const cell = new Int32Array(workerData.cell);
const end = (line) => {
  writeSync(2, line + '\\n');
  process.kill(process.pid, 'SIGKILL');
};
setTimeout(() => {
  if (Atomics.compareExchange(cell, 0, 0, 2) === 0) end(workerData.prefix + ' took too long; commit message left unchanged');
  else setTimeout(() => end(workerData.prefix + ' took too long writing the commit message; ended (the message is whole: as it was, or with the trailer)'), workerData.graceMs);
}, workerData.ms);
`;

/**
 * Bounds a hook run: whatever hangs, git gets its answer within a few
 * seconds. The process is killed, not exited: an exit waits for file-system
 * work in flight, which is what may be stuck. The hook script runs us as
 * `… || true`, so git still sees success, and the message is unchanged (it
 * is written last, in one step, and only within the budget). Returns the
 * cell the main thread takes before it writes the message.
 */
function armWatchdog(): Int32Array {
  const shared = new SharedArrayBuffer(4);
  const cell = new Int32Array(shared);
  Atomics.store(cell, 0, WRITE_FREE);
  new Worker(WATCHDOG, { eval: true, workerData: { cell: shared, ms: HARD_EXIT_MS, graceMs: WRITE_GRACE_MS, prefix: LOG_PREFIX } }).unref();
  return cell;
}

/** `ai-provenance hook`: what the prepare-commit-msg hook runs. */
export const hookCommand: Command = {
  usage: `Usage: ai-provenance hook <msg-file> [source] [sha]
       ai-provenance hook <agent>

The prepare-commit-msg hook: adds or replaces the AI-Provenance trailer of
the message git is preparing. Git passes the arguments. Always exits 0.

With an agent id instead (claude-code, codex, gemini-cli, cursor, copilot-cli,
vscode-copilot, windsurf, cline, opencode): what that agent's own hooks run
around its file and shell tools (see ai-provenance agents --help). Reads the
agent's payload on stdin, records exactly the lines the tool wrote, prints
what the agent expects and always exits 0.`,
  spec: {},
  async run(args, io) {
    const [msgFile, given, givenSha] = args.positional;
    // An agent id is never git's message file: git passes a path (.git/COMMIT_EDITMSG).
    if (args.positional.length === 1 && isAgentId(msgFile)) return (await import('../agents/commands')).runAgentHookCli(msgFile, io.cwd, process.env);
    if (!msgFile || args.positional.length > 3) throw new UsageError('hook: needs <msg-file> [source] [sha]');
    const writeLock = armWatchdog();
    // pre-commit passes only the message file, and the rest in its own variables.
    const source = given || process.env.PRE_COMMIT_COMMIT_MSG_SOURCE || undefined;
    const sha = givenSha || (given ? undefined : process.env.PRE_COMMIT_COMMIT_OBJECT_NAME) || undefined;
    await runHook({ msgFile, source, sha, cwd: io.cwd, writeLock });
    return 0;
  },
};

/** `ai-provenance commit-msg`: what the commit-msg hook runs. */
export const commitMsgCommand: Command = {
  usage: `Usage: ai-provenance commit-msg <msg-file>

The commit-msg hook: takes the trailer out again when it is all that is left
of the message (or the template was left unedited), so git still aborts the
commit. Always exits 0.`,
  spec: {},
  async run(args, io) {
    const [msgFile] = args.positional;
    if (!msgFile || args.positional.length > 1) throw new UsageError('commit-msg: needs exactly <msg-file>');
    const writeLock = armWatchdog();
    await runCommitMsgGuard({ msgFile, cwd: io.cwd, writeLock });
    return 0;
  },
};
