import { ASSISTED_BY_KEY, TRAILER_KEY } from '../../core/trailer';

/**
 * Plain text rules for commit message files, as git's `commit` reads them.
 * Messages are handled as latin1 strings so that every byte survives a
 * round trip whatever `i18n.commitEncoding` says; only ASCII is inspected.
 */

/**
 * Suffix of the copy of a template message the `prepare-commit-msg` hook
 * keeps beside the message file (`.git/COMMIT_EDITMSG.ai-provenance-template`),
 * so the `commit-msg` guard can tell whether the person edited the template.
 */
export const TEMPLATE_COPY_SUFFIX = '.ai-provenance-template';

/** Suffix of the file a previous hook is moved to; ours runs it first. */
export const CHAINED_SUFFIX = '.ai-provenance-chained';

/**
 * Trailers another `commit-msg` hook adds to every message it sees (Gerrit's
 * `Change-Id`). When the person wrote nothing, such a line came from that
 * hook, not from them, and must not keep an empty message from aborting.
 */
export const HOOK_ADDED_KEYS: readonly string[] = ['change-id'];

/** Git's scissors line body (`<comment char> ------------------------ >8 ------------------------`). */
const SCISSORS = ' ------------------------ >8 ------------------------';

/** The part of a message git keeps: everything above the scissors line (`commit -v` puts the diff below it). */
export function aboveScissors(msg: string, commentChar: string): string {
  const marker = `${commentChar}${SCISSORS}`;
  const lines = msg.split('\n');
  const at = lines.findIndex((l) => l === marker || l === `${marker}\r`);
  return at < 0 ? msg : lines.slice(0, at).join('\n');
}

/** The lines git keeps after cleanup: not comments, not below the scissors. */
function keptLines(msg: string, commentChar: string): string[] {
  return aboveScissors(msg, commentChar)
    .split('\n')
    .filter((l) => !l.startsWith(commentChar));
}

/** True when the message has no text of its own: only blank lines and comments (the editor template). */
export function hasNoContent(msg: string, commentChar: string): boolean {
  return keptLines(msg, commentChar).every((l) => l.trim() === '');
}

const OUR_KEYS = [TRAILER_KEY, ASSISTED_BY_KEY].map((k) => k.toLowerCase());

function trailerKey(line: string): string | undefined {
  const m = /^([A-Za-z0-9-]+)[ \t]*:/.exec(line);
  return m ? m[1].toLowerCase() : undefined;
}

/** True when the message already carries an `AI-Provenance` line. */
export function hasProvenanceTrailer(msg: string, commentChar: string): boolean {
  const key = TRAILER_KEY.toLowerCase();
  return keptLines(msg, commentChar).some((l) => trailerKey(l) === key);
}

/**
 * When everything a person could have written is gone and only our trailers
 * (and `Signed-off-by:`, which git itself ignores here, and the `hookAdded`
 * trailers another hook put in) are left, returns the message without our
 * trailers and those, so that git's "empty message aborts the
 * commit" rule still holds. Otherwise `undefined`: the message stays as it is.
 */
export function withoutLoneTrailers(msg: string, commentChar: string, hookAdded: readonly string[] = []): string | undefined {
  const kept = keptLines(msg, commentChar);
  let ours = 0;
  for (const l of kept) {
    if (l.trim() === '') continue;
    const key = trailerKey(l);
    if (key !== undefined && OUR_KEYS.includes(key)) ours++;
    else if (key !== 'signed-off-by' && !(key !== undefined && hookAdded.includes(key))) return undefined;
  }
  if (ours === 0) return undefined;
  return withoutOurTrailers(msg, commentChar, hookAdded);
}

/** The message without our trailer lines (comments and anything below the scissors kept as they are). */
export function withoutOurTrailers(msg: string, commentChar: string, alsoKeys: readonly string[] = []): string {
  const limit = aboveScissors(msg, commentChar).split('\n').length;
  return msg
    .split('\n')
    .filter((l, i) => {
      if (i >= limit || l.startsWith(commentChar)) return true;
      const key = trailerKey(l);
      return key === undefined || !(OUR_KEYS.includes(key) || alsoKeys.includes(key));
    })
    .join('\n');
}

/**
 * The message as git's default cleanup leaves it, for comparing two
 * messages: comments and what is below the scissors dropped, trailing space
 * trimmed, runs of blank lines made one, blank lines at either end removed,
 * and `Signed-off-by` lines dropped (git's "did you edit the template" test
 * ignores them too).
 */
