import { toolLabel } from '../../core/blame';
import type { LineProvenance, LineReview } from '../../core/blame';
import type { FileBlame } from './lines';

/** A review as JSON reports give it: who, and when (ISO 8601; null when the record does not say). */
export function reviewJson(r: LineReview | undefined): { by: string; at: string | null } | null {
  return r ? { by: r.by, at: r.at > 0 ? new Date(r.at).toISOString() : null } : null;
}

/** The `blame --json` document: exactly `{ file, rev, lines: [{ line, commit, class, origin, tool, reviewed }] }`. */
export function blameJson(b: FileBlame): unknown {
  return {
    file: b.path,
    rev: b.rev ?? null,
    lines: b.lines.map((l) => ({ line: l.line, commit: l.commit, class: l.class, origin: l.origin ?? null, tool: toolLabel(l) ?? null, reviewed: reviewJson(l.reviewed) })),
  };
}

/** ✓ reviewed, · AI text nobody marked as reviewed, blank otherwise. */
function reviewMark(l: LineProvenance): string {
  if (l.class !== 'ai' && l.class !== 'mixed') return ' ';
  return l.reviewed ? '✓' : '·';
}

const ANSI = { ai: (s: string) => `\x1b[35m${s}\x1b[39m`, dim: (s: string) => `\x1b[2m${s}\x1b[22m`, green: (s: string) => `\x1b[32m${s}\x1b[39m` };

/**
 * The terminal table: like `git blame`, one row per line (short commit,
 * class, origin, tool, review mark, line number, then the line's text).
 */
export function formatBlame(b: FileBlame, color: boolean): string {
  const shaWidth = 8;
  const toolWidth = Math.max(4, ...b.lines.map((l) => (toolLabel(l) ?? '-').length));
  const numWidth = String(b.lines.length).length;
  const rows = b.lines.map((l, i) => {
    const ai = l.class === 'ai' || l.class === 'mixed';
    const cells = `${l.class.padEnd(7)} ${(l.origin ?? '-').padEnd(13)} ${(toolLabel(l) ?? '-').padEnd(toolWidth)}`;
    const mark = reviewMark(l);
    const paint = (s: string): string => (!color ? s : ai ? ANSI.ai(s) : ANSI.dim(s));
    return `${l.commit.slice(0, shaWidth)} ${paint(cells)} ${color && mark === '✓' ? ANSI.green(mark) : mark} ${String(l.line).padStart(numWidth)}) ${b.text[i] ?? ''}`;
  });
  return rows.length > 0 ? `${rows.join('\n')}\n` : '';
}
