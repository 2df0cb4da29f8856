import { formatTrailerValue, TRAILER_KEY } from '../../core/trailer';
import { stagedAttribution } from '../commit/staged';
import { noPositionals } from './args';
import type { Command } from './args';
import { requireRepo } from './hooks';

/** `ai-provenance trailer`: a preview of what the hook would write. */
export const command: Command = {
  usage: `Usage: ai-provenance trailer [--json]

Previews the trailer the staged changes would get, with per-file counts.

  --json  print {"trailer": …, "files": [{"path": …, "value": …}]}`,
  spec: { booleans: ['json'] },
  async run(args, io) {
    noPositionals('trailer', args);
    const { total, files } = await stagedAttribution(await requireRepo(io.cwd));
    if (args.flags.has('json')) {
      io.out(`${JSON.stringify({ trailer: formatTrailerValue(total), files: files.map((f) => ({ path: f.path, value: formatTrailerValue(f.counts) })) })}\n`);
      return 0;
    }
    io.out(`${TRAILER_KEY}: ${formatTrailerValue(total)}\n`);
    if (files.length > 0) io.out('\n');
    for (const f of files) io.out(`${formatTrailerValue(f.counts)}\t${f.path}\n`);
    return 0;
  },
};
