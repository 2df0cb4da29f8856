import { writeSync } from 'node:fs';
import { HOOK_BUDGET_MS, runCommitMsgGuard, runHook } from '../commit/hook';
import { LOG_PREFIX } from '../log';
import { isAgentId } from '../../core/agentPayload';
import { UsageError } from '../errors';
import type { Command } from './args';

/** Grace on top of the hook's own budget before the process is ended regardless. */
const HARD_EXIT_MS = HOOK_BUDGET_MS + 500;

/**
 * Bounds a hook run: whatever hangs, git gets its answer within a few
 * seconds. The process is killed, not exited: an exit waits for file-system
 * work in flight, which is what may be stuck. The hook script runs us as
 * `… || true`, so git still sees success, and the message is unchanged (it
 * is written last, in one step, and only within the budget).
 */
function armHardExit(): void {
  setTimeout(() => {
    writeSync(2, `${LOG_PREFIX} took too long; commit message left unchanged\n`);
    process.kill(process.pid, 'SIGKILL');
  }, HARD_EXIT_MS).unref();
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
    armHardExit();
    // pre-commit passes only the message file, and the rest in its own variables.
    const source = given || process.env.PRE_COMMIT_COMMIT_MSG_SOURCE || undefined;
    const sha = givenSha || (given ? undefined : process.env.PRE_COMMIT_COMMIT_OBJECT_NAME) || undefined;
    await runHook({ msgFile, source, sha, cwd: io.cwd });
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
    armHardExit();
    await runCommitMsgGuard({ msgFile, cwd: io.cwd });
    return 0;
  },
};
