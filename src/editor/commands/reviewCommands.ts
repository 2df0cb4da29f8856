import { userInfo } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LedgerSync } from '../capture/ledgerSync';
import type { ProvenanceTracker } from '../capture/tracker';
import { isAiOrigin } from '../../core/origin';
import type { Evidence } from '../../core/origin';
import { nextAiBlock } from '../../core/navigate';
import { gitIdentity } from '../../node/record/review';
import type { Logger } from '../log';
import { notify } from '../notify';
import { FileReportPanels } from '../render/reportPanels';
import type { LineProjections } from '../ui/projections';
import { registerSafeCommand } from './run';

/** A target from a hover link (`{ uri, line }`) or a block of the AI Provenance view (`toLine` too), else the active editor's selections. */
interface LineArg {
  readonly uri: string;
  readonly line: number;
  /** The last line of a block, inclusive. */
  readonly toLine?: number;
}

/**
 * The review workflow and the per-file commands: mark selection as reviewed,
 * human-written or AI; go to the next or previous AI change; show the file
 * report.
 */
export class ReviewCommands implements vscode.Disposable {
  private readonly reports: FileReportPanels;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly tracker: ProvenanceTracker,
    private readonly ledger: LedgerSync,
    private readonly projections: LineProjections,
    log: Logger,
  ) {
    this.reports = new FileReportPanels(tracker, projections);
    this.disposables = [this.reports];
    this.disposables.push(
      registerSafeCommand('provenance.markReviewed', 'Mark as Reviewed', log, (arg?: LineArg) => this.relabel(arg, 'reviewed')),
      registerSafeCommand('provenance.markHuman', 'Mark as Human-Written', log, (arg?: LineArg) => this.relabel(arg, 'human')),
      // The same commands on a block of the AI Provenance view, under the titles its inline actions show.
      registerSafeCommand('provenance.markBlockReviewed', 'Mark as Reviewed', log, (arg?: LineArg) => this.relabel(arg, 'reviewed')),
      registerSafeCommand('provenance.markBlockHuman', 'Mark as Human-Written', log, (arg?: LineArg) => this.relabel(arg, 'human')),
      registerSafeCommand('provenance.markAi', 'Mark as AI-Written', log, (arg?: LineArg) => this.relabel(arg, 'ai')),
      registerSafeCommand('provenance.nextAiChange', 'Go to Next AI Change', log, () => this.go(1)),
      registerSafeCommand('provenance.previousAiChange', 'Go to Previous AI Change', log, () => this.go(-1)),
      registerSafeCommand('provenance.showFileReport', 'Show File Report', log, () => this.showReport()),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** The document and the character ranges a command applies to. */
  private async target(arg?: LineArg): Promise<{ doc: vscode.TextDocument; ranges: vscode.Range[] } | undefined> {
    if (arg && typeof arg.uri === 'string' && Number.isInteger(arg.line)) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri));
      if (arg.line < 0 || arg.line >= doc.lineCount) return undefined;
      const last = Number.isInteger(arg.toLine) ? Math.min(Math.max(arg.toLine as number, arg.line), doc.lineCount - 1) : arg.line;
      return { doc, ranges: [new vscode.Range(doc.lineAt(arg.line).range.start, doc.lineAt(last).range.end)] };
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void notify.info('open a file and select the lines first.');
      return undefined;
    }
    // An empty selection means its whole line.
    const ranges = editor.selections.map((s) => (s.isEmpty ? editor.document.lineAt(s.active.line).range : new vscode.Range(s.start, s.end)));
    return { doc: editor.document, ranges };
  }

  private async relabel(arg: LineArg | undefined, as: 'reviewed' | 'human' | 'ai'): Promise<void> {
    const t = await this.target(arg);
    if (!t) return;
    if (!this.tracker.get(t.doc)) {
      void notify.info('this document is not tracked.');
      return;
    }
    const who = await reviewer(t.doc.uri);
    const at = Date.now();
    const map = (ev: Evidence | null): Evidence | null => {
      switch (as) {
        case 'reviewed':
          return ev && isAiOrigin(ev.origin) ? { ...ev, reviewed: { by: who, at } } : ev;
        case 'human':
          return ev === null ? null : { origin: 'typed', confidence: 'certain', detail: `marked as human-written by ${who}`, at };
        case 'ai':
          return { origin: 'ai-chat', confidence: 'certain', detail: `marked as AI-written by ${who}`, at };
      }
    };
    const offsets = t.ranges.map((r): [number, number] => [t.doc.offsetAt(r.start), t.doc.offsetAt(r.end) - t.doc.offsetAt(r.start)]);
    if (!this.tracker.relabel(t.doc, offsets, map)) return;
    // The commit side reads the ledger: keep it in step with what is on disk.
    if (!t.doc.isDirty) await this.ledger.writeNow(t.doc);
  }

  private go(direction: 1 | -1): void {
    const editor = vscode.window.activeTextEditor;
    const infos = editor ? this.projections.get(editor.document) : undefined;
    if (!editor || !infos) return;
    const next = nextAiBlock(infos, editor.selection.active.line, direction);
    if (next === undefined) {
      void notify.info('no AI changes in this file.');
      return;
    }
    const pos = new vscode.Position(next, 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private showReport(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !this.projections.get(doc)) {
      void notify.info('open a tracked file first.');
      return;
    }
    this.reports.show(doc);
  }
}

/** Who is reviewing: git's identity for the file's repository, else the OS user. */
function reviewer(uri: vscode.Uri): Promise<string> {
  return uri.scheme === 'file' ? gitIdentity(path.dirname(uri.fsPath)) : Promise.resolve(userInfo().username);
}
