import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { CopyRecord, removedRuns, type CopyEntry } from '../../core/copyRecord';
import { fitCopy, holdsAi } from '../../core/rearrange';
import type { Intent } from '../../core/classify';
import type { CopyMatchHow } from '../../core/copyRecord';
import type { Evidence } from '../../core/origin';
import { normalize, runsLength } from '../../core/spans';
import type { Run, SpanModel } from '../../core/spans';
import type { ProvenanceTracker } from './tracker';

/** Our stamp on copies made in the editor: an id for the copied runs, kept in memory in this window. */
const STAMP_MIME = 'application/vnd.ai-provenance.copy';

/** What a change that only deleted text removed (see {@link deletionOf}). */
export interface Deletion {
  readonly doc: string;
  /** The document's version after the deletion. */
  readonly version: number;
  readonly at: number;
  /** The deleted ranges, in the text before the deletion, in document order. */
  readonly ranges: readonly vscode.Range[];
  /** The runs each range held. */
  readonly runs: ReadonlyArray<readonly Run[]>;
}

/** What a change that only deleted text removed (see {@link removedRuns}), where and when. */
export function deletionOf(e: vscode.TextDocumentChangeEvent, model: Pick<SpanModel, 'slice'>): Deletion | undefined {
  const runs = removedRuns(e.contentChanges, model);
  if (!runs) return undefined;
  const ranges = [...e.contentChanges].sort((a, b) => a.rangeOffset - b.rangeOffset).map((c) => c.range);
  return { doc: e.document.uri.toString(), version: e.document.version, at: Date.now(), ranges, runs };
}

/**
 * Watches copy and paste through a DocumentPasteEditProvider (see
 * docs/paste.md for the paths VS Code takes). On copy it stamps the
 * clipboard with an id for the origins of the copied text and keeps the copy
 * in a small in-memory {@link CopyRecord}; on paste it finds the copy by the
 * stamp, or, when the stamp did not come through, by the pasted text. A paste
 * that matches no copy of this window came from outside the editor. It only
 * observes: it never returns an edit, so VS Code's own paste runs unchanged.
 */
export class PasteWatcher implements vscode.DocumentPasteEditProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly copies = new CopyRecord();
  private nextId = 1;
  /** Stamps of an earlier session (before a window reload) must not match this one's. */
  private readonly session = randomBytes(6).toString('hex');

  constructor(private readonly tracker: ProvenanceTracker) {
    tracker.unseenPaste = (e, cursors, now) => this.unseenPaste(e, cursors, now);
    this.disposables.push(
      // Every editor: copies from diff, git and read-only editors are stamped too (pastes are only tracked in files).
      vscode.languages.registerDocumentPasteEditProvider('*', this, {
        providedPasteEditKinds: [vscode.DocumentDropOrPasteEditKind.Text.append('aiProvenance')],
        copyMimeTypes: [STAMP_MIME],
        // Our stamp must be listed here too: on paste VS Code merges in only the copy-time data of
        // providers whose copy types some paste provider accepts (CopyPasteController.mergeInDataFromCopy).
        pasteMimeTypes: ['text/plain', STAMP_MIME],
      }),
    );
  }

  dispose(): void {
    this.tracker.unseenPaste = undefined;
    for (const d of this.disposables) d.dispose();
  }

  /**
   * A paste that never reached our provider (web: Paste from a menu or the
   * Command Palette reads the clipboard and pastes without a paste event;
   * `editor.pasteAs.enabled: false`): one change at a cursor, with no intent
   * before it, whose text matches a copy made in this window.
   */
  private unseenPaste(e: vscode.TextDocumentChangeEvent, cursors: readonly number[], now: number): Intent | undefined {
    if (e.contentChanges.length !== 1) return undefined;
    const c = e.contentChanges[0];
    if (c.text.length <= 2 || !cursors.some((o) => o >= c.rangeOffset && o <= c.rangeOffset + c.rangeLength)) return undefined;
    const source = (e as unknown as { detailedReason?: { source?: unknown; metadata?: { kind?: unknown } } }).detailedReason;
    if (source && !(source.source === 'cursor' && source.metadata?.kind === 'paste')) return undefined;
    const matched = this.copies.match(c.text, now, (how, copiedAt) => matchedEvidence(how, copiedAt, now, 'pasted without a paste event we could see (a menu paste, say); the text is'));
    return matched ? { kind: 'paste', at: now, text: c.text, stamped: matched.runs } : undefined;
  }

  prepareDocumentPaste(document: vscode.TextDocument, ranges: readonly vscode.Range[], dataTransfer: vscode.DataTransfer): void {
    const at = Date.now();
    const id = `${this.session}:${this.nextId++}`;
    const own: Evidence = { origin: 'paste', confidence: 'certain', detail: `copied in the editor (stamp ${id}) and pasted`, at };
    const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    // A cut with EditContext has already deleted the text when the copy reaches us: take the runs it removed
    // (a whole line cut with an empty selection took its line break with it, as the clipboard does).
    const cut = this.tracker.lastDeletion(document);
    const fromCut = !!cut && isCutOf(cut, ranges, at);
    const whole = fromCut ? ranges.map(() => false) : wholeLines(document, ranges);
    const pieces = fromCut && cut ? cut.runs : this.slices(document, ranges, whole, own);
    const runs: Run[] = [];
    pieces.forEach((piece, i) => {
      if (i > 0) runs.push({ len: eol.length, ev: own });
      // Base text copied in the editor was there before: pasted, it is the person's paste.
      for (const r of piece) runs.push(r.ev ? r : { len: r.len, ev: own });
    });
    // The clipboard's text: a whole line copied with an empty selection ends with a line break (getPlainTextToCopy).
    const text = fromCut ? undefined : ranges.map((r, i) => document.getText(r) + (whole[i] ? eol : '')).join(eol);
    this.copies.add({ id, text, runs: normalize(runs), own, at });
    dataTransfer.set(STAMP_MIME, new vscode.DataTransferItem(id));
  }

  async provideDocumentPasteEdits(document: vscode.TextDocument, _ranges: readonly vscode.Range[], dataTransfer: vscode.DataTransfer): Promise<undefined> {
    const at = Date.now();
    const text = (await dataTransfer.get('text/plain')?.asString()) ?? '';
    const stampItem = dataTransfer.get(STAMP_MIME);
    const id = stampItem ? String(await stampItem.asString()) : undefined;
    const entry = id !== undefined ? this.copies.byId(id, text) : undefined;
    const stamped = entry ? stampedRuns(entry, text) : undefined;
    const matched = entry ? undefined : this.copies.match(text, at, (how, copiedAt) => matchedEvidence(how, copiedAt, at, 'pasted; the clipboard carried no copy stamp but held'));
    this.tracker.recordIntent(document, {
      kind: 'paste',
      at,
      text,
      stamped: stamped ?? matched?.runs ?? null,
      stampLost: id !== undefined && !entry && !matched,
      ...(entry && !stamped ? { unfitted: holdsAi(entry.runs) ? ('ai' as const) : ('human' as const) } : {}),
    });
    return undefined;
  }

  /** The runs of each copied range; a whole line (`whole`) with its line break's, or `own`'s for the last line. */
  private slices(document: vscode.TextDocument, ranges: readonly vscode.Range[], whole: readonly boolean[], own: Evidence): Run[][] {
    const model = this.tracker.get(document);
    const eolLength = document.eol === vscode.EndOfLine.CRLF ? 2 : 1;
    return ranges.map((range, i) => {
      const start = document.offsetAt(range.start);
      const len = document.offsetAt(range.end) - start;
      const runs = model ? model.slice(start, len) : [{ len, ev: null }];
      if (!whole[i]) return runs;
      const last = range.end.line === document.lineCount - 1;
      return [...runs, ...(last || !model ? [{ len: eolLength, ev: own }] : model.slice(start + len, eolLength))];
    });
  }
}

