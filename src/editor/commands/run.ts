import * as vscode from 'vscode';
import type { Logger } from '../log';

/** Registers a command that logs its failure and shows a short message instead of failing silently. */
export function registerSafeCommand<A extends unknown[]>(id: string, title: string, log: Logger, fn: (...args: A) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      log.error(`${title} failed`, e);
      void vscode.window.showErrorMessage(`AI Provenance: ${title} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}
