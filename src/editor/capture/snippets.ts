import * as vscode from 'vscode';
import type { ContentChange } from '../../core/changeFacts';
import { parseJsonc } from '../../core/jsonc';
import { SnippetIndex, snippetsOfFile, type SnippetDef, type SnippetMatch } from '../../core/snippets';
import type { Logger } from '../log';

/** Snippet files read at most, and their size at most: what extensions contribute cannot make us read without end. */
const MAX_FILES = 400;
const MAX_FILE_BYTES = 1 << 20;
/** Reloads after extensions or snippet files change wait this long, so a burst of changes costs one reload. */
const RELOAD_DELAY_MS = 2000;

/** A snippet file to read, and what its snippets apply to. */
interface SnippetFile {
  readonly uri: vscode.Uri;
  readonly from: string;
  /** The language an extension contributed the file for; else each snippet's scope, or the file's name (`typescript.json`). */
  readonly language?: string;
}

/**
 * The snippets VS Code offers, read in the background after activation and
 * again when extensions or snippet files change: those extensions contribute
 * (the built-in language extensions among them), the person's own (the
 * user data `snippets/` folder) and the workspace's (`.vscode/*.code-snippets`,
 * only in a trusted workspace), the person's and the workspace's first.
 * The tracker asks it, synchronously, whether an unexplained edit at the
 * cursor is exactly one of them (src/core/snippets.ts); until the first load
 * ends nothing matches.
 */
export class SnippetLibrary implements vscode.Disposable {
  private index = new SnippetIndex();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading = false;

  constructor(
    /** The user data folder's `snippets/` (derived from the extension's global storage). */
    private readonly userSnippets: vscode.Uri,
    private readonly log: Logger,
  ) {
    const watchers = [
      vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(userSnippets, '*.{json,code-snippets}')),
      vscode.workspace.createFileSystemWatcher('**/.vscode/*.code-snippets'),
    ];
    for (const w of watchers) {
      for (const ev of [w.onDidCreate, w.onDidChange, w.onDidDelete]) ev(() => this.reloadSoon(), this, this.disposables);
    }
    this.disposables.push(...watchers);
    vscode.extensions.onDidChange(() => this.reloadSoon(), this, this.disposables);
    // Restricted Mode reads no workspace snippet files; trust granted, they count.
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.reloadSoon(0), this, this.disposables);
    this.reloadSoon(0);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  /** The snippet `change` inserted, if its text is exactly one `doc`'s language has (`changes`: the whole event, to place it). */
  match(doc: vscode.TextDocument, change: ContentChange, changes: readonly ContentChange[]): SnippetMatch | undefined {
    if (this.index.size === 0) return undefined;
    // In the document after the event, the insertion starts where the changes before it moved it.
    let offset = change.rangeOffset;
    for (const c of changes) if (c !== change && c.rangeOffset < change.rangeOffset) offset += c.text.length - c.rangeLength;
    const pos = doc.positionAt(offset);
    const lineIndent = /^[ \t]*/.exec(doc.lineAt(pos.line).text.slice(0, pos.character))![0];
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 4;
    return this.index.match(change.text, { language: doc.languageId, lineIndent, tabSize });
  }

  private reloadSoon(delay = RELOAD_DELAY_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload();
    }, delay);
  }

  private async reload(): Promise<void> {
    if (this.loading) return this.reloadSoon();
    this.loading = true;
    try {
      const index = new SnippetIndex();
      // The person's and the workspace's first: extensions' files cannot crowd them out of the bounds.
      const own = [...(await listFolder(this.userSnippets, 'your snippets')), ...(vscode.workspace.isTrusted ? await workspaceFiles() : [])];
      const files = [...own, ...contributedFiles()].slice(0, MAX_FILES);
      for (const f of files) index.add(await readSnippets(f));
      this.index = index;
      this.log.info(`snippets: ${index.size} known from ${files.length} files`);
    } catch (err) {
      this.log.error('snippets could not be read', err);
    } finally {
      this.loading = false;
    }
  }
}

/** Snippet files extensions contribute (`contributes.snippets`: `{language, path}`). */
function contributedFiles(): SnippetFile[] {
  const out: SnippetFile[] = [];
  for (const ext of vscode.extensions.all) {
    const list = (ext.packageJSON as { contributes?: { snippets?: unknown } } | undefined)?.contributes?.snippets;
    if (!Array.isArray(list)) continue;
    for (const item of list as Array<{ language?: unknown; path?: unknown }>) {
      if (typeof item?.path !== 'string') continue;
      const language = typeof item.language === 'string' && item.language ? item.language : undefined;
      out.push({ uri: vscode.Uri.joinPath(ext.extensionUri, item.path), from: `extension ${ext.id}`, ...(language ? { language } : {}) });
    }
  }
  return out;
}

/** `*.json` (one language: the file's name) and `*.code-snippets` (scoped per snippet) in a folder; none if it does not exist. */
async function listFolder(dir: vscode.Uri, from: string): Promise<SnippetFile[]> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch {
    return []; // no such folder: no snippets of that kind
  }
  const out: SnippetFile[] = [];
  for (const [name, type] of entries) {
    if (type !== vscode.FileType.File) continue;
    const uri = vscode.Uri.joinPath(dir, name);
    if (name.endsWith('.code-snippets')) out.push({ uri, from: `${from} (${name})` });
    else if (name.endsWith('.json')) out.push({ uri, from: `${from} (${name})`, language: name.slice(0, -'.json'.length) });
  }
  return out;
}

/** `.vscode/*.code-snippets` of each workspace folder. */
async function workspaceFiles(): Promise<SnippetFile[]> {
  const out: SnippetFile[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const files = await listFolder(vscode.Uri.joinPath(folder.uri, '.vscode'), 'the workspace snippets');
    out.push(...files.filter((f) => f.language === undefined));
  }
  return out;
}

/** The snippets of one file; none if it cannot be read or parsed (a broken file of some extension is not our error). */
async function readSnippets(f: SnippetFile): Promise<SnippetDef[]> {
  try {
    if ((await vscode.workspace.fs.stat(f.uri)).size > MAX_FILE_BYTES) return [];
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(f.uri));
    return snippetsOfFile(parseJsonc(text), f.from, f.language);
  } catch {
    return []; // unreadable or not JSON: VS Code offers none of its snippets either
  }
}
