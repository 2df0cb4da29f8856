import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildFileLedger, hashLine, restoreRuns, sameLines } from '../../core/ledger';
import { splitLines } from '../../core/lines';
import type { Run } from '../../core/spans';
import { findRepo } from '../../node/git/git';
import type { RepoPaths } from '../../node/git/git';
import { clearSaving, clearStaleSaves, markSaving, moveLedgerEntries, readFileLedger, SAVE_MARK_FRESH_MS, writeFileLedger } from '../../node/git/ledgerStore';
import type { Logger } from '../log';
import { isTracked } from './documents';
import type { Reload } from './reload';
import type { ProvenanceTracker } from './tracker';

/** How long before VS Code reports a file change an agent's `mark` may have written its ledger. */
const MARK_SLACK_MS = 5_000;
/**
 * When to look for that ledger after the reload: an agent's post-edit hook
 * starts a Node process after its write, which takes seconds on a busy machine.
 */
const MARK_RETRIES_MS = [300, 1_500, 4_000, 8_000];

/** A save in flight, marked for the commit hook. */
interface SaveMark {
  readonly ledgerDir: string;
  readonly relPath: string;
  readonly at: number;
}

/**
 * Keeps the ledger in step with the editor: restores a document's origins
 * from it when the document opens, and writes it (atomically) on save.
 */
