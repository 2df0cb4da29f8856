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
  {
    id: 'provenance.acceptInlineSuggestion',
    title: 'Accept Inline Suggestion',
    target: 'editor.action.inlineSuggest.commit',
    intent: (at) => ({ kind: 'inline-accept', variant: 'full', at }),
  },
  {
    id: 'provenance.acceptInlineSuggestionWord',
    title: 'Accept Next Word of Inline Suggestion',
    target: 'editor.action.inlineSuggest.acceptNextWord',
    intent: (at) => ({ kind: 'inline-accept', variant: 'word', at }),
  },
  {
    id: 'provenance.acceptInlineSuggestionLine',
    title: 'Accept Next Line of Inline Suggestion',
    target: 'editor.action.inlineSuggest.acceptNextLine',
    intent: (at) => ({ kind: 'inline-accept', variant: 'line', at }),
  },
  {
    id: 'provenance.acceptSuggestion',
    title: 'Accept IntelliSense Suggestion',
    target: 'acceptSelectedSuggestion',
    intent: (at) => ({ kind: 'ide', what: 'accepted an IntelliSense suggestion', at, anyDocument: false }),
  },
  {
    id: 'provenance.acceptRename',
    title: 'Accept Rename',
    target: 'acceptRenameInput',
    intent: (at) => ({ kind: 'ide', what: 'renamed a symbol', at, anyDocument: true }),
  },
  {
    id: 'provenance.formatDocument',
    title: 'Format Document',
    target: 'editor.action.formatDocument',
    intent: (at) => ({ kind: 'ide', what: 'formatted the document', at, anyDocument: false }),
  },
  {
    id: 'provenance.quickFix',
    title: 'Quick Fix',
    target: 'editor.action.quickFix',
    intent: (at) => ({ kind: 'ide', what: 'applied a code action', at, anyDocument: true }),
    keep: true,
  },
];

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
