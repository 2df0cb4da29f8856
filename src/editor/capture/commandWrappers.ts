import * as vscode from 'vscode';
import type { Intent } from '../../core/classify';
import type { LineSource } from '../../core/copyRecord';
import { registerSafeCommand } from '../commands/run';
import type { Logger } from '../log';
import type { ProvenanceTracker } from './tracker';

interface Wrapper {
  /** Our command, bound to the same key as the wrapped one with the same when-clause (package.json). */
  readonly id: string;
  /** Its title (package.json), for the message when it fails. */
  readonly title: string;
  /** VS Code's command it runs. */
  readonly target: string;
  readonly intent: (at: number, carry?: readonly LineSource[]) => Intent;
  /** A line command: the lines around the selections are captured first, so that moved text keeps its origins. */
  readonly lines?: boolean;
  /** Keep the intent until it expires (the edit comes later: a code action picked from a menu). */
  readonly keep?: boolean;
}

/** Line commands (VS Code's keys and when-clauses are in package.json): `[our id, title, VS Code's command, what it did]`. */
const LINE_COMMANDS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['provenance.moveLinesUp', 'Move Line Up', 'editor.action.moveLinesUpAction', 'moved lines up'],
  ['provenance.moveLinesDown', 'Move Line Down', 'editor.action.moveLinesDownAction', 'moved lines down'],
  ['provenance.copyLinesUp', 'Copy Line Up', 'editor.action.copyLinesUpAction', 'copied lines up'],
  ['provenance.copyLinesDown', 'Copy Line Down', 'editor.action.copyLinesDownAction', 'copied lines down'],
  ['provenance.commentLine', 'Toggle Line Comment', 'editor.action.commentLine', 'toggled a line comment'],
  ['provenance.blockComment', 'Toggle Block Comment', 'editor.action.blockComment', 'toggled a block comment'],
  ['provenance.indentLines', 'Indent Line', 'editor.action.indentLines', 'indented lines'],
  ['provenance.outdentLines', 'Outdent Line', 'editor.action.outdentLines', 'outdented lines'],
  // Keys on macOS only (Ctrl+J, Ctrl+T). Run from the Command Palette or a menu, like Sort Lines and
  // Transpose (no key anywhere), the classifier recognises their edits by shape (classify.ts, rearranged).
  ['provenance.joinLines', 'Join Lines', 'editor.action.joinLines', 'joined lines'],
  ['provenance.transposeLetters', 'Transpose Letters', 'editor.action.transposeLetters', 'transposed letters'],
];

/**
 * Commands that record what the person asked for, then run VS Code's own
 * command: accepting an inline suggestion (AI), and IDE tools they drive
 * (IntelliSense, rename, format, code actions). Our keybindings call them.
 */
const WRAPPERS: readonly Wrapper[] = [
  accept('provenance.acceptInlineSuggestion', 'Accept Inline Suggestion', 'editor.action.inlineSuggest.commit', 'full'),
  accept('provenance.acceptInlineSuggestionWord', 'Accept Next Word of Inline Suggestion', 'editor.action.inlineSuggest.acceptNextWord', 'word'),
  accept('provenance.acceptInlineSuggestionLine', 'Accept Next Line of Inline Suggestion', 'editor.action.inlineSuggest.acceptNextLine', 'line'),
  ide('provenance.acceptSuggestion', 'Accept IntelliSense Suggestion', 'acceptSelectedSuggestion', 'accepted an IntelliSense suggestion', false),
  // The rename's edits are computed after Enter (the language server may take seconds): keep the intent.
  { ...ide('provenance.acceptRename', 'Accept Rename', 'acceptRenameInput', 'renamed a symbol', true), keep: true },
  ide('provenance.formatDocument', 'Format Document', 'editor.action.formatDocument', 'formatted the document', false),
  // The edit comes later (a code action picked from a menu): the intent is kept until it expires.
  { ...ide('provenance.quickFix', 'Quick Fix', 'editor.action.quickFix', 'applied a code action', true), keep: true },
  { ...ide('provenance.refactor', 'Refactor', 'editor.action.refactor', 'applied a refactoring', true), keep: true },
  ide('provenance.replaceOne', 'Replace', 'editor.action.replaceOne', 'replaced a match (Find and Replace)', false),
  ide('provenance.replaceAll', 'Replace All', 'editor.action.replaceAll', 'replaced every match (Find and Replace)', false),
  ...LINE_COMMANDS.map(([id, title, target, what]) => ({ ...ide(id, title, target, what, false), lines: true })),
];

/** A wrapper that records an inline suggestion's acceptance (AI). */
function accept(id: string, title: string, target: string, variant: 'full' | 'word' | 'line'): Wrapper {
  return { id, title, target, intent: (at) => ({ kind: 'inline-accept', variant, at }) };
}

/** A wrapper that records an IDE tool the person drove; `anyDocument`: its edit may land in another document. */
function ide(id: string, title: string, target: string, what: string, anyDocument: boolean): Wrapper {
  return { id, title, target, intent: (at, carry) => ({ kind: 'ide', what, at, anyDocument, ...(carry ? { carry } : {}) }) };
}

/** Lines captured around the selections for a line command at most (a larger selection keeps the rest as the command's). */
const MAX_CARRY_LINES = 5000;

/** How long after the wrapped command returns its intent may still label the edit. */
const SETTLE_MS = 250;

export class CommandWrappers implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly tracker: ProvenanceTracker,
    log: Logger,
  ) {
    for (const w of WRAPPERS) this.disposables.push(registerSafeCommand(w.id, w.title, log, () => this.run(w)));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** The lines of the selections and one on each side (moving a line moves its neighbour too), with their runs. */
  private linesAround(editor: vscode.TextEditor): LineSource[] | undefined {
    const doc = editor.document;
    const model = this.tracker.get(doc);
    if (!model) return undefined;
    const lines = new Set<number>();
    for (const sel of editor.selections) {
      const from = Math.max(0, sel.start.line - 1);
      const to = Math.min(doc.lineCount - 1, sel.end.line + 1);
      for (let l = from; l <= to && lines.size < MAX_CARRY_LINES; l++) lines.add(l);
    }
    return [...lines].map((l) => {
      const range = doc.lineAt(l).range;
      const offset = doc.offsetAt(range.start);
      return { text: doc.getText(range), runs: model.slice(offset, doc.offsetAt(range.end) - offset) };
    });
  }

  private async run(w: Wrapper): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const intent = w.intent(Date.now(), w.lines && editor ? this.linesAround(editor) : undefined);
    if (editor) this.tracker.recordIntent(editor.document, intent);
    try {
      await vscode.commands.executeCommand(w.target);
    } finally {
      // The tracker owns the timer: it is cleared when the tracker is disposed.
      if (!w.keep) this.tracker.clearIntentLater(intent, SETTLE_MS);
    }
  }
}
