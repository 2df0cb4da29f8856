import * as vscode from 'vscode';
import { CarryMatcher } from '../../core/carry';
import { classifyEvent, replayHistory, type TypedWord } from '../../core/changeFacts';
import { EvidencePool, type Intent } from '../../core/classify';
import type { Evidence } from '../../core/origin';
import type { Settings } from '../../core/settings';
import { SpanModel, type Run } from '../../core/spans';
import type { Logger } from '../log';
import { ChatSessions } from './chatSessions';
import { watchCodeActions } from './codeActions';
import { DiskStamps } from './diskStamps';
import { DocStates, type DocState } from './docState';
import { carryView, documentLength, isTracked, selectedText, snapshotOf } from './documents';
import { PendingIntents } from './intents';
import { applyReload, type Reload } from './reload';
import type { SnippetLibrary } from './snippets';
import { deletionOf, type Deletion } from './paste';

/** The most lines around the selections whose text is kept for a command we do not see (Sort Lines over a large selection). */
const MAX_AROUND_LINES = 5000;
/** Nor more characters than this (the most a selection's text is kept for a drop, too). */
const MAX_AROUND_CHARS = 256 * 1024;

/** A document's origins as the rest of the extension reads them; changes go through the tracker. */
export type ModelView = Pick<SpanModel, 'length' | 'getRuns' | 'runCount' | 'hasOrigins' | 'slice' | 'runAt' | 'spanAt'>;

/**
 * Turns VS Code change events into facts, classifies them and owns one
 * {@link SpanModel} per document: every change to a model goes through here
 * and is announced by `onDidChangeModel`.
 */
export class ProvenanceTracker implements vscode.Disposable {
  private readonly states = new DocStates();
  private readonly disk = new DiskStamps(this.states);
  private readonly intents = new PendingIntents();
  private readonly chat = new ChatSessions();
  private readonly pool = new EvidencePool();
  private readonly carry = new CarryMatcher<vscode.TextDocument, SpanModel>(carryView((d) => !!this.get(d)?.hasOrigins()));
  private readonly changed = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly reloaded = new vscode.EventEmitter<Reload>();
  private readonly carried = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly disposables: vscode.Disposable[] = [this.disk, this.intents, this.changed, this.reloaded, this.carried];

  readonly onDidChangeModel = this.changed.event;
  /** Fires after a document took its file's text from disk: changed by another program, or reverted. */
  readonly onDidReload = this.reloaded.event;
  /** Fires when a document took over the origins of one with the same text that closed (rename, save-as). */
  readonly onDidCarry = this.carried.event;

  constructor(
    private readonly settings: () => Settings,
    private readonly log: Logger,
    /** The snippets VS Code offers, to recognise an Insert Snippet no key of ours saw. */
    private readonly snippets?: SnippetLibrary,
  ) {
    const ws = vscode.workspace;
    ws.onDidChangeTextDocument(this.onChange, this, this.disposables);
    ws.onDidOpenTextDocument(this.onOpen, this, this.disposables);
    ws.onDidCloseTextDocument(this.onClose, this, this.disposables);
    ws.onWillSaveTextDocument(this.onWillSave, this, this.disposables);
    ws.onDidSaveTextDocument(this.onSave, this, this.disposables);
    vscode.window.onDidChangeTextEditorSelection(this.onSelection, this, this.disposables);
    // The content edit of a WorkspaceEdit may be reported before onDidCreateFiles: note both.
    for (const created of [ws.onWillCreateFiles, ws.onDidCreateFiles]) created((e) => this.noteCreated(e.files), this, this.disposables);
    this.disposables.push(watchCodeActions((doc) => this.states.obtain(doc.uri)));
    for (const doc of ws.textDocuments) this.onOpen(doc);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.states.clear();
  }

  get(doc: vscode.TextDocument): ModelView | undefined {
    return this.states.get(doc.uri)?.model;
  }

  /** Starts tracking a document as it is now: all its text is base text. */
  ensure(doc: vscode.TextDocument): void {
    this.states.obtain(doc.uri).model ??= new SpanModel(documentLength(doc));
  }

  /** Replaces a document's origins (restored from its ledger). */
  restore(doc: vscode.TextDocument, runs: readonly Run[]): void {
    this.states.obtain(doc.uri).model = new SpanModel(documentLength(doc), runs);
    this.changed.fire(doc);
  }

