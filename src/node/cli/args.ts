import { parseArgs } from 'node:util';
import { UsageError } from '../errors';

/** The options a subcommand takes: booleans (`--json`) and single string values (`--tool <name>`). */
export interface OptionSpec {
  readonly booleans?: readonly string[];
  readonly strings?: readonly string[];
}

/** What {@link parseCommandArgs} found. */
export interface ParsedArgs {
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly positional: readonly string[];
  /** `--help` or `-h` was given: print the subcommand's help and do nothing else. */
  readonly help: boolean;
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** Checks one option token against the spec; the messages name the option as the person typed it. */
function checkOption(t: Extract<Token, { kind: 'option' }>, spec: OptionSpec, seen: Set<string>): void {
  const isBool = spec.booleans?.includes(t.name) ?? false;
  const isString = spec.strings?.includes(t.name) ?? false;
  if (!isBool && !isString) throw new UsageError(`unknown option: ${t.inlineValue ? `${t.rawName}=${t.value ?? ''}` : t.rawName}`);
  if (seen.has(t.name)) throw new UsageError(`--${t.name} given twice`);
  seen.add(t.name);
  if (isBool && t.value !== undefined) throw new UsageError(`--${t.name} takes no value`);
  if (isString && t.value === undefined) throw new UsageError(`--${t.name} needs a value`);
  // util.parseArgs will not guess whether `--tool -x` means a value or an option.
  if (isString && t.inlineValue === false && t.value?.startsWith('-')) throw new UsageError(`--${t.name}: write a value that starts with "-" as --${t.name}=${t.value}`);
}

/**
 * Parses a subcommand's arguments with Node's own `util.parseArgs`: `--flag`,
 * `--name value`, `--name=value`, and `--` to end the options. An unknown
 * option, a repeated one, or a value option without its value is a
 * {@link UsageError} with a message of one line.
 */
export function parseCommandArgs(args: readonly string[], spec: OptionSpec): ParsedArgs {
  const all = { booleans: [...(spec.booleans ?? []), 'help'], strings: spec.strings };
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = {};
  for (const b of all.booleans) options[b] = { type: 'boolean' };
  for (const s of all.strings ?? []) options[s] = { type: 'string' };
  options.help.short = 'h';
  const loose = parseArgs({ args: [...args], strict: false, allowPositionals: true, tokens: true, options });
  const help = loose.tokens.some((t) => t.kind === 'option' && t.name === 'help');
  if (help) return { flags: new Set(), values: new Map(), positional: [], help };
  const seen = new Set<string>();
  for (const t of loose.tokens) if (t.kind === 'option') checkOption(t, all, seen);
  // Strict and typed; the checks above already turned every mistake into a clear message.
  const strict = parseArgs({ args: [...args], strict: true, allowPositionals: true, options });
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries(strict.values)) {
    if (v === true) flags.add(k);
    else if (typeof v === 'string') values.set(k, v);
  }
  return { flags, values, positional: strict.positionals, help };
}

/** Where a subcommand writes. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stdout is a terminal (colours). */
  readonly color: boolean;
  readonly cwd: string;
}

/** One subcommand: its help text and what it does with its parsed arguments; resolves with the exit code. */
export interface Command {
  readonly usage: string;
  readonly spec: OptionSpec;
  run(args: ParsedArgs, io: CommandIo): Promise<number>;
}

/** Refuses positional arguments a subcommand does not take. */
export function noPositionals(name: string, args: ParsedArgs): void {
  if (args.positional.length > 0) throw new UsageError(`${name} takes no arguments`);
}
