/**
 * The origin vocabulary, shared by the span model, the ledger, the trailer and
 * the docs. README.md, "What it records", says what each one means and how we know it.
 */
export const ORIGINS = [
  'typed',
  'ide',
  'ai-completion',
  'ai-chat',
  'paste',
  'ai-paste',
  'external',
  'unknown',
] as const;

export type Origin = (typeof ORIGINS)[number];

/** Origins that put AI-generated text into a file. */
export const AI_ORIGINS: readonly Origin[] = ['ai-completion', 'ai-chat', 'ai-paste'];

/** Origins we attribute to the person at the keyboard (their keystrokes or tools they drove). */
export const HUMAN_ORIGINS: readonly Origin[] = ['typed', 'ide', 'paste'];

/**
 * How sure we are: `certain` when a command was intercepted or a copy stamp
 * matched, `likely` for a heuristic, `unknown` when nothing points either way.
 */
export type Confidence = 'certain' | 'likely' | 'unknown';

/** What the hover and the ledger say about one piece of text. */
export interface Evidence {
  readonly origin: Origin;
  readonly confidence: Confidence;
  /** Why we believe it, in words, for the hover. Never contains file content. */
  readonly detail: string;
  /** The tool that produced the text, when it was actually identified. */
  readonly tool?: string;
  /** The model behind the tool, when the tool itself said which (an agent hook's payload). */
  readonly model?: string;
  /** Epoch milliseconds of the edit. */
  readonly at: number;
  /** Set when a person marked this AI text as read and vouched for. */
  readonly reviewed?: Review;
}

/** Who marked AI text as reviewed, and when. */
export interface Review {
  /** The reviewer as git knows them (`user.name <user.email>`), or the OS user name. */
  readonly by: string;
  readonly at: number;
}

export function isOrigin(value: unknown): value is Origin {
  return typeof value === 'string' && (ORIGINS as readonly string[]).includes(value);
}

/** Longest tool name accepted: it ends up on an `Assisted-by:` line. */
export const MAX_TOOL_LENGTH = 100;

/**
 * Letters and digits of any script and `._-/@:+`, in words joined by single
 * spaces (`GitHub Copilot`, `Kodé 助手`); a letter or digit first. No other
 * white space, no control or format character, nothing else.
 */
const TOOL_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._\-/@:+]*(?: [\p{L}\p{N}._\-/@:+]+)*$/u;

/**
 * Whether a tool name may be recorded and written on an `Assisted-by:` line.
 * Checked where a name enters a ledger and again where it is read back into
 * a message: a name is a claim in someone's commit, never a place for text.
 */
export function isToolName(name: string): boolean {
  return name.length <= MAX_TOOL_LENGTH && TOOL_NAME.test(name);
}

export function isAiOrigin(origin: Origin): boolean {
  return AI_ORIGINS.includes(origin);
}

export function isHumanOrigin(origin: Origin): boolean {
  return HUMAN_ORIGINS.includes(origin);
}

/** Words for the hover and reports. */
export const ORIGIN_LABELS: Readonly<Record<Origin, string>> = {
  typed: 'Typed',
  ide: 'IDE tool',
  'ai-completion': 'AI inline completion',
  'ai-chat': 'AI chat or agent',
  paste: 'Pasted (copied in the editor)',
  'ai-paste': 'Pasted from outside the editor',
  external: 'Written by another program',
  unknown: 'Unknown origin',
};

/**
 * Per-line class over non-blank lines: `ai` when every non-space character is
 * AI-originated, `mixed` when some are, `human` when none are and all changed
 * characters came from the person, `unknown` when none are AI but some have no
 * known origin. `unchanged` lines hold only text that was there before tracking.
 */
export type LineClass = 'ai' | 'mixed' | 'human' | 'unknown' | 'unchanged';
