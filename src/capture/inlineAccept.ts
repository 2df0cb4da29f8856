import * as vscode from 'vscode';
import type { Intent } from '../core/classify';
import type { ProvenanceTracker } from './tracker';

type Variant = Extract<Intent, { kind: 'inline-accept' }>['variant'];

/** Our commands (bound to the same keys, with the same when-clauses) and the VS Code command each one wraps. */
const ACCEPTS: ReadonlyArray<{ id: string; variant: Variant; target: string }> = [
  { id: 'provenance.acceptInlineSuggestion', variant: 'full', target: 'editor.action.inlineSuggest.commit' },
  { id: 'provenance.acceptInlineSuggestionWord', variant: 'word', target: 'editor.action.inlineSuggest.acceptNextWord' },
  { id: 'provenance.acceptInlineSuggestionLine', variant: 'line', target: 'editor.action.inlineSuggest.acceptNextLine' },
];

/** How long after the accept command returns its intent may still label the edit. */
const SETTLE_MS = 250;

/**
 * Catches inline-suggestion accepts: our keybindings run these commands,
 * which record the intent and then run VS Code's own accept command.
 */
export class InlineAcceptWatcher implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly tracker: ProvenanceTracker) {
    for (const a of ACCEPTS) {
      this.disposables.push(vscode.commands.registerCommand(a.id, () => this.accept(a.variant, a.target)));
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private async accept(variant: Variant, target: string): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const intent: Intent = { kind: 'inline-accept', variant, at: Date.now() };
    if (editor) this.tracker.recordIntent(editor.document, intent);
    try {
      await vscode.commands.executeCommand(target);
    } finally {
      setTimeout(() => this.tracker.clearIntent(intent), SETTLE_MS);
    }
  }
}
