import * as vscode from 'vscode';
import { BaselineSync } from './capture/baseline';
import { CommandWrappers } from './capture/commandWrappers';
import { DiskWatcher } from './capture/diskWatcher';
import { LedgerSync } from './capture/ledgerSync';
import { PasteWatcher } from './capture/paste';
import { ProvenanceTracker } from './capture/tracker';
import { CommitHooks } from './commands/hookCommands';
import { registerSafeCommand } from './commands/run';
import { Config } from './config';
import { SETTINGS_SECTION } from './core/settings';
import { createLogger } from './log';
import { ReviewCommands } from './commands/reviewCommands';
import { GutterMarks } from './ui/gutter';
import { ProvenanceHover } from './ui/hover';
import { LineProjections } from './ui/projections';
import { StatusBar } from './ui/statusBar';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('AI Provenance', { log: true });
  const log = createLogger(channel);
  const config = new Config();
  const tracker = new ProvenanceTracker(() => config.settings, log);
  const ledger = new LedgerSync(tracker, vscode.Uri.joinPath(context.globalStorageUri, 'ledgers').fsPath, log);
  const projections = new LineProjections(tracker);
  const gutter = new GutterMarks(tracker, projections, context.extensionUri, () => config.settings);

  context.subscriptions.push(
    channel,
    config,
    tracker,
    ledger,
    projections,
    gutter,
    new StatusBar(tracker, projections),
    new ReviewCommands(tracker, ledger, projections, log),
    new CommandWrappers(tracker),
    new BaselineSync(tracker, ledger, log),
    new DiskWatcher(ledger, log),
    new PasteWatcher(tracker),
    new ProvenanceHover(tracker, projections),
    new CommitHooks(context, ledger, () => config.settings, log),
    config.onDidChange(() => gutter.refreshAll()),
    registerSafeCommand('provenance.toggleGutter', 'Toggle Gutter Marks', log, async () => {
      const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION);
      await cfg.update('gutter.enabled', !config.settings.gutterEnabled, vscode.ConfigurationTarget.Global);
    }),
  );
  log.info('AI Provenance is recording edit origins');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
