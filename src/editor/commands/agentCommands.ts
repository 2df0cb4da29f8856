import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LedgerSync } from '../capture/ledgerSync';
import { AGENT_SPECS } from '../../core/agentConfig';
import { AGENT_IDS } from '../../core/agentPayload';
import type { AgentId } from '../../core/agentPayload';
import { agentStatus, describeOutcome, installAgent, projectPlace, uninstallAgent, userPlace } from '../../node/agents/install';
import type { AgentPlace, AgentStatus, FileOutcome, Runtime } from '../../node/agents/install';
import { launcherPath, writeLauncher } from '../../node/agents/launcher';
import type { Logger } from '../log';
import { notify, PRODUCT_NAME } from '../notify';
import { repoForCommand } from '../render/pickers';
import { registerSafeCommand } from './run';

type Action = 'install' | 'uninstall';

interface AgentItem extends vscode.QuickPickItem {
  readonly status: AgentStatus;
}

/**
 * **Set Up Agent Hooks** and **Remove Agent Hooks**: the coding agents' own
 * hooks (what `ai-provenance agents install|uninstall` writes), from the
 * editor. The agents found on this machine come first; the person sees which
 * files will be written, confirms, and is told what still needs their own
 * approval in the agent. Never in an untrusted workspace.
 */
export class AgentHookCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runtime: Runtime;

  constructor(
    context: vscode.ExtensionContext,
    private readonly ledger: LedgerSync,
    private readonly log: Logger,
  ) {
    // The hooks call a launcher in the user's state folder, never this version's folder (gone after an update).
    this.runtime = { runtimePath: process.execPath, cliPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath, launcher: launcherPath(process.env) };
    void this.repointLauncher();
    this.disposables.push(
      registerSafeCommand('provenance.setUpAgentHooks', 'Set Up Agent Hooks', log, () => this.run('install')),
      registerSafeCommand('provenance.removeAgentHooks', 'Remove Agent Hooks', log, () => this.run('uninstall')),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** On every start: a launcher set up before now runs this copy of the CLI (the one before may be gone). */
  private async repointLauncher(): Promise<void> {
    try {
      const outcome = await writeLauncher(process.env, this.runtime, true);
      if (outcome === 'written') this.log.info(`agent hooks: ${this.runtime.launcher} now runs ${this.runtime.cliPath}`);
      if (outcome === 'foreign') this.log.warn(`agent hooks: ${this.runtime.launcher} is not ours; left alone`);
    } catch (e) {
      this.log.error('agent hooks: could not update the launcher', e);
    }
  }

  private async run(action: Action): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void notify.warn('agent hooks run a command on every edit an agent makes, so they are never set up or changed in an untrusted workspace.');
      return;
    }
    const place = await this.choosePlace(action);
    if (!place) return;
    const statuses: AgentStatus[] = [];
    for (const a of AGENT_IDS) statuses.push(await agentStatus(a, place, os.homedir()));
    const agents = await chooseAgents(action, place, statuses);
    if (!agents?.length || !(await confirm(action, place, statuses.filter((s) => agents.includes(s.agent))))) return;
    const outcomes: FileOutcome[] = [];
    if (action === 'install' && (await writeLauncher(process.env, this.runtime)) === 'foreign') {
      void notify.warn(`${this.runtime.launcher} exists and is not ${PRODUCT_NAME}'s: nothing was set up.`);
      return;
    }
    for (const a of agents) outcomes.push(...(action === 'install' ? await installAgent(a, place, this.runtime) : await uninstallAgent(a, place)));
    for (const o of outcomes) this.log.info(describeOutcome(o));
    report(action, agents, outcomes);
  }

  /** This repository's config files, or the ones in the home directory. */
  private async choosePlace(action: Action): Promise<AgentPlace | undefined> {
    const repo = vscode.workspace.workspaceFolders?.length ? await repoForCommand(this.ledger) : undefined;
    const items = [
      ...(repo ? [{ label: `This repository: ${path.basename(repo.root)}`, detail: `the agents' config files inside ${repo.root} (they run the extension's launcher in your state folder)`, place: projectPlace(repo, process.env) }] : []),
      { label: 'Your user configuration', detail: `the agents' config files in ${os.homedir()} (every project you open with them)`, place: userPlace(process.env) },
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: action === 'install' ? 'Where should the agents\u2019 hooks go?' : 'Remove the hooks from where?' });
    return pick?.place;
  }
}

