// The oracle: VS Code's own label for every change (`detailedReason`, logged
// by the fixture extension) replayed on a per-character model of each
// document, projected to per-line classes exactly as src/core/lines.ts
// defines them. Independent of the extension's code on purpose: this is the
// reference the extension is measured against.
import { diffArrays, diffChars } from 'diff';
import type { OracleEntry } from '../../tools/harness/fixture';

/** A character's class: null = base text (unchanged), 'a' AI, 'h' human, 'u' unknown. */
export type Cls = 'a' | 'h' | 'u' | null;
/** What one logged change is, by VS Code's label. */
export interface Mapping { cls?: Cls; how: 'replace' | 'remap' | 'paste' | 'carry' | 'undo' | 'redo'; label: string; unmapped?: boolean }
interface Snapshot { text: string; cls: Cls[] }
/** One label's record in the inventory. */
export interface LabelRecord {
  count: number;
  uris: Set<string>;
  how: Mapping['how'];
  cls: Cls | undefined;
  unmapped: boolean;
  example: { rangeOffset: number; rangeLength: number; textLength: number; text: string }[] | null;
}

export const BASE: Cls = null;

/**
 * What one logged change is, by VS Code's label. Returns
 * `{ cls, how, channel }`: `cls` the class of the inserted characters,
 * `how` = 'replace' (plain) | 'remap' (diff inside the replaced block, keep the
 * classes of characters that survive: formatters, reload from disk) |
 * 'paste' (inherit from the copy) | 'undo' | 'redo';
 * `label` a short name for the label inventory.
 */
export function mapLabel(entry: OracleEntry, { agent = false, person = false } = {}): Mapping {
  const r = entry.detailedReason;
  const source = r?.source;
  const md: Record<string, unknown> = r?.metadata ?? {};
  const kind = md.kind;
  if (source === 'unknown' && md.name === 'formatEditsCommand' && !entry.reason) return { cls: 'h', how: 'remap', label: labelOf(entry) };
  // Join Lines applies its edit with `executeEdits`, which VS Code labels only `unknown` with the command's name.
  if (source === 'unknown' && md.name === 'editor.action.joinLines' && !entry.reason) return { cls: 'h', how: 'carry', label: labelOf(entry) };
  // A refactoring that runs a command (TypeScript's Move to a new file) edits through the
  // extension's own `applyEdit`, labelled like any extension's: the scenario brackets the code action it
  // picked (`{t:'person'}` in the log), as the fixture brackets its agent's edits.
  if ((source === 'unknown' || source === 'applyEdits') && person && !entry.reason) return { cls: 'h', how: 'replace', label: `${labelOf(entry)} during a code action the scenario picked` };
  // VS Code labels an extension's WorkspaceEdit only `unknown` (`name=pushEditOperation` when no
  // editor shows the document): the fixture's agent log says which of those it applied.
  if (source === 'unknown' && agent && !entry.reason) return { cls: 'a', how: 'replace', label: `${labelOf(entry)} during a fixture agent edit` };
  // reason: 1 Undo, 2 Redo (TextDocumentChangeReason)
  if (entry.reason === 1) return { how: 'undo', label: labelOf(entry) };
  if (entry.reason === 2) return { how: 'redo', label: labelOf(entry) };
  const label = labelOf(entry);
  if (!r) return { cls: 'u', how: 'replace', label, unmapped: true };
  switch (source) {
    case 'cursor':
      // Editor commands (move/copy lines, comments, indentation): text they move keeps its class.
      if (kind === 'executeCommands' || kind === 'executeCommand') return { cls: 'h', how: 'carry', label };
      if (kind === 'type' || kind === 'compositionType' || kind === 'compositionEnd'
        || kind === 'cut' || kind === 'deleteLeft' || kind === 'deleteRight') {
        return { cls: 'h', how: 'replace', label };
      }
      if (kind === 'paste') return { how: 'paste', label };
      return { cls: 'h', how: 'replace', label, unmapped: true };
    case 'inlineCompletionAccept':
    case 'inlineCompletionPartialAccept':
      return { cls: 'a', how: 'replace', label };
    case 'formatEditsCommand':
    case 'format':
      return { cls: 'h', how: 'remap', label };
    case 'reloadFromDisk':
      return { cls: 'u', how: 'remap', label };
    case 'Chat.applyEdits':
    case 'chatEditing':
      return { cls: 'a', how: 'replace', label };
    default:
      break;
  }
  if (source && LABELS_HUMAN.has(source)) return { cls: 'h', how: 'replace', label };
  if (source && LABELS_AI.has(source)) return { cls: 'a', how: 'replace', label };
  return { cls: 'u', how: 'replace', label, unmapped: true };
}

