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
