import * as vscode from 'vscode';
import type { Logger } from '../log';

/** Registers a command that logs its failure and shows a short message instead of failing silently. */
export function registerSafeCommand(id: string, title: string, log: Logger, fn: () => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async () => {
    try {
      await fn();
    } catch (e) {
      log.error(`${title} failed`, e);
      void vscode.window.showErrorMessage(`AI Provenance: ${title} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}
