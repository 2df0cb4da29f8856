import { OFFER_DETAIL, type CodeActionOffer } from './codeActions';
import type { Evidence } from './origin';
import { carryLineRuns, fitRuns, sameModuloIndent, type LineSource } from './copyRecord';
import type { DroppedText } from './dragDrop';
import { fitCopy, holdsAi, rearrangedRuns } from './rearrange';
import type { SnippetMatch } from './snippets';
import { normalize, runsLength, type Run } from './spans';

/** What the user did just before a change, as the capture layer saw it. */
export type Intent =
  | {
      readonly kind: 'inline-accept';
      /** Which accept command ran: the whole suggestion, its next word, or its next line. */
      readonly variant: 'full' | 'word' | 'line';
      readonly at: number;
    }
  | {
      readonly kind: 'paste';
      readonly at: number;
      /** The clipboard text as the paste provider saw it. */
      readonly text: string;
      /** The origins of the copied text when the copy came from this editor (our stamp), else null. */
      readonly stamped: readonly Run[] | null;
      /** The clipboard carries our stamp but its origins are gone (the window reloaded since the copy). */
      readonly stampLost?: boolean;
      /** The stamp named a copy whose runs could not be laid over the clipboard text: whether they held AI text. */
      readonly unfitted?: 'ai' | 'human';
    }
  | {
      /** A non-AI tool the person drove: IntelliSense accept, rename, format, code action. */
      readonly kind: 'ide';
      /** What ran, in words for the hover (`accepted an IntelliSense suggestion`). */
      readonly what: string;
      readonly at: number;
      /** Some tools (rename, code actions) edit other documents too. */
      readonly anyDocument: boolean;
      /** A line command (move, copy, sort, comment…): the lines around the selections before it ran, whose runs moved text keeps. */
      readonly carry?: readonly LineSource[];
    };

