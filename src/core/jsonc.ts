/**
 * JSON with comments and trailing commas (VS Code's snippet and settings
 * files) to plain JSON: comments become spaces, commas before `}` or `]` go.
 * Strings are kept as they are. Throws what `JSON.parse` throws.
 */
export function parseJsonc(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      i = commentEnd(text, i);
      out += ' ';
    } else {
      const trailingComma = c === ',' && /[}\]]/.test(text[significantAfter(text, i + 1)] ?? '');
      if (!trailingComma) out += c;
      i++;
    }
  }
  return JSON.parse(out) as unknown;
}

/** The index just past the string literal that starts at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(text.length, i + 1);
}

/** The index just past the comment that starts at `start` (`//` or `/*`). */
function commentEnd(text: string, start: number): number {
  if (text[start + 1] === '/') {
    const nl = text.indexOf('\n', start);
    return nl < 0 ? text.length : nl;
  }
  const end = text.indexOf('*/', start + 2);
  return end < 0 ? text.length : end + 2;
}

/** The index of the first character at or after `from` that is neither white space nor in a comment. */
function significantAfter(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (/\s/.test(text[i])) i++;
    else if (text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) i = commentEnd(text, i);
    else break;
  }
  return i;
}
