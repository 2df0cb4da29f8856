import { alignLines, hashLine } from './ledger';
import { splitLines } from './lines';
import { attrOfAdded } from './record';
import type { FileRecord, LineAttr } from './record';
import type { AddedLine } from './trailer';

/** A commit a rewritten commit came from: its version of the file and that file's record. */
export interface CarrySource {
  readonly text: string;
  readonly file: FileRecord;
}

/** The lines of a text, without the empty one after a final line break. */
function contentLines(text: string): string[] {
  const lines = splitLines(text);
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/**
 * Where the lines of `text` were in `source` (1-based both ways): a line
 * diff, so lines keep their record however much moved around them; a line
 * whose text changed is no longer the same line and carries nothing.
 */
export function lineMap(sourceText: string, text: string): Map<number, number> {
  const src = contentLines(sourceText).map(hashLine);
  const cur = contentLines(text).map(hashLine);
  const map = new Map<number, number>();
  alignLines(src, cur).forEach((o, n) => {
    if (o >= 0) map.set(n + 1, o + 1);
  });
  return map;
}

/**
 * The record of a file's added lines in a rewritten commit. Each line is what
 * the editor's ledger says when it knows the line (`ai`, `mixed`, `human`);
 * otherwise what the first source (in priority order) that recorded the same
 * line says, when it says more than `unknown`; otherwise `unknown`.
 */
export function carryFile(path: string, text: string, added: readonly AddedLine[], sources: readonly CarrySource[]): FileRecord {
  const maps = sources.map((s) => lineMap(s.text, text));
  const lines = new Map<number, LineAttr>();
  for (const l of added) {
    const n = l.line + 1;
    let attr: LineAttr = attrOfAdded(l);
    if (attr.cls === 'unknown') {
      for (let k = 0; k < sources.length; k++) {
        const o = maps[k].get(n);
        const found = o === undefined ? undefined : sources[k].file.lines.get(o);
        if (found && found.cls !== 'unknown') {
          attr = found;
          break;
        }
      }
    }
    lines.set(n, attr);
  }
  return { path, lines };
}

/** The added lines of `added` that are also added against another parent: in a merge, the lines neither side had. */
export function onlyNew(added: readonly AddedLine[], alsoAdded: ReadonlySet<number>): AddedLine[] {
  return added.filter((l) => alsoAdded.has(l.line));
}
