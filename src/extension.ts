import * as vscode from 'vscode';
import { AgentSpoolWatcher } from './editor/capture/agentSpool';
import { BaselineSync } from './editor/capture/baseline';
import { CommandWrappers } from './editor/capture/commandWrappers';
import { DiskWatcher } from './editor/capture/diskWatcher';
import { LedgerSync } from './editor/capture/ledgerSync';
import { PasteWatcher } from './editor/capture/paste';
import { SnippetLibrary } from './editor/capture/snippets';
import { ProvenanceTracker } from './editor/capture/tracker';
import { AgentHookCommands } from './editor/commands/agentCommands';
import { CommitHooks } from './editor/commands/hookCommands';
import { registerSafeCommand } from './editor/commands/run';
import { Config } from './editor/config';
import { createLogger } from './editor/log';
import { PRODUCT_NAME } from './editor/notify';
import { ReviewCommands } from './editor/commands/reviewCommands';
import { AiHistory } from './editor/review/history';
import { ReviewQueueView } from './editor/review/queueView';
import { RepoWatch } from './editor/review/repoWatch';
import { GutterMarks } from './editor/ui/gutter';
import { ProvenanceHover } from './editor/ui/hover';
import { LineProjections } from './editor/ui/projections';
import { StatusBar } from './editor/ui/statusBar';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel(PRODUCT_NAME, { log: true });
  const log = createLogger(channel);
  const config = new Config();
  // The person's snippets live beside the user data's globalStorage folder (User/snippets).
  const snippets = new SnippetLibrary(vscode.Uri.joinPath(context.globalStorageUri, '..', '..', 'snippets'), log);
  const tracker = new ProvenanceTracker(() => config.settings, log, snippets);
  const ledger = new LedgerSync(tracker, vscode.Uri.joinPath(context.globalStorageUri, 'ledgers').fsPath, log);
  const projections = new LineProjections(tracker);
  const agentSpool = new AgentSpoolWatcher(log);
  // One set of watchers per repository for everything that follows its history.
  const repoWatch = new RepoWatch();

  context.subscriptions.push(
    channel,
    config,
    snippets,
    tracker,
    ledger,
    projections,
    repoWatch,
    new GutterMarks(tracker, projections, context.extensionUri, config),
    new StatusBar(tracker, projections),
    new ReviewCommands(tracker, ledger, projections, log),
    new CommandWrappers(tracker, log),
    new BaselineSync(tracker, ledger, log),
    agentSpool,
    new DiskWatcher(ledger, agentSpool, log),
    new PasteWatcher(tracker),
    new ProvenanceHover(tracker, projections),
    new ReviewQueueView(tracker, projections, context.extensionUri, context.workspaceState, log, repoWatch),
    new AiHistory(log, config, repoWatch),
    new CommitHooks(context, ledger, config, log),
    new AgentHookCommands(context, ledger, log),
    registerSafeCommand('provenance.toggleGutter', 'Toggle Gutter Marks', log, () => config.update('gutter.enabled', !config.settings.gutterEnabled)),
  );
  log.info(`${PRODUCT_NAME} is recording edit origins`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
