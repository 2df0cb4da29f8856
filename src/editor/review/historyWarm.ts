import * as path from 'node:path';
import * as vscode from 'vscode';
import { nextWarm, recentStarts, WARM_BOUNDS } from '../../core/historyWarm';
import type { FileHistory } from '../../node/report/fileHistory';
import type { Config } from '../config';
import type { Logger } from '../log';

/** Where a document's history lives: its repository's cache and its repository-relative path. */
export type LocateHistory = (doc: vscode.TextDocument) => Promise<{ history: FileHistory; rel: string } | undefined>;

/**
 * Warms Toggle AI History's cache in the background (`provenance.history.warm`):
 * the active file once the window has been idle a few seconds, and the visible
 * files already cached when HEAD or the notes move (a small step each), so a
 * toggle is the cached case. When and which file is {@link nextWarm}'s call;
 * the git processes run at the lowest CPU priority (FileHistory.warm). A
 * keystroke only notes the time: a warm running is left to finish, never
 * awaited by anything the person does.
 */
export class HistoryWarmer implements vscode.Disposable {
  private generation = 0;
  private readonly warmedAt = new Map<string, number>();
  private started: number[] = [];
  private lastActivity = Date.now();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly locate: LocateHistory, private readonly config: Config, private readonly log: Logger) {
    // Typing postpones the next warm (a keystroke only notes the time); our own log and other output channels do not.
    vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && e.document.uri.scheme !== 'output' && (this.lastActivity = Date.now()), this, this.disposables);
    vscode.window.onDidChangeActiveTextEditor(() => this.busy(), this, this.disposables);
    vscode.window.onDidChangeVisibleTextEditors(() => this.poke(), this, this.disposables);
    vscode.workspace.onDidCloseTextDocument((d) => this.warmedAt.delete(d.uri.toString()), this, this.disposables);
    config.onDidChange((c) => c.affects('provenance.history.warm') && this.poke(), this, this.disposables);
    this.poke();
  }

  /** HEAD or the notes moved: every cached file is one step behind. */
  moved(): void {
    this.generation++;
    this.poke();
  }

  /** A file's cache was brought up to date by the toggle itself. */
  current(doc: vscode.TextDocument): void {
    this.warmedAt.set(doc.uri.toString(), this.generation);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private busy(): void {
    this.lastActivity = Date.now();
    this.poke();
  }

  private documents(): Map<string, vscode.TextDocument> {
    const active = vscode.window.activeTextEditor?.document;
    const docs = [active, ...vscode.window.visibleTextEditors.map((e) => e.document)];
    return new Map(docs.filter((d): d is vscode.TextDocument => d?.uri.scheme === 'file').map((d) => [d.uri.toString(), d]));
  }

  private poke(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const docs = this.documents();
    const now = Date.now();
    this.started = recentStarts(this.started, now);
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const d = nextWarm({
      enabled: this.config.settings.historyWarm,
      candidates: [...docs.keys()],
      active,
      running: this.running,
      lastActivity: this.lastActivity,
      started: this.started,
      generation: this.generation,
      warmedAt: this.warmedAt,
    }, now, WARM_BOUNDS);
    if (d.kind === 'wait') this.timer = setTimeout(() => this.poke(), d.ms);
    const doc = d.kind === 'warm' ? docs.get(d.file) : undefined;
    if (doc) void this.run(doc);
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const at = this.generation;
    this.running = true;
    this.started.push(Date.now());
    const t0 = Date.now();
    try {
      const where = await this.locate(doc);
      const how = where ? await where.history.warm(where.rel, WARM_BOUNDS.maxBytes) : 'not in a repository';
      this.log.info(`AI history of ${path.basename(doc.uri.fsPath)} warmed in the background: ${how}, ${Date.now() - t0} ms`);
    } catch (e) {
      this.log.warn(`AI history of ${doc.uri.fsPath}, background warm: ${String(e)}`);
    } finally {
      this.warmedAt.set(key, at);
      this.running = false;
      this.poke();
    }
  }
}
