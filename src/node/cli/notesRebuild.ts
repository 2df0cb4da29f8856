import { findRepo } from '../git/git';
import { UsageError } from '../errors';
import { formatRecord, recordCounts } from '../../core/record';
import { formatTrailerValue } from '../../core/trailer';
import { rebuildRecords } from '../record/rebuild';
import type { RebuiltCommit } from '../record/rebuild';
import type { CommandIo, ParsedArgs } from './args';

/** `notes rebuild`'s options (among the `notes` group's). */
export const REBUILD_OPTIONS: readonly string[] = ['from', 'force', 'dry-run', 'json'];

export const REBUILD_USAGE = `Usage: ai-provenance notes rebuild <commit> --from <base>..<head> [--force] [--dry-run] [--json]

The record of a commit no hook saw being made (a forge's squash merge or
rebase merge), from the records of the pull request's commits <base>..<head>.
<commit> may be a range of new commits (a rebase merge): each is paired with
its original by patch id and carried from it; any other (a squash) is traced
line by line with git blame at <head> (docs/notes.md).

  --from <base>..<head>  the pull request's commits (their records are read)
  --force                replace a record the commit already has
  --dry-run              print what would be written, write nothing
  --json                 print a JSON document

Exit 0: done; 1: the records could not be written; 2: bad input.`;

function describe(c: RebuiltCommit): string {
  const short = c.sha.slice(0, 12);
  if (c.status === 'kept') return `${short} kept: it has a record (--force replaces it)`;
  if (c.status === 'own') return `${short} skipped: one of the pull request's own commits (its record is its own)`;
  if (c.status === 'merge') return `${short} skipped: a merge commit (the pull request's commits keep their own records)`;
  const how = c.method === 'patch-id' ? `carried from ${c.original?.slice(0, 12)} (same patch)` : "traced by blame at the range's head";
  const counts = c.record ? formatTrailerValue(recordCounts(c.record)) : '';
  return `${short} ${c.status === 'dry-run' ? 'would write' : 'written'}: ${how}: ${counts}`;
}

function rebuiltJson(c: RebuiltCommit): unknown {
  return {
    sha: c.sha,
    status: c.status,
    ...(c.method ? { method: c.method } : {}),
    ...(c.original ? { original: c.original } : {}),
    ...(c.record ? { counts: formatTrailerValue(recordCounts(c.record)), record: formatRecord(c.record) } : {}),
  };
}

/** `ai-provenance notes rebuild <commit> --from <base>..<head>` (see src/node/record/rebuild.ts); `operands` follow `rebuild`. */
export async function runRebuild(args: ParsedArgs, operands: readonly string[], io: CommandIo): Promise<number> {
  for (const o of [...args.flags, ...args.values.keys()]) if (!REBUILD_OPTIONS.includes(o)) throw new UsageError(`notes rebuild: unknown option: --${o}`);
  if (operands.length !== 1) throw new UsageError('notes rebuild: needs one <commit> (or a range of new commits)');
  const from = args.values.get('from');
  if (from === undefined) throw new UsageError("notes rebuild: needs --from <base>..<head> (the pull request's commits)");
  const repo = await findRepo(io.cwd);
  if (!repo) throw new UsageError(`not inside a git work tree: ${io.cwd}`);
  const dryRun = args.flags.has('dry-run');
  const done = await rebuildRecords(repo, operands[0], from, { force: args.flags.has('force'), dryRun });
  if (args.flags.has('json')) io.out(`${JSON.stringify({ dryRun, commits: done.map(rebuiltJson) }, null, 2)}\n`);
  else {
    for (const c of done) {
      io.out(`${describe(c)}\n`);
      if (dryRun && c.record) io.out(formatRecord(c.record).replace(/^/gm, '    '));
    }
  }
  return 0;
}
