import { alignLines, hashLine } from './ledger';
import { splitLines } from './lines';

/**
 * The character ranges (`[offset, length]`, line breaks excluded) of the
 * non-empty lines of `text` that equal a line of the committed text `head`
 * where a line diff aligns them: text the commit already holds, which
 * carries no mark.
 */
export function committedLineRanges(head: string, text: string): Array<[number, number]> {
  const lines = splitLines(text);
  const map = alignLines(splitLines(head).map(hashLine), lines.map(hashLine));
  const ranges: Array<[number, number]> = [];
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    if (map[i] >= 0 && lines[i].length > 0) ranges.push([offset, lines[i].length]);
    offset += lines[i].length + 1 + (text.charCodeAt(offset + lines[i].length) === 13 ? 1 : 0);
  }
  return ranges;
}
