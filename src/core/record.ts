import { isOrigin, isToolName } from './origin';
import type { Confidence, Origin } from './origin';
import { assistedBy, emptyCounts } from './trailer';
import type { AddedLine, Counts } from './trailer';

/**
 * The record: what a commit's added lines are, line by line, stored as a git
 * note on {@link NOTES_REF}. The trailer is derived from it. Specified in
 * docs/notes.md; every entry line stands alone (`path ranges class k=v…`), so
 * git's own note concatenation and `cat_sort_uniq` merges keep it readable.
 */
export const RECORD_VERSION = 1;
export const RECORD_HEADER = `ai-provenance v${RECORD_VERSION}`;
/** The notes ref, short form as `git notes --ref` takes it. */
export const NOTES_REF = 'refs/notes/ai-provenance';

export type LineClass = AddedLine['cls'];
const CLASSES: readonly LineClass[] = ['ai', 'mixed', 'human', 'unknown'];

/** What the record says about one line. */
export interface LineAttr {
  readonly cls: LineClass;
  /** For `ai` and `mixed` lines: the AI origin that dominates the line. */
  readonly origin?: Origin;
  readonly conf?: Confidence;
  /** The tool, when it was actually identified (`claude-code` of `claude-code:claude-opus-4-5`). */
  readonly tool?: string;
  /** The model, when the tool named one (`claude-opus-4-5`). */
  readonly model?: string;
  /** Who marked the AI text as reviewed, and when (epoch milliseconds; 0 when unknown). */
  readonly review?: { readonly by: string; readonly at: number };
}

/** One file of a commit: 1-based line numbers of the commit's version of the file → what they are. */
export interface FileRecord {
  readonly path: string;
  readonly lines: ReadonlyMap<number, LineAttr>;
}

export interface CommitRecord {
  /** Sorted by path; files with no lines are left out. */
  readonly files: readonly FileRecord[];
}

export const EMPTY_RECORD: CommitRecord = { files: [] };

/** The record's view of a line the ledger attributed. */
export function attrOfAdded(l: AddedLine): LineAttr {
  if (l.cls !== 'ai' && l.cls !== 'mixed') return { cls: l.cls };
  const ev = l.ev;
  if (!ev) return { cls: l.cls };
  // A name outside the grammar is judged whole, before any split: it names no tool at all.
  const named = ev.tool && isToolName(ev.tool) ? ev.tool : undefined;
  // A tool named `agent:model` (the Assisted-by convention) before models had a field of their own.
  const colon = named && !ev.model ? named.indexOf(':') : -1;
  const tool = named && colon > 0 ? named.slice(0, colon) : named;
  const model = (named && ev.model && isToolName(ev.model) ? ev.model : undefined) ?? (named && colon > 0 ? named.slice(colon + 1) : undefined);
  const review = l.reviewed ? (ev.reviewed ?? { by: '', at: 0 }) : undefined;
  return { cls: l.cls, origin: ev.origin, conf: ev.confidence, ...(tool ? { tool } : {}), ...(model ? { model } : {}), ...(review ? { review } : {}) };
}

/** A file's record from its attributed added lines (zero-based there, 1-based in the record). */
export function fileRecordOf(path: string, added: readonly AddedLine[]): FileRecord {
  return { path, lines: new Map(added.map((l) => [l.line + 1, attrOfAdded(l)])) };
}

