import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HistoryMarks } from '../../core/history';
import { ORIGIN_LABELS } from '../../core/origin';
import { escapeMarkdown, relativeTime } from '../../core/render';
import { toolLabel } from '../../core/blame';
import { findRepo } from '../../node/git/git';
import { FileHistory } from '../../node/report/fileHistory';
import type { Logger } from '../log';
import type { Config } from '../config';
import { HistoryWarmer } from './historyWarm';
import { notify } from '../notify';
import { registerSafeCommand } from '../commands/run';
import type { RepoWatch } from './repoWatch';

/** Blame runs a git process: while someone types, it follows well behind. */
const REBLAME_MS = 600;
/** A history that takes longer than this (a first blame of a long history) shows progress in the status bar. */
const PROGRESS_AFTER_MS = 300;

interface Shown {
  marks: HistoryMarks;
  /** Commit → author date (epoch ms). */
  dates: ReadonlyMap<string, number>;
}

/**
 * Toggle AI History: per file, like a blame annotation, marks the lines that
 * earlier commits added as AI or mixed (their records, through blame of the
 * buffer over HEAD, cached per file and commit by FileHistory), in a style of its own — a dotted left border and a
 * ruler mark in the left lane — apart from the gutter icons of uncommitted
 * text. The hover names the commit, tool, when, and who reviewed it.
 */
export class AiHistory implements vscode.HoverProvider, vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    borderWidth: '0 0 0 2px',
    borderStyle: 'dotted',
    borderColor: new vscode.ThemeColor('provenance.historyForeground'),
    overviewRulerColor: new vscode.ThemeColor('provenance.historyForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly shown = new Map<string, Shown>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Each repository's cached file histories (see FileHistory): one blame of 500 versions, then small steps. */
  private readonly histories = new Map<string, FileHistory>();
  private readonly disposables: vscode.Disposable[] = [this.type];
  private readonly warmer: HistoryWarmer;
  /**
   * A commit, a checkout or a review moves HEAD or the notes of a repository shown or warmed: the files shown follow,
   * a small step on the cache each, and the warmer carries the cached files forward at idle.
   */
  constructor(
    private readonly log: Logger,
    config: Config,
    private readonly repos: RepoWatch,
  ) {
    this.warmer = new HistoryWarmer((doc) => this.locate(doc), config, log);
    this.disposables.push(
      this.warmer,
      registerSafeCommand('provenance.toggleAiHistory', 'Toggle AI History', log, () => this.toggle()),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, this),
    );
    vscode.window.onDidChangeVisibleTextEditors(() => this.drawAll(), this, this.disposables);
    vscode.workspace.onDidChangeTextDocument((e) => this.shown.has(e.document.uri.toString()) && this.schedule(e.document), this, this.disposables);
    vscode.workspace.onDidCloseTextDocument((d) => this.shown.delete(d.uri.toString()), this, this.disposables);
    repos.onDidMove(() => this.followHistory(), this, this.disposables);
  }

  private followHistory(): void {
    this.warmer.moved();
    for (const doc of vscode.workspace.textDocuments) if (this.shown.has(doc.uri.toString())) this.schedule(doc);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  private async toggle(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file') {
      void notify.info('open a file in a git repository first.');
      return;
    }
    const key = doc.uri.toString();
    if (this.shown.delete(key)) {
      this.drawAll();
      return;
    }
    const shown = await this.blame(doc);
    if (!shown) return;
    if (shown.marks.ranges.length === 0) void notify.info('no lines of this file were committed as AI-written (by the records).');
    this.shown.set(key, shown);
    this.drawAll();
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.blame(doc).then((s) => {
        if (s && this.shown.has(key)) {
          this.shown.set(key, s);
          this.drawAll();
        }
      }, (e: unknown) => this.log.warn(`AI history of ${doc.uri.fsPath}: ${String(e)}`));
    }, REBLAME_MS));
  }

  /** The document's repository's history cache and its repository-relative path; undefined outside a repository. */
  private async locate(doc: vscode.TextDocument): Promise<{ history: FileHistory; rel: string } | undefined> {
    const repo = await findRepo(path.dirname(doc.uri.fsPath));
    if (!repo) return undefined;
    const rel = path.relative(repo.root, doc.uri.fsPath).split(path.sep).join('/');
    let history = this.histories.get(repo.root);
    if (!history) this.histories.set(repo.root, (history = new FileHistory(repo)));
    this.repos.watch(repo);
    return { history, rel };
  }

  /** Blames the buffer over HEAD's history and joins the records; undefined (with a message) outside a repository. */
  private async blame(doc: vscode.TextDocument): Promise<Shown | undefined> {
    const where = await this.locate(doc);
    if (!where) {
      void notify.info('this file is not in a git repository.');
      return undefined;
    }
    const { history, rel } = where;
    const work = history.marks(rel, doc.getText());
    work.then(() => this.warmer.current(doc), () => undefined);
    // A first blame of a long history takes seconds: said in the status bar (only then), never in the way of typing.
    const slow = setTimeout(() => void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `AI history of ${path.basename(rel)}` }, () => work.catch(() => undefined)), PROGRESS_AFTER_MS);
    try {
      const { marks, dates } = await work;
      return { marks, dates };
    } finally {
      clearTimeout(slow);
    }
  }

  private drawAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const s = this.shown.get(editor.document.uri.toString());
      editor.setDecorations(this.type, s ? s.marks.ranges.map(([a, b]) => new vscode.Range(a, 0, b, 0)) : []);
    }
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const s = this.shown.get(doc.uri.toString());
    const p = s?.marks.byLine.get(pos.line);
    if (!s || !p) return undefined;
    const tool = toolLabel(p);
    const when = s.dates.get(p.commit);
    const origin = p.origin ? ORIGIN_LABELS[p.origin] : 'AI';
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**AI history**: ${p.class === 'mixed' ? 'mixed line, ' : ''}${escapeMarkdown(origin)}`);
    if (tool) md.appendMarkdown(` by \`${tool.replace(/`/g, "'")}\``);
    md.appendMarkdown(`, committed in \`${p.commit.slice(0, 7)}\`${when ? ` ${relativeTime(when)}` : ''}. `);
    md.appendMarkdown(p.reviewed ? `Reviewed by ${escapeMarkdown(p.reviewed.by)}${p.reviewed.at ? ` ${relativeTime(p.reviewed.at)}` : ''}.` : 'Not reviewed.');
    return new vscode.Hover(md, new vscode.Range(pos.line, 0, pos.line, 0));
  }
}
