import * as path from 'node:path';
import * as vscode from 'vscode';
import { findRepo } from '../../node/git/git';
import type { RepoPaths } from '../../node/git/git';
import type { LedgerSync } from '../capture/ledgerSync';
import { notify } from '../notify';

/** Asks which of several repositories a command is for; undefined when the person cancels. */
export async function chooseRepo(repos: readonly RepoPaths[]): Promise<RepoPaths | undefined> {
  const pick = await vscode.window.showQuickPick(
    repos.map((r) => ({ label: path.basename(r.root), description: r.root, repo: r })),
    { placeHolder: 'Which repository?' },
  );
  return pick?.repo;
}

/** The repository a command is for: the active file's, else the only (or a chosen) workspace folder's. */
export async function repoForCommand(ledger: LedgerSync): Promise<RepoPaths | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active) {
    const where = await ledger.locate(active);
    if (where) return where.repo;
  }
  const repos: RepoPaths[] = [];
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    const r = f.uri.scheme === 'file' ? await findRepo(f.uri.fsPath) : undefined;
    if (r && !repos.some((x) => x.root === r.root)) repos.push(r);
  }
  if (repos.length === 0) {
    void notify.warn('open a file in a git repository first.');
    return undefined;
  }
  return repos.length === 1 ? repos[0] : chooseRepo(repos);
}
