import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { classifyChange, contentLines, EvidencePool, isFresh, looksTyped, MIN_NOVEL_CHARS, novelChars } from '../../core/classify';
import type { EditSource, Intent } from '../../core/classify';
import type { Evidence } from '../../core/origin';
import { minimalEdits } from '../../core/remap';
import type { Settings } from '../../core/settings';
import { SpanModel } from '../../core/spans';
import type { EditShape, Run, TextEdit } from '../../core/spans';
import type { Logger } from '../log';

/** Document schemes whose edits we track: files on disk and new, unsaved files. */
const TRACKED_SCHEMES = new Set(['file', 'untitled']);

export function isTracked(doc: vscode.TextDocument): boolean {
  return TRACKED_SCHEMES.has(doc.uri.scheme);
}

/** A document that took its file's text from disk. */
export interface Reload {
  readonly doc: vscode.TextDocument;
  /** True for a revert (the person threw away unsaved changes); false for a change by another program. */
  readonly revert: boolean;
}

interface PendingIntent {
  readonly doc: string;
  readonly intent: Intent;
}

/** A save that never completes must not leave a document in "saving" for ever. */
const SAVE_WINDOW_MS = 10_000;
/** How long an IDE tool's intent still labels edits after its first one (the rest of one WorkspaceEdit). */
const IDE_SPREAD_MS = 300;
/** How far apart the close of a document and the open of its new name (rename, save-as) may be. */
const CARRY_WINDOW_MS = 5_000;

interface Carried {
  /** The file's extension: a rename or save-as keeps it; an unrelated file with the same text usually does not. */
  readonly ext: string;
  readonly text: string;
  readonly model: SpanModel;
  readonly at: number;
}

/**
 * Turns VS Code change events into facts, classifies them and keeps one
 * {@link SpanModel} per document. Everything else (gutter, ledger) listens to
 * `onDidChangeModel`.
 */
export class ProvenanceTracker implements vscode.Disposable {
  private readonly models = new Map<string, SpanModel>();
  /** The text as on disk (at open, save or reload), to re-diff a reload from disk. */
  private readonly diskTexts = new Map<string, string>();
  /** When and on which line the person last typed in a document (a change classified as typed). */
  private readonly typing = new Map<string, { at: number; line: number }>();
  /** How many lines from the last typing still count as near it. */
  private static readonly NEAR_LINES = 3;
  /** Where each document's cursors were after the last selection change (offsets). */
  private readonly cursors = new Map<string, number[]>();
  /** Files just created through the workspace API (an extension's WorkspaceEdit, the Explorer): their first edits are not reloads. */
  private readonly created = new Map<string, number>();
  private readonly saving = new Map<string, number>();
  /** Documents we saw edited since they were opened, saved or reloaded. */
  private readonly dirtySince = new Set<string>();
  /** The file's modification time when we last knew its text on disk. */
  private readonly diskStamps = new Map<string, number>();
  /** Paths of files a chat editing session (a `chat-editing-*` document) holds. */
  private readonly chatSessions = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly reloaded = new vscode.EventEmitter<Reload>();
  private readonly pool = new EvidencePool();
  private pending: PendingIntent | undefined;
  /** Models of documents closed a moment ago, and documents opened a moment ago: a rename or save-as pairs them. */
  private closedRecently: Carried[] = [];
  private openedRecently: Array<{ readonly doc: vscode.TextDocument; readonly at: number }> = [];
  private readonly carried = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires when a document took over the origins of one with the same text that closed (rename, save-as). */
  readonly onDidCarry = this.carried.event;

  readonly onDidChangeModel = this.changed.event;
  /** Fires after a document took its file's text from disk: changed by another program, or reverted. */
  readonly onDidReload = this.reloaded.event;