/** Sources of edits a person drove with an IDE tool (human). */
const LABELS_HUMAN = new Set([
  'snippet', 'suggest', 'rename', 'codeAction', 'codeActionOnSave', 'formatOnSave', 'formatOnType',
  'unknown:type', 'undo', 'redo', 'multiCursor',
]);
/** Sources of edits an AI made (extension WorkspaceEdits play the chat here). */
const LABELS_AI = new Set(['applyEdits']);

/** A compact, stable name for a label: source plus the metadata keys that tell edits apart. */
export function labelOf(entry: OracleEntry): string {
  const r = entry.detailedReason;
  if (!r) return `<none> reason=${entry.reason ?? 'none'}`;
  const md: Record<string, unknown> = r.metadata ?? {};
  const parts: string[] = [];
  for (const k of Object.keys(md).sort()) {
    const v = md[k];
    if (k === '$extensionId' || k === 'extensionId') parts.push(`${k}=${v ? 'ext' : v}`);
    else if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || v === null || v === undefined) parts.push(`${k}=${v}`);
    else parts.push(`${k}=…`);
  }
  const reason = entry.reason ? ` reason=${entry.reason === 1 ? 'undo' : entry.reason === 2 ? 'redo' : entry.reason}` : '';
  return `${r.source}${parts.length ? ` {${parts.join(', ')}}` : ''}${reason}`;
}

// ---------------------------------------------------------------- documents

class Doc {
  text: string;
  cls: Cls[];
  undo: Snapshot[];
  redo: Snapshot[];
  constructor(text: string) {
    this.text = text;
    /** one class per UTF-16 code unit */
    this.cls = new Array(text.length).fill(BASE);
    this.undo = []; // snapshots {text, cls} before each recorded change
    this.redo = [];
  }
  snapshot(): Snapshot { return { text: this.text, cls: this.cls.slice() }; }
  restore(s: Snapshot): void { this.text = s.text; this.cls = s.cls.slice(); }
  splice(offset: number, deleteLength: number, insertText: string, insertCls: Cls[]): void {
    this.text = this.text.slice(0, offset) + insertText + this.text.slice(offset + deleteLength);
    this.cls.splice(offset, deleteLength, ...insertCls);
  }
  slice(offset: number, length: number): Snapshot { return { text: this.text.substr(offset, length), cls: this.cls.slice(offset, offset + length) }; }
}

/** Applies `changes` (VS Code order: each relative to the text left by the previous one) to plain text. */
function applyText(text: string, changes: OracleEntry['changes']): string {
  let t = text;
  for (const c of changes) t = t.slice(0, c.rangeOffset) + c.text + t.slice(c.rangeOffset + c.rangeLength);
  return t;
}

/**
 * Classes for `newText` replacing `old` (text + classes): the characters a
 * diff matches keep their class, the rest get `cls`. Line diff first, then a
 * character diff inside each changed block, so moved or re-indented lines keep
 * their classes and unrelated lines do not get matched letter by letter.
 */
export function remapClasses(old: Snapshot, newText: string, cls: Cls): Cls[] {
  const oldLines = splitKeep(old.text);
  const newLines = splitKeep(newText);
  const out: Cls[] = [];
  const parts = diffArrays(oldLines, newLines);
  let oi = 0; // index into old.text
  let pendingOld: { start: number; end: number } | null = null; // {start, end} of a removed block waiting for its added block
  const flushAdded = (addedText: string): void => {
    if (pendingOld && pendingOld.end > pendingOld.start) {
      const o = { text: old.text.slice(pendingOld.start, pendingOld.end), cls: old.cls.slice(pendingOld.start, pendingOld.end) };
      out.push(...charRemap(o, addedText, cls));
    } else {
      for (let k = 0; k < addedText.length; k++) out.push(cls);
    }
    pendingOld = null;
  };
  for (const p of parts) {
    const t = p.value.join('');
    if (p.removed) {
      pendingOld = { start: oi, end: oi + t.length };
      oi += t.length;
    } else if (p.added) {
      flushAdded(t);
    } else {
      pendingOld = null;
      for (let k = 0; k < t.length; k++) out.push(old.cls[oi + k]);
      oi += t.length;
    }
  }
  return out;
}

function charRemap(old: Snapshot, newText: string, cls: Cls): Cls[] {
  const out: Cls[] = [];
  let oi = 0;
  for (const p of diffChars(old.text, newText)) {
    if (p.removed) oi += p.value.length;
    else if (p.added) for (let k = 0; k < p.value.length; k++) out.push(cls);
    else {
      for (let k = 0; k < p.value.length; k++) out.push(old.cls[oi + k]);
      oi += p.value.length;
    }
  }
  return out;
}

function splitKeep(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) { if (start < text.length) out.push(text.slice(start)); return out; }
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
}

