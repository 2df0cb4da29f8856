import type * as vscode from 'vscode';
import { isFresh } from '../../core/classify';
import type { Intent } from '../../core/classify';

/** How long an IDE tool's intent still labels edits after its first one (the rest of one WorkspaceEdit). */
const IDE_SPREAD_MS = 300;

/** What the person just asked for (an accept, a paste, an IDE tool), waiting for the edit it produces. */
export class PendingIntents implements vscode.Disposable {
  private pending: { readonly doc: string; readonly intent: Intent } | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending = undefined;
  }

  record(doc: vscode.TextDocument, intent: Intent): void {
    this.pending = { doc: doc.uri.toString(), intent };
  }

  /** Drops an intent that produced no edit, so it can never label a later keystroke. */
  clear(intent: Intent): void {
    if (this.pending?.intent === intent) this.pending = undefined;
  }

  /** Clears the intent after `ms`, unless disposed first. */
  clearLater(intent: Intent, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.clear(intent);
    }, ms);
    this.timers.add(t);
  }

  /** The intent that explains a change to this document now, if any. */
  take(doc: vscode.TextDocument, now: number): Intent | undefined {
    const p = this.pending;
    if (!p) return undefined;
    if (!isFresh(p.intent, now)) {
      this.pending = undefined;
      return undefined;
    }
    if (p.doc === doc.uri.toString()) return p.intent;
    return p.intent.kind === 'ide' && p.intent.anyDocument ? p.intent : undefined;
  }

  /** An intent produced its edit: forget it, or (a tool's edit may span several documents) let the rest arrive first. */
  used(intent: Intent): void {
    if (intent.kind === 'ide') this.clearLater(intent, IDE_SPREAD_MS);
    else this.clear(intent);
  }
}
