import * as vscode from 'vscode';
import type { ProvenanceTracker } from '../capture/tracker';
import { MARK_KINDS, markRanges } from '../../core/display';
import type { MarkKind, ShownClass } from '../../core/display';
import type { Settings } from '../../core/settings';
import type { Config } from '../config';
import type { LineProjections } from './projections';

/** While someone types, marks follow a little behind rather than on every keystroke. */
const DEBOUNCE_MS = 80;

const RULER_COLOR: Readonly<Record<MarkKind, string>> = {
  'ai-completion': 'provenance.aiCompletionForeground',
  'ai-paste': 'provenance.aiPasteForeground',
  'ai-chat': 'provenance.aiChatForeground',
  mixed: 'provenance.mixedForeground',
  reviewed: 'provenance.reviewedForeground',
  external: 'provenance.externalForeground',
  unknown: 'provenance.unknownForeground',
};

/** Kinds that get the faint line background in the background style: AI text only. */
const TINTED: ReadonlySet<MarkKind> = new Set<MarkKind>(['ai-completion', 'ai-paste', 'ai-chat', 'mixed']);

/**
 * Draws the marks: a gutter icon whose shape tells the origin (so the marks
 * read without colour), an overview-ruler mark, and in the background style a
 * faint line background. One decoration type per kind, created once and again
 * only when a setting that shapes them changes; ranges only for visible
 * editors, merged into multi-line ranges, debounced per document.
 */
export class GutterMarks implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private types = new Map<MarkKind, vscode.TextEditorDecorationType>();
  private typesKey = '';
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    tracker: ProvenanceTracker,
    private readonly projections: LineProjections,
    private readonly extensionUri: vscode.Uri,
    private readonly config: Config,
  ) {
    tracker.onDidChangeModel((doc) => this.schedule(doc), this, this.disposables);
    vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll(), this, this.disposables);
    // Our settings and the editor's glyph margin shape the marks.
    config.onDidChange(() => this.refreshAll(), this, this.disposables);
    this.refreshAll();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const t of this.types.values()) t.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** Redraws every visible editor (settings changed, editors changed). */
  refreshAll(): void {
    this.ensureTypes();
    for (const editor of vscode.window.visibleTextEditors) this.draw(editor);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!vscode.window.visibleTextEditors.some((e) => e.document === doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === doc) this.draw(editor);
      }, DEBOUNCE_MS),
    );
  }

  /** The effective style: without a glyph margin there is nowhere to put icons. */
  private style(): Settings['gutterStyle'] {
    const style = this.config.settings.gutterStyle;
    return this.config.glyphMargin ? style : 'background';
  }

  private ensureTypes(): void {
    const style = this.style();
    if (style === this.typesKey) return;
    for (const t of this.types.values()) t.dispose();
    this.types = new Map();
    this.typesKey = style;
    const icon = (name: string): vscode.Uri => vscode.Uri.joinPath(this.extensionUri, 'media', `${name}.svg`);
    for (const kind of MARK_KINDS) {
      const withIcon = style !== 'background';
      const withBackground = style !== 'gutter' && TINTED.has(kind);
      this.types.set(
        kind,
        vscode.window.createTextEditorDecorationType({
          isWholeLine: true,
          overviewRulerLane: vscode.OverviewRulerLane.Left,
          overviewRulerColor: new vscode.ThemeColor(RULER_COLOR[kind]),
          ...(withBackground ? { backgroundColor: new vscode.ThemeColor('provenance.aiLineBackground') } : {}),
          ...(withIcon ? { gutterIconSize: '70%', light: { gutterIconPath: icon(`${kind}-light`) }, dark: { gutterIconPath: icon(`${kind}-dark`) } } : {}),
        }),
      );
    }
  }

  private draw(editor: vscode.TextEditor): void {
    this.ensureTypes();
    const settings = this.config.settings;
    const infos = settings.gutterEnabled ? this.projections.get(editor.document) : undefined;
    const ranges = markRanges(infos ?? [], new Set(settings.gutterClasses as ShownClass[]));
    for (const [kind, type] of this.types) {
      editor.setDecorations(type, (ranges.get(kind) ?? []).map(([a, b]) => new vscode.Range(a, 0, b, 0)));
    }
  }
}