/**
 * Replays the oracle log. `baseText(uri)` gives a document's committed text
 * ('' for a new file). Returns { docs: Map(uri → {text, cls}), labels:
 * Map(label → {count, uris:Set, cls, how}), problems: [] }.
 */
export function replay(entries: OracleEntry[], baseText: (uri: string) => string): { docs: Map<string, Doc>; labels: Map<string, LabelRecord>; problems: string[] } {
  const docs = new Map<string, Doc>();
  const labels = new Map<string, LabelRecord>();
  const problems: string[] = [];
  const copies = new Map<string, Snapshot>(); // id -> {text, cls}
  let pendingPaste: { uri: string; copyId?: string } | null = null;
  const agents = new Map<string, number>(); // uri -> agent edits in progress
  let person = 0; // code actions the scenario picked, in progress (any document: a refactoring may write several)
  const docOf = (uri: string): Doc => {
    let d = docs.get(uri);
    if (!d) { d = new Doc(baseText(uri)); docs.set(uri, d); }
    return d;
  };
  // A cut can reach the extension host before its copy does (the EditContext path deletes first): the fixture's
  // prepareDocumentPaste then sees the document after the cut, and its ranges no longer hold the cut text.
  let lastCut: { uri: string; version: number | undefined; copy: Snapshot } | null = null;
  for (const e of entries) {
    if (e.t === 'copy' && lastCut && lastCut.uri === e.uri && lastCut.version !== undefined && lastCut.version === e.version) {
      copies.set(e.id ?? '', lastCut.copy);
      continue;
    }
    if (e.t === 'copy') {
      copies.set(e.id ?? '', copiedText(docOf(e.uri), e.ranges ?? []));
      continue;
    }
    if (e.t === 'paste') { pendingPaste = { uri: e.uri, copyId: e.copyId }; continue; }
    if (e.t === 'agent') {
      const n = (agents.get(e.uri) ?? 0) + (e.phase === 'start' ? 1 : -1);
      if (n > 0) agents.set(e.uri, n); else agents.delete(e.uri);
      continue;
    }
    if (e.t === 'person') {
      person += e.phase === 'start' ? 1 : -1;
      continue;
    }
    if (e.t) continue; // open, save: context only
    const d = docOf(e.uri);
    const m = mapLabel(e, { agent: agents.has(e.uri), person: person > 0 });
    const rec: LabelRecord = labels.get(m.label) ?? { count: 0, uris: new Set(), how: m.how, cls: m.cls, unmapped: !!m.unmapped, example: null };
    rec.count++;
    rec.uris.add(e.uri);
    if (!rec.example) rec.example = e.changes.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, textLength: c.text.length, text: c.text.slice(0, 40) }));
    labels.set(m.label, rec);
    if (m.unmapped) problems.push(`unmapped label ${m.label} in ${e.uri}`);
    const before = d.text;
    const after = applyText(before, e.changes);
    lastCut = e.detailedReason?.metadata?.kind === 'cut' ? { uri: e.uri, version: e.version, copy: cutText(d, e.changes) } : null;
    if (m.how === 'undo' || m.how === 'redo') {
      const from = m.how === 'undo' ? d.undo : d.redo;
      const to = m.how === 'undo' ? d.redo : d.undo;
      let k = from.length - 1;
      while (k >= 0 && from[k].text !== after) k--;
      if (k < 0) {
        problems.push(`${m.how} in ${e.uri} (version ${e.version}) matches no earlier state; its text is classed unknown`);
        applyPlain(d, e.changes, 'u');
      } else {
        // everything above k is undone/redone in one step
        to.push(d.snapshot());
        for (let j = from.length - 1; j > k; j--) to.push(from[j]);
        d.restore(from[k]);
        from.length = k;
      }
    } else {
      d.undo.push(d.snapshot());
      d.redo.length = 0;
      if (m.how === 'remap') {
        for (const c of e.changes) {
          const old = d.slice(c.rangeOffset, c.rangeLength);
          d.splice(c.rangeOffset, c.rangeLength, c.text, remapClasses(old, c.text, m.cls ?? 'u'));
        }
      } else if (m.how === 'paste') {
        const copy = pendingPaste && pendingPaste.uri === e.uri && pendingPaste.copyId ? copies.get(pendingPaste.copyId) : null;
        if (pendingPaste && pendingPaste.copyId && !copy) problems.push(`paste of unknown copy ${pendingPaste.copyId}`);
        let from = 0;
        for (const c of e.changes) {
          let cls: Cls[];
          if (!copy) cls = new Array(c.text.length).fill('a'); // from outside the editor: provenance.externalPaste = ai
          else {
            const at = copy.text.indexOf(c.text, from);
            if (c.text.length > 0 && at >= 0) {
              cls = copy.cls.slice(at, at + c.text.length);
              from = at + c.text.length;
            } else {
              cls = charRemap(copy, c.text, 'h'); // reshaped on paste (indentation): matched characters keep their class
            }
          }
          d.splice(c.rangeOffset, c.rangeLength, c.text, cls);
        }
        pendingPaste = null;
      } else if (m.how === 'carry') {
        const lines = linesBefore(d.snapshot());
        for (const c of e.changes) {
          // Text kept with other white space (Join Lines, outdent): its characters keep their classes.
          const old = d.slice(c.rangeOffset, c.rangeLength);
          const same = c.rangeLength > 0 && nonSpace(old.text) === nonSpace(c.text);
          d.splice(c.rangeOffset, c.rangeLength, c.text, same ? remapClasses(old, c.text, m.cls ?? 'h') : carryClasses(lines, c.text, m.cls ?? 'h'));
        }
      } else {
        applyPlain(d, e.changes, m.cls ?? 'u');
      }
    }
    if (d.text !== after) problems.push(`replay of ${e.uri} version ${e.version} went wrong`);
  }
  return { docs, labels, problems };
}