  constructor(
    private readonly settings: () => Settings,
    private readonly log: Logger,
  ) {
    this.disposables.push(this.changed, this.reloaded, this.carried);
    const ws = vscode.workspace;
    ws.onDidChangeTextDocument(this.onChange, this, this.disposables);
    ws.onDidOpenTextDocument(this.onOpen, this, this.disposables);
    ws.onDidCloseTextDocument(this.onClose, this, this.disposables);
    ws.onWillSaveTextDocument((e) => this.saving.set(e.document.uri.toString(), Date.now()), this, this.disposables);
    ws.onDidSaveTextDocument(this.onSave, this, this.disposables);
    vscode.window.onDidChangeTextEditorSelection(
      (e) => {
        const doc = e.textEditor.document;
        if (isTracked(doc)) this.cursors.set(doc.uri.toString(), e.selections.map((s) => doc.offsetAt(s.active)));
      },
      this,
      this.disposables,
    );
    // The content edit of a WorkspaceEdit may be reported before onDidCreateFiles: note both.
    const noteCreated = (files: readonly vscode.Uri[]): void => {
      const now = Date.now();
      for (const uri of files) this.created.set(uri.toString(), now);
    };
    ws.onWillCreateFiles((e) => noteCreated(e.files), this, this.disposables);
    ws.onDidCreateFiles((e) => noteCreated(e.files), this, this.disposables);
    for (const doc of ws.textDocuments) this.onOpen(doc);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.models.clear();
    this.diskTexts.clear();
  }

  get(doc: vscode.TextDocument): SpanModel | undefined {
    return this.models.get(doc.uri.toString());
  }

  /** Replaces a document's model (restored from the ledger, carried over a rename). */
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

  private onOpen(doc: vscode.TextDocument): void {
    if (doc.uri.scheme.startsWith('chat-editing')) {
      const p = doc.uri.path;
      this.chatSessions.set(p, (this.chatSessions.get(p) ?? 0) + 1);
      return;
    }
    if (!isTracked(doc)) return;
    if (!doc.isDirty) this.rememberDisk(doc);
    const now = Date.now();
    this.closedRecently = this.closedRecently.filter((c) => now - c.at < CARRY_WINDOW_MS);
    this.openedRecently = this.openedRecently.filter((o) => now - o.at < CARRY_WINDOW_MS && !o.doc.isClosed);
    const length = documentLength(doc);
    const ext = extensionOf(doc.uri);
    const i = this.closedRecently.findIndex((c) => c.ext === ext && c.text.length === length && c.text === doc.getText());
    if (i >= 0) {
      const [c] = this.closedRecently.splice(i, 1);
      this.carry(doc, c.model);
    } else this.openedRecently.push({ doc, at: now });
  }

  private carry(doc: vscode.TextDocument, model: SpanModel): void {
    this.models.set(doc.uri.toString(), model);
    this.changed.fire(doc);
    this.carried.fire(doc);
  }

  private onClose(doc: vscode.TextDocument): void {
    if (doc.uri.scheme.startsWith('chat-editing')) {
      const p = doc.uri.path;
      const n = (this.chatSessions.get(p) ?? 1) - 1;
      if (n > 0) this.chatSessions.set(p, n);
      else this.chatSessions.delete(p);
      return;
    }
    const key = doc.uri.toString();
    const model = this.models.get(key);
    this.models.delete(key);
    this.diskTexts.delete(key);
    this.typing.delete(key);
    this.saving.delete(key);
    this.dirtySince.delete(key);
    this.diskStamps.delete(key);
    this.cursors.delete(key);
    this.created.delete(key);
    if (!model?.hasOrigins() || !isTracked(doc)) return;
    // A rename or save-as: the same text under a new name, opened just before or just after.
    const text = doc.getText();
    const now = Date.now();
    const i = this.openedRecently.findIndex(
      (o) =>
        now - o.at < CARRY_WINDOW_MS &&
        !o.doc.isClosed &&
        o.doc !== doc &&
        extensionOf(o.doc.uri) === extensionOf(doc.uri) &&
        !this.models.get(o.doc.uri.toString())?.hasOrigins() &&
        o.doc.getText() === text,
    );
    if (i >= 0) {
      const [o] = this.openedRecently.splice(i, 1);
      this.carry(o.doc, model);
    } else {
      this.closedRecently.push({ ext: extensionOf(doc.uri), text, model, at: now });
    }
  }

