import type { ContentChange } from './changeFacts';
import type { Run } from './spans';

/** A non-empty selection as it was before a change event, with its text. */
export interface SelectedText {
  /** Offset of its start in the text before the event. */
  readonly offset: number;
  readonly text: string;
}

/**
 * A drag and drop of selected text with the mouse (`editor.dragAndDrop`, on by
 * default), recognised in one change event: VS Code's drop inserts the dragged
 * selection's text at the drop point and, for a move, deletes the selection in
 * the same edit; a copy (Ctrl, Alt on macOS, held at the drop) only inserts.
 */
export interface Drop {
  readonly kind: 'move' | 'copy';
  /** Index, in the event's changes, of the change that inserts the dragged text. */
  readonly insert: number;
  /** The dragged selection, in offsets of the text before the event. */
  readonly source: SelectedText;
}

/** The text a drop inserted, as the dragged selection held it: its text and runs before the event. */
export interface DroppedText {
  readonly kind: Drop['kind'];
  readonly text: string;
  readonly runs: readonly Run[];
}

/** Equal, or equal once line endings are normalised (the editor writes the document's own). */
export function sameDroppedText(selected: string, inserted: string): boolean {
  return selected === inserted || selected.replace(/\r\n/g, '\n') === inserted.replace(/\r\n/g, '\n');
}

const isDeletion = (c: ContentChange): boolean => c.text === '' && c.rangeLength > 0;
const isInsertion = (c: ContentChange): boolean => c.text !== '' && c.rangeLength === 0;

/**
 * The drop an event is, when it has exactly a drop's shape and text: a move is
 * two changes, the deletion of a selection the person had (same start, same
 * length) and the insertion of that selection's text outside it; a copy is one
 * insertion of a selection's text outside it or at one of its ends. Anything
 * else (another shape, other text, selections read before an earlier change)
 * is no drop.
 */
export function dropOf(changes: readonly ContentChange[], selections: readonly SelectedText[]): Drop | undefined {
  if (selections.length === 0) return undefined;
  if (changes.length === 2) {
    const del = changes.findIndex(isDeletion);
    const ins = 1 - del;
    if (del < 0 || !isInsertion(changes[ins])) return undefined;
    const d = changes[del];
    const i = changes[ins];
    const source = selections.find((s) => s.offset === d.rangeOffset && s.text.length === d.rangeLength && sameDroppedText(s.text, i.text));
    // A move drops outside the selection: a drop inside it (or on its ends) moves nothing.
    if (!source || (i.rangeOffset >= d.rangeOffset && i.rangeOffset <= d.rangeOffset + d.rangeLength)) return undefined;
    return { kind: 'move', insert: ins, source };
  }
  if (changes.length === 1 && isInsertion(changes[0])) {
    const i = changes[0];
    const source = selections.find((s) => sameDroppedText(s.text, i.text) && (i.rangeOffset <= s.offset || i.rangeOffset >= s.offset + s.text.length));
    return source && { kind: 'copy', insert: 0, source };
  }
  return undefined;
}
