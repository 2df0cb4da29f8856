import type * as vscode from 'vscode';

/** The narrow logger the rest of the code receives; only this file knows the output channel. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export function createLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m, err) => channel.error(err === undefined ? m : `${m}: ${err instanceof Error ? err.message : String(err)}`),
  };
}