  private onSave(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.saving.delete(key);
    // Typing during the save leaves the document dirty again: its text is not what is on disk.
    if (isTracked(doc) && !doc.isDirty) {
      this.rememberDisk(doc);
      this.dirtySince.delete(key);
    }
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
      this.dirtySince.add(key);
      this.changed.fire(doc);
      return;
    }
    const intent = this.takeIntent(key, now);
    const reload = intent ? undefined : this.applyReload(e, model, now);
    if (reload) {
      this.changed.fire(doc);
      this.reloaded.fire({ doc, revert: reload === 'revert' });
      return;
    }
    const editSource = this.settings().useEditSourceApi ? readEditSource(e) : undefined;
    const options = { externalPaste: this.settings().externalPaste };
    const savingSince = this.saving.get(key);
    const saving = savingSince !== undefined && now - savingSince < SAVE_WINDOW_MS;
    const typed = this.typing.get(key);
    let typedLine = -1;
    const visible = vscode.window.visibleTextEditors.some((ed) => ed.document === doc);
    const chatSession = this.chatSessions.has(doc.uri.path);
    const cursors = this.cursors.get(key) ?? [];
    // Asked only for unexplained multi-line edits: a scan of the document.
    let docText: string | undefined;
    const novelty = (inserted: string) => (): number => novelChars((docText ??= doc.getText()), inserted);
    // One WorkspaceEdit that inserts a new multi-line block: its one-line changes belong with it.
    const partOfBlockEdit =
      !intent && e.contentChanges.length > 1 && e.contentChanges.some((c) => contentLines(c.text) >= 2 && novelty(c.text)() >= MIN_NOVEL_CHARS);
    const edits: TextEdit[] = e.contentChanges.map((c) => {
      const atCursor = cursors.some((o) => o >= c.rangeOffset && o <= c.rangeOffset + c.rangeLength);
      let line: number | undefined;
      const changeLine = (): number => (line ??= doc.positionAt(c.rangeOffset).line);
      const fact = {
        text: c.text,
        rangeLength: c.rangeLength,
        intent,
        editSource,
        saving,
        chatSession,
        visible,
        sinceTyping: typed === undefined ? undefined : now - typed.at,
        nearTyping: typed !== undefined && Math.abs(changeLine() - typed.line) <= ProvenanceTracker.NEAR_LINES,
        atCursor,
        novelty: novelty(c.text),
        partOfBlockEdit,
        at: now,
      };
      const cls = classifyChange(fact, options);
      if ('ev' in cls && cls.ev.origin === 'typed' && c.text.length > 0) typedLine = changeLine();
      const insert: readonly Run[] = 'runs' in cls ? cls.runs : c.text.length > 0 ? [{ len: c.text.length, ev: this.pool.intern(cls.ev) }] : [];
      return { offset: c.rangeOffset, deleteLength: c.rangeLength, insert };
    });
    model.apply(edits);
    this.dirtySince.add(key);
    if (typedLine >= 0) this.typing.set(key, { at: now, line: typedLine });
    if (intent && e.contentChanges.some((c) => c.text.length > 0)) {
      // A tool's edit may span several documents (one WorkspaceEdit): let those arrive, then forget it.
      if (intent.kind === 'ide') setTimeout(() => this.clearIntent(intent), IDE_SPREAD_MS);
      else this.clearIntent(intent);
    }
    this.changed.fire(doc);
  }

  /**
   * A change no intent explains may be VS Code taking the file's text from disk.
   * A reload: the file on disk changed since we last saw it (its modification
   * time); we diff the replaced block against what was on disk, so text that
   * did not change keeps its origin and only the new text is `external`. A
   * revert: after edits of ours the text is again exactly what is on disk; the
   * ledger knows its origins. (`document.isDirty` is no help here: at the
   * moment of the change event it may not be updated yet.)
   */
  private applyReload(e: vscode.TextDocumentChangeEvent, model: SpanModel, now: number): 'external' | 'revert' | undefined {
    const doc = e.document;
    const key = doc.uri.toString();
    const before = this.diskTexts.get(key);
    if (before === undefined || e.contentChanges.length !== 1 || doc.uri.scheme !== 'file') return undefined;
    // A file an extension just created and filled (WorkspaceEdit createFile + insert) changed
    // on disk too, but by that very edit: classify it like any other.
    const created = this.created.get(key);
    if (created !== undefined && Date.now() - created < CARRY_WINDOW_MS) return undefined;
    const c = e.contentChanges[0];
    // Keystrokes are not reloads: no file system call on the typing path.
    if (looksTyped(c.text) && c.rangeLength <= 2) return undefined;
    const edited = this.wasDirty(key);
    const mtime = modifiedTime(doc.uri.fsPath);
    const diskChanged = mtime !== undefined && mtime !== this.diskStamps.get(key);
    if (!diskChanged) {
      if (!edited || documentLength(doc) !== before.length || doc.getText() !== before) return undefined;
      this.models.set(key, new SpanModel(before.length));
      this.dirtySince.delete(key);
      return 'revert';
    }
    const ev: Evidence = this.pool.intern({ origin: 'external', confidence: 'likely', detail: 'the file changed on disk while it was open (written by another program)', at: now });
    const after = doc.getText();
    this.diskStamps.set(key, mtime);
    this.diskTexts.set(key, after);
    this.dirtySince.delete(key);
    if (edited || before.length !== model.length) {
      // The text before this event was not what was on disk: nothing to diff against.
      this.models.set(key, new SpanModel(after.length, after.length ? [{ len: after.length, ev }] : []));
      return 'external';
    }
    const oldBlock = before.slice(c.rangeOffset, c.rangeOffset + c.rangeLength);
    const edits: TextEdit[] = minimalEdits(oldBlock, c.text).map((m) => ({
      offset: c.rangeOffset + m.offset,
      deleteLength: m.deleteLength,
      insert: m.insertLength > 0 ? [{ len: m.insertLength, ev }] : [],
    }));
    model.apply(edits);
    return 'external';
  }

  /** Whether we saw edits to the document since it was opened, saved or reloaded. */
  private wasDirty(key: string): boolean {
    return this.dirtySince.has(key);
  }

  /** Notes the text on disk and its modification time, for telling reloads and reverts later. */
  private rememberDisk(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.diskTexts.set(key, doc.getText());
    const mtime = doc.uri.scheme === 'file' ? modifiedTime(doc.uri.fsPath) : undefined;
    if (mtime === undefined) this.diskStamps.delete(key);
    else this.diskStamps.set(key, mtime);
  }

  private takeIntent(docKey: string, now: number): Intent | undefined {
    const p = this.pending;
    if (!p) return undefined;
    if (!isFresh(p.intent, now)) {
      this.pending = undefined;
      return undefined;
    }
    if (p.doc === docKey) return p.intent;
    return p.intent.kind === 'ide' && p.intent.anyDocument ? p.intent : undefined;
  }
}

/** A file's modification time, or undefined when it cannot be read (gone, not a file). */
function modifiedTime(fsPath: string): number | undefined {
  try {
    return statSync(fsPath).mtimeMs;
  } catch {
    return undefined; // no file behind the document (deleted, or never saved): nothing to compare
  }
}

/** A file name's extension (`.ts`), or the language-less empty string (untitled documents). */
function extensionOf(uri: vscode.Uri): string {
  const base = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
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
