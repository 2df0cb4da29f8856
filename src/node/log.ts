/** Prefix of every line the CLI and the hook write to stderr. */
export const LOG_PREFIX = 'ai-provenance:';
