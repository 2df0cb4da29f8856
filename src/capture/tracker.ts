import * as vscode from 'vscode';
import { classifyChange, EvidencePool, isFresh } from '../core/classify';
import type { EditSource, Intent } from '../core/classify';
import type { Evidence } from '../core/origin';
import type { Settings } from '../core/settings';
import { SpanModel } from '../core/spans';
import type { EditShape, Run, TextEdit } from '../core/spans';
import type { Logger } from '../log';

/** Document schemes whose edits we track: files on disk and new, unsaved files. */
const TRACKED_SCHEMES = new Set(['file', 'untitled']);

export function isTracked(doc: vscode.TextDocument): boolean {
  return TRACKED_SCHEMES.has(doc.uri.scheme);
}

interface PendingIntent {
  readonly doc: string;
  readonly intent: Intent;
}

/**
 * Turns VS Code change events into facts, classifies them and keeps one
 * {@link SpanModel} per document. Everything else (gutter, ledger) listens to
 * `onDidChangeModel`.
 */
export class ProvenanceTracker implements vscode.Disposable {
  private readonly models = new Map<string, SpanModel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly pool = new EvidencePool();
  private pending: PendingIntent | undefined;

  readonly onDidChangeModel = this.changed.event;

  constructor(
    private readonly settings: () => Settings,
    private readonly log: Logger,
  ) {
    this.disposables.push(this.changed);
    vscode.workspace.onDidChangeTextDocument(this.onChange, this, this.disposables);
    vscode.workspace.onDidCloseTextDocument((doc) => this.models.delete(doc.uri.toString()), this, this.disposables);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.models.clear();
  }

  get(doc: vscode.TextDocument): SpanModel | undefined {
    return this.models.get(doc.uri.toString());
  }

  /** Replaces a document's model (restored from the ledger). */
  set(doc: vscode.TextDocument, model: SpanModel): void {
    this.models.set(doc.uri.toString(), model);
    this.changed.fire(doc);
  }

  /** Starts tracking a document as it is now: all its text is base text. */
  ensure(doc: vscode.TextDocument): SpanModel {
    const key = doc.uri.toString();
    let model = this.models.get(key);
    if (!model) {
      model = new SpanModel(documentLength(doc));
      this.models.set(key, model);
    }
    return model;
  }

  /** Records what the user just did in a document, for the next change to it. */
  recordIntent(doc: vscode.TextDocument, intent: Intent): void {
    this.pending = { doc: doc.uri.toString(), intent };
  }

  /** Drops an intent that produced no edit, so it can never label a later keystroke. */
  clearIntent(intent: Intent): void {
    if (this.pending?.intent === intent) this.pending = undefined;
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const doc = e.document;
    if (!isTracked(doc) || e.contentChanges.length === 0) return;
    const key = doc.uri.toString();
    const lengthAfter = documentLength(doc);
    let delta = 0;
    for (const c of e.contentChanges) delta += c.text.length - c.rangeLength;
    let model = this.models.get(key);
    if (!model || model.length !== lengthAfter - delta) {
      if (model) this.log.warn(`span model of ${doc.uri.fsPath} was out of step with the document; tracking restarts from its current text`);
      model = new SpanModel(lengthAfter - delta);
      this.models.set(key, model);
    }
    const now = Date.now();
    if (e.reason === vscode.TextDocumentChangeReason.Undo || e.reason === vscode.TextDocumentChangeReason.Redo) {
      const shapes: EditShape[] = e.contentChanges.map((c) => ({ offset: c.rangeOffset, deleteLength: c.rangeLength, insertLength: c.text.length }));
      const which = e.reason === vscode.TextDocumentChangeReason.Undo ? 'undo' : 'redo';
      const fallback: Evidence = { origin: 'unknown', confidence: 'unknown', detail: `restored by ${which}; the edit it restores was not recorded`, at: now };
      const matched = which === 'undo' ? model.undo(shapes, fallback) : model.redo(shapes, fallback);
      if (!matched) this.log.info(`${which} in ${doc.uri.fsPath} did not match the recorded history`);
    } else {
      const intent = this.takeIntent(key, now);
      const editSource = this.settings().useEditSourceApi ? readEditSource(e) : undefined;
      const options = { externalPaste: this.settings().externalPaste };
      const edits: TextEdit[] = e.contentChanges.map((c) => {
        const cls = classifyChange({ text: c.text, rangeLength: c.rangeLength, intent, editSource, at: now }, options);
        const insert: readonly Run[] = 'runs' in cls ? cls.runs : c.text.length > 0 ? [{ len: c.text.length, ev: this.pool.intern(cls.ev) }] : [];
        return { offset: c.rangeOffset, deleteLength: c.rangeLength, insert };
      });
      model.apply(edits);
      if (intent && e.contentChanges.some((c) => c.text.length > 0)) this.clearIntent(intent);
    }
    this.changed.fire(doc);
  }

  private takeIntent(docKey: string, now: number): Intent | undefined {
    const p = this.pending;
    if (!p) return undefined;
    if (!isFresh(p.intent, now)) {
      this.pending = undefined;
      return undefined;
    }
    return p.doc === docKey ? p.intent : undefined;
  }
}

/** The document's length in UTF-16 code units, without copying its text. */
export function documentLength(doc: vscode.TextDocument): number {
  if (doc.lineCount === 0) return 0;
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}

/**
 * VS Code's own label for an edit: the proposed `detailedReason` that
 * code-server and Insiders (with a flag) expose. Feature-detected; stable
 * VS Code never has it.
 */
function readEditSource(e: vscode.TextDocumentChangeEvent): EditSource | undefined {
  const r = (e as unknown as { detailedReason?: unknown }).detailedReason;
  if (!r || typeof r !== 'object') return undefined;
  const { source, metadata } = r as { source?: unknown; metadata?: unknown };
  if (typeof source !== 'string') return undefined;
  return { source, metadata: metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : undefined };
}
