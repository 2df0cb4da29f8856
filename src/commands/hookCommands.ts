import * as vscode from 'vscode';
import type { LedgerSync } from '../capture/ledgerSync';
import { installHook, uninstallHook } from '../commit/install';
import type { RepoPaths } from '../git/git';
import { findRepo } from '../git/git';
import type { Logger } from '../log';
import { registerSafeCommand } from './run';

/** **Install Commit Hook** and **Uninstall Commit Hook**: only with the user's say-so, never in an untrusted workspace. */
export class HookCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ledger: LedgerSync,
    private readonly extensionUri: vscode.Uri,
    log: Logger,
  ) {
    this.disposables.push(
      registerSafeCommand('provenance.installCommitHook', 'Install Commit Hook', log, () => this.install(log)),
      registerSafeCommand('provenance.uninstallCommitHook', 'Uninstall Commit Hook', log, () => this.uninstall(log)),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private async install(log: Logger): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('AI Provenance: a commit hook runs code on every commit, so it is never installed in an untrusted workspace.');
      return;
    }
    const repo = await this.pickRepo();
    if (!repo) return;
    const cliPath = vscode.Uri.joinPath(this.extensionUri, 'dist', 'cli.js').fsPath;
    const result = await installHook(repo, { cliPath, runtimePath: process.execPath });
    switch (result.status) {
      case 'installed': {
        const chained = result.chained.length ? ` The hook that was there runs first, as before.` : '';
        log.info(`commit hook ${result.updated ? 'updated' : 'installed'} in ${repo.hooksDir}`);
        void vscode.window.showInformationMessage(`AI Provenance: commit hook ${result.updated ? 'updated' : 'installed'} in ${repo.root}.${chained}`);
        break;
      }
      case 'manual':
        log.info(`hooks are managed by ${result.manager}: ${result.instructions}`);
        void vscode.window.showWarningMessage(`AI Provenance: ${result.manager} manages this repository's hooks, so nothing was changed. ${result.instructions}`, { modal: false });
        break;
      case 'conflict':
        void vscode.window.showWarningMessage(`AI Provenance: ${result.message}`);
        break;
    }
  }

  private async uninstall(log: Logger): Promise<void> {
    const repo = await this.pickRepo();
    if (!repo) return;
    const result = await uninstallHook(repo);
    log.info(`commit hook removed from ${repo.hooksDir}: ${result.removed.length} removed, ${result.restored.length} restored`);
    const msg = result.removed.length
      ? `AI Provenance: commit hook removed from ${repo.root}.${result.restored.length ? ' The hook that was there before is back in place.' : ''}`
      : `AI Provenance: no AI Provenance hook was installed in ${repo.root}.`;
    void vscode.window.showInformationMessage(msg);
  }

  /** The repository of the active file, else of the only (or a chosen) workspace folder. */
  private async pickRepo(): Promise<RepoPaths | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active) {
      const where = await this.ledger.locate(active);
      if (where) return where.repo;
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    const repos: RepoPaths[] = [];
    for (const f of folders) {
      const r = f.uri.scheme === 'file' ? await findRepo(f.uri.fsPath) : undefined;
      if (r && !repos.some((x) => x.root === r.root)) repos.push(r);
    }
    if (repos.length === 0) {
      void vscode.window.showWarningMessage('AI Provenance: open a file in a git repository first.');
      return undefined;
    }
    if (repos.length === 1) return repos[0];
    const pick = await vscode.window.showQuickPick(
      repos.map((r) => ({ label: r.root, repo: r })),
      { placeHolder: 'Which repository?' },
    );
    return pick?.repo;
  }
}
