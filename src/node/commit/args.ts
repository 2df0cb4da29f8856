/** Thrown for a usage mistake or bad input: the message goes to stderr and the exit code is 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What {@link parseOptions} found: option values by name, and the positional arguments in order. */
export interface ParsedArgs {
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly positional: readonly string[];
}

/**
 * A small, strict command-line parser: `--flag`, `--name value`,
 * `--name=value`, and `--` to end the options. An unknown option, a
 * repeated one, or a value option without its value is a {@link UsageError}.
 */
export function parseOptions(args: readonly string[], spec: { flags?: readonly string[]; values?: readonly string[] }, usage: string): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const positional: string[] = [];
  const known = (name: string, list: readonly string[] | undefined): boolean => list?.includes(name) ?? false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    if (known(name, spec.flags)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value\n${usage}`);
      if (flags.has(name)) throw new UsageError(`--${name} given twice\n${usage}`);
      flags.add(name);
    } else if (known(name, spec.values)) {
      if (values.has(name)) throw new UsageError(`--${name} given twice\n${usage}`);
      let value: string | undefined;
      if (eq >= 0) value = a.slice(eq + 1);
      else if (i + 1 < args.length) value = args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value\n${usage}`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown option: ${a}\n${usage}`);
    }
  }
  return { flags, values, positional };
}