export class LedgerSync implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly repos = new Map<string, Promise<RepoPaths | undefined>>();
  /** The same, once known: a will-save listener must answer at once. */
  private readonly knownRepos = new Map<string, RepoPaths | undefined>();
  /** The saves in flight that left a mark for the commit hook (by document), and since when. */
  private readonly marks = new Map<string, SaveMark>();
  private readonly seenRoots = new Set<string>();
  /** The delayed ledger reads after reloads; cleared on dispose. */
  private readonly timers = new Set<NodeJS.Timeout>();
  /** When we last wrote each file's ledger: a newer one was written by someone else (`ai-provenance mark`). */
  private readonly lastWrite = new Map<string, number>();
  private readonly foundRepo = new vscode.EventEmitter<RepoPaths>();
  /** Fires the first time a file of a repository is seen. */
  readonly onDidFindRepo = this.foundRepo.event;
  private readonly restored = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires after a document's origins were restored from its ledger. */
  readonly onDidRestore = this.restored.event;

  /**
   * @param outsideGitDir where files outside any git repository keep their ledger (the extension's storage)
   */
  constructor(
    private readonly tracker: ProvenanceTracker,
    private readonly outsideGitDir: string,
    private readonly log: Logger,
  ) {
    this.disposables.push(this.foundRepo, this.restored);
    // Marks a save that never finished left behind (a failed write, an editor that quit) would make commits wait.
    this.onDidFindRepo((repo) => this.clearLeftOver(repo), this, this.disposables);
    vscode.workspace.onDidOpenTextDocument(this.open, this, this.disposables);
    vscode.workspace.onWillSaveTextDocument(this.willSave, this, this.disposables);
    vscode.workspace.onDidSaveTextDocument(this.save, this, this.disposables);
    tracker.onDidReload(this.reloaded, this, this.disposables);
    tracker.onDidCarry((doc) => void (doc.isDirty ? Promise.resolve() : this.writeNow(doc)).catch((e: unknown) => log.error('ledger write failed', e)), this, this.disposables);
    vscode.workspace.onDidRenameFiles((e) => void this.renamed(e).catch((err: unknown) => log.error('could not move ledger entries', err)), this, this.disposables);
    for (const doc of vscode.workspace.textDocuments) this.open(doc);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }

  /** The repository holding a file and its path inside it, or `undefined` outside git. */
  async locate(uri: vscode.Uri): Promise<{ repo: RepoPaths; relPath: string } | undefined> {
    if (uri.scheme !== 'file') return undefined;
    let dir = path.dirname(uri.fsPath);
    try {
      dir = realpathSync(dir);
    } catch {
      return undefined; // the folder is gone; nothing to record
    }
    let repo = this.repos.get(dir);
    if (!repo) {
      repo = findRepo(dir);
      this.repos.set(dir, repo);
      const known = dir;
      void repo.then((r) => this.knownRepos.set(known, r), () => undefined);
    }
    const found = await repo;
    if (!found) return undefined;
    if (!this.seenRoots.has(found.root)) {
      this.seenRoots.add(found.root);
      this.foundRepo.fire(found);
    }
    const relPath = pathInRepo(found, dir, uri);
    return relPath === undefined ? undefined : { repo: found, relPath };
  }

  /** Where a file's ledger entry lives: its repository's git dir, or the extension's storage for files outside git. */
  async locateLedger(uri: vscode.Uri): Promise<{ ledgerDir: string; relPath: string } | undefined> {
    if (uri.scheme !== 'file') return undefined;
    const where = await this.locate(uri);
    if (where) return { ledgerDir: where.repo.ledgerDir, relPath: where.relPath };
    return { ledgerDir: this.outsideGitDir, relPath: uri.fsPath };
  }

  /** Moves ledger entries along with renamed files and folders. */
  private async renamed(e: vscode.FileRenameEvent): Promise<void> {
    for (const { oldUri, newUri } of e.files) {
      const from = await this.locateLedger(oldUri);
      const to = await this.locateLedger(newUri);
      if (!from || !to) continue;
      const moved = await moveLedgerEntries(from.ledgerDir, from.relPath, to.ledgerDir, to.relPath);
      if (moved) this.log.info(`moved ${moved} ledger entr${moved === 1 ? 'y' : 'ies'} from ${from.relPath} to ${to.relPath}`);
    }
  }

  private open(doc: vscode.TextDocument): void {
    if (!isTracked(doc)) return;
    this.tracker.ensure(doc);
    void this.restore(doc).catch((e: unknown) => this.log.error(`could not restore origins of ${doc.uri.fsPath}`, e));
  }

  /**
   * A file changed on disk while open. An agent's hook may label what it wrote
   * with `ai-provenance mark` right after writing: look for a ledger newer than
   * our own last write, now and again shortly after.
   */
  private reloaded({ doc, revert, diskChangedAt }: Reload): void {
    if (revert) {
      void this.restore(doc).catch((e: unknown) => this.log.error(`could not restore origins of ${doc.uri.fsPath}`, e));
      return;
    }
    // The agent may have marked its write a moment before VS Code noticed the change; and a buffer
    // with unsaved changes takes the file's text only when the person reverts it, maybe much later.
    const since = Math.min(Date.now(), diskChangedAt ?? Infinity) - MARK_SLACK_MS;
    for (const delay of MARK_RETRIES_MS) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        void this.restore(doc, since).catch((e: unknown) => this.log.error(`could not read the ledger of ${doc.uri.fsPath}`, e));
      }, delay);
      this.timers.add(t);
    }
  }

  /**
   * Restores a document's origins from its ledger. With `writtenSince`, only
   * from a ledger someone else wrote since then for exactly this text.
   */
  private async restore(doc: vscode.TextDocument, writtenSince?: number): Promise<void> {
    const version = doc.version;
    const where = await this.locateLedger(doc.uri);
    if (!where) return;
    const ledger = await readFileLedger(where.ledgerDir, where.relPath);
    if (!ledger) return;
    const current = this.tracker.get(doc);
    // Edits that arrived while we read are newer than the ledger: keep them.
    if (doc.isClosed || doc.version !== version) return;
    if (writtenSince === undefined) {
      if (current?.hasOrigins()) return;
    } else {
      const ours = this.lastWrite.get(`${where.ledgerDir}\u0000${where.relPath}`) ?? 0;
      if (doc.isDirty || ledger.savedAt < writtenSince || ledger.savedAt <= ours) return;
      if (!sameLines(ledger.lines, splitLines(doc.getText()).map(hashLine))) return;
    }
    this.tracker.restore(doc, restoreRuns(ledger, doc.getText()));
    this.log.info(`restored origins of ${where.relPath} from the ledger`);
    this.restored.fire(doc);
  }

  /**
   * Leaves the commit hook a mark that this file's ledger is about to be
   * written (see `awaitEditorSaves`). Synchronous: VS Code writes the file
   * once the will-save listeners return, and a listener that keeps it waiting
   * is dropped. A file whose repository is not known yet gets no mark.
   */
  private willSave(e: vscode.TextDocumentWillSaveEvent): void {
    const doc = e.document;
    if (doc.uri.scheme !== 'file' || !isTracked(doc) || !this.tracker.get(doc)) return;
    let dir: string;
    try {
      dir = realpathSync(path.dirname(doc.uri.fsPath));
    } catch {
      return;
    }
    const repo = this.knownRepos.get(dir);
    if (!repo) return;
    const relPath = pathInRepo(repo, dir, doc.uri);
    if (relPath === undefined) return;
    const mark = { ledgerDir: repo.ledgerDir, relPath, at: Date.now() };
    const key = doc.uri.toString();
    try {
      markSaving(mark.ledgerDir, mark.relPath, mark.at);
      this.marks.set(key, mark);
    } catch (err) {
      this.log.warn(`could not mark the save of ${relPath} for the commit hook: ${String(err)}`);
      return;
    }
    // A save that fails, or is given up after the will-save listeners, never reports itself saved: its mark goes anyway.
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.unmark(key, mark);
    }, SAVE_MARK_FRESH_MS);
    this.timers.add(t);
  }

  /** Takes a save's mark away, unless a newer save of the document left its own. */
  private unmark(key: string, mark: SaveMark | undefined): void {
    if (!mark || this.marks.get(key) !== mark) return;
    this.marks.delete(key);
    try {
      clearSaving(mark.ledgerDir, mark.relPath);
    } catch (err) {
      this.log.warn(`could not clear the save mark of ${mark.relPath}: ${String(err)}`);
    }
  }

  private clearLeftOver(repo: RepoPaths): void {
    try {
      const n = clearStaleSaves(repo.ledgerDir);
      if (n > 0) this.log.info(`removed ${n} save mark${n === 1 ? '' : 's'} left over in ${repo.root}`);
    } catch (err) {
      this.log.warn(`could not look for save marks left over in ${repo.root}: ${String(err)}`);
    }
  }

  private save(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const mark = this.marks.get(key);
    void this.writeNow(doc)
      .catch((e: unknown) => this.log.error(`could not write the ledger for ${doc.uri.fsPath}`, e))
      .finally(() => this.unmark(key, mark));
  }

  /** Writes a document's ledger from its current text, which must be what is on disk. */
  writeNow(doc: vscode.TextDocument): Promise<void> {
    const model = isTracked(doc) ? this.tracker.get(doc) : undefined;
    // The ledger describes the file on disk: unsaved text is not that.
    if (!model || doc.isDirty) return Promise.resolve();
    // Take the saved text and its runs now: the person may type on before the write.
    const text = doc.getText();
    const runs = [...model.getRuns()];
    if (text.length !== model.length) {
      this.log.warn(`span model of ${doc.uri.fsPath} does not match its text; ledger not written`);
      return Promise.resolve();
    }
    return this.write(doc.uri, text, runs);
  }

  private async write(uri: vscode.Uri, text: string, runs: readonly Run[]): Promise<void> {
    const where = await this.locateLedger(uri);
    if (!where) return;
    const savedAt = Date.now();
    this.lastWrite.set(`${where.ledgerDir}\u0000${where.relPath}`, savedAt);
    await writeFileLedger(where.ledgerDir, buildFileLedger(where.relPath, text, runs, savedAt));
  }
}

/** A file's path inside its repository (`/`-separated), from its folder's real path; `undefined` outside it. */
function pathInRepo(repo: RepoPaths, realDir: string, uri: vscode.Uri): string | undefined {
  const relPath = path.relative(repo.root, path.join(realDir, path.basename(uri.fsPath))).split(path.sep).join('/');
  return relPath.startsWith('..') ? undefined : relPath;
}
