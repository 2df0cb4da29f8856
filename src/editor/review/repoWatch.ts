import * as vscode from 'vscode';
import { NOTES_REF } from '../../core/record';
import type { RepoPaths } from '../../node/git/git';

/**
 * Fires `onDidMove` when a repository's history moves: HEAD (a commit, a
 * checkout, a reset), a branch, or a notes ref (ours and git-ai's, written by
 * post-commit, a review, a fetch of notes). It watches the files git itself
 * writes, where they are — this work tree's `HEAD` and `logs/HEAD` in its own
 * git directory (in a linked worktree `.git` is a file and these live under
 * the common dir's `worktrees/`), the branches, notes refs, `packed-refs` and
 * notes reflogs in the common dir — so a move is seen without reflogs
 * (`core.logAllRefUpdates=false`) too. One set of watchers per repository:
 * the extension makes one RepoWatch, and whatever follows history (Toggle AI
 * History, This branch) subscribes to it.
 */
export class RepoWatch implements vscode.Disposable {
  private readonly watched = new Map<string, vscode.Disposable[]>();
  private readonly moved = new vscode.EventEmitter<void>();
  private readonly always: vscode.Disposable[] = [this.moved];
  /** A repository's HEAD, a branch or a notes ref moved. */
  readonly onDidMove = this.moved.event;

  constructor() {
    // The reflogs of a repository whose `.git` is a folder of the workspace, watched before any repository is known.
    for (const glob of ['**/.git/logs/HEAD', `**/.git/logs/${NOTES_REF}`]) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      this.always.push(w, w.onDidChange(() => this.moved.fire()), w.onDidCreate(() => this.moved.fire()));
    }
  }

  /** Starts watching `repo` (once per repository). */
  watch(repo: Pick<RepoPaths, 'root' | 'gitDir' | 'commonDir'>): void {
    if (this.watched.has(repo.root)) return;
    const patterns = [
      new vscode.RelativePattern(vscode.Uri.file(repo.gitDir), '{HEAD,logs/HEAD}'),
      new vscode.RelativePattern(vscode.Uri.file(repo.commonDir), '{packed-refs,refs/heads/**,refs/notes/**,logs/refs/notes/**}'),
    ];
    // git writes `<ref>.lock` and renames it over the ref: the lock's own comings and goings are not a move.
    const moved = (uri: vscode.Uri): void => {
      if (!uri.path.endsWith('.lock')) this.moved.fire();
    };
    this.watched.set(repo.root, patterns.flatMap((p) => {
      const w = vscode.workspace.createFileSystemWatcher(p);
      return [w, w.onDidChange(moved), w.onDidCreate(moved), w.onDidDelete(moved)];
    }));
  }

  dispose(): void {
    for (const ds of [this.always, ...this.watched.values()]) for (const d of ds) d.dispose();
    this.watched.clear();
  }
}