/** VS Code's own label for an edit (proposed `detailedReason`), when available. */
export interface EditSource {
  readonly source: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** One content change as plain facts. */
export interface ChangeFact {
  /** The inserted text. */
  readonly text: string;
  /** How many characters the change replaced. */
  readonly rangeLength: number;
  /** The intent recorded just before the change, if any is still fresh. */
  readonly intent?: Intent;
  /** VS Code's label for the edit, when the proposed API gives one and the user allows it. */
  readonly editSource?: EditSource;
  /** The document is being saved (between will-save and did-save): format on save, code actions on save. */
  readonly saving?: boolean;
  /** A chat editing session (a `chat-editing-*` document) holds this file. */
  readonly chatSession?: boolean;
  /** Milliseconds since the person last typed in this document; undefined if they have not. */
  readonly sinceTyping?: number;
  /** The change is within a few lines of where the person last typed. */
  readonly nearTyping?: boolean;
  /** The change touches the position of the cursor as it was before the change. */
  readonly atCursor?: boolean;
  /**
   * The change replaces exactly the word the person was typing (every character they typed since their
   * last other keystroke, nothing else changed since), and the one cursor was at its end.
   */
  readonly replacesTypedWord?: boolean;
  /**
   * Non-space characters of the inserted lines that appear nowhere else in the
   * document (lazy: only asked for unexplained multi-line edits).
   */
  readonly novelty?: () => number;
  /** A problem (diagnostic) is reported at the cursor and the change is next to it (lazy). */
  readonly nearProblem?: () => boolean;
  /** The snippet VS Code knows that the inserted text is exactly an expansion of (lazy). */
  readonly snippet?: () => SnippetMatch | undefined;
  /** The runs of the text the change replaces, before it is applied (lazy; undefined when not known). */
  readonly replaced?: () => readonly Run[] | undefined;
  /** The text the change replaces, when the capture layer still knows it (lazy; the lines around the cursor). */
  readonly replacedText?: () => string | undefined;
  /** This change inserts the text of a selection dragged and dropped with the mouse: what that selection held (lazy). */
  readonly dropped?: () => DroppedText | undefined;
  /** Another change of the same event inserts a new multi-line block (one WorkspaceEdit). */
  readonly partOfBlockEdit?: boolean;
  /** Whether an editor shows the document. */
  readonly visible?: boolean;
  /** A code action was on offer where the event landed (a menu, the lightbulb), or one just changed another document. */
  readonly codeAction?: CodeActionOffer;
  readonly at: number;
}

export type ExternalPastePolicy = 'ai' | 'unknown';

export interface ClassifierOptions {
  readonly externalPaste: ExternalPastePolicy;
}

/** The origin of inserted text: one piece of evidence, or runs inherited from a stamped copy. */
export type Classification = { readonly ev: Evidence } | { readonly runs: readonly Run[] };

/** How long an intent stays valid. Long enough for the edit to arrive, short enough never to label a later keystroke. */
export const INTENT_TTL_MS: Readonly<Record<Intent['kind'], number>> = {
  'inline-accept': 1500,
  paste: 3000,
  ide: 5000,
};

/** New content an unexplained multi-line edit needs before it counts as an agent's. */
export const MIN_NOVEL_CHARS = 16;

/** Lines with some non-space character in `text`. */
export function contentLines(text: string): number {
  let n = 0;
  for (const l of text.split('\n')) if (/\S/.test(l)) n++;
  return n;
}

/**
 * Non-space characters of the lines of `inserted` that appear nowhere else in
 * `documentText` (which already holds `inserted`): a copied or moved line is
 * not new content.
 */
export function novelChars(documentText: string, inserted: string): number {
  const counts = new Map<string, number>();
  for (const line of documentText.split('\n')) {
    const t = line.trim();
    if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  let n = 0;
  for (const line of inserted.split('\n')) {
    const t = line.trim();
    if (t && (counts.get(t) ?? 0) <= 1) n += t.replace(/\s+/g, '').length;
  }
  return n;
}

/**
 * An unexplained edit this soon after the person typed may be an extension
 * reacting to the typing (auto-rename of a closing tag, say): not AI.
 */
export const TYPING_WINDOW_MS = 500;

export function isFresh(intent: Intent, now: number): boolean {
  return now - intent.at >= 0 && now - intent.at <= INTENT_TTL_MS[intent.kind];
}

/**
 * Text a person plausibly produced with one keystroke: a character or two
 * (auto-closed pairs), a line break with indentation, or only white space
 * (which never decides a line's class).
 */
export function looksTyped(text: string): boolean {
  return text.length <= 2 || /^\s*$/.test(text);
}

/**
 * Facts to origin. The order is the order of the strength of evidence:
 * VS Code's own label, then an intercepted command or paste, then heuristics.
 */
export function classifyChange(fact: ChangeFact, options: ClassifierOptions): Classification {
  return byEditSource(fact) ?? byIntent(fact, options) ?? byDrop(fact) ?? byShape(fact);
}

/** VS Code's own label for the edit, when it names an inline accept or typing. */
function byEditSource(fact: ChangeFact): Classification | undefined {
  const { at } = fact;
  const src = fact.editSource;
  if (src) {
    if (src.source === 'inlineCompletionAccept' || src.source === 'inlineCompletionPartialAccept') {
      const ext = src.metadata?.['$extensionId'];
      const tool = typeof ext === 'string' && ext ? ext : undefined;
      return { ev: { origin: 'ai-completion', confidence: 'certain', detail: 'VS Code reported an inline suggestion accept', tool, at } };
    }
    if (src.source === 'cursor' && src.metadata?.['kind'] === 'type') {
      return { ev: { origin: 'typed', confidence: 'certain', detail: 'VS Code reported typing', at } };
    }
  }
  return undefined;
}

/** What the person asked for just before: a paste, an inline accept, an IDE tool; or a save in progress. */
function byIntent(fact: ChangeFact, options: ClassifierOptions): Classification | undefined {
  const { text, at } = fact;
  const intent = fact.intent;
  if (intent?.kind === 'paste' && sameModuloIndent(intent.text, text)) {
    if (intent.stamped) {
      // Auto-indent on paste and the document's line endings reshape the copy: lay its runs over what arrived.
      const fill: Evidence = { origin: 'paste', confidence: 'likely', detail: 'white space the editor adjusted when pasting text copied in this editor', at };
      const runs = fitCopy(intent.text, intent.stamped, text, fill);
      return runs ? { runs } : unfittedPaste(holdsAi(intent.stamped), at);
    }
    if (intent.unfitted) return unfittedPaste(intent.unfitted === 'ai', at);
    if (intent.stampLost) {
      return { ev: { origin: 'paste', confidence: 'likely', detail: 'pasted text copied in this editor; its origins were not kept (the window reloaded since the copy)', at } };
    }
    if (options.externalPaste === 'ai') {
      return {
        ev: {
          origin: 'ai-paste',
          confidence: 'likely',
          detail: 'pasted from outside the editor (no copy stamp); provenance.externalPaste treats such pastes as AI',
          at,
        },
      };
    }
    return { ev: { origin: 'unknown', confidence: 'unknown', detail: 'pasted from outside the editor (no copy stamp)', at } };
  }
  // An accept intent never claims what a keystroke could have produced: if the
  // accept made no edit, a key pressed right after must not become AI.
  if (intent?.kind === 'inline-accept' && !looksTyped(text)) {
    const what = intent.variant === 'full' ? 'an inline suggestion' : `the next ${intent.variant} of an inline suggestion`;
    return { ev: { origin: 'ai-completion', confidence: 'certain', detail: `accepted ${what} (accept command intercepted)`, at } };
  }
  if (intent?.kind === 'ide') {
    const ev: Evidence = { origin: 'ide', confidence: 'certain', detail: `${intent.what} (command intercepted)`, at };
    // Moved or copied lines keep their own origins: only what the command added is its own.
    if (!intent.carry) return { ev };
    // Joined or transposed text is no line it was: compare with the text it replaced, when known.
    return { runs: rearrangedIn(fact, ev) ?? carryLineRuns(intent.carry, text, ev) };
  }
  if (fact.saving) {
    return { ev: { origin: 'ide', confidence: 'likely', detail: 'changed while the file was being saved (format or code actions on save)', at } };
  }
  return undefined;
}

/**
 * A paste of text copied in this editor whose origins could not be laid over what arrived: the person's
 * paste when the copy held no AI text; with AI text in it, we cannot say which characters are whose.
 */
function unfittedPaste(ai: boolean, at: number): Classification {
  if (ai) {
    return { ev: { origin: 'unknown', confidence: 'unknown', detail: 'pasted text copied in this editor, with AI text in it; it changed on paste and its origins could not be laid over it', at } };
  }
  return { ev: { origin: 'paste', confidence: 'likely', detail: 'pasted text copied in this editor; its layout changed on paste', at } };
}

/**
 * Selected text dragged and dropped with the mouse keeps the origins it had:
 * moved, the runs its deletion removed; copied (Ctrl held), the runs of the
 * text it copies. Only what had no recorded origin (base text) becomes the
 * person's drop, as a cut and paste or a line command makes it theirs.
 */
function byDrop(fact: ChangeFact): Classification | undefined {
  const dropped = fact.dropped?.();
  if (!dropped) return undefined;
  // A copy is one insertion equal to a selection: a keystroke's worth of text (an auto-closed pair typed in
  // another editor of the document), or an edit in a file a chat session holds, is no sign of a drop.
  if (dropped.kind === 'copy' && (looksTyped(fact.text) || fact.chatSession || fact.visible === false)) return undefined;
  const how = dropped.kind === 'move' ? 'moved' : 'copied';
  const ev: Evidence = { origin: 'ide', confidence: 'likely', detail: `selected text ${how} by drag and drop with the mouse`, at: fact.at };
  const own = normalize(dropped.runs.map((r) => (r.ev ? r : { len: r.len, ev })));
  const runs = fitRuns(dropped.text, own, fact.text, ev);
  return runs ? { runs } : undefined;
}

/**
 * Insert Snippet from the palette, or a snippet picked without a key we wrap, lands at the cursor of a
 * document an editor shows (a hidden document's remembered cursor is no sign of the person) and is
 * exactly a snippet VS Code knows, expanded with its defaults. Replacing a selection, what a variable
 * matched is the text it wrapped (Surround With, `$TM_SELECTED_TEXT`): it keeps the replaced text's runs
 * when it is one piece as long as that text (a selection within a line); otherwise the rule stays out.
 */
function snippetClass(fact: ChangeFact): Classification | undefined {
  const snippet = fact.atCursor && fact.visible !== false ? fact.snippet?.() : undefined;
  if (!snippet) return undefined;
  const ev: Evidence = { origin: 'ide', confidence: 'likely', detail: `matched snippet "${snippet.name}" from ${snippet.from}: Insert Snippet or a snippet suggestion, as far as we can tell`, at: fact.at };
  if (fact.rangeLength === 0 || snippet.variables.length === 0) return { ev };
  const [wrapped] = snippet.variables;
  const replaced = fact.replaced?.();
  if (snippet.variables.length !== 1 || wrapped.length !== fact.rangeLength || !replaced || runsLength(replaced) !== fact.rangeLength) return undefined;
  const end = wrapped.offset + wrapped.length;
  // Text with no recorded origin that the snippet wrapped is the person's command's, as a line command's is.
  const kept = replaced.map((r) => ({ len: r.len, ev: r.ev ?? ev }));
  return { runs: [{ len: wrapped.offset, ev }, ...kept, { len: fact.text.length - end, ev }].filter((r) => r.len > 0) };
}

/** Nothing the person asked for explains the edit: its shape and where it happened decide. */
function byShape(fact: ChangeFact): Classification {
  const { text, at } = fact;
  // A keystroke over a selection is typing, even when it happens to keep the selection's characters.
  const moved = looksTyped(text) && text.length !== fact.rangeLength ? undefined : rearranged(fact);
  if (moved) return moved;
  if (looksTyped(text)) {
    return { ev: { origin: 'typed', confidence: 'likely', detail: 'a small edit with no command or paste before it', at } };
  }
  if (fact.chatSession) {
    return { ev: { origin: 'ai-chat', confidence: 'likely', detail: 'an edit to a file a chat editing session holds, with no keystroke, command or paste before it', at } };
  }
  const snippet = snippetClass(fact);
  if (snippet) return snippet;
  // Nothing the person did explains the edit. Only new multi-line content is an agent's
  // mark: small edits and rearrangements are what editor commands do (toggle comment,
  // copy or move lines, replace all, organize imports, a quick fix picked with the mouse).
  const suggest = suggestAccept(fact);
  if (suggest) return { ev: { origin: 'ide', confidence: 'likely', detail: suggest, at } };
  // A code action picked with the mouse runs no key we wrap: an edit where one was on offer is taken for
  // it, however far from the cursor it lands or whatever file it writes (a person's IDE action must never
  // be called AI; an agent's edit there is missed instead).
  if (fact.codeAction) {
    return { ev: { origin: 'ide', confidence: 'likely', detail: OFFER_DETAIL[fact.codeAction], at } };
  }
  const multiLine = contentLines(text) >= 2;
  if (!multiLine && !fact.partOfBlockEdit) {
    return { ev: { origin: 'unknown', confidence: 'unknown', detail: 'a small edit with no keystroke, command or paste before it (an editor command we do not see, or an extension)', at } };
  }
  if (multiLine && fact.rangeLength > 0 && fact.rangeLength >= text.length - 2) {
    return { ev: { origin: 'unknown', confidence: 'unknown', detail: 'existing lines rewritten in place (moved, sorted or organized by a command we do not see, or an extension)', at } };
  }
  if (multiLine && fact.novelty && fact.novelty() < MIN_NOVEL_CHARS) {
    return { ev: { origin: 'unknown', confidence: 'unknown', detail: 'lines that already exist elsewhere in the file (copied or moved by a command we do not see)', at } };
  }
  if (fact.visible === false) {
    return { ev: { origin: 'ai-chat', confidence: 'likely', detail: 'an edit to a document no editor shows, with no command or paste before it (an extension or agent)', at } };
  }
  // Something reacting to typing edits a little, or near where the person typed;
  // a block of several lines elsewhere is not that.
  if (fact.sinceTyping !== undefined && fact.sinceTyping <= TYPING_WINDOW_MS && (!text.includes('\n') || fact.nearTyping)) {
    return { ev: { origin: 'unknown', confidence: 'unknown', detail: 'a larger edit right after typing, by something reacting to it that we do not recognise', at } };
  }
  if (fact.atCursor) {
    return { ev: { origin: 'unknown', confidence: 'unknown', detail: 'a larger edit at the cursor by a command we do not recognise (a snippet, say)', at } };
  }
  // The lightbulb's quick fixes are picked with the mouse, which no keybinding sees: an edit next to a
  // problem at the cursor is taken for one (a person's IDE action must never be called AI).
  if (fact.nearProblem?.()) {
    return { ev: { origin: 'ide', confidence: 'likely', detail: 'an edit next to a problem reported at the cursor, with no keystroke or command we saw: a quick fix picked with the mouse, as far as we can tell', at } };
  }
  return { ev: { origin: 'ai-chat', confidence: 'likely', detail: 'an edit away from the cursor with no typing, command or paste behind it (an extension or agent)', at } };
}

/** One name, as IntelliSense inserts it: an identifier, or a function's name with its call's `()`. */
const SUGGESTED_NAME = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const SUGGESTED_CALL = /^[\p{L}_$][\p{L}\p{N}_$]*\(\)$/u;

/**
 * Existing text rearranged in place by a command we did not see run (Sort
 * Lines, Join Lines, Transpose from the Command Palette or a menu): the same
 * lines in another order, the same characters with other white space, or two
 * characters swapped. The text keeps its origins; only white space it gained is the command's.
 */
function rearranged(fact: ChangeFact): Classification | undefined {
  const fill: Evidence = { origin: 'ide', confidence: 'likely', detail: 'white space of text rearranged in place (sorted, joined, re-indented or transposed by an editor command, as far as we can tell)', at: fact.at };
  const runs = rearrangedIn(fact, fill);
  return runs ? { runs } : undefined;
}

/** The runs of a change that rearranged the text it replaced ({@link rearrangedRuns}), when that text is known. */
function rearrangedIn(fact: ChangeFact, fill: Evidence): readonly Run[] | undefined {
  if (fact.rangeLength === 0) return undefined;
  const old = fact.replacedText?.();
  const runs = old === undefined ? undefined : fact.replaced?.();
  return old === undefined || !runs ? undefined : rearrangedRuns(old, runs, fact.text, fill);
}

/**
 * IntelliSense accepted by a commit character (`.`, `(`, `;`) or by a click on
 * its list runs no command we can wrap: the word the person was typing, at the
 * cursor, is replaced by one name. Either the change replaces exactly the
 * characters they typed since their last other keystroke, with nothing else
 * changed since, however long they read the list (a name or `name()`); or it
 * replaces text at the cursor right after a keystroke (a name only). An inline
 * suggestion inserts after the cursor instead of replacing what was typed, and
 * rarely one bare name. Only ever `ide`: never a reason to call anything AI.
 * Returns the evidence's words, or undefined.
 */
function suggestAccept(fact: ChangeFact): string | undefined {
  if (!fact.atCursor || fact.rangeLength < 1 || fact.text.length > 80) return undefined;
  if (fact.replacesTypedWord && (SUGGESTED_NAME.test(fact.text) || SUGGESTED_CALL.test(fact.text))) {
    return 'the word being typed replaced by one name at the cursor: an IntelliSense suggestion accepted (a commit character or a click), as far as we can tell';
  }
  if (fact.sinceTyping !== undefined && fact.sinceTyping <= TYPING_WINDOW_MS && SUGGESTED_NAME.test(fact.text)) {
    return 'the word just typed completed to an identifier at the cursor: an IntelliSense suggestion accepted by a commit character (. ( ;), as far as we can tell';
  }
  return undefined;
}

/** How long one piece of evidence may stand for a burst of similar edits. */
const BURST_MS = 60_000;

/**
 * Reuses one Evidence object for a burst of edits with the same origin,
 * confidence, reason and tool, so that their runs merge (typing a line is one
 * run, not one per keystroke). A new burst starts after {@link BURST_MS}.
 */
export class EvidencePool {
  private readonly recent = new Map<string, Evidence>();

  intern(ev: Evidence): Evidence {
    const key = `${ev.origin}\u0000${ev.confidence}\u0000${ev.detail}\u0000${ev.tool ?? ''}`;
    const prev = this.recent.get(key);
    if (prev && ev.at >= prev.at && ev.at - prev.at <= BURST_MS) return prev;
    this.recent.set(key, ev);
    return ev;
  }
}
