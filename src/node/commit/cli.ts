import { findRepo } from '../git/git';
import type { RepoPaths } from '../git/git';
import { formatTrailerValue, TRAILER_KEY } from '../../core/trailer';
import { UsageError } from './args';
import { HOOK_BUDGET_MS, runCommitMsgGuard, runHook } from './hook';
import { installHook, uninstallHook } from './install';
import { runMark } from './mark';
import { runReport } from './report';
import { stagedAttribution } from './staged';

// esbuild inlines the JSON; only the version is read.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION = (require('../../../package.json') as { version: string }).version;

const HELP = `ai-provenance ${VERSION}: AI provenance trailers for commits

Usage:
  ai-provenance hook <msg-file> [source] [sha]  prepare-commit-msg hook: add or replace the AI-Provenance trailer
  ai-provenance commit-msg <msg-file>           commit-msg hook: drop the trailer again from an empty message or an unedited template
  ai-provenance install-hook                    install the hooks into this repository (chains existing hooks)
  ai-provenance uninstall-hook                  remove the hooks, restoring any chained hook
  ai-provenance trailer [--json]                preview the trailer the staged changes would get, with per-file counts
  ai-provenance report <rev-range> [--json] [--fail-above <percent>] [--require-trailer]
                                                the AI-Provenance trailers of a range of commits, with totals;
                                                AI share = (ai + mixed) / lines; exit 1 when a gate fails
  ai-provenance mark --origin <origin> [--tool <name>] <file>...
                                                label the lines of files a tool just wrote (an agent: --origin ai-chat)
  ai-provenance --help | --version
`;

/** Grace on top of the hook's own budget before the process is ended regardless. */
const HARD_EXIT_MS = HOOK_BUDGET_MS + 500;

function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

async function requireRepo(): Promise<RepoPaths> {
  const repo = await findRepo(process.cwd());
  if (!repo) throw new UsageError(`not inside a git work tree: ${process.cwd()}`);
  return repo;
}

/** Bounds a hook run: whatever hangs, git gets exit 0 within a few seconds. */
function armHardExit(): void {
  setTimeout(() => {
    process.stderr.write('ai-provenance: took too long; commit message left unchanged\n');
    process.exit(0);
  }, HARD_EXIT_MS).unref();
}

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'hook': {
      if (!rest[0] || rest.length > 3) throw new UsageError('usage: ai-provenance hook <msg-file> [source] [sha]');
      armHardExit();
      // pre-commit passes only the message file, and the rest in its own variables.
      const source = rest[1] || process.env.PRE_COMMIT_COMMIT_MSG_SOURCE || undefined;
      const sha = rest[2] || (rest[1] ? undefined : process.env.PRE_COMMIT_COMMIT_OBJECT_NAME) || undefined;
      await runHook({ msgFile: rest[0], source, sha, cwd: process.cwd() });
      return 0;
    }
    case 'commit-msg': {
      if (!rest[0] || rest.length > 1) throw new UsageError('usage: ai-provenance commit-msg <msg-file>');
      armHardExit();
      await runCommitMsgGuard({ msgFile: rest[0], cwd: process.cwd() });
      return 0;
    }
    case 'install-hook': {
      noArgs(cmd, rest);
      const repo = await requireRepo();
      const result = await installHook(repo, { cliPath: __filename, runtimePath: process.execPath });
      switch (result.status) {
        case 'installed':
          out(`${result.updated ? 'Updated' : 'Installed'} ${result.hooks.join(', ')}`);
          for (const c of result.chained) out(`Existing hook kept and run first: ${c}`);
          return 0;
        case 'manual':
          out(result.instructions);
          return 0;
        case 'conflict':
          process.stderr.write(`ai-provenance: ${result.message}\n`);
          return 1;
      }
      return 1;
    }
    case 'uninstall-hook': {
      noArgs(cmd, rest);
      const repo = await requireRepo();
      const result = await uninstallHook(repo);
      if (result.removed.length === 0) out('No AI Provenance hook installed.');
      for (const r of result.removed) out(`Removed ${r}`);
      for (const r of result.restored) out(`Restored the previous hook ${r}`);
      return 0;
    }
    case 'trailer': {
      const json = rest.length === 1 && rest[0] === '--json';
      if (rest.length > 0 && !json) throw new UsageError('usage: ai-provenance trailer [--json]');
      const repo = await requireRepo();
      const { total, files } = await stagedAttribution(repo);
      if (json) {
        out(JSON.stringify({ trailer: formatTrailerValue(total), files: files.map((f) => ({ path: f.path, value: formatTrailerValue(f.counts) })) }));
      } else {
        out(`${TRAILER_KEY}: ${formatTrailerValue(total)}`);
        if (files.length > 0) out('');
        for (const f of files) out(`${formatTrailerValue(f.counts)}\t${f.path}`);
      }
      return 0;
    }
    case 'report':
      return runReport(process.cwd(), rest, { out, err, color: process.stdout.isTTY === true && !process.env.NO_COLOR });
    case 'mark':
      return runMark(process.cwd(), rest, { out, err });
    case '--help':
    case '-h':
    case 'help':
      out(HELP);
      return 0;
    case '--version':
    case '-v':
      out(VERSION);
      return 0;
    case undefined:
      throw new UsageError(`missing command\n\n${HELP}`);
    default:
      throw new UsageError(`unknown command: ${cmd}\n\n${HELP}`);
  }
}

function noArgs(cmd: string, rest: readonly string[]): void {
  if (rest.length > 0) throw new UsageError(`${cmd} takes no arguments`);
}

// A reader that went away (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

/** The commands git runs on every commit. */
const IS_HOOK = process.argv[2] === 'hook' || process.argv[2] === 'commit-msg';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A hook ends as soon as its work is done: letting the event loop wind
    // down (child-process handles closing) adds milliseconds to every commit,
    // and work that lost the race against the budget must not go on. Only
    // once stderr has nothing left to write (it can be asynchronous on a pipe).
    if (IS_HOOK && process.stderr.writableLength === 0) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`ai-provenance: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`ai-provenance: ${e instanceof Error ? e.message : String(e)}\n`);
      // A hook run must never fail the commit, whatever went wrong.
      process.exitCode = IS_HOOK ? 0 : 1;
    }
  },
);
