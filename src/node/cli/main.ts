import { describeError, UsageError } from '../errors';
import { LOG_PREFIX } from '../log';
import { parseCommandArgs } from './args';
import type { Command, CommandIo } from './args';

/** The package version, put in by the bundler (scripts/build.mjs). */
declare const AI_PROVENANCE_VERSION: string;

interface Entry {
  /** The line in the top-level help. */
  readonly summary: string;
  /**
   * Loaded only when run: the hook runs on every commit and must not pay
   * for the report's or the installer's code.
   */
  readonly load: () => Promise<Command>;
}

const COMMANDS: Readonly<Record<string, Entry>> = {
  hook: { summary: 'prepare-commit-msg hook: add or replace the AI-Provenance trailer', load: async () => (await import('./hook')).hookCommand },
  'commit-msg': { summary: 'commit-msg hook: take the trailer out of an empty message or an unedited template', load: async () => (await import('./hook')).commitMsgCommand },
  'install-hook': { summary: 'install the hooks into this repository (chains existing hooks)', load: async () => (await import('./hooks')).installCommand },
  'uninstall-hook': { summary: 'remove the hooks, restoring any chained hook', load: async () => (await import('./hooks')).uninstallCommand },
  trailer: { summary: 'preview the trailer the staged changes would get, with per-file counts', load: async () => (await import('./trailer')).command },
  report: { summary: 'the trailers of a range of commits, with totals and CI gates; --lines: the AI lines it adds', load: async () => (await import('./report')).command },
  blame: { summary: 'like git blame: each line\'s commit, class, origin, tool and review, from the records', load: async () => (await import('./blame')).command },
  'post-commit': { summary: 'post-commit hook: store the record of the commit just made (docs/notes.md)', load: async () => (await import('./record')).postCommitCommand },
  'post-rewrite': { summary: 'post-rewrite hook: carry records through amend and rebase', load: async () => (await import('./record')).postRewriteCommand },
  'post-merge': { summary: 'post-merge hook: record the conflict resolution of a merge', load: async () => (await import('./record')).postMergeCommand },
  verify: { summary: "check each commit's trailer against its record, and the record against its diff", load: async () => (await import('./record')).verifyCommand },
  mark: { summary: 'label the lines of files a tool just wrote (an agent: --origin ai-chat)', load: async () => (await import('./mark')).command },
  agents: { summary: 'set up coding agents\' hooks (Claude Code, Codex, Cursor…) so their lines are recorded as theirs', load: async () => (await import('./agents')).command },
};

function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const rows = Object.entries(COMMANDS).map(([name, e]) => `  ${name.padEnd(width)}  ${e.summary}`);
  return [
    `ai-provenance ${AI_PROVENANCE_VERSION}: AI provenance trailers for commits`,
    '',
    'Usage: ai-provenance <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'ai-provenance <command> --help shows a command\'s own help; ai-provenance --version the version.',
    'Exit codes: 0 done, 1 a gate or the install failed, 2 a usage error or bad input.',
    '',
  ].join('\n');
}

/** Runs one command line; resolves with the exit code. Usage mistakes throw a {@link UsageError}. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(topHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${AI_PROVENANCE_VERSION}\n`);
    return 0;
  }
  if (name === undefined) throw new UsageError('missing command (see ai-provenance --help)');
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) throw new UsageError(`unknown command: ${name} (see ai-provenance --help)`);
  const command = await entry.load();
  const args = parseCommandArgs(rest, command.spec);
  if (args.help) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  return command.run(args, io);
}

/** The commands git runs on every commit: they never fail it. */
const IS_HOOK = ['hook', 'commit-msg', 'post-commit', 'post-rewrite', 'post-merge'].includes(process.argv[2]);

function finish(code: number): void {
  process.exitCode = code;
  // A hook ends as soon as its work is done: letting the event loop wind
  // down (child-process handles closing) adds milliseconds to every commit,
  // and work that lost the race against the budget must not go on. Only
  // once stderr has nothing left to write (it can be asynchronous on a pipe).
  if (IS_HOOK && process.stderr.writableLength === 0) process.exit(code);
}

function fail(e: unknown): void {
  const usage = e instanceof UsageError;
  process.stderr.write(`${LOG_PREFIX} ${describeError(e)}\n`);
  // A hook run must never fail the commit, whatever went wrong.
  process.exitCode = usage ? 2 : IS_HOOK ? 0 : 1;
}

// A reader that went away (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const io: CommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  cwd: process.cwd(),
};

main(process.argv.slice(2), io).then(finish, fail);
