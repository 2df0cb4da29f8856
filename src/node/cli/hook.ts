import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { HOOK_BUDGET_MS, runCommitMsgGuard, runHook } from '../commit/hook';
import { LOG_PREFIX } from '../log';
import { isAgentId } from '../../core/agentPayload';
import { UsageError } from '../errors';
import type { Command } from './args';

/** Grace on top of the hook's own budget before the process is ended regardless. */
const HARD_EXIT_MS = HOOK_BUDGET_MS + 500;

const UNCHANGED = `${LOG_PREFIX} took too long; commit message left unchanged`;

/**
 * The watchdog outside the process, for a main thread that is stuck (a
 * synchronous read that never returns, a diff that does not yield), where no
 * timer of ours can fire. A shell in its own process group: after the budget
 * and a little more it kills the hook, unless a line on its standard input
 * (the hook is about to write the message) or the end of it (the hook is
 * gone) comes first; then it ends its whole group. Its sleeping part holds
 * none of git's pipes, so nothing waits for it. A shell and a `sleep` cost
 * far less than a second JavaScript thread would on a busy machine.
 */
const WATCHDOG = '( sleep "$2" </dev/null >/dev/null 2>&1; printf \'%s\\n\' "$3" >&2; kill -9 "$1" ) & read _; kill -9 0';

/**
 * Bounds a hook run: whatever hangs, git gets its answer within a few
 * seconds. The process is killed, not exited: an exit waits for file-system
 * work in flight, which is what may be stuck. The hook script runs us as
 * `… || true`, so git still sees success, and the message is unchanged (it
 * is written last, in one step, and only within the budget). Returns what
 * the hook calls just before it writes the message.
 */
function armWatchdog(): () => void {
  let writing = false;
  // In process: ends a run that waits (on git, on I/O) and knows whether the message is being written.
  setTimeout(() => {
    writeSync(2, writing ? `${LOG_PREFIX} took too long writing the commit message; ended (the message is whole: as it was, or with the trailer)\n` : `${UNCHANGED}\n`);
    process.kill(process.pid, 'SIGKILL');
  }, HARD_EXIT_MS).unref();
  let dog: ReturnType<typeof spawn> | undefined;
  try {
    const seconds = ((HARD_EXIT_MS + 300) / 1000).toFixed(1);
    dog = spawn('/bin/sh', ['-c', WATCHDOG, 'ai-provenance-watchdog', String(process.pid), seconds, UNCHANGED], { detached: true, stdio: ['pipe', 'ignore', 'inherit'] });
    dog.on('error', () => undefined);
    dog.unref();
    (dog.stdin as Socket | null)?.unref();
  } catch {
    // No shell (Windows outside git's own): the in-process timer alone.
    dog = undefined;
  }
  return () => {
    writing = true;
    dog?.stdin?.end('\n');
  };
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
    const beforeWrite = armWatchdog();
    // pre-commit passes only the message file, and the rest in its own variables.
    const source = given || process.env.PRE_COMMIT_COMMIT_MSG_SOURCE || undefined;
    const sha = givenSha || (given ? undefined : process.env.PRE_COMMIT_COMMIT_OBJECT_NAME) || undefined;
    await runHook({ msgFile, source, sha, cwd: io.cwd, beforeWrite });
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
    const beforeWrite = armWatchdog();
    await runCommitMsgGuard({ msgFile, cwd: io.cwd, beforeWrite });
    return 0;
  },
};
