import * as vscode from 'vscode';
import type { ChangeSnapshot, TypedWord } from '../../core/changeFacts';
import type { EditSource, Intent } from '../../core/classify';
import { extensionOf } from '../../core/carry';
import type { CarryView } from '../../core/carry';
import { replacedTextIn, type DocState } from './docState';
import type { SnippetLibrary } from './snippets';
import type { SelectedText } from '../../core/dragDrop';
import type { SpanModel } from '../../core/spans';

/** Document schemes whose edits we track: files on disk and new, unsaved files. */
const TRACKED_SCHEMES = new Set(['file', 'untitled']);

export function isTracked(doc: vscode.TextDocument): boolean {
  return TRACKED_SCHEMES.has(doc.uri.scheme);
}

/** The document's length in UTF-16 code units, without copying its text. */
export function documentLength(doc: vscode.TextDocument): number {
  if (doc.lineCount === 0) return 0;
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}

/**
 * VS Code's own label for an edit: the proposed `detailedReason` that
 * code-server and Insiders (with a flag) expose. Feature-detected; stable
 * VS Code never has it.
 */
export function readEditSource(e: vscode.TextDocumentChangeEvent): EditSource | undefined {
  const r = (e as unknown as { detailedReason?: unknown }).detailedReason;
  if (!r || typeof r !== 'object') return undefined;
  const { source, metadata } = r as { source?: unknown; metadata?: unknown };
  if (typeof source !== 'string') return undefined;
  return { source, metadata: metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : undefined };
}

/** Editor documents as the rename/save-as matcher sees them. */
export function carryView(hasOrigins: (doc: vscode.TextDocument) => boolean): CarryView<vscode.TextDocument> {
  return {
    isClosed: (doc) => doc.isClosed,
    ext: (doc) => extensionOf(doc.uri.path),
    length: documentLength,
    text: (doc) => doc.getText(),
    hasOrigins,
  };
}

/** What the classifier needs to know about a change event, read from the editor and the document's state. */
export function snapshotOf(
  e: vscode.TextDocumentChangeEvent,
  state: DocState,
  at: {
    readonly intent: Intent | undefined;
    readonly word?: TypedWord;
    readonly now: number;
    readonly chatSession: boolean;
    readonly useEditSource: boolean;
    readonly snippets?: SnippetLibrary;
    readonly model?: SpanModel;
    /** When a code action on offer last explained an edit (to any document). */
    readonly codeActionAt?: number;
  },
): ChangeSnapshot {
  const doc = e.document;
  return {
    changes: e.contentChanges,
    intent: at.intent,
    editSource: at.useEditSource ? readEditSource(e) : undefined,
    saving: state.isSaving(at.now),
    chatSession: at.chatSession,
    visible: vscode.window.visibleTextEditors.some((ed) => ed.document === doc),
    typing: state.typing,
    word: at.word,
    cursors: state.cursors,
    nearProblem: (offset) => nearProblem(doc, state.cursors, offset),
    codeActions: state.codeActions,
    sinceCodeAction: at.codeActionAt === undefined ? undefined : at.now - at.codeActionAt,
    snippet: (change) => at.snippets?.match(doc, change, e.contentChanges),
    replaced: (change) => at.model?.slice(change.rangeOffset, change.rangeLength),
    replacedText: (change) => replacedTextIn(state.around, doc.version, change.rangeOffset, change.rangeLength),
    // Read before this change only if no other change came between: their offsets are those of the text before it.
    selections: state.selected?.version === doc.version - 1 ? state.selected.texts : undefined,
    now: at.now,
    lineOf: (offset) => doc.positionAt(offset).line,
    text: () => doc.getText(),
  };
}

/** Most characters of selected text kept to recognise a drag and drop: larger selections are not read. */
const MAX_SELECTED_CHARS = 1 << 18;

/** The non-empty selections of an editor with their text, as long as they are small enough to keep. */
export function selectedText(doc: vscode.TextDocument, selections: readonly vscode.Selection[]): SelectedText[] {
  const out: SelectedText[] = [];
  let chars = 0;
  for (const s of selections) {
    if (s.isEmpty) continue;
    const offset = doc.offsetAt(s.start);
    chars += doc.offsetAt(s.end) - offset;
    if (chars > MAX_SELECTED_CHARS) return [];
    out.push({ offset, text: doc.getText(s) });
  }
  return out;
}

/** How far (in lines) from the cursor a quick fix's edit may land. */
const QUICK_FIX_LINES = 8;

/** Whether an error or warning lies on or next to the cursor's line and `offset` is within a few lines of that cursor. */
function nearProblem(doc: vscode.TextDocument, cursors: readonly number[], offset: number): boolean {
  if (cursors.length !== 1) return false;
  const cursorLine = doc.positionAt(cursors[0]).line;
  if (Math.abs(doc.positionAt(offset).line - cursorLine) > QUICK_FIX_LINES) return false;
  // Errors and warnings only: hints (unused names, suggestions) are everywhere in some languages.
  return vscode.languages
    .getDiagnostics(doc.uri)
    .some((d) => d.severity <= vscode.DiagnosticSeverity.Warning && d.range.start.line - 1 <= cursorLine && cursorLine <= d.range.end.line + 1);
}