/** Where an agent's hooks live, relative to the place when inside it. */
function where(place: AgentPlace, file: string): string {
  const rel = path.relative(place.base, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

async function chooseAgents(action: Action, place: AgentPlace, statuses: readonly AgentStatus[]): Promise<AgentId[] | undefined> {
  const installed = (s: AgentStatus): boolean => s.files.some((f) => f.state === 'installed');
  const shown = action === 'install' ? statuses : statuses.filter(installed);
  if (shown.length === 0) {
    void notify.info(`no agent has ${PRODUCT_NAME}'s hooks there.`);
    return undefined;
  }
  const sorted = [...shown].sort((a, b) => Number(b.detected) - Number(a.detected));
  const items: AgentItem[] = sorted.map((s) => ({
    label: AGENT_SPECS[s.agent].name,
    description: `${s.detected ? 'found on this machine' : 'not found on this machine'}${installed(s) ? ' · hooks installed' : ''}`,
    detail: s.files.map((f) => `${where(place, f.file)} (${f.state === 'not-installed' ? 'exists' : f.state})`).join(', '),
    picked: action === 'install' ? s.detected && !installed(s) : true,
    status: s,
  }));
  const picks = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    placeHolder: action === 'install' ? 'Which agents should record their edits? (found ones first)' : 'Remove the hooks of which agents?',
  });
  return picks?.map((p) => p.status.agent);
}

/** A modal confirmation naming every file that will be written. */
async function confirm(action: Action, place: AgentPlace, chosen: readonly AgentStatus[]): Promise<boolean> {
  const lines = chosen.map((s) => `${AGENT_SPECS[s.agent].name}: ${s.files.map((f) => where(place, f.file)).join(', ')}`);
  const detail = action === 'install'
    ? `Each file keeps everything else in it; Remove Agent Hooks puts it back as it was.\n\n${lines.join('\n')}`
    : `Files ${PRODUCT_NAME} created are removed; the others get back the bytes they had, or lose only its hooks.\n\n${lines.join('\n')}`;
  const ok = action === 'install' ? 'Install' : 'Remove';
  const message = action === 'install' ? `Add ${PRODUCT_NAME}'s hook to ${chosen.length} agent${chosen.length === 1 ? '' : 's'}?` : `Remove ${PRODUCT_NAME}'s hooks from ${chosen.length} agent${chosen.length === 1 ? '' : 's'}?`;
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, ok)) === ok;
}

/** What was done, what could not be, and what each agent still needs from the person. */
function report(action: Action, agents: readonly AgentId[], outcomes: readonly FileOutcome[]): void {
  const trouble = outcomes.filter((o) => o.status === 'malformed' || o.status === 'foreign');
  const done = outcomes.filter((o) => ['installed', 'restored', 'removed', 'removed-ours'].includes(o.status));
  const approvals = action === 'install'
    ? agents.filter((a) => AGENT_SPECS[a].approval && outcomes.some((o) => o.agent === a && o.status === 'installed')).map((a) => `${AGENT_SPECS[a].name} needs you: ${AGENT_SPECS[a].approval}`)
    : [];
  const summary = `${action === 'install' ? 'agent hooks set up' : 'agent hooks removed'}: ${done.length} file${done.length === 1 ? '' : 's'} changed, ${outcomes.length - done.length - trouble.length} already as wanted.`;
  void notify.info([summary, ...approvals].join(' '));
  if (trouble.length) void notify.warn(`left alone: ${trouble.map(describeOutcome).join('; ')}`);
}
