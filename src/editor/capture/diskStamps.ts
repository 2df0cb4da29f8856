import { promises as fs, readFileSync, statSync } from 'node:fs';
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

  /** Notes that `text` (by default the document's) is what is on disk now. */
  remember(doc: vscode.TextDocument, state: DocState, text = doc.getText()): void {
    state.diskText = text;
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

  /** After a save: what is on disk is the document's text or, when edits during the save left it dirty, what the save wrote, read back. */
  saved(doc: vscode.TextDocument, state: DocState): void {
    state.savingSince = undefined;
    state.writingSince = undefined;
    const written = doc.isDirty && doc.uri.scheme === 'file' ? fileTextNow(doc.uri.fsPath) : undefined;
    if (!doc.isDirty || written !== undefined) this.remember(doc, state, written);
    state.edited = doc.isDirty;
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

/** Files larger than this are never read on the change path: a change to them is judged as before. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

/**
 * A file's text read now, synchronously: asked only for a change no intent
 * explains that may be a reload (not for keystrokes), and for a save that
 * left the document dirty. Undefined when the file is gone, too large or not
 * UTF-8 (its text could not be compared with the document's).
 */
export function fileTextNow(fsPath: string): string | undefined {
  try {
    const stat = statSync(fsPath);
    if (!stat.isFile() || stat.size > MAX_READ_BYTES) return undefined;
    const text = readFileSync(fsPath, 'utf8');
    if (text.includes('\uFFFD')) return undefined;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined; // gone or unreadable: nothing to compare
  }
}
