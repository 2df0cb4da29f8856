import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LedgerSync } from '../capture/ledgerSync';
import { HOOK_MARKER, installHook, isOurHook, shQuote, uninstallHook } from '../../node/commit/install';
import { stagedAttribution } from '../../node/commit/staged';
import type { Settings } from '../../core/settings';
import { SETTINGS_SECTION } from '../../core/settings';
import { formatTrailerValue, TRAILER_KEY } from '../../core/trailer';
import type { RepoPaths } from '../../node/git/git';
import { findRepo } from '../../node/git/git';
import { writeHookSettings } from '../../node/git/ledgerStore';
import type { Logger } from '../log';
import { registerSafeCommand } from './run';

const PREVIEW_SCHEME = 'ai-provenance-preview';
const OFFERED_KEY = 'provenance.hookOffered';

type HookState = 'none' | 'current' | 'stale';

/**
 * The commit hook from the editor: **Install / Uninstall Commit Hook**,
 * **Show Commit Provenance**, and the one-time offer `provenance.commitHook`
 * asks for. Never installs anything in an untrusted workspace.
 */
export class CommitHooks implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly considered = new Set<string>();
  private readonly repos = new Map<string, RepoPaths>();
  private readonly previews = new Map<string, string>();
  private readonly previewChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly cliPath: string;

  readonly onDidChange = this.previewChanged.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly ledger: LedgerSync,
    private readonly settings: () => Settings,
    private readonly log: Logger,
  ) {
    this.cliPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
    this.disposables.push(
      this.previewChanged,
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this),
      registerSafeCommand('provenance.installCommitHook', 'Install Commit Hook', log, async () => {
        const repo = await this.pickRepo();
        if (repo) await this.install(repo, 'command');
      }),
      registerSafeCommand('provenance.uninstallCommitHook', 'Uninstall Commit Hook', log, () => this.uninstall()),
      registerSafeCommand('provenance.showCommitProvenance', 'Show Commit Provenance', log, () => this.showPreview()),
    );
    ledger.onDidFindRepo((repo) => void this.consider(repo).catch((e: unknown) => log.error('commit hook check failed', e)), this, this.disposables);
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (!e.affectsConfiguration(`${SETTINGS_SECTION}.trailer`)) return;
        for (const repo of this.repos.values()) void this.writeHookSettings(repo);
      },
      this,
      this.disposables,
    );
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.considerWorkspace(), this, this.disposables);
    this.considerWorkspace();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.previews.get(uri.toString()) ?? '';
  }

  private considerWorkspace(): void {
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      if (f.uri.scheme !== 'file') continue;
      void findRepo(f.uri.fsPath)
        .then((repo) => (repo ? this.consider(repo) : undefined))
        .catch((e: unknown) => this.log.error('commit hook check failed', e));
    }
  }

  /**
   * A repository came into view: keep an installed hook pointing at this copy
   * of the extension (it moves on every update), and make the offer the
   * `provenance.commitHook` setting asks for, once per repository.
   */
  private async consider(repo: RepoPaths): Promise<void> {
    if (!this.repos.has(repo.root)) {
      this.repos.set(repo.root, repo);
      await this.writeHookSettings(repo);
    }
    if (!vscode.workspace.isTrusted || this.considered.has(repo.root)) return;
    this.considered.add(repo.root);
    const state = await this.hookState(repo);
    if (state === 'stale') {
      await this.install(repo, 'update');
      return;
    }
    if (state === 'current') return;
    const mode = this.settings().commitHook;
    if (mode === 'never') return;
    if (mode === 'always') {
      await this.install(repo, 'always');
      return;
    }
    const offered = this.context.globalState.get<string[]>(OFFERED_KEY, []);
    if (offered.includes(repo.root)) return;
    await this.context.globalState.update(OFFERED_KEY, [...offered, repo.root]);
    const install = 'Install Hook';
    const never = "Don't Ask Again";
    const choice = await vscode.window.showInformationMessage(
      `AI Provenance can add a trailer with line counts by origin (no code, no file names) to each commit in ${path.basename(repo.root)}. Install its commit hook?`,
      install,
      'Not Now',
      never,
    );
    if (choice === install) await this.install(repo, 'command');
    else if (choice === never) await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('commitHook', 'never', vscode.ConfigurationTarget.Global);
  }

  /** The hook runs outside VS Code: it reads `provenance.trailer.*` from a file beside the ledger. */
  private async writeHookSettings(repo: RepoPaths): Promise<void> {
    const s = this.settings();
    try {
      await writeHookSettings(repo.ledgerDir, { trailer: s.trailerEnabled, whenNoAi: s.trailerWhenNoAi });
    } catch (e) {
      this.log.error(`could not write the hook settings of ${repo.root}`, e);
    }
  }

  /** Whether our hook is there, and whether it runs this copy of the extension's CLI. */
  private async hookState(repo: RepoPaths): Promise<HookState> {
    let text: string;
    try {
      text = await fs.readFile(path.join(repo.hooksDir, 'prepare-commit-msg'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw e;
    }
    if (!isOurHook(text)) return 'none';
    const current = text.includes(`ai_provenance_cli=${shQuote(this.cliPath)}`) && text.includes(`ai_provenance_runtime=${shQuote(process.execPath)}`);
    return current && text.includes(HOOK_MARKER) ? 'current' : 'stale';
  }

  private async install(repo: RepoPaths, why: 'command' | 'always' | 'update'): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('AI Provenance: a commit hook runs code on every commit, so it is never installed in an untrusted workspace.');
      return;
    }
    const result = await installHook(repo, { cliPath: this.cliPath, runtimePath: process.execPath });
    switch (result.status) {
      case 'installed': {
        this.log.info(`commit hook ${result.updated ? 'updated' : 'installed'} in ${repo.hooksDir} (${why})`);
        if (why === 'update') return;
        const chained = result.chained.length ? ' The hook that was there runs first, as before.' : '';
        void vscode.window.showInformationMessage(`AI Provenance: commit hook ${result.updated ? 'updated' : 'installed'} in ${path.basename(repo.root)}.${chained}`);
        break;
      }
      case 'manual':
        this.log.info(`hooks are managed by ${result.manager}: ${result.instructions}`);
        void vscode.window.showWarningMessage(`AI Provenance: ${result.manager} manages this repository's hooks, so nothing was changed. ${result.instructions}`);
        break;
      case 'conflict':
        void vscode.window.showWarningMessage(`AI Provenance: ${result.message}`);
        break;
    }
  }

  private async uninstall(): Promise<void> {
    const repo = await this.pickRepo();
    if (!repo) return;
    const result = await uninstallHook(repo);
    this.log.info(`commit hook removed from ${repo.hooksDir}: ${result.removed.length} removed, ${result.restored.length} restored`);
    const msg = result.removed.length
      ? `AI Provenance: commit hook removed from ${path.basename(repo.root)}.${result.restored.length ? ' The hook that was there before is back in place.' : ''}`
      : `AI Provenance: no AI Provenance hook was installed in ${path.basename(repo.root)}.`;
    void vscode.window.showInformationMessage(msg);
  }

  /** What the trailer will say for what is staged now, per file, in a read-only document. */
  private async showPreview(): Promise<void> {
    const repo = await this.pickRepo();
    if (!repo) return;
    const { total, files } = await stagedAttribution(repo);
    const unsaved = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath.startsWith(repo.root + path.sep));
    const lines = [
      `# Commit provenance: ${path.basename(repo.root)}`,
      '',
      'What the commit hook would write for the changes staged now:',
      '',
      `    ${TRAILER_KEY}: ${formatTrailerValue(total)}`,
      ...[...total.tools].sort().map((t) => `    Assisted-by: ${t}`),
      '',
    ];
    if (files.length === 0) lines.push('Nothing is staged.');
    else {
      lines.push('| file | lines | ai | mixed | human | unknown |', '|---|--:|--:|--:|--:|--:|');
      for (const f of files) {
        const c = f.counts;
        lines.push(`| ${f.path.replace(/\|/g, '\\|')} | ${c.lines} | ${c.ai} | ${c.mixed} | ${c.human} | ${c.unknown} |`);
      }
    }
    lines.push('', 'Counts are over non-blank added lines. A line the editor has no record of (changed outside it, or before tracking began) counts as unknown.');
    if (unsaved.length) lines.push('', `Not included: unsaved changes in ${unsaved.length} open file(s); save and stage them first.`);
    lines.push('', 'The trailer itself holds counts only: no code and no file names.');
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${path.basename(repo.root)}/commit-provenance.md` });
    this.previews.set(uri.toString(), lines.join('\n') + '\n');
    this.previewChanged.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  /** The repository of the active file, else of the only (or a chosen) workspace folder. */
  private async pickRepo(): Promise<RepoPaths | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active) {
      const where = await this.ledger.locate(active);
      if (where) return where.repo;
    }
    const repos: RepoPaths[] = [];
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const r = f.uri.scheme === 'file' ? await findRepo(f.uri.fsPath) : undefined;
      if (r && !repos.some((x) => x.root === r.root)) repos.push(r);
    }
    if (repos.length === 0) {
      void vscode.window.showWarningMessage('AI Provenance: open a file in a git repository first.');
      return undefined;
    }
    if (repos.length === 1) return repos[0];
    const pick = await vscode.window.showQuickPick(
      repos.map((r) => ({ label: path.basename(r.root), description: r.root, repo: r })),
      { placeHolder: 'Which repository?' },
    );
    return pick?.repo;
  }
}
