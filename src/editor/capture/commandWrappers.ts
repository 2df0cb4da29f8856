import * as vscode from 'vscode';
import type { Intent } from '../../core/classify';
import type { ProvenanceTracker } from './tracker';

interface Wrapper {
  /** Our command, bound to the same key as the wrapped one with the same when-clause (package.json). */
  readonly id: string;
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
  { id: 'provenance.acceptInlineSuggestion', target: 'editor.action.inlineSuggest.commit', intent: (at) => ({ kind: 'inline-accept', variant: 'full', at }) },
  { id: 'provenance.acceptInlineSuggestionWord', target: 'editor.action.inlineSuggest.acceptNextWord', intent: (at) => ({ kind: 'inline-accept', variant: 'word', at }) },
  { id: 'provenance.acceptInlineSuggestionLine', target: 'editor.action.inlineSuggest.acceptNextLine', intent: (at) => ({ kind: 'inline-accept', variant: 'line', at }) },
  {
    id: 'provenance.acceptSuggestion',
    target: 'acceptSelectedSuggestion',
    intent: (at) => ({ kind: 'ide', what: 'accepted an IntelliSense suggestion', at, anyDocument: false }),
  },
  { id: 'provenance.acceptRename', target: 'acceptRenameInput', intent: (at) => ({ kind: 'ide', what: 'renamed a symbol', at, anyDocument: true }) },
  { id: 'provenance.formatDocument', target: 'editor.action.formatDocument', intent: (at) => ({ kind: 'ide', what: 'formatted the document', at, anyDocument: false }) },
  {
    id: 'provenance.quickFix',
    target: 'editor.action.quickFix',
    intent: (at) => ({ kind: 'ide', what: 'applied a code action', at, anyDocument: true }),
    keep: true,
  },
];

/** How long after the wrapped command returns its intent may still label the edit. */
const SETTLE_MS = 250;

export class CommandWrappers implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly tracker: ProvenanceTracker) {
    for (const w of WRAPPERS) this.disposables.push(vscode.commands.registerCommand(w.id, () => this.run(w)));
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
      if (!w.keep) setTimeout(() => this.tracker.clearIntent(intent), SETTLE_MS);
    }
  }
}