  /** Relabels the origins of character ranges (`[offset, length]`): a review, or the person's own verdict. */
  relabel(doc: vscode.TextDocument, ranges: ReadonlyArray<readonly [number, number]>, map: (ev: Evidence | null) => Evidence | null): boolean {
    const model = this.states.get(doc.uri)?.model;
    if (!model) return false;
    for (const [offset, length] of ranges) model.relabel(offset, length, map);
    this.changed.fire(doc);
    return true;
  }

  /** Drops the origins of character ranges (`[offset, length]`): text equal to the committed text. */
  clearOrigins(doc: vscode.TextDocument, expected: ModelView, ranges: ReadonlyArray<readonly [number, number]>): void {
    const model = this.states.get(doc.uri)?.model;
    if (!model || model !== expected || ranges.length === 0) return;
    for (const [offset, length] of ranges) model.clearOrigins(offset, length);
    this.changed.fire(doc);
  }

  // Paste capture (paste.ts, docs/paste.md): the runs the last pure deletion removed (a cut with EditContext
  // deletes before its copy reaches us), and a hook that explains an intent-less change as a paste we never saw.
  private deletion: Deletion | undefined;
  unseenPaste: ((e: vscode.TextDocumentChangeEvent, cursors: readonly number[], now: number) => Intent | undefined) | undefined;
  /** What the last change to `doc` removed, if it only deleted text and nothing changed `doc` since. */
  lastDeletion(doc: vscode.TextDocument): Deletion | undefined {
    const d = this.deletion;
    return d && d.doc === doc.uri.toString() && d.version === doc.version ? d : undefined;
  }

  /** Records what the user just did in a document, for the next change to it. */
  recordIntent(doc: vscode.TextDocument, intent: Intent): void { this.intents.record(doc, intent); }

  /** Drops an intent after `ms` if no edit used it, so it can never label a later keystroke. */
  clearIntentLater(intent: Intent, ms: number): void { this.intents.clearLater(intent, ms); }

  private noteCreated(files: readonly vscode.Uri[]): void {
    const now = Date.now();
    for (const uri of files) this.states.obtain(uri).createdAt = now;
  }

