import type * as vscode from 'vscode';
import type { TypedWord, TypingMark } from '../../core/changeFacts';
import type { CodeActionAsk } from '../../core/codeActions';
import type { SelectedText } from '../../core/dragDrop';
import type { SpanModel } from '../../core/spans';

/** A save that never completes must not leave a document in "saving" for ever. */
/** Text of a document at one of its versions, from an offset: what a change that replaces part of it replaced. */
export interface TextAround {
  readonly version: number;
  readonly offset: number;
  readonly text: string;
}

/** The text a change replaced, when `around` holds it and nothing changed the document since. */
export function replacedTextIn(around: TextAround | undefined, versionAfter: number, rangeOffset: number, rangeLength: number): string | undefined {
  if (!around || around.version !== versionAfter - 1) return undefined;
  const from = rangeOffset - around.offset;
  return from >= 0 && from + rangeLength <= around.text.length ? around.text.slice(from, from + rangeLength) : undefined;
}

const SAVE_WINDOW_MS = 10_000;
/** How long after an extension created a file its first edits still count as that creation. */
const CREATED_WINDOW_MS = 5_000;

/**
 * Everything the capture layer keeps about one document, in one place: it is
 * created when the document (or its file) is first seen and dropped as one
 * when the document closes.
 */
export class DocState {
  /** The origins of the document's text; undefined until tracking starts. */
  model: SpanModel | undefined;
  /** The text as on disk (at open, save or reload), to re-diff a reload from disk. */
  diskText: string | undefined;
  /** The file's modification time when we last knew its text on disk (read asynchronously). */
  knownMtime: number | undefined;
  /** The file's modification time after the last change the file watcher reported. */
  latestMtime: number | undefined;
  /** The file watcher reported a change whose modification time is still being read. */
  diskEventPending = false;
  /** The modification time of the remembered text is still being read. */
  knownPending = false;
  /** Bumped whenever the text on disk is remembered anew: late answers for an older one are dropped. */
  diskGeneration = 0;
  /** When and on which line the person last typed (a change classified as typed). */
  typing: TypingMark | undefined;
  /** The word the person is typing, until anything else changes the document. */
  word: TypedWord | undefined;
  /** Where the cursors were after the last selection change (offsets). */
  cursors: readonly number[] = [];
  /** The lines around the selections as they were at a version of the document (see ProvenanceTracker.onSelection). */
  around: TextAround | undefined;
  /** VS Code's last requests to our code action provider (a menu's, the lightbulb's) since the last edit. */
  codeActions: readonly CodeActionAsk[] = [];
  /** The non-empty selections after the last selection change, with their text and the document's version then (a drop moves one). */
  selected: { readonly version: number; readonly texts: readonly SelectedText[] } | undefined;
  /** When an extension or the Explorer created the file through the workspace API. */
  createdAt: number | undefined;
  /** When a save began (will-save), until it completes; not set by an auto-save after a delay (no save participants). */
  savingSince: number | undefined;
  /** When a save of any kind, an auto-save after a delay included, began (will-save), until it completes. */
  writingSince: number | undefined;
  /** We saw edits since the document was opened, saved or reloaded. */
  edited = false;

  isSaving(now: number): boolean {
    return this.savingSince !== undefined && now - this.savingSince < SAVE_WINDOW_MS;
  }

  /** Whether a save of ours, an auto-save included, is being written. */
  isWriting(now: number): boolean {
    return this.writingSince !== undefined && now - this.writingSince < SAVE_WINDOW_MS;
  }

  /** Whether a write the file watcher reported is still being checked (see DiskStamps). */
  diskPending(): boolean {
    return this.diskEventPending;
  }

  justCreated(now: number): boolean {
    return this.createdAt !== undefined && now - this.createdAt < CREATED_WINDOW_MS;
  }

  /** Whether the file on disk changed since we last knew its text (as far as the file watcher told us). */
  diskChanged(): boolean {
    return this.latestMtime !== undefined && !this.knownPending && this.latestMtime !== this.knownMtime;
  }
}

/** The per-document states, by URI. */
export class DocStates {
  private readonly states = new Map<string, DocState>();

  get(uri: vscode.Uri): DocState | undefined {
    return this.states.get(uri.toString());
  }

  obtain(uri: vscode.Uri): DocState {
    const key = uri.toString();
    let s = this.states.get(key);
    if (!s) {
      s = new DocState();
      this.states.set(key, s);
    }
    return s;
  }

  /** Drops a document's state as one; returns it for a last look (its model may be carried). */
  drop(uri: vscode.Uri): DocState | undefined {
    const key = uri.toString();
    const s = this.states.get(key);
    this.states.delete(key);
    return s;
  }

  clear(): void {
    this.states.clear();
  }
}
