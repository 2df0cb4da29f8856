import type * as vscode from 'vscode';

/** Paths of files a chat editing session (a `chat-editing-*` document) holds, counted by open session document. */
export class ChatSessions {
  private readonly counts = new Map<string, number>();

  /** Counts an opened or closed session document; false when the document is not one. */
  note(doc: vscode.TextDocument, opened: boolean): boolean {
    if (!doc.uri.scheme.startsWith('chat-editing')) return false;
    const p = doc.uri.path;
    const n = (this.counts.get(p) ?? (opened ? 0 : 1)) + (opened ? 1 : -1);
    if (n > 0) this.counts.set(p, n);
    else this.counts.delete(p);
    return true;
  }

  holds(doc: vscode.TextDocument): boolean {
    return this.counts.has(doc.uri.path);
  }
}
