import * as vscode from 'vscode';
import { rememberAsk } from '../../core/codeActions';
import type { DocState } from './docState';

/** Documents whose code action requests we watch: those whose edits we track. */
const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

/**
 * A code action provider that offers nothing and notes, per document, what VS Code asked it: a menu
 * opened (`Invoke`: Refactor…, Source Action…, Quick Fix…, a problem's hover) or the lightbulb updated
 * as the cursor moved (`Automatic`), with the range and whether problems came with it. It declares no
 * kinds, so that VS Code asks it whatever kinds a menu wants (`only`). Its one visible effect: every
 * file's context menu shows Refactor… and Source Action… (which may then say none is available).
 */
export function watchCodeActions(stateOf: (doc: vscode.TextDocument) => DocState): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(SELECTOR, {
    provideCodeActions(doc, range, context): undefined {
      const state = stateOf(doc);
      state.codeActions = rememberAsk(state.codeActions, {
        at: Date.now(),
        invoked: context.triggerKind === vscode.CodeActionTriggerKind.Invoke,
        start: doc.offsetAt(range.start),
        end: doc.offsetAt(range.end),
        diagnostics: context.diagnostics.length,
      });
      return undefined;
    },
  });
}
