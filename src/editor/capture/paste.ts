import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Evidence } from '../../core/origin';
import { normalize } from '../../core/spans';
import type { Run } from '../../core/spans';
import type { ProvenanceTracker } from './tracker';

/** Our stamp on copies made in the editor: an id for the copied runs, kept in memory in this window. */
const STAMP_MIME = 'application/vnd.ai-provenance.copy';
const MAX_STAMPS = 32;

/**
 * Watches copy and paste through a DocumentPasteEditProvider. On copy it
 * stamps the clipboard with the origins of the copied text; on paste it tells
 * a stamped paste (which inherits those origins) from one that came from
 * outside the editor. It only observes: it never returns an edit, so VS
 * Code's own paste runs unchanged.
 */
export class PasteWatcher implements vscode.DocumentPasteEditProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly stamps = new Map<string, readonly Run[]>();
  private nextId = 1;
  /** Stamps of an earlier session (before a window reload) must not match this one's. */
  private readonly session = randomBytes(6).toString('hex');

  constructor(private readonly tracker: ProvenanceTracker) {
    this.disposables.push(
      // Every editor: copies from diff, git and read-only editors are stamped too (pastes are only tracked in files).
      vscode.languages.registerDocumentPasteEditProvider('*', this, {
        providedPasteEditKinds: [vscode.DocumentDropOrPasteEditKind.Text.append('aiProvenance')],
        copyMimeTypes: [STAMP_MIME],
        pasteMimeTypes: ['text/plain'],
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  prepareDocumentPaste(document: vscode.TextDocument, ranges: readonly vscode.Range[], dataTransfer: vscode.DataTransfer): void {
    const model = this.tracker.get(document);
    const copied = `${Date.now()}`;
    const pasted: Evidence = { origin: 'paste', confidence: 'certain', detail: `copied in the editor (stamp ${copied}) and pasted`, at: Date.now() };
    const runs: Run[] = [];
    const eol = document.eol === vscode.EndOfLine.CRLF ? 2 : 1;
    ranges.forEach((range, i) => {
      if (i > 0) runs.push({ len: eol, ev: pasted });
      const start = document.offsetAt(range.start);
      const len = document.offsetAt(range.end) - start;
      const slice = model ? model.slice(start, len) : [{ len, ev: null }];
      // Base text copied in the editor was there before: pasted, it is the person's paste.
      for (const r of slice) runs.push(r.ev ? r : { len: r.len, ev: pasted });
    });
    const id = `${this.session}:${this.nextId++}`;
    this.stamps.set(id, normalize(runs));
    if (this.stamps.size > MAX_STAMPS) this.stamps.delete(this.stamps.keys().next().value as string);
    dataTransfer.set(STAMP_MIME, new vscode.DataTransferItem(id));
  }

  async provideDocumentPasteEdits(document: vscode.TextDocument, _ranges: readonly vscode.Range[], dataTransfer: vscode.DataTransfer): Promise<undefined> {
    const at = Date.now();
    const text = (await dataTransfer.get('text/plain')?.asString()) ?? '';
    const stampItem = dataTransfer.get(STAMP_MIME);
    const id = stampItem ? String(await stampItem.asString()) : undefined;
    const stamped = id !== undefined ? (this.stamps.get(id) ?? null) : null;
    this.tracker.recordIntent(document, { kind: 'paste', at, text, stamped, stampLost: id !== undefined && stamped === null });
    return undefined;
  }
}
