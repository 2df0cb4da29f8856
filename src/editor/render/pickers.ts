import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RepoPaths } from '../../node/git/git';

/** Asks which of several repositories a command is for; undefined when the person cancels. */
export async function chooseRepo(repos: readonly RepoPaths[]): Promise<RepoPaths | undefined> {
  const pick = await vscode.window.showQuickPick(
    repos.map((r) => ({ label: path.basename(r.root), description: r.root, repo: r })),
    { placeHolder: 'Which repository?' },
  );
  return pick?.repo;
}
