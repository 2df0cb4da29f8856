import * as vscode from 'vscode';

/**
 * Read-only Markdown documents under one URI scheme (the file report, the
 * commit preview): set their text, then show them.
 */
export class MarkdownDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor(private readonly scheme: string) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(scheme, this);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Shows `text` as the Markdown document at `path` (with `query`), refreshing it if it is open. */
  async show(path: string, text: string, options: vscode.TextDocumentShowOptions, query?: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: this.scheme, path, query });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, options);
  }
}
