import { classifyChange, contentLines, MIN_NOVEL_CHARS, novelChars } from './classify';
import type { ChangeFact, ClassifierOptions, EditSource, EvidencePool, Intent } from './classify';
import { dropOf, type DroppedText, type SelectedText } from './dragDrop';
import type { Evidence } from './origin';
import type { SnippetMatch } from './snippets';
import type { Run, SpanModel, TextEdit } from './spans';

/** One content change of an editor event, in the editor's own terms (VS Code's content changes fit as they are). */
export interface ContentChange {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/** Where and when the person last typed in a document (a change classified as typed). */
export interface TypingMark {
  readonly at: number;
  readonly line: number;
}

/**
 * What the capture layer knows at one change event: the changes and the
 * document's state around them. The two functions are asked lazily, so a
 * keystroke costs no scan of the document.
 */
export interface ChangeSnapshot {
  readonly changes: readonly ContentChange[];
  readonly intent?: Intent;
  readonly editSource?: EditSource;
  /** The document is between will-save and did-save. */
  readonly saving: boolean;
  /** A chat editing session holds the file. */
  readonly chatSession: boolean;
  /** An editor shows the document. */
  readonly visible: boolean;
  readonly typing?: TypingMark;
  /** The cursors' offsets before the change. */
  readonly cursors: readonly number[];
  /**
   * Whether the language tools report a problem on the cursor's line (or next to it) and the change is
   * within a few lines of it: where a quick fix picked with the mouse lands. Asked lazily.
   */
  nearProblem?(offset: number): boolean;
  /** The snippet VS Code knows that a change's text is exactly an expansion of, inserted where it was. Asked lazily. */
  snippet?(change: ContentChange): SnippetMatch | undefined;
  /** The runs of the text a change replaces (or of any range of the text before the event), before the event is applied. Asked lazily. */
  replaced?(change: ContentChange): readonly Run[] | undefined;
  /** The non-empty selections before the event, with their text, when nothing changed the document since they were read. */
  readonly selections?: readonly SelectedText[];
  readonly now: number;
  /** The line of an offset in the document after the change. */
  lineOf(offset: number): number;
  /** The document's text after the change. */
  text(): string;
}

/** How many lines from the last typing still count as near it. */
export const NEAR_LINES = 3;

/** The facts of each change of one event, in order, for {@link classifyChange}. */
export function gatherFacts(s: ChangeSnapshot, lineOf: (offset: number) => number = (o) => s.lineOf(o)): ChangeFact[] {
  let docText: string | undefined;
  // Asked only for unexplained multi-line edits: a scan of the document.
  const novelty = (inserted: string) => (): number => novelChars((docText ??= s.text()), inserted);
  // One WorkspaceEdit that inserts a new multi-line block: its one-line changes belong with it.
  const partOfBlockEdit =
    !s.intent && s.changes.length > 1 && s.changes.some((c) => contentLines(c.text) >= 2 && novelty(c.text)() >= MIN_NOVEL_CHARS);
  const typed = s.typing;
  const dropped = droppedText(s);
  return s.changes.map((c, i) => ({
    text: c.text,
    rangeLength: c.rangeLength,
    intent: s.intent,
    editSource: s.editSource,
    saving: s.saving,
    chatSession: s.chatSession,
    visible: s.visible,
    sinceTyping: typed === undefined ? undefined : s.now - typed.at,
    nearTyping: typed !== undefined && Math.abs(lineOf(c.rangeOffset) - typed.line) <= NEAR_LINES,
    atCursor: s.cursors.some((o) => o >= c.rangeOffset && o <= c.rangeOffset + c.rangeLength),
    novelty: novelty(c.text),
    nearProblem: () => s.nearProblem?.(c.rangeOffset) ?? false,
    snippet: () => s.snippet?.(c),
    // Offsets of a change after the first are those of the text before the event only when it is alone.
    replaced: () => (s.changes.length === 1 ? s.replaced?.(c) : undefined),
    partOfBlockEdit,
    dropped: dropped && dropped.insert === i ? dropped.text : undefined,
    at: s.now,
  }));
}

/** Whether the event is a drag and drop of a selection (see {@link dropOf}): which change inserts it, and (lazily) what it held. */
function droppedText(s: ChangeSnapshot): { insert: number; text: () => DroppedText | undefined } | undefined {
  const drop = s.selections && dropOf(s.changes, s.selections);
  if (!drop) return undefined;
  const { offset, text } = drop.source;
  return {
    insert: drop.insert,
    text: () => {
      const runs = s.replaced?.({ rangeOffset: offset, rangeLength: text.length, text: '' });
      return runs && { kind: drop.kind, text, runs };
    },
  };
}

/** The edits of one event for the span model, and the line of the last typed change (-1 if none was typed). */
export interface ClassifiedEvent {
  readonly edits: TextEdit[];
  readonly typedLine: number;
}

/** Classifies each change of an event and turns it into an edit of the span model. */
export function classifyEvent(s: ChangeSnapshot, options: ClassifierOptions, pool: EvidencePool): ClassifiedEvent {
  const lineOf = lastLineOf(s);
  const facts = gatherFacts(s, lineOf);
  let typedLine = -1;
  const edits = s.changes.map((c, i): TextEdit => {
    const cls = classifyChange(facts[i], options);
    if ('ev' in cls && cls.ev.origin === 'typed' && c.text.length > 0) typedLine = lineOf(c.rangeOffset);
    const insert: readonly Run[] = 'runs' in cls ? cls.runs : c.text.length > 0 ? [{ len: c.text.length, ev: pool.intern(cls.ev) }] : [];
    return { offset: c.rangeOffset, deleteLength: c.rangeLength, insert };
  });
  return { edits, typedLine };
}

/** `lineOf` that remembers its last answer: the classifier and the typing mark ask for the same change's line. */
function lastLineOf(s: ChangeSnapshot): (offset: number) => number {
  let offset = -1;
  let line = 0;
  return (o) => {
    if (o !== offset) {
      line = s.lineOf(o);
      offset = o;
    }
    return line;
  };
}

/** Applies an undo or redo to a model: what its history recorded comes back; what it did not is unknown. False when the history did not match. */
export function replayHistory(model: SpanModel, changes: readonly ContentChange[], which: 'undo' | 'redo', now: number): boolean {
  const shapes = changes.map((c) => ({ offset: c.rangeOffset, deleteLength: c.rangeLength, insertLength: c.text.length }));
  const fallback: Evidence = { origin: 'unknown', confidence: 'unknown', detail: `restored by ${which}; the edit it restores was not recorded`, at: now };
  return which === 'undo' ? model.undo(shapes, fallback) : model.redo(shapes, fallback);
}
