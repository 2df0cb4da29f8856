import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { committedLineRanges } from '../../core/baseline';
import { git, GitError } from '../../node/git/git';
import type { RepoPaths } from '../../node/git/git';
import type { Logger } from '../log';
import type { LedgerSync } from './ledgerSync';
import { isTracked } from './documents';
import type { ProvenanceTracker } from './tracker';

/** After HEAD moves, files reload from disk for a while (checkout): reconcile again once they have. */
const RECONCILE_DELAYS_MS = [300, 2000];

/**
 * Keeps marks relative to HEAD: text equal to the committed text carries no
 * mark. Reconciles each document when first seen and whenever HEAD moves
 * (commit, amend, checkout, reset, branch switch), watched through the
 * repository's `logs/HEAD`.
 */
export class BaselineSync implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly timers = new Map<string, NodeJS.Timeout[]>();

  constructor(
    private readonly tracker: ProvenanceTracker,
    private readonly ledger: LedgerSync,
    private readonly log: Logger,
  ) {
    ledger.onDidFindRepo(this.watchRepo, this, this.disposables);
    ledger.onDidRestore((doc) => void this.reconcileDoc(doc).catch((e: unknown) => log.error('reconcile failed', e)), this, this.disposables);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const w of this.watchers.values()) w.close();
    for (const ts of this.timers.values()) for (const t of ts) clearTimeout(t);
  }

  private watchRepo(repo: RepoPaths): void {
    if (this.watchers.has(repo.root)) return;
    const logs = path.join(repo.gitDir, 'logs');
    try {
      const w = watch(logs, (_event, file) => {
        if (file === null || String(file) === 'HEAD') this.schedule(repo);
      });
      w.on('error', (e) => this.log.warn(`stopped watching ${logs}: ${e.message}`));
      this.watchers.set(repo.root, w);
    } catch (e) {
      // No reflog (core.logAllRefUpdates off, or a fresh repository): nothing to watch; marks still clear on the next open.
      this.log.info(`not watching HEAD of ${repo.root}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private schedule(repo: RepoPaths): void {
    for (const t of this.timers.get(repo.root) ?? []) clearTimeout(t);
    this.timers.set(
      repo.root,
      RECONCILE_DELAYS_MS.map((ms) => setTimeout(() => void this.reconcileRepo(repo).catch((e: unknown) => this.log.error('reconcile failed', e)), ms)),
    );
  }

  private async reconcileRepo(repo: RepoPaths): Promise<void> {
    for (const doc of vscode.workspace.textDocuments) {
      if (isTracked(doc) && doc.uri.scheme === 'file' && doc.uri.fsPath.startsWith(repo.root + path.sep)) await this.reconcileDoc(doc);
    }
  }

  /** Clears the marks of every line that equals a line of the file at HEAD. */
  async reconcileDoc(doc: vscode.TextDocument): Promise<void> {
    const model = this.tracker.get(doc);
    if (!model?.hasOrigins()) return;
    const where = await this.ledger.locate(doc.uri);
    if (!where) return;
    let head: string;
    try {
      head = await git(['show', `HEAD:./${where.relPath}`], { cwd: where.repo.root, timeoutMs: 10_000 });
    } catch (e) {
      if (e instanceof GitError) return; // not in HEAD (a new file) or no commit yet: everything in it is new
      throw e;
    }
    const version = doc.version;
    const text = doc.getText();
    const current = this.tracker.get(doc);
    if (current !== model || doc.version !== version || text.length !== model.length) return;
    const ranges = committedLineRanges(head, text);
    if (ranges.length === 0) return;
    this.tracker.clearOrigins(doc, model, ranges);
    if (!doc.isDirty) await this.ledger.writeNow(doc);
  }
}
