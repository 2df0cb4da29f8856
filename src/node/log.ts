/** Prefix of every line the CLI and the hook write to stderr. */
export const LOG_PREFIX = 'ai-provenance:';

/** An error in one line, for stderr. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0];
  return String(e);
}
