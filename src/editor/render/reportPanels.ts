import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ProvenanceTracker } from '../capture/tracker';
import { parseOpenLines, renderFileReportHtml } from '../../core/reportHtml';
import type { OpenLinesMessage } from '../../core/reportHtml';
import type { LineProjections } from '../ui/projections';

export const REPORT_VIEW_TYPE = 'provenance.fileReport';
/** The report follows edits a little behind, as the view does. */
const REFRESH_MS = 250;

/** One open report: its panel, and the document it reports on. */
interface Report {
  readonly panel: vscode.WebviewPanel;
  readonly uri: string;
  timer?: NodeJS.Timeout;
}

/**
 * The file reports, rendered in webview panels: one panel per file, reused
 * when the report is asked for again, redrawn as the file's record changes,
 * and a click on a line span opens those lines in the editor.
 */
export class FileReportPanels implements vscode.Disposable {
  private readonly reports = new Map<string, Report>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    tracker: ProvenanceTracker,
    private readonly projections: LineProjections,
  ) {
    tracker.onDidChangeModel((doc) => this.schedule(doc.uri.toString()), this, this.disposables);
  }

  dispose(): void {
    // Disposing a panel fires its onDidDispose, which deletes it from the map: iterate over a copy.
    for (const r of [...this.reports.values()]) r.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** Shows the report of `doc` beside it, in its panel if it has one. */
  show(doc: vscode.TextDocument): void {
    const uri = doc.uri.toString();
    let report = this.reports.get(uri);
    if (!report) {
      report = this.create(doc);
      this.reports.set(uri, report);
    }
    this.render(report);
    report.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  private create(doc: vscode.TextDocument): Report {
    const panel = vscode.window.createWebviewPanel(
      REPORT_VIEW_TYPE,
      `AI Provenance: ${fileName(doc.uri)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      // One inline script (by nonce), no local or remote resources, no command links.
      { enableScripts: true, enableCommandUris: false, localResourceRoots: [] },
    );
    const report: Report = { panel, uri: doc.uri.toString() };
    const subscriptions: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((msg: unknown) => {
        const open = parseOpenLines(msg);
        if (open) void this.open(report.uri, open);
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.render(report);
      }),
    ];
    panel.onDidDispose(() => {
      if (report.timer) clearTimeout(report.timer);
      for (const d of subscriptions) d.dispose();
      this.reports.delete(report.uri);
    });
    return report;
  }

  private schedule(uri: string): void {
    const report = this.reports.get(uri);
    if (!report) return;
    if (report.timer) clearTimeout(report.timer);
    report.timer = setTimeout(() => this.render(report), REFRESH_MS);
  }

  /** Draws the report from the file's lines now; once the file is closed, the last drawing stays. */
  private render(report: Report): void {
    report.timer = undefined;
    if (!report.panel.visible) return; // drawn again when shown
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === report.uri);
    const infos = doc && this.projections.get(doc);
    if (!doc || !infos) return;
    report.panel.webview.html = renderFileReportHtml(displayName(doc.uri), infos, randomBytes(18).toString('base64'));
  }

  /** Opens the lines a span names, in the editor group the file is shown in (else the first), selected and revealed. */
  private async open(uri: string, msg: OpenLinesMessage): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    if (msg.line >= doc.lineCount) return;
    const last = Math.min(msg.toLine, doc.lineCount - 1);
    const range = new vscode.Range(doc.lineAt(msg.line).range.start, doc.lineAt(last).range.end);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const editor = await vscode.window.showTextDocument(doc, { selection: range, viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** A file's name for the report's title: relative to the workspace on disk, else its path. */
function displayName(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : uri.path;
}
