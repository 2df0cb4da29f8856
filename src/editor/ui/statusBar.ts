import * as vscode from 'vscode';
import type { ProvenanceTracker } from '../capture/tracker';
import { summarize } from '../../core/display';
import { renderShareTooltip } from '../../core/render';
import { aiShare } from '../../core/trailer';
import { PRODUCT_NAME } from '../notify';
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
    this.item.name = PRODUCT_NAME;
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
    this.item.tooltip = new vscode.MarkdownString(renderShareTooltip(s), true);
    this.item.accessibilityInformation = { label: `${PRODUCT_NAME}: ${share} percent of changed lines have AI text` };
    this.item.show();
  }
}
