import { findRepo } from '../git/git';
import type { RepoPaths } from '../git/git';
import { installHook, uninstallHook } from '../commit/install';
import { LOG_PREFIX } from '../log';
import { UsageError } from '../errors';
import { noPositionals } from './args';
import type { Command } from './args';

/** The repository the command runs in; outside one, a usage error. */
export async function requireRepo(cwd: string): Promise<RepoPaths> {
  const repo = await findRepo(cwd);
  if (!repo) throw new UsageError(`not inside a git work tree: ${cwd}`);
  return repo;
}

/** `ai-provenance install-hook`. */
export const installCommand: Command = {
  usage: `Usage: ai-provenance install-hook

Installs the prepare-commit-msg, commit-msg, post-commit, post-rewrite and
post-merge hooks into this repository
(honouring core.hooksPath and worktrees). A hook that was there is kept and
run first; with a hook manager (husky, lefthook, pre-commit) nothing is
written and the lines to add are printed.

  --shared-hooks-path  install even though core.hooksPath comes from the global
                       or system git configuration (the hooks then run for
                       every repository that uses it)
  --push-notes         also install the pre-push hook, which pushes the records
                       (refs/notes/ai-provenance) along with each push; it never
                       fails or holds up the push (8 s at most)`,
  spec: { booleans: ['shared-hooks-path', 'push-notes'] },
  async run(args, io) {
    noPositionals('install-hook', args);
    const repo = await requireRepo(io.cwd);
    const result = await installHook(repo, { cliPath: __filename, runtimePath: process.execPath, sharedHooksPath: args.flags.has('shared-hooks-path'), pushNotes: args.flags.has('push-notes') });
    switch (result.status) {
      case 'installed':
        io.out(`${result.updated ? 'Updated' : 'Installed'} ${result.hooks.join(', ')}\n`);
        for (const c of result.chained) io.out(`Existing hook kept and run first: ${c}\n`);
        return 0;
      case 'manual':
        io.out(`${result.instructions}\n`);
        return 0;
      case 'conflict':
        io.err(`${LOG_PREFIX} ${result.message}\n`);
        return 1;
    }
  },
};

/** `ai-provenance uninstall-hook`. */
export const uninstallCommand: Command = {
  usage: `Usage: ai-provenance uninstall-hook

Removes AI Provenance's hooks from this repository and moves any hook they
chained back to its own name. A hook edited since it was installed is kept
as it is (exit 1, saying what to do).`,
  spec: {},
  async run(args, io) {
    noPositionals('uninstall-hook', args);
    const result = await uninstallHook(await requireRepo(io.cwd));
    if (result.removed.length === 0 && result.kept.length === 0) io.out('No AI Provenance hook installed.\n');
    for (const r of result.removed) io.out(`Removed ${r}\n`);
    for (const r of result.restored) io.out(`Restored the previous hook ${r}\n`);
    for (const k of result.kept) io.err(`${LOG_PREFIX} ${k.message}\n`);
    return result.kept.length > 0 ? 1 : 0;
  },
};
