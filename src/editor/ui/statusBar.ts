import * as vscode from 'vscode';
import type { ProvenanceTracker } from '../capture/tracker';
import { summarize } from '../../core/display';
import { aiShare } from '../../core/trailer';
import type { LineProjections } from './projections';

const DEBOUNCE_MS = 150;

/**
 * `AI 37%`: the AI share of the active file's changed non-blank lines (lines
 * with any AI text over all changed lines), with the breakdown in its tooltip;
 * a click opens the file report. Hidden when the file has no changed lines.
 */
export class StatusBar implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    tracker: ProvenanceTracker,
    private readonly projections: LineProjections,
  ) {
    this.item = vscode.window.createStatusBarItem('provenance.share', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'AI Provenance';
    this.item.command = 'provenance.showFileReport';
    this.disposables.push(this.item);
    vscode.window.onDidChangeActiveTextEditor(() => this.update(), this, this.disposables);
    tracker.onDidChangeModel(
      (doc) => {
        if (vscode.window.activeTextEditor?.document !== doc) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
      },
      this,
      this.disposables,
    );
    this.update();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const infos = doc ? this.projections.get(doc) : undefined;
    if (!infos || infos.length === 0) {
      this.item.hide();
      return;
    }
    const s = summarize(infos);
    const share = aiShare(s);
    this.item.text = `AI ${share}%`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**AI Provenance**: ${s.lines} changed non-blank line${s.lines === 1 ? '' : 's'} in this file\n\n`);
    md.appendMarkdown(`| | lines |\n|---|--:|\n| AI-written | ${s.ai} |\n| mixed | ${s.mixed} |\n| human | ${s.human} |\n| unknown | ${s.unknown} |\n| reviewed (of AI and mixed) | ${s.reviewed} |\n\n`);
    md.appendMarkdown('Click for the file report.');
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: `AI Provenance: ${share} percent of changed lines have AI text` };
    this.item.show();
  }
}
