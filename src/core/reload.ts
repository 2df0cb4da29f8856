import { looksTyped } from './classify';
import type { ContentChange } from './changeFacts';
import type { Evidence } from './origin';
import { minimalEdits } from './remap';
import type { TextEdit } from './spans';

/**
 * What a change no intent explains turned out to be: VS Code taking the
 * file's text from disk, a revert, `uncertain` (the file watcher reported a
 * write that is not checked yet: our own save's echo, or another program),
 * or neither.
 */
export type ReloadKind = 'external' | 'revert' | 'uncertain' | undefined;

/** What is known about a document at a change no intent explains. */
export interface ReloadFacts {
  /** The text as on disk when we last knew it; undefined when we never did. */
  readonly diskText: string | undefined;
  readonly changes: readonly ContentChange[];
  /** A file on disk (not an untitled document). */
  readonly onDisk: boolean;
  /** An extension just created the file (WorkspaceEdit createFile + insert). */
  readonly justCreated: boolean;
  /** We saw edits since the document was opened, saved or reloaded. */
  readonly edited: boolean;
  /** A save of ours (an auto-save included) began and has not completed: its write may be on disk already. */
  readonly ownSave: boolean;
  /**
   * The editor reported unsaved changes with this very change (`TextDocument.isDirty` as the change event
   * delivers it). VS Code reloads a document from disk only while it has none, and the reload leaves it so.
   */
  readonly dirty: boolean;
  /** The file on disk changed since we last knew its text. */
  diskChanged(): boolean;
  /** The file watcher reported a write whose modification time is not read yet. */
  diskPending(): boolean;
  /** The document's length and text after the change. */
  readonly length: number;
  text(): string;
  /**
   * The file's text on disk right now, read when the answer depends on it;
   * undefined when it cannot be read as text (too large, not UTF-8, gone).
   */
  diskNow?(): string | undefined;
}

/**
 * Tells a reload from disk, a revert, or neither. A reload: the file on disk
 * changed since we last saw it. A revert: after edits of ours the text is
 * again exactly what is on disk. (`document.isDirty` cannot tell an edit of a
 * clean document from a reload — the flag the event delivers may be the one from
 * before the change — but a change delivered with it set is never a reload.)
 */
export function reloadKind(f: ReloadFacts): ReloadKind {
  if (f.diskText === undefined || !f.onDisk || !reloadCandidate(f.changes)) return undefined;
  // A file an extension just created and filled changed on disk too, but by that very edit: classify it like any other.
  if (f.justCreated) return undefined;
  // A change that came with unsaved changes is never VS Code's reload, whatever the file holds by now: an
  // agent's edits while an auto-save writes an earlier version of the document, say (chat-visible, issue 9).
  if (f.dirty) return revertOrEdit(f, f.diskText);
  const changed = f.diskChanged();
  // A reported write (changed, or still being checked), or a clean document (VS Code's own watcher may reload it
  // before ours reports the write): the file's text now tells a reload from an edit.
  if (changed || f.diskPending() || !f.edited) {
    const disk = f.diskNow?.();
    if (disk === undefined) {
      if (changed) return 'external';
      // Neither a reload nor the person's edit can be told yet: say so rather than guess.
      if (f.diskPending()) return 'uncertain';
    } else if (!sameText(disk, f.diskText)) {
      // The document now holds the file's new text: VS Code took it from disk.
      if (sameText(disk, f.text())) return 'external';
      // The file holds the document as it was just before this change: a save of it (an auto-save)
      // being written as the change came, our own write — only after edits of ours and with a save of
      // ours begun, as otherwise nothing of ours was written (a second outside write can differ from the
      // first only inside the reloaded lines). Otherwise someone else wrote the file and this change is
      // not (yet) its reload: unknown, never guessed.
      if (!f.edited || !f.ownSave || !heldBefore(disk, f.text(), f.changes[0])) return 'uncertain';
    }
    // The file holds what we knew (our own save, auto-save included): this change is an edit, or a revert.
  }
  return revertOrEdit(f, f.diskText);
}

/** An edit of ours that brought the text back to what is on disk is a revert; any other is an edit (undefined). */
function revertOrEdit(f: ReloadFacts, diskText: string): ReloadKind {
  if (!f.edited || f.length !== diskText.length || f.text() !== diskText) return undefined;
  return 'revert';
}

/**
 * Whether `disk` is the document's text before `change` made it `after`:
 * equal outside the changed range, and as long as the text it replaced (whose
 * old characters no change event tells; a pure insertion is checked whole).
 */
export function heldBefore(disk: string, after: string, change: ContentChange): boolean {
  const start = change.rangeOffset;
  const afterEnd = start + change.text.length;
  return (
    disk.length === after.length - change.text.length + change.rangeLength &&
    disk.slice(0, start) === after.slice(0, start) &&
    disk.slice(start + change.rangeLength) === after.slice(afterEnd)
  );
}

/** Same text, line endings aside (the editor keeps a file's dominant line ending). */
export function sameText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

/** Whether an event can be a reload at all: one change, and not what a keystroke makes. */
export function reloadCandidate(changes: readonly ContentChange[]): boolean {
  if (changes.length !== 1) return false;
  const c = changes[0];
  return !(looksTyped(c.text) && c.rangeLength <= 2);
}

/**
 * The edits of a reload whose text before was what was on disk: the replaced
 * block diffed against the old text, so unchanged text keeps its origin and
 * only new text gets `ev`.
 */
export function reloadEdits(diskText: string, change: ContentChange, ev: Evidence): TextEdit[] {
  const oldBlock = diskText.slice(change.rangeOffset, change.rangeOffset + change.rangeLength);
  return minimalEdits(oldBlock, change.text).map((m) => ({
    offset: change.rangeOffset + m.offset,
    deleteLength: m.deleteLength,
    insert: m.insertLength > 0 ? [{ len: m.insertLength, ev }] : [],
  }));
}

/**
 * The edits of a change applied while a reported disk write is still being
 * checked (often the echo of an auto-save): deleted text just goes (a person's
 * cut must not wipe the file's origins), inserted text gets `ev` (unknown:
 * neither a reload nor an edit can be told).
 */
export function uncertainEdits(changes: readonly ContentChange[], ev: Evidence): TextEdit[] {
  return changes.map((c) => ({ offset: c.rangeOffset, deleteLength: c.rangeLength, insert: c.text.length > 0 ? [{ len: c.text.length, ev }] : [] }));
}
