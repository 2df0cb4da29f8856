import { UsageError } from '../errors';
import { LOG_PREFIX } from '../log';
import { exportAgentTrace } from '../record/export';
import type { Command } from './args';

/** The package version, put in by the bundler (scripts/build.mjs). */
declare const AI_PROVENANCE_VERSION: string;

const FORMATS = ['agent-trace'];

/** `ai-provenance export --format agent-trace <rev-range>...`. */
export const command: Command = {
  usage: `Usage: ai-provenance export --format agent-trace <rev-range>...

The records of a range of commits (main..HEAD, HEAD~5..) in another format.

  --format agent-trace  Agent Trace 0.1 (cursor/agent-trace): one trace record
                        per commit with a record, as JSON lines, oldest first.
                        git-ai's notes (refs/notes/ai) are read too, marked
                        metadata["ai-provenance"].source = "git-ai".

Commits without a record are left out (counted on stderr). Exit 0: done;
2: bad input.`,
  spec: { strings: ['format'] },
  async run(args, io) {
    const format = args.values.get('format');
    if (format === undefined) throw new UsageError(`export: needs --format (${FORMATS.join(', ')})`);
    if (!FORMATS.includes(format)) throw new UsageError(`export: unknown format ${JSON.stringify(format)} (${FORMATS.join(', ')})`);
    if (args.positional.length === 0) throw new UsageError('export: missing <rev-range>');
    for (const r of args.positional) if (r.trim() === '') throw new UsageError('export: empty <rev-range>');
    const { traces, without } = await exportAgentTrace(io.cwd, args.positional, AI_PROVENANCE_VERSION);
    io.out(traces.map((t) => `${JSON.stringify(t)}\n`).join(''));
    if (without.length > 0) io.err(`${LOG_PREFIX} ${without.length} commit${without.length === 1 ? '' : 's'} without a record left out\n`);
    return 0;
  },
};
