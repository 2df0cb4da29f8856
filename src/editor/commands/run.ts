import * as vscode from 'vscode';
import type { Logger } from '../log';
import { notify } from '../notify';

/** Registers a command that logs its failure and shows a short message instead of failing silently. */
export function registerSafeCommand<A extends unknown[]>(id: string, title: string, log: Logger, fn: (...args: A) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      log.error(`${title} failed`, e);
      void notify.error(`${title} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}
