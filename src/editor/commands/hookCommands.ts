import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LedgerSync } from '../capture/ledgerSync';
import { HOOK_MARKER, installHook, isOurHook, PUSH_HOOK, shQuote, uninstallHook } from '../../node/commit/install';
import { stagedAttribution } from '../../node/commit/staged';
import { renderCommitPreview } from '../../core/render';
import { SETTINGS_SECTION } from '../../core/settings';
import type { RepoPaths } from '../../node/git/git';
import { findRepo } from '../../node/git/git';
import { writeHookSettings } from '../../node/git/ledgerStore';
import type { Config } from '../config';
import type { Logger } from '../log';
import { notify, PRODUCT_NAME } from '../notify';
import { MarkdownDocs } from '../render/markdownDocs';
import { repoForCommand } from '../render/pickers';
import { registerSafeCommand } from './run';

const PREVIEW_SCHEME = 'ai-provenance-preview';
const OFFERED_KEY = 'provenance.hookOffered';

type HookState = 'none' | 'current' | 'stale';

/**
 * The commit hook from the editor: **Install / Uninstall Commit Hook**,
 * **Show Commit Provenance**, and the one-time offer `provenance.commitHook`
 * asks for. Never installs anything in an untrusted workspace.
 */
export class CommitHooks implements vscode.Disposable {
  private readonly previews = new MarkdownDocs(PREVIEW_SCHEME);
  private readonly disposables: vscode.Disposable[] = [this.previews];
  private readonly considered = new Set<string>();
  private readonly repos = new Map<string, RepoPaths>();
  private readonly cliPath: string;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly ledger: LedgerSync,
    private readonly config: Config,
    private readonly log: Logger,
  ) {
    this.cliPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
    this.disposables.push(
      registerSafeCommand('provenance.installCommitHook', 'Install Commit Hook', log, async () => {
        const repo = await this.pickRepo();
        if (repo) await this.install(repo, 'command');
      }),
      registerSafeCommand('provenance.uninstallCommitHook', 'Uninstall Commit Hook', log, () => this.uninstall()),
      registerSafeCommand('provenance.showCommitProvenance', 'Show Commit Provenance', log, () => this.showPreview()),
    );
    ledger.onDidFindRepo((repo) => void this.consider(repo).catch((e: unknown) => log.error('commit hook check failed', e)), this, this.disposables);
    config.onDidChange(
      (e) => {
        if (!e.affects(`${SETTINGS_SECTION}.trailer`)) return;
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
    const mode = this.config.settings.commitHook;
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
      `${PRODUCT_NAME} can add a trailer with line counts by origin (no code, no file names) to each commit in ${path.basename(repo.root)}. Install its commit hook?`,
      install,
      'Not Now',
      never,
    );
    if (choice === install) await this.install(repo, 'command');
    else if (choice === never) await this.config.update('commitHook', 'never');
  }

  /** The hook runs outside VS Code: it reads `provenance.trailer.*` from a file beside the ledger. */
  private async writeHookSettings(repo: RepoPaths): Promise<void> {
    const s = this.config.settings;
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

  private async install(repo: RepoPaths, why: 'command' | 'always' | 'update', sharedHooksPath = false): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void notify.warn('a commit hook runs code on every commit, so it is never installed in an untrusted workspace.');
      return;
    }
    const pushNotes = why !== 'update' && this.config.settings.notesPush === 'always';
    // An update rewrites a hook of ours where it already is: it widens nothing.
    const result = await installHook(repo, { cliPath: this.cliPath, runtimePath: process.execPath, pushNotes, sharedHooksPath: sharedHooksPath || why === 'update' });
    switch (result.status) {
      case 'installed': {
        this.log.info(`commit hook ${result.updated ? 'updated' : 'installed'} in ${repo.hooksDir} (${why}${pushNotes ? ', with pre-push' : ''})`);
        if (why === 'update') return;
        const chained = result.chained.length ? ' The hook that was there runs first, as before.' : '';
        const pushing = result.hooks.some((h) => path.basename(h) === PUSH_HOOK) ? ' It pushes the records along with each git push.' : '';
        const shared = sharedHooksPath ? ` It is in ${repo.hooksDir}, so it runs for every repository that uses that folder.` : '';
        void notify.info(`commit hook ${result.updated ? 'updated' : 'installed'} in ${path.basename(repo.root)}.${pushing}${chained}${shared}`);
        if (!pushing && why === 'command') await this.offerPushNotes(repo);
        break;
      }
      case 'manual':
        this.log.info(`hooks are managed by ${result.manager}: ${result.instructions}`);
        void notify.warn(`${result.manager} manages this repository's hooks, so nothing was changed. ${result.instructions}`);
        break;
      case 'conflict':
        if (result.sharedScope && why === 'command') await this.offerSharedInstall(repo, result.sharedScope);
        else void notify.warn(result.message);
        break;
    }
  }

  /**
   * `provenance.notes.push` = `ask`: once the commit hook is installed at the
   * person's request, asks whether the records should go along with each
   * push (the opt-in pre-push hook).
   */
  private async offerPushNotes(repo: RepoPaths): Promise<void> {
    if (this.config.settings.notesPush !== 'ask') return;
    const yes = 'Push Records Too';
    const never = "Don't Ask Again";
    const choice = await vscode.window.showInformationMessage(
      `Also push the records (git notes on refs/notes/ai-provenance, line ranges and origins, no code) to the remote with each git push from ${path.basename(repo.root)}? A push never fails or waits long because of it.`,
      yes,
      'Not Now',
      never,
    );
    if (choice === never) await this.config.update('notes.push', 'never');
    if (choice !== yes) return;
    const result = await installHook(repo, { cliPath: this.cliPath, runtimePath: process.execPath, pushNotes: true });
    if (result.status === 'installed') {
      this.log.info(`pre-push hook installed in ${repo.hooksDir}`);
      void notify.info(`records of ${path.basename(repo.root)} are now pushed along with each git push (ai-provenance notes sync shares them by hand).`);
    } else void notify.warn(result.status === 'manual' ? result.instructions : result.message);
  }

  /** The CLI's `--shared-hooks-path`, as a question: core.hooksPath comes from the global or system configuration. */
  private async offerSharedInstall(repo: RepoPaths, scope: string): Promise<void> {
    const anyway = 'Install for Every Repository';
    const choice = await vscode.window.showWarningMessage(
      `${PRODUCT_NAME}: core.hooksPath is set in your ${scope} git configuration, so a hook installed in ${repo.hooksDir} would run for every repository that uses it, not only ${path.basename(repo.root)}. ` +
        'Nothing was written. To install for this repository only, set core.hooksPath in its own configuration (git config --local core.hooksPath .git/hooks) and install again.',
      { modal: true },
      anyway,
    );
    if (choice === anyway) await this.install(repo, 'command', true);
  }

  private async uninstall(): Promise<void> {
    const repo = await this.pickRepo();
    if (!repo) return;
    const result = await uninstallHook(repo);
    this.log.info(`commit hook removed from ${repo.hooksDir}: ${result.removed.length} removed, ${result.restored.length} restored, ${result.kept.length} kept`);
    for (const k of result.kept) this.log.warn(k.message);
    const msg = result.removed.length
      ? `commit hook removed from ${path.basename(repo.root)}.${result.restored.length ? ' The hook that was there before is back in place.' : ''}`
      : result.kept.length
        ? ''
        : `no ${PRODUCT_NAME} hook was installed in ${path.basename(repo.root)}.`;
    if (msg) void notify.info(msg);
    // Hooks the person edited after we wrote them were left alone: say which, and what to do.
    for (const k of result.kept) void notify.warn(k.message);
  }

  /** What the trailer will say for what is staged now, per file, in a read-only document. */
  private async showPreview(): Promise<void> {
    const repo = await this.pickRepo();
    if (!repo) return;
    const staged = await stagedAttribution(repo);
    const unsaved = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath.startsWith(repo.root + path.sep));
    const text = renderCommitPreview(path.basename(repo.root), staged, unsaved.length);
    await this.previews.show(`/${path.basename(repo.root)}/commit-provenance.md`, text, { preview: true });
  }

  private pickRepo(): Promise<RepoPaths | undefined> {
    return repoForCommand(this.ledger);
  }
}
