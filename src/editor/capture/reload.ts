import type * as vscode from 'vscode';
import type { EvidencePool } from '../../core/classify';
import { reloadCandidate, reloadEdits, reloadKind, uncertainEdits } from '../../core/reload';
import { SpanModel } from '../../core/spans';
import { fileTextNow, type DiskStamps } from './diskStamps';
import type { DocState } from './docState';
import { documentLength } from './documents';

/** A document that took its file's text from disk. */
export interface Reload {
  readonly doc: vscode.TextDocument;
  /** True for a revert (the person threw away unsaved changes); false for a change by another program. */
  readonly revert: boolean;
  /** The change came while a reported disk write was still being checked: applied with unknown origin, not a reload. */
  readonly uncertain?: boolean;
  /**
   * When the file changed on disk, as far as the file watcher told us (its
   * modification time); undefined when not known. A buffer with unsaved
   * changes is not reloaded, so this may be long before the reload.
   */
  readonly diskChangedAt?: number;
}

/**
 * A change no intent explains may be VS Code taking the file's text from
 * disk. On a reload the replaced block is diffed against what was on disk, so
 * text that did not change keeps its origin and only new text is `external`;
 * on a revert the model starts afresh (the ledger knows the origins).
 */
export function applyReload(doc: vscode.TextDocument, changes: readonly vscode.TextDocumentContentChangeEvent[], state: DocState, disk: DiskStamps, pool: EvidencePool, now: number): Reload | undefined {
  const before = state.diskText;
  const model = state.model;
  // Cheap checks first: a keystroke builds nothing here.
  if (before === undefined || !model || doc.uri.scheme !== 'file' || !reloadCandidate(changes)) return undefined;
  const diskChangedAt = state.latestMtime;
  const length = documentLength(doc);
  const kind = reloadKind({
    diskText: before,
    changes,
    onDisk: true,
    justCreated: state.justCreated(now),
    edited: state.edited,
    ownSave: state.isWriting(now),
    // As the change event delivered it (the extension host takes the flag with each change).
    dirty: doc.isDirty,
    diskChanged: () => state.diskChanged(),
    diskPending: () => state.diskPending(),
    length,
    text: () => doc.getText(),
    diskNow: () => fileTextNow(doc.uri.fsPath),
  });
  if (kind === 'revert') {
    state.model = new SpanModel(before.length);
    state.edited = false;
  } else if (kind === 'uncertain') {
    const ev = pool.intern({ origin: 'unknown', confidence: 'unknown', detail: 'the file was being written on disk at the same moment: where this text came from is not known', at: now });
    model.apply(uncertainEdits(changes, ev));
    state.edited = true;
  } else if (kind === 'external') {
    const ev = pool.intern({ origin: 'external', confidence: 'likely', detail: 'the file changed on disk while it was open (written by another program)', at: now });
    const edited = state.edited;
    disk.remember(doc, state);
    state.edited = false;
    // The text before this event was not what was on disk: nothing to diff against.
    if (edited || before.length !== model.length) state.model = new SpanModel(length, length ? [{ len: length, ev }] : []);
    else model.apply(reloadEdits(before, changes[0], ev));
  }
  return kind ? { doc, revert: kind === 'revert', ...(kind === 'uncertain' ? { uncertain: true } : {}), ...(diskChangedAt !== undefined ? { diskChangedAt } : {}) } : undefined;
}
