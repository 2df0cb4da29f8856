import * as vscode from 'vscode';
import type { Intent } from '../../core/classify';
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
  readonly intent: (at: number) => Intent;
  /** Keep the intent until it expires (the edit comes later: a code action picked from a menu). */
  readonly keep?: boolean;
}

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
  ide('provenance.acceptRename', 'Accept Rename', 'acceptRenameInput', 'renamed a symbol', true),
  ide('provenance.formatDocument', 'Format Document', 'editor.action.formatDocument', 'formatted the document', false),
  // The edit comes later (a code action picked from a menu): the intent is kept until it expires.
  { ...ide('provenance.quickFix', 'Quick Fix', 'editor.action.quickFix', 'applied a code action', true), keep: true },
];

/** A wrapper that records an inline suggestion's acceptance (AI). */
function accept(id: string, title: string, target: string, variant: 'full' | 'word' | 'line'): Wrapper {
  return { id, title, target, intent: (at) => ({ kind: 'inline-accept', variant, at }) };
}

/** A wrapper that records an IDE tool the person drove; `anyDocument`: its edit may land in another document. */
function ide(id: string, title: string, target: string, what: string, anyDocument: boolean): Wrapper {
  return { id, title, target, intent: (at) => ({ kind: 'ide', what, at, anyDocument }) };
}

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

  private async run(w: Wrapper): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const intent = w.intent(Date.now());
    if (editor) this.tracker.recordIntent(editor.document, intent);
    try {
      await vscode.commands.executeCommand(w.target);
    } finally {
      // The tracker owns the timer: it is cleared when the tracker is disposed.
      if (!w.keep) this.tracker.clearIntentLater(intent, SETTLE_MS);
    }
  }
}