export function cleanedForComparison(msg: string, commentChar: string): string {
  const out: string[] = [];
  for (const raw of keptLines(msg, commentChar)) {
    const l = raw.trimEnd();
    if (trailerKey(l) === 'signed-off-by') continue;
    if (l === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(l);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/**
 * When the message is still the commit template it started as, except for
 * our trailers, returns it without them, so that git's "you did not edit the
 * message" abort still happens. Otherwise `undefined`.
 */
export function untouchedTemplate(msg: string, original: string, commentChar: string): string | undefined {
  const without = withoutOurTrailers(msg, commentChar);
  if (without === msg) return undefined;
  return cleanedForComparison(without, commentChar) === cleanedForComparison(withoutOurTrailers(original, commentChar), commentChar) ? without : undefined;
}

/**
 * The trailer block for a message that has no content yet, laid out as
 * `commit -s` does: an empty subject line, a blank line, the trailers, then
 * whatever comments were there. The subject the person types so lands in a
 * paragraph of its own and the trailers stay trailers. (`interpret-trailers`
 * would put them right under the first line, where they would join the
 * subject's paragraph.)
 */
export function openTrailerBlock(msg: string, trailers: readonly string[]): string {
  const rest = msg.replace(/^[ \t\r\n]*/, '');
  return `\n\n${trailers.join('\n')}\n${rest ? `\n${rest}` : ''}`;
}

/** A text as the latin1 string of its UTF-8 bytes: how a line of ours joins a message held as latin1. */
export function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Prefixes git itself writes, which make a paragraph with only 25% trailers a trailer block (trailer.c). */
const GIT_GENERATED_PREFIXES = ['Signed-off-by: ', '(cherry picked from commit '];

/** A trailer line by git's default rules: a token of letters, digits and `-`, optional blanks, then `:`. */
function isTrailerLine(line: string): boolean {
  return /^[A-Za-z0-9-]+[ \t]*:/.test(line);
}

/**
 * Where the part of a message that trailers belong to ends: before the
 * scissors line, and before the comments and blank lines at its end (git's
 * `ignore_non_trailer`). An index into `lines`.
 */
function trailerAreaEnd(lines: readonly string[], cc: string): number {
  const marker = `${cc}${SCISSORS}`;
  let end = lines.findIndex((l) => l === marker || l === `${marker}\r`);
  if (end < 0) end = lines.length;
  while (end > 0 && (lines[end - 1].trim() === '' || lines[end - 1].startsWith(cc))) end--;
  return end;
}

/**
 * Whether the paragraph `lines[start, end)` is a trailer block as git reads
 * one with its default configuration (trailer.c): every line a trailer (or a
 * continuation), or at least a quarter of them with one git wrote itself.
 */
function isTrailerBlock(lines: readonly string[], start: number, end: number, cc: string): boolean {
  let trailers = 0;
  let others = 0;
  let continuations = 0;
  let generated = false;
  for (let i = start; i < end; i++) {
    const l = lines[i];
    if (l.startsWith(cc)) {
      others += continuations;
      continuations = 0;
    } else if (GIT_GENERATED_PREFIXES.some((p) => l.startsWith(p))) {
      trailers++;
      continuations = 0;
      generated = true;
    } else if (isTrailerLine(l)) {
      trailers++;
      continuations = 0;
    } else if (l[0] === ' ' || l[0] === '\t') continuations++;
    else {
      others += 1 + continuations;
      continuations = 0;
    }
  }
  others += continuations;
  return trailers > 0 && (others === 0 || (generated && trailers * 3 >= others));
}

/** The first line of the last paragraph before `end`, or `undefined` when that paragraph is the subject's. */
function lastParagraphStart(lines: readonly string[], end: number, cc: string): number | undefined {
  let titleEnd = 0;
  while (titleEnd < end && (lines[titleEnd].startsWith(cc) || lines[titleEnd].trim() !== '')) titleEnd++;
  let start = end;
  while (start > titleEnd && lines[start - 1].trim() !== '') start--;
  return start > titleEnd ? start : undefined;
}

/**
 * Adds our trailer lines to a message that has text of its own, touching no
 * other byte: `AI-Provenance` replaces the one in the trailer block (any
 * more are removed), each `Assisted-by` value is added unless the block
 * already has it, and without a trailer block a new paragraph holds them. The
 * user's `trailer.*` configuration plays no part: every line that is not ours
 * stays exactly as written. Lines keep the message's own line ending.
 */
export function insertTrailers(msg: string, cc: string, provenance: string, tools: readonly string[]): string {
  const lines = msg.split('\n');
  const end = trailerAreaEnd(lines, cc);
  const eol = end > 0 && lines[end - 1].endsWith('\r') ? '\r\n' : '\n';
  const start = lastParagraphStart(lines, end, cc);
  const block = start !== undefined && isTrailerBlock(lines, start, end, cc) ? start : end;
  const key = TRAILER_KEY.toLowerCase();
  const assisted = ASSISTED_BY_KEY.toLowerCase();
  const present = new Set<string>();
  let replaced = false;
  const kept: string[] = lines.slice(0, block);
  for (let i = block; i < end; i++) {
    const l = lines[i];
    const k = trailerKey(l);
    if (k === assisted) present.add(l.slice(l.indexOf(':') + 1).trim());
    if (k !== key) kept.push(l);
    else if (!replaced) {
      kept.push(`${TRAILER_KEY}: ${provenance}${l.endsWith('\r') ? '\r' : ''}`);
      replaced = true;
    }
  }
  const added = [...(replaced ? [] : [`${TRAILER_KEY}: ${provenance}`]), ...tools.filter((t) => !present.has(t)).map((t) => `${ASSISTED_BY_KEY}: ${t}`)];
  if (added.length === 0) return [...kept, ...lines.slice(end)].join('\n');
  // The last line kept already has its own ending but for the `\n`; a new paragraph gets a blank line first.
  const body = `${kept.join('\n')}\n${block < end ? '' : eol}${added.join(eol)}${eol}`;
  // What follows (blank lines, comments, the scissors and below) as it was.
  return end < lines.length ? body + lines.slice(end).join('\n') : body;
}
