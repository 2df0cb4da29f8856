import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { DocState, DocStates } from './docState';

/**
 * Knows, without touching the disk on the change path, whether an open
 * file changed on disk since we last knew its text: the text and modification
 * time are noted at open, save and reload, and the file watcher's change
 * events are checked against that time in the background.
 */
export class DiskStamps implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly states: DocStates) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', true, false, true);
    this.disposables.push(watcher);
    watcher.onDidChange(this.changed, this, this.disposables);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** Notes that the document's text is what is on disk now. */
  remember(doc: vscode.TextDocument, state: DocState): void {
    state.diskText = doc.getText();
    const generation = ++state.diskGeneration;
    state.knownMtime = undefined;
    state.latestMtime = undefined;
    state.diskEventPending = false;
    state.knownPending = doc.uri.scheme === 'file';
    if (!state.knownPending) return;
    void modifiedTime(doc.uri.fsPath).then((mtime) => {
      if (state.diskGeneration !== generation) return;
      state.knownMtime = mtime;
      state.knownPending = false;
    });
  }

  private changed(uri: vscode.Uri): void {
    const state = uri.scheme === 'file' ? this.states.get(uri) : undefined;
    if (state?.diskText === undefined) return;
    const generation = state.diskGeneration;
    state.diskEventPending = true;
    void this.check(uri, state).then((mtime) => {
      if (state.diskGeneration !== generation) return;
      state.latestMtime = mtime;
      state.diskEventPending = false;
    });
  }

  /**
   * The file's modification time after a change event. When the document
   * already holds what is on disk (our own save, or a reload that arrived
   * before the event), that text becomes the known one.
   */
  private async check(uri: vscode.Uri, state: DocState): Promise<number | undefined> {
    const generation = state.diskGeneration;
    const mtime = await modifiedTime(uri.fsPath);
    if (mtime === undefined || mtime === state.knownMtime) return mtime;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc || doc.isDirty) return mtime;
    const text = await fs.readFile(uri.fsPath, 'utf8').catch(() => undefined);
    if (state.diskGeneration === generation && !doc.isDirty && text === doc.getText()) {
      state.diskText = text;
      state.knownMtime = mtime;
      state.knownPending = false;
      state.edited = false;
    }
    return mtime;
  }
}

/** A file's modification time, or undefined when it cannot be read (gone, not a file). */
async function modifiedTime(fsPath: string): Promise<number | undefined> {
  try {
    return (await fs.stat(fsPath)).mtimeMs;
  } catch {
    return undefined; // no file behind the document (deleted, or never saved): nothing to compare
  }
}