/** The text of copied ranges (several cursors: joined by line breaks, as VS Code copies them); base text copied in the editor and pasted is the person's paste. */
function copiedText(d: Doc, ranges: ReadonlyArray<{ offset: number; length: number }>): Snapshot {
  const text: string[] = [];
  const cls: Cls[] = [];
  ranges.forEach((r, i) => {
    if (i > 0) { text.push('\n'); cls.push('h'); }
    const s = d.slice(r.offset, r.length);
    text.push(s.text);
    for (const c of s.cls) cls.push(c ?? 'h');
  });
  return { text: text.join(''), cls };
}

/** What a cut removed, in document order, as its copy holds it. */
function cutText(d: Doc, changes: OracleEntry['changes']): Snapshot {
  return copiedText(d, [...changes].sort((a, b) => a.rangeOffset - b.rangeOffset).map((c) => ({ offset: c.rangeOffset, length: c.rangeLength })));
}

/** Each line's content (trimmed) before an editor command, with its characters' classes; base text counts as the person's. */
function linesBefore(before: Snapshot): Map<string, Cls[]> {
  const out = new Map<string, Cls[]>();
  let start = 0;
  for (const line of before.text.split('\n')) {
    const t = line.trim();
    const at = start + line.indexOf(t);
    if (t && !out.has(t)) out.set(t, before.cls.slice(at, at + t.length).map((c) => c ?? 'h'));
    start += line.length + 1;
  }
  return out;
}

/** Classes of text an editor command inserted: a line whose content existed before keeps that line's classes, the rest is `cls`. */
function carryClasses(lines: Map<string, Cls[]>, text: string, cls: Cls): Cls[] {
  const out: Cls[] = [];
  const parts = text.split('\n');
  parts.forEach((line, i) => {
    const t = line.trim();
    const from = t ? lines.get(t) : undefined;
    const at = line.indexOf(t);
    for (let k = 0; k < line.length; k++) out.push(from && k >= at && k < at + t.length ? from[k - at] : cls);
    if (i < parts.length - 1) out.push(cls);
  });
  return out;
}

function nonSpace(text: string): string {
  return text.replace(/\s+/g, '');
}

function applyPlain(d: Doc, changes: OracleEntry['changes'], cls: Cls): void {
  for (const c of changes) d.splice(c.rangeOffset, c.rangeLength, c.text, new Array(c.text.length).fill(cls));
}

// ---------------------------------------------------------------- lines (same definition as src/core/lines.ts)

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 160;
}

/**
 * One class char per line ('.' unchanged or blank, 'a', 'm', 'h', 'u'), over
 * the non-space characters of each line: a line with no changed non-space
 * character is unchanged; with any AI character it is `a` when every
 * non-space character (base text included) is AI, else `m`; else `u` when
 * some is unknown; else `h`.
 */
export function lineClasses(text: string, cls: Cls[]): string {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    let end = text.indexOf('\n', start);
    const last = end === -1;
    if (last) end = text.length;
    let total = 0; let ai = 0; let human = 0; let unknown = 0;
    for (let k = start; k < end; k++) {
      if (isSpace(text.charCodeAt(k))) continue;
      total++;
      const c = cls[k];
      if (c === 'a') ai++;
      else if (c === 'h') human++;
      else if (c === 'u') unknown++;
    }
    if (ai + human + unknown === 0) out.push('.');
    else if (ai > 0) out.push(ai === total ? 'a' : 'm');
    else if (unknown > 0) out.push('u');
    else out.push('h');
    if (last) return out.join('');
    start = end + 1;
  }
}

/** The ledger's line hash (cyrb53 in base 36), to check a ledger describes the text we compare. */
export function hashLine(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export function splitLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
