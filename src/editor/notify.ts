import * as vscode from 'vscode';

/** The extension's name as people see it: the output channel, the status bar item, the start of every message. */
export const PRODUCT_NAME = 'AI Provenance';

/** Messages to the person, each starting with {@link PRODUCT_NAME}. */
export const notify = {
  info: (message: string, ...items: string[]): Thenable<string | undefined> => vscode.window.showInformationMessage(`${PRODUCT_NAME}: ${message}`, ...items),
  warn: (message: string): Thenable<string | undefined> => vscode.window.showWarningMessage(`${PRODUCT_NAME}: ${message}`),
  error: (message: string): Thenable<string | undefined> => vscode.window.showErrorMessage(`${PRODUCT_NAME}: ${message}`),
};
