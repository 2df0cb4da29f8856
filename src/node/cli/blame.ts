import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { blameFile } from '../report/lines';
import type { FileBlame } from '../report/lines';
import { blameJson, formatBlame } from '../report/blameTable';
import { git, GitError } from '../git/git';
import { UsageError } from '../errors';
import type { Command } from './args';

/** The file as the repository names it (`/` separators, from its root), from a path as typed here. */
async function repoRelative(cwd: string, file: string): Promise<string> {
  let out: string;
  try {
    out = await git(['rev-parse', '--show-toplevel', '--show-prefix'], { cwd, timeoutMs: 10_000 });
  } catch (e) {
    if (e instanceof GitError) throw new UsageError('not inside a git work tree');
    throw e;
  }
  const [root, prefix] = out.replace(/\n$/, '').split('\n');
  let rel: string;
  if (path.isAbsolute(file)) {
    const real = async (p: string): Promise<string> => fs.realpath(p).catch(() => p);
    rel = path.relative(await real(root), path.join(await real(path.dirname(file)), path.basename(file)));
  } else rel = path.posix.join(prefix ?? '', file.split(path.sep).join('/'));
  rel = path.posix.normalize(rel.split(path.sep).join('/'));
  if (rel === '.' || rel === '' || rel.startsWith('../') || rel === '..') throw new UsageError(`not a file of this repository: ${file}`);
  return rel;
}

export const command: Command = {
  usage: `Usage: ai-provenance blame <file> [--rev <rev>] [--json]

Like git blame, one row per line of <file> at <rev> (default HEAD): the
commit that introduced the line, its class (ai, mixed, human, unknown), the
AI origin, the tool, and whether a person reviewed it (✓), read from that
commit's record (docs/notes.md). A line whose commit has no record, or that
its record does not cover (a blank line), is unknown.

  --rev <rev>  blame the file as it is in this commit
  --json       print {"file", "rev", "lines": [{"line", "commit", "class",
               "origin", "tool", "reviewed"}]} instead of the table

Exit 0: done; 2: bad input (no such file or revision).`,
  spec: { booleans: ['json'], strings: ['rev'] },
  async run(args, io) {
    if (args.positional.length !== 1) throw new UsageError('blame: needs exactly one <file>');
    const file = args.positional[0];
    if (file.trim() === '') throw new UsageError('blame: empty <file>');
    const rel = await repoRelative(io.cwd, file);
    const result: FileBlame = await blameFile(io.cwd, rel, { rev: args.values.get('rev') ?? 'HEAD' });
    io.out(args.flags.has('json') ? `${JSON.stringify(blameJson(result), null, 2)}\n` : formatBlame(result, io.color));
    return 0;
  },
};