/**
 * Which copied ranges are whole lines copied with an empty selection (Ctrl+C with nothing selected): the
 * clipboard holds each with a line break the range leaves out. A range is one when it spans a whole line,
 * an editor of the document has an empty selection on that line, and no selection is the range itself
 * (Home, Shift+End selects a line's text without its break: that copy has none).
 */
function wholeLines(document: vscode.TextDocument, ranges: readonly vscode.Range[]): boolean[] {
  const selections = vscode.window.visibleTextEditors.filter((e) => e.document === document).flatMap((e) => e.selections);
  return ranges.map(
    (r) =>
      r.isSingleLine &&
      r.start.character === 0 &&
      r.end.character === document.lineAt(r.end.line).range.end.character &&
      selections.some((s) => s.isEmpty && s.active.line === r.start.line) &&
      !selections.some((s) => !s.isEmpty && s.isEqual(r)),
  );
}

/** The stamped copy's runs laid over the clipboard text, or undefined when they cannot be. */
function stampedRuns(entry: CopyEntry, text: string): readonly Run[] | undefined {
  if (entry.text === undefined) return runsLength(entry.runs) === text.length ? entry.runs : undefined;
  return fitCopy(entry.text, entry.runs, text, entry.own);
}

/** How soon after its deletion a cut's copy reaches us; a person cannot delete, select and copy this fast. */
const CUT_WINDOW_MS = 250;

/** Whether a deletion is the cut these copied ranges belong to: the same ranges, or the same starts just now. */
function isCutOf(cut: Deletion, ranges: readonly vscode.Range[], now: number): boolean {
  const sorted = [...ranges].sort((x, y) => x.start.compareTo(y.start));
  if (cut.ranges.length !== sorted.length) return false;
  if (cut.ranges.every((r, i) => r.isEqual(sorted[i]))) return true;
  return now - cut.at <= CUT_WINDOW_MS && cut.ranges.every((r, i) => r.start.isEqual(sorted[i].start));
}

const HOW_WORDS: Readonly<Record<CopyMatchHow, string>> = {
  exact: 'the same text as',
  'line-endings': 'the same text, line endings aside, as',
  indentation: 'the same lines, indentation aside, as',
};

/** Evidence for base text of a copy found by its text, and why the text had to be used. */
function matchedEvidence(how: CopyMatchHow, copiedAt: number, at: number, why: string): Evidence {
  const secs = Math.max(0, Math.round((at - copiedAt) / 1000));
  return {
    origin: 'paste',
    confidence: 'likely',
    detail: `${why} ${HOW_WORDS[how]} a copy made in this editor ${secs} s earlier`,
    at,
  };
}
