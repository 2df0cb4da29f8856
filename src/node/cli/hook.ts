import { Worker } from 'node:worker_threads';
import { HOOK_BUDGET_MS, runCommitMsgGuard, runHook } from '../commit/hook';
import { LOG_PREFIX } from '../log';
import { isAgentId } from '../../core/agentPayload';
import { UsageError } from '../errors';
import type { Command } from './args';

/** Grace on top of the hook's own budget before the process is ended regardless. */
const HARD_EXIT_MS = HOOK_BUDGET_MS + 500;
/** When even the hard exit could not run (the main thread blocked in I/O), the watchdog thread ends the process. */
const WATCHDOG_MS = HARD_EXIT_MS + 1_000;

/**
 * Runs on its own thread: waits without an event loop, so nothing the main
 * thread does can delay it, then ends the whole process. The hook script
 * runs us as `… || true`, so git still gets exit 0, and the message was not
 * yet written (it is written last, in one step).
 */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
require('node:fs').writeSync(2, workerData.line);
process.kill(workerData.pid, 'SIGKILL');
`;

const TOO_LONG = `${LOG_PREFIX} took too long; commit message left unchanged\n`;

/** Bounds a hook run: whatever hangs, git gets its answer within a few seconds. */
function armHardExit(): void {
  setTimeout(() => {
    process.stderr.write(TOO_LONG);
    process.exit(0);
  }, HARD_EXIT_MS).unref();
  new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { ms: WATCHDOG_MS, pid: process.pid, line: TOO_LONG } }).unref();
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
