import * as vscode from 'vscode';
import type { ProvenanceTracker } from '../capture/tracker';
import { documentLength } from '../capture/documents';
import { projectLinesFrom } from '../../core/lines';
import type { LineInfo, LineSource } from '../../core/lines';

/**
 * The line view of each document, computed at most once per document
 * version and shared by the gutter, the status bar, the hover and the
 * commands. It reads only the lines that tracked text touches, through the
 * document's own line index: never a copy of the whole text.
 */
export class LineProjections implements vscode.Disposable {
  private readonly disposable: vscode.Disposable;
  private readonly cache = new WeakMap<vscode.TextDocument, { version: number; model: object; infos: LineInfo[] }>();

  constructor(private readonly tracker: ProvenanceTracker) {
    // A relabel (review, restore) changes origins without changing the version: drop that document's view.
    this.disposable = tracker.onDidChangeModel((doc) => this.cache.delete(doc));
  }

  dispose(): void {
    this.disposable.dispose();
  }

  /** The changed, non-blank lines of a tracked document with their classes; undefined when untracked. */
  get(doc: vscode.TextDocument): LineInfo[] | undefined {
    const model = this.tracker.get(doc);
    if (!model) return undefined;
    const hit = this.cache.get(doc);
    if (hit && hit.version === doc.version && hit.model === model) return hit.infos;
    if (documentLength(doc) !== model.length) return undefined;
    const infos = projectLinesFrom(documentLines(doc), model.getRuns());
    this.cache.set(doc, { version: doc.version, model, infos });
    return infos;
  }
}

/** A document as a {@link LineSource}. */
export function documentLines(doc: vscode.TextDocument): LineSource {
  return {
    lineCount: doc.lineCount,
    lineOf: (offset) => doc.positionAt(offset).line,
    lineStart: (line) => doc.offsetAt(new vscode.Position(line, 0)),
    lineText: (line) => doc.lineAt(line).text,
  };
}
