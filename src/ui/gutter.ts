import * as vscode from 'vscode';
import { projectLines } from '../core/lines';
import type { LineInfo } from '../core/lines';
import type { ProvenanceTracker } from '../capture/tracker';

type Shown = 'ai' | 'mixed';
const SHOWN: readonly Shown[] = ['ai', 'mixed'];
const DEBOUNCE_MS = 60;

/**
 * Draws AI and mixed lines: a gutter icon (a filled or half-filled diamond,
 * so the marks read without colour) and an overview-ruler mark. One
 * decoration type per class, created once; ranges only for visible editors,
 * merged into multi-line ranges.
 */
export class GutterMarks implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly types: Record<Shown, vscode.TextEditorDecorationType>;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly tracker: ProvenanceTracker,
    extensionUri: vscode.Uri,
    private enabled: () => boolean,
  ) {
    const icon = (name: string): vscode.Uri => vscode.Uri.joinPath(extensionUri, 'media', `${name}.svg`);
    const make = (cls: Shown): vscode.TextEditorDecorationType =>
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        overviewRulerLane: vscode.OverviewRulerLane.Left,
        overviewRulerColor: new vscode.ThemeColor(`provenance.${cls}Foreground`),
        gutterIconSize: '70%',
        light: { gutterIconPath: icon(`${cls}-light`) },
        dark: { gutterIconPath: icon(`${cls}-dark`) },
      });
    this.types = { ai: make('ai'), mixed: make('mixed') };
    this.disposables.push(this.types.ai, this.types.mixed);
    tracker.onDidChangeModel((doc) => this.schedule(doc), this, this.disposables);
    vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll(), this, this.disposables);
    this.refreshAll();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.draw(editor);
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!vscode.window.visibleTextEditors.some((e) => e.document === doc)) return;
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === doc) this.draw(editor);
      }, DEBOUNCE_MS),
    );
  }

  private draw(editor: vscode.TextEditor): void {
    const model = this.enabled() ? this.tracker.get(editor.document) : undefined;
    const infos = model ? projectLines(editor.document.getText(), model.getRuns()) : [];
    for (const cls of SHOWN) editor.setDecorations(this.types[cls], mergeLines(infos, cls));
  }
}

/** Consecutive lines of one class as multi-line ranges. */
export function mergeLines(infos: readonly LineInfo[], cls: Shown): vscode.Range[] {
  const out: vscode.Range[] = [];
  let start = -1;
  let prev = -2;
  for (const info of infos) {
    if (info.cls !== cls) continue;
    if (info.line !== prev + 1) {
      if (start >= 0) out.push(new vscode.Range(start, 0, prev, 0));
      start = info.line;
    }
    prev = info.line;
  }
  if (start >= 0) out.push(new vscode.Range(start, 0, prev, 0));
  return out;
}
