import { UsageError } from '../errors';
import { REBUILD_OPTIONS, REBUILD_USAGE, runRebuild } from './notesRebuild';
import type { Command } from './args';

/** `ai-provenance notes <subcommand>`: work on the records themselves (docs/notes.md). */
export const command: Command = {
  usage: REBUILD_USAGE,
  spec: { booleans: REBUILD_OPTIONS.filter((o) => o !== 'from'), strings: ['from'] },
  async run(args, io) {
    const [action, ...operands] = args.positional;
    if (action !== 'rebuild') throw new UsageError(action === undefined ? 'notes: needs rebuild' : `notes: unknown action "${action}" (rebuild)`);
    return runRebuild(args, operands, io);
  },
};
