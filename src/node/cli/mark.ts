import { AI_ORIGINS, isAiOrigin, isOrigin, isToolName, MAX_TOOL_LENGTH } from '../../core/origin';
import { markFiles } from '../commit/mark';
import type { MarkOptions, MarkOutcome } from '../commit/mark';
import { LOG_PREFIX } from '../log';
import { UsageError } from '../errors';
import type { Command, ParsedArgs } from './args';

/** `mark` claims AI origins only: no program may label lines as a person's (or as anything but AI). */
const ORIGIN_LIST = `origins: ${AI_ORIGINS.join(', ')}`;

function toolName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  // Rejected, not cleaned up: the name is a claim in a commit trailer, so it must be what was asked for.
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new UsageError('--tool must be one line of text, without control characters');
  const tool = raw.trim();
  if (tool === '') throw new UsageError('--tool must not be empty');
  if (tool.length > MAX_TOOL_LENGTH) throw new UsageError(`--tool must be at most ${MAX_TOOL_LENGTH} characters`);
  if (!isToolName(tool)) throw new UsageError('--tool takes letters, digits and . _ - / @ : + in words joined by single spaces, starting with a letter or digit');
  return tool;
}

export function markOptions(p: ParsedArgs): MarkOptions {
  const origin = p.values.get('origin');
  if (origin === undefined) throw new UsageError(`--origin is required (${ORIGIN_LIST})`);
  if (!isOrigin(origin)) throw new UsageError(`unknown origin ${JSON.stringify(origin)} (${ORIGIN_LIST})`);
  if (!isAiOrigin(origin)) throw new UsageError(`mark claims AI origins only, not ${origin}: lines a person wrote are known from the editor (${ORIGIN_LIST})`);
  const tool = toolName(p.values.get('tool'));
  if (p.positional.length === 0) throw new UsageError('mark: no file to mark');
  return { origin, tool, files: p.positional };
}

/** One line per file: what was marked, or what went wrong. */
export function describeOutcome(o: MarkOutcome, opts: MarkOptions): string {
  if (!o.ok) return `${LOG_PREFIX} ${o.file}: ${o.error}; not marked`;
  return `marked ${o.marked} line${o.marked === 1 ? '' : 's'} of ${o.path} as ${opts.origin}${opts.tool ? ` (${opts.tool})` : ''}`;
}

export const command: Command = {
  usage: `Usage: ai-provenance mark --origin <origin> [--tool <name>] <file>...

Labels the lines of files a tool just wrote outside the editor (an agent:
--origin ai-chat --tool <its name>): the lines their ledger did not know, or
with no ledger the lines added since HEAD.

  --origin <origin>  where the lines came from (${ORIGIN_LIST})
  --tool <name>      the tool that wrote them; named on an Assisted-by line
                     (letters, digits and . _ - / @ : +, single spaces between words,
                     at most ${MAX_TOOL_LENGTH})

Exit 0: every file was marked; 2: a file could not be (the others still are) or bad input.`,
  spec: { strings: ['origin', 'tool'] },
  async run(args, io) {
    const opts = markOptions(args);
    const outcomes = await markFiles(io.cwd, opts);
    for (const o of outcomes) (o.ok ? io.out : io.err)(`${describeOutcome(o, opts)}\n`);
    return outcomes.every((o) => o.ok) ? 0 : 2;
  },
};
