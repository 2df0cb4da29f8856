import { RECORD_HOOK_BUDGET_MS, runRecordHook, verifyRange } from '../record/hooks';
import { LOG_PREFIX } from '../log';
import { UsageError } from '../errors';
import type { Command } from './args';

/** Bounds a record hook: whatever hangs, git gets exit 0. */
function armHardExit(name: string): void {
  setTimeout(() => {
    process.stderr.write(`${LOG_PREFIX} ${name} took too long; no record written\n`);
    process.exit(0);
  }, RECORD_HOOK_BUDGET_MS + 500).unref();
}

function recordHook(name: 'post-commit' | 'post-rewrite' | 'post-merge', usage: string, maxArgs: number): Command {
  return {
    usage,
    spec: name === 'post-commit' ? { strings: ['claimed'] } : {},
    async run(args, io) {
      if (args.positional.length > maxArgs) throw new UsageError(`${name}: takes at most ${maxArgs} argument${maxArgs === 1 ? '' : 's'}`);
      const claimed = args.values.get('claimed');
      if (claimed !== undefined && !/^[0-9a-f]{40,64}$/.test(claimed)) throw new UsageError(`${name}: --claimed takes a full commit SHA`);
      armHardExit(name);
      await runRecordHook(name, args.positional, io.cwd, (line) => io.err(`${line}\n`), claimed);
      return 0;
    },
  };
}

/** `ai-provenance post-commit`: stores the record of the commit just made. */
export const postCommitCommand = recordHook(
  'post-commit',
  `Usage: ai-provenance post-commit

The post-commit hook: stores the record of the commit just made (a git note on
refs/notes/ai-provenance, see docs/notes.md). Always exits 0.

  --claimed <sha>  run in the background for that commit, with the record the
                   hook script claimed for it (post-commit-<sha>.json)`,
  0,
);

/** `ai-provenance post-rewrite <amend|rebase>`: carries records to rewritten commits. */
export const postRewriteCommand = recordHook(
  'post-rewrite',
  `Usage: ai-provenance post-rewrite <amend|rebase>

The post-rewrite hook: reads "<old> <new>" lines on standard input and carries
the records of the old commits to the new ones. Always exits 0.`,
  1,
);

/** `ai-provenance post-merge <squash>`: the record of a merge commit git merge made. */
export const postMergeCommand = recordHook(
  'post-merge',
  `Usage: ai-provenance post-merge <0|1>

The post-merge hook: records the lines of a merge commit that neither parent
had (the conflict resolution). Always exits 0.`,
  1,
);

/** `ai-provenance verify <rev-range>`. */
export const verifyCommand: Command = {
  usage: `Usage: ai-provenance verify <rev-range>

Checks each commit of the range: its AI-Provenance trailer against its record,
and its record against the lines the commit adds. One line per commit ("ok",
or what disagrees); exits 1 when any commit disagrees.`,
  spec: {},
  async run(args, io) {
    if (args.positional.length === 0) throw new UsageError('verify: needs a <rev-range>');
    const verdicts = await verifyRange(io.cwd, args.positional);
    for (const v of verdicts) io.out(`${v.sha.slice(0, 12)} ${v.problems.length === 0 ? 'ok' : v.problems.join('; ')}\n`);
    return verdicts.some((v) => v.problems.length > 0) ? 1 : 0;
  },
};
