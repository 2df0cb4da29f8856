import { classifyChange, contentLines, looksTyped, MIN_NOVEL_CHARS, novelChars } from './classify';
import { OFFER_DETAIL, offerFor, SPREAD_MS, type CodeActionAsk, type CodeActionOffer } from './codeActions';
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
 * The word the person is typing: the characters they typed (offsets `start` to `end`) since their last
 * keystroke that was not a letter, digit, `_` or `$`, with nothing else changing the document since.
 */
export interface TypedWord {
  readonly start: number;
  readonly end: number;
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
  /** The word the person was typing before this event, if nothing else changed the document since. */
  readonly word?: TypedWord;
  /** The cursors' offsets before the change. */
  readonly cursors: readonly number[];
  /**
   * Whether the language tools report a problem on the cursor's line (or next to it) and the change is
   * within a few lines of it: where a quick fix picked with the mouse lands. Asked lazily.
   */
  nearProblem?(offset: number): boolean;
  /** VS Code's recent requests to our code action provider for this document, since its last edit. */
  readonly codeActions?: readonly CodeActionAsk[];
  /** Milliseconds since a code action on offer explained an edit to some document (see {@link offerOf}). */
  readonly sinceCodeAction?: number;
  /** The snippet VS Code knows that a change's text is exactly an expansion of, inserted where it was. Asked lazily. */
  snippet?(change: ContentChange): SnippetMatch | undefined;
  /** The runs of the text a change replaces (or of any range of the text before the event), before the event is applied. Asked lazily. */
  replaced?(change: ContentChange): readonly Run[] | undefined;
  /** The text a change replaces, when the capture layer still knows it. Asked lazily. */
  replacedText?(change: ContentChange): string | undefined;
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
  const codeAction = offerOf(s);
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
    replacesTypedWord: replacesWord(s, c),
    novelty: novelty(c.text),
    nearProblem: () => s.nearProblem?.(c.rangeOffset) ?? false,
    snippet: () => s.snippet?.(c),
    // Offsets of a change after the first are those of the text before the event only when it is alone.
    replaced: () => (s.changes.length === 1 ? s.replaced?.(c) : undefined),
    replacedText: () => (s.changes.length === 1 ? s.replacedText?.(c) : undefined),
    partOfBlockEdit,
    codeAction,
    dropped: dropped && dropped.insert === i ? dropped.text : undefined,
    at: s.now,
  }));
}

/** Whether a change replaces exactly the word the person was typing, with the one cursor at its end. */
function replacesWord(s: ChangeSnapshot, c: ContentChange): boolean {
  const w = s.word;
  return !!w && s.cursors.length === 1 && s.cursors[0] === w.end && c.rangeOffset === w.start && c.rangeLength === w.end - w.start;
}

/** Characters that continue a word being typed (identifiers in most languages). */
const WORD_CHARS = /^[\p{L}\p{N}_$]+$/u;

/**
 * The word the person is typing after an event: a typed word character extends the word when typed at
 * its end, or starts one; Backspace at its end shortens it. Anything else (another keystroke, a
 * command, an edit from anywhere, several changes at once) ends it.
 */
export function nextTypedWord(prev: TypedWord | undefined, changes: readonly ContentChange[], typed: boolean): TypedWord | undefined {
  if (!typed || changes.length !== 1) return undefined;
  const c = changes[0];
  if (c.rangeLength === 0 && WORD_CHARS.test(c.text)) {
    const start = prev && c.rangeOffset === prev.end ? prev.start : c.rangeOffset;
    return { start, end: c.rangeOffset + c.text.length };
  }
  if (prev && c.text === '' && c.rangeOffset + c.rangeLength === prev.end && c.rangeOffset > prev.start) return { start: prev.start, end: c.rangeOffset };
  return undefined;
}

/**
 * Whether an event can be a code action's rather than a keystroke's: something larger than one key
 * inserts or deletes (a keystroke where a lightbulb shows must not let other documents' edits follow it).
 */
function actionLike(s: ChangeSnapshot): boolean {
  return s.changes.some((c) => !looksTyped(c.text) || c.rangeLength > 2);
}

/** The code action on offer for a whole event (one WorkspaceEdit): in this document, or one that just edited another. */
export function offerOf(s: ChangeSnapshot): CodeActionOffer | undefined {
  const here = s.codeActions ? offerFor(s.codeActions, s.changes, s.now) : undefined;
  if (here) return here;
  return s.sinceCodeAction !== undefined && s.sinceCodeAction >= 0 && s.sinceCodeAction <= SPREAD_MS ? 'spread' : undefined;
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

/**
 * The edits of one event for the span model, the line of the last typed change (-1 if none was typed),
 * and the word the person is typing after it.
 */
export interface ClassifiedEvent {
  readonly edits: TextEdit[];
  readonly typedLine: number;
  readonly word: TypedWord | undefined;
  /** The code action on offer where an event larger than a keystroke landed, if any (the tracker lets other documents' edits follow it). */
  readonly codeAction?: CodeActionOffer;
}

/** Classifies each change of an event and turns it into an edit of the span model. */
export function classifyEvent(s: ChangeSnapshot, options: ClassifierOptions, pool: EvidencePool): ClassifiedEvent {
  const lineOf = lastLineOf(s);
  const facts = gatherFacts(s, lineOf);
  let typedLine = -1;
  let allTyped = true;
  let byOffer = false;
  const edits = s.changes.map((c, i): TextEdit => {
    const cls = classifyChange(facts[i], options);
    const typed = 'ev' in cls && cls.ev.origin === 'typed';
    allTyped &&= typed;
    byOffer ||= !!facts[i].codeAction && (c.text === '' || ('ev' in cls && cls.ev.detail === OFFER_DETAIL[facts[i].codeAction!]));
    if (typed && c.text.length > 0) typedLine = lineOf(c.rangeOffset);
    const insert: readonly Run[] = 'runs' in cls ? cls.runs : c.text.length > 0 ? [{ len: c.text.length, ev: pool.intern(cls.ev) }] : [];
    return { offset: c.rangeOffset, deleteLength: c.rangeLength, insert };
  });
  return { edits, typedLine, word: nextTypedWord(s.word, s.changes, allTyped), codeAction: byOffer && actionLike(s) ? facts[0]?.codeAction : undefined };
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