  /**
   * Keeps the cursors and the text of the lines around the selections (one more on each side): a command we
   * do not see run (Sort Lines or Join Lines from the Command Palette) replaces them, and the classifier
   * compares what it wrote with what was there.
   */
  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const doc = e.textEditor.document;
    if (!isTracked(doc)) return;
    const state = this.states.obtain(doc.uri);
    state.cursors = e.selections.map((s) => doc.offsetAt(s.active));
    // What a drag and drop with the mouse would move or copy (see core/dragDrop.ts).
    const texts = selectedText(doc, e.selections);
    state.selected = texts.length ? { version: doc.version, texts } : undefined;
    const first = Math.max(0, Math.min(...e.selections.map((s) => s.start.line)) - 1);
    const last = Math.min(doc.lineCount - 1, Math.max(...e.selections.map((s) => s.end.line)) + 1);
    if (last - first >= MAX_AROUND_LINES) {
      state.around = undefined;
      return;
    }
    const range = new vscode.Range(first, 0, last, doc.lineAt(last).range.end.character);
    const offset = doc.offsetAt(range.start);
    // Lines of a minified file can be megabytes long: no copy of them on every cursor move.
    if (doc.offsetAt(range.end) - offset > MAX_AROUND_CHARS) {
      state.around = undefined;
      return;
    }
    state.around = { version: doc.version, offset, text: doc.getText(range) };
  }

  private onOpen(doc: vscode.TextDocument): void {
    if (this.chat.note(doc, true) || !isTracked(doc)) return;
    if (!doc.isDirty) this.disk.remember(doc, this.states.obtain(doc.uri));
    const model = this.carry.didOpen(doc, Date.now());
    if (model) this.carryTo(doc, model);
  }

  private onClose(doc: vscode.TextDocument): void {
    if (this.chat.note(doc, false)) return;
    const model = this.states.drop(doc.uri)?.model;
    if (!model?.hasOrigins() || !isTracked(doc)) return;
    // A rename or save-as: the same text under a new name, opened just before or just after.
    const to = this.carry.didClose(doc, doc.getText(), model, Date.now());
    if (to) this.carryTo(to, model);
  }

  private carryTo(doc: vscode.TextDocument, model: SpanModel): void {
    this.states.obtain(doc.uri).model = model;
    this.changed.fire(doc);
    this.carried.fire(doc);
  }

  /**
   * Save participants (format, code actions, trimming on save) edit only on saves the person or a focus
   * change made: VS Code skips them on an auto-save after a delay (on by default in the browser), whose
   * window would otherwise claim an agent's or a person's concurrent edits as the save's.
   */
  private onWillSave(e: vscode.TextDocumentWillSaveEvent): void {
    if (!isTracked(e.document)) return;
    const state = this.states.obtain(e.document.uri);
    state.writingSince = Date.now();
    if (e.reason !== vscode.TextDocumentSaveReason.AfterDelay) state.savingSince = state.writingSince;
  }

  private onSave(doc: vscode.TextDocument): void {
    if (isTracked(doc)) this.disk.saved(doc, this.states.obtain(doc.uri));
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const doc = e.document;
    if (!isTracked(doc) || e.contentChanges.length === 0) return;
    const state = this.states.obtain(doc.uri);
    const model = this.inStep(doc, state, e.contentChanges);
    // Any change but a keystroke the classifier sees ends the word being typed (an IntelliSense accept).
    const word = state.word;
    state.word = undefined;
    // Paste capture (see lastDeletion): read before any path below changes the model. A cut can take any
    // of them: during an auto-save's write it is applied as an uncertain change, not classified.
    this.deletion = deletionOf(e, model);
    const now = Date.now();
    const history = e.reason === vscode.TextDocumentChangeReason.Undo ? 'undo' : e.reason === vscode.TextDocumentChangeReason.Redo ? 'redo' : undefined;
    if (history) {
      if (!replayHistory(model, e.contentChanges, history, now)) this.log.info(`${history} in ${doc.uri.fsPath} did not match the recorded history`);
    } else {
      const intent = this.intents.take(doc, now) ?? this.unseenPaste?.(e, state.cursors ?? [], now); // paste capture
      const reload = intent ? undefined : applyReload(doc, e.contentChanges, state, this.disk, this.pool, now);
      if (reload) {
        this.changed.fire(doc);
        if (!reload.uncertain) this.reloaded.fire(reload);
        return;
      }
      this.classify(e, state, model, { intent, word, now });
    }
    state.edited = true;
    this.changed.fire(doc);
  }

  /** The document's model as it was before this event; a fresh one if it is out of step. */
  private inStep(doc: vscode.TextDocument, state: DocState, changes: readonly vscode.TextDocumentContentChangeEvent[]): SpanModel {
    let delta = 0;
    for (const c of changes) delta += c.text.length - c.rangeLength;
    const before = documentLength(doc) - delta;
    if (state.model?.length === before) return state.model;
    if (state.model) this.log.warn(`span model of ${doc.uri.fsPath} was out of step with the document; tracking restarts from its current text`);
    return (state.model = new SpanModel(before));
  }

  /** When a code action on offer (a menu, the lightbulb) last explained an edit: its edits to other documents follow. */
  private codeActionAt: number | undefined;

  /** Classifies an event and applies it; `word`: the word being typed before it (the state's is already cleared). */
  private classify(e: vscode.TextDocumentChangeEvent, state: DocState, model: SpanModel, at: { intent: Intent | undefined; word: TypedWord | undefined; now: number }): void {
    const { intent, word, now } = at;
    const settings = this.settings();
    const snapshot = snapshotOf(e, state, { intent, word, now, chatSession: this.chat.holds(e.document), useEditSource: settings.useEditSourceApi, snippets: this.snippets, model, codeActionAt: this.codeActionAt });
    const { edits, typedLine, word: nextWord, codeAction } = classifyEvent(snapshot, { externalPaste: settings.externalPaste }, this.pool);
    // One menu or lightbulb, one action: the first edit after it uses its requests up (a spread never renews it).
    state.codeActions = [];
    if (codeAction && codeAction !== 'spread') this.codeActionAt = now;
    model.apply(edits);
    if (typedLine >= 0) state.typing = { at: now, line: typedLine };
    state.word = nextWord;
    if (intent && e.contentChanges.some((c) => c.text.length > 0)) this.intents.used(intent);
  }
}