/** A record from file records: empty files dropped, sorted by path. */
export function recordOf(files: readonly FileRecord[]): CommitRecord {
  return { files: files.filter((f) => f.lines.size > 0).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

/**
 * The tool as the trailer's `Assisted-by` names it (`tool:model`). A name or
 * model outside the grammar (see isToolName) is never written into a message:
 * a record read from a note is as untrusted as a ledger.
 */
export function toolName(a: LineAttr): string | undefined {
  if (!a.tool || !isToolName(a.tool)) return undefined;
  return assistedBy(a.tool, a.model && isToolName(a.model) ? a.model : undefined);
}

/** The trailer's counts, derived from the record: one definition, so the two always agree. */
export function recordCounts(rec: CommitRecord): Counts {
  const c = emptyCounts();
  for (const f of rec.files) for (const a of f.lines.values()) countLine(c, a);
  return c;
}

/** Adds one line to counts, as the trailer counts it. */
export function countLine(c: Counts, a: LineAttr): void {
  c.lines++;
  c[a.cls]++;
  if (a.cls !== 'ai' && a.cls !== 'mixed') return;
  if (a.review) c.reviewed++;
  if (a.origin) c.byOrigin[a.origin] = (c.byOrigin[a.origin] ?? 0) + 1;
  const tool = toolName(a);
  if (tool) c.tools.add(tool);
}

/** Percent-encodes what would break a space-separated token: `%`, white space, control characters. */
function enc(s: string): string {
  return s.replace(/[%\s\u0000-\u001f\u007f]/gu, (ch) => encodeURIComponent(ch));
}

function dec(s: string): string {
  return decodeURIComponent(s);
}

/** `1-4,9,12-20` from ascending line numbers. */
export function formatRanges(lines: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j++;
    parts.push(j === i ? String(lines[i]) : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Line numbers of `1-4,9`; `undefined` when malformed, not ascending, or overlapping. */
export function parseRanges(s: string): number[] | undefined {
  const out: number[] = [];
  for (const part of s.split(',')) {
    const m = /^([1-9]\d{0,8})(?:-([1-9]\d{0,8}))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (b < a || (out.length > 0 && a <= out[out.length - 1])) return undefined;
    for (let n = a; n <= b; n++) out.push(n);
  }
  return out;
}

function attrTokens(a: LineAttr): string[] {
  const t: string[] = [a.cls];
  if (a.origin) t.push(`origin=${a.origin}`);
  if (a.conf) t.push(`conf=${a.conf}`);
  if (a.tool) t.push(`tool=${enc(a.tool)}`);
  if (a.model) t.push(`model=${enc(a.model)}`);
  if (a.review) t.push(`review=${enc(a.review.by)}@${a.review.at}`);
  return t;
}

/** The note text: the header, then one line per file and kind of line, in a stable order. */
export function formatRecord(rec: CommitRecord): string {
  const out = [RECORD_HEADER];
  for (const f of rec.files) {
    const groups = new Map<string, number[]>();
    for (const n of [...f.lines.keys()].sort((a, b) => a - b)) {
      const key = attrTokens(f.lines.get(n) as LineAttr).join(' ');
      const g = groups.get(key);
      if (g) g.push(n);
      else groups.set(key, [n]);
    }
    const rows = [...groups].map(([key, ns]) => ({ key, ns }));
    rows.sort((x, y) => x.ns[0] - y.ns[0]);
    for (const r of rows) out.push(`${enc(f.path)} ${formatRanges(r.ns)} ${r.key}`);
  }
  return `${out.join('\n')}\n`;
}

/** What {@link parseRecord} found: the record, and every departure from the format (empty when valid). */
export interface ParsedRecord {
  readonly record: CommitRecord;
  readonly problems: string[];
  /** Another version's note: left as it is, never rewritten. */
  readonly unsupported?: number;
}

function parseAttr(tokens: readonly string[]): LineAttr | string {
  const cls = tokens[0] as LineClass;
  if (!CLASSES.includes(cls)) return `unknown class ${JSON.stringify(tokens[0] ?? '')}`;
  const a: { -readonly [K in keyof LineAttr]: LineAttr[K] } = { cls };
  for (const tok of tokens.slice(1)) {
    const eq = tok.indexOf('=');
    const key = eq > 0 ? tok.slice(0, eq) : '';
    const value = tok.slice(eq + 1);
    if (key === 'origin') {
      if (!isOrigin(value)) return `unknown origin ${JSON.stringify(value)}`;
      a.origin = value;
    } else if (key === 'conf') {
      if (value !== 'certain' && value !== 'likely' && value !== 'unknown') return `unknown confidence ${JSON.stringify(value)}`;
      a.conf = value;
    } else if (key === 'tool') a.tool = dec(value);
    else if (key === 'model') a.model = dec(value);
    else if (key === 'review') {
      const at = value.lastIndexOf('@');
      if (at < 0 || !/^\d+$/.test(value.slice(at + 1))) return `malformed review ${JSON.stringify(value)}`;
      a.review = { by: dec(value.slice(0, at)), at: Number(value.slice(at + 1)) };
    } else if (eq <= 0) return `malformed field ${JSON.stringify(tok)}`;
    // Keys a newer writer added within v1 are skipped: additive fields stay readable.
  }
  return a;
}

/**
 * Reads a note. Lenient where git's note handling leaves its marks: several
 * headers (notes concatenated on amend or rebase), lines in any order
 * (`cat_sort_uniq`), blank lines; a line given twice keeps the last entry.
 * Everything that is not the format is reported in `problems`.
 */
export function parseRecord(text: string): ParsedRecord {
  const problems: string[] = [];
  const files = new Map<string, Map<number, LineAttr>>();
  let headers = 0;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const hm = /^ai-provenance v(\d+)$/.exec(line);
    if (hm) {
      const v = Number(hm[1]);
      if (v !== RECORD_VERSION) return { record: EMPTY_RECORD, problems: [`version ${v} is not supported`], unsupported: v };
      headers++;
      continue;
    }
    const tokens = line.split(' ');
    const ranges = tokens.length >= 3 ? parseRanges(tokens[1]) : undefined;
    const attr = ranges ? parseAttr(tokens.slice(2)) : 'malformed entry';
    if (typeof attr === 'string') {
      problems.push(`line ${i + 1}: ${attr}`);
      continue;
    }
    let path: string;
    try {
      path = dec(tokens[0]);
    } catch {
      problems.push(`line ${i + 1}: malformed path`);
      continue;
    }
    let f = files.get(path);
    if (!f) files.set(path, (f = new Map()));
    for (const n of ranges as number[]) {
      if (f.has(n)) problems.push(`line ${i + 1}: ${path} line ${n} given twice`);
      f.set(n, attr);
    }
  }
  if (headers === 0) problems.unshift(`no "${RECORD_HEADER}" header`);
  else if (headers > 1) problems.unshift(`${headers} headers (notes concatenated)`);
  return { record: recordOf([...files].map(([path, lines]) => ({ path, lines }))), problems };
}

/**
 * Two records of one commit as one: every line of either; where both
 * describe a line, `b` wins unless it only says `unknown`. Used when git or a
 * peer produced a second record for a commit (deterministic: `b` is the later one).
 */
export function mergeRecords(a: CommitRecord, b: CommitRecord): CommitRecord {
  const files = new Map<string, Map<number, LineAttr>>();
  for (const rec of [a, b]) {
    for (const f of rec.files) {
      let m = files.get(f.path);
      if (!m) files.set(f.path, (m = new Map()));
      for (const [n, attr] of f.lines) {
        const had = m.get(n);
        if (!had || attr.cls !== 'unknown') m.set(n, attr);
      }
    }
  }
  return recordOf([...files].map(([path, lines]) => ({ path, lines })));
}
