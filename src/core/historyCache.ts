import { provenanceOfRefs } from './blame';
import type { BlameLine, LineProvenance, LineReview } from './blame';
import { isBlank } from './lines';
import { isOrigin, isToolName } from './origin';
import type { CommitRecord, LineClass } from './record';

/**
 * The history of one file at one commit, kept so Toggle AI History need not
 * blame 500 versions again: each line's provenance (blame joined with the
 * records), the notes it was joined with, and how it is carried forward —
 * onto a later commit from a range blame (`git blame A..B`), onto a buffer
 * from a blame of the buffer over HEAD alone (`--contents - ^HEAD`), onto new
 * notes by joining again only the commits whose notes changed. Pure: the git
 * and disk side is src/node/report/fileHistory.ts.
 */

export interface CachedHistory {
  /** Repository-relative, `/` separators. */
  readonly path: string;
  /** The commit blamed (full SHA). */
  readonly commit: string;
  /** The notes refs' tips the records were read at (see {@link notesSignature}). */
  readonly notes: string;
  /** One per line of the file at `commit`, in order. */
  readonly lines: readonly LineProvenance[];
}

/** Commit → author date (epoch ms), for the hover; a commit's never changes. */
export type CommitDates = ReadonlyMap<string, number>;

/** The notes refs and their tips, as `git for-each-ref --format='%(refname) %(objectname)'` prints them: equal strings, same records. */
export function notesSignature(forEachRef: string): string {
  return forEachRef.split('\n').filter((l) => l.trim() !== '').sort().join('\n');
}

/** A signature's tips by ref. */
export function notesTips(signature: string): Map<string, string> {
  return new Map(signature.split('\n').filter((l) => l !== '').map((l) => l.split(' ') as [string, string]));
}

/** The commits whose notes a `git diff-tree -r --name-only` of two notes trees names (fan-out paths `ab/cdef…` included). */
export function notedCommits(diffTree: string): string[] {
  return diffTree.split('\n').map((p) => p.replace(/\//g, '')).filter((p) => /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(p));
}

/** The lines of `commits` joined again with their (new) records; the others as they were. */
export function rejoin(lines: readonly LineProvenance[], commits: ReadonlySet<string>, records: ReadonlyMap<string, CommitRecord>): LineProvenance[] {
  return lines.map((p) => (commits.has(p.commit) && p.source ? provenanceOfRefs([{ line: p.line, commit: p.commit, origLine: p.source.line, path: p.source.path, blank: p.blank }], records)[0] : p));
}

/**
 * A blame over a short range (`git blame base..B`, or a buffer over `^base`)
 * carried onto the whole history: each line the range did not add is a
 * boundary line of `base`, whose line number there finds its provenance in
 * the cached history of `base`; the lines the range added are joined with
 * their records. Undefined when a boundary line points anywhere else (another
 * boundary commit, another path, a line `base` does not have): the caller
 * blames in full rather than guess.
 */
export function onTop(range: readonly BlameLine[], base: CachedHistory, records: ReadonlyMap<string, CommitRecord>): LineProvenance[] | undefined {
  const added = range.filter((b) => !b.boundary);
  const joined = provenanceOfRefs(added.map((b) => ({ line: b.line, commit: b.commit, origLine: b.origLine, path: b.path, blank: isBlank(b.text) })), records);
  const out: LineProvenance[] = [];
  let k = 0;
  for (const b of range) {
    if (!b.boundary) {
      out.push(joined[k++]);
      continue;
    }
    const was = b.commit === base.commit && b.path === base.path ? base.lines[b.origLine - 1] : undefined;
    if (!was) return undefined;
    out.push(was.line === b.line ? was : { ...was, line: b.line });
  }
  return out;
}

/** The commits a blame over a range added lines from (the boundary's are known already). */
export function addedCommits(range: readonly BlameLine[]): string[] {
  return [...new Set(range.filter((b) => !b.boundary).map((b) => b.commit))];
}

/** The on-disk form's version: a file of another version is ignored (and rebuilt). */
export const CACHE_VERSION = 1;

/** One line: indexes into the tables, so 10,000 lines stay small and quick to parse. */
type Row = [commit: number, origLine: number, path: number, flags: number, attr: number];
interface Attr {
  class: LineClass;
  origin?: string;
  tool?: string;
  model?: string;
  reviewed?: LineReview;
}
interface Encoded {
  v: number;
  path: string;
  commit: string;
  notes: string;
  commits: string[];
  /** Each commit's author date (epoch ms), 0 when not known. */
  times: number[];
  paths: string[];
  attrs: Attr[];
  rows: number[];
}

const BLANK = 1;
const RECORDED = 2;

function indexer<T>(key: (t: T) => string): { table: T[]; at: (t: T) => number } {
  const seen = new Map<string, number>();
  const table: T[] = [];
  return {
    table,
    at: (t) => {
      const k = key(t);
      let i = seen.get(k);
      if (i === undefined) seen.set(k, (i = table.push(t) - 1));
      return i;
    },
  };
}

/** The history as the cache file holds it (JSON; no line text, only whether a line was blank), with the dates known of its commits. */
export function encodeHistory(h: CachedHistory, dates: CommitDates): string {
  const commits = indexer<string>((s) => s);
  const paths = indexer<string>((s) => s);
  const attrs = indexer<Attr>((a) => JSON.stringify(a));
  const rows: number[] = [];
  for (const p of h.lines) {
    const a: Attr = { class: p.class, ...(p.origin ? { origin: p.origin } : {}), ...(p.tool ? { tool: p.tool } : {}), ...(p.model ? { model: p.model } : {}), ...(p.reviewed ? { reviewed: p.reviewed } : {}) };
    const row: Row = [commits.at(p.commit), p.source?.line ?? 0, paths.at(p.source?.path ?? h.path), (p.blank ? BLANK : 0) | (p.recorded ? RECORDED : 0), attrs.at(a)];
    rows.push(...row);
  }
  const times = commits.table.map((c) => dates.get(c) ?? 0);
  const e: Encoded = { v: CACHE_VERSION, path: h.path, commit: h.commit, notes: h.notes, commits: commits.table, times, paths: paths.table, attrs: attrs.table, rows };
  return JSON.stringify(e);
}

const CLASSES: readonly LineClass[] = ['ai', 'mixed', 'human', 'unknown'];
const isStr = (x: unknown): x is string => typeof x === 'string';
const SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

function validAttr(a: unknown): a is Attr {
  if (typeof a !== 'object' || a === null) return false;
  const o = a as Record<string, unknown>;
  const r = o.reviewed as Record<string, unknown> | undefined;
  return CLASSES.includes(o.class as LineClass) && (o.origin === undefined || isOrigin(o.origin))
    && (o.tool === undefined || (isStr(o.tool) && isToolName(o.tool))) && (o.model === undefined || (isStr(o.model) && isToolName(o.model)))
    && (r === undefined || (typeof r === 'object' && r !== null && isStr(r.by) && typeof r.at === 'number'));
}

function validEncoded(e: unknown, path: string, commit: string): e is Encoded {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Partial<Encoded>;
  return o.v === CACHE_VERSION && o.path === path && o.commit === commit && isStr(o.notes)
    && Array.isArray(o.commits) && o.commits.every((c) => isStr(c) && SHA.test(c))
    && Array.isArray(o.times) && o.times.length === o.commits.length && o.times.every((t) => Number.isFinite(t))
    && Array.isArray(o.paths) && o.paths.every(isStr) && Array.isArray(o.attrs) && o.attrs.every(validAttr)
    && Array.isArray(o.rows) && o.rows.length % 5 === 0;
}

/** The cache file's history of `path` at `commit` and its commits' dates; undefined when it is not one (corrupt, another version, another file). */
export function decodeHistory(text: string, path: string, commit: string): { history: CachedHistory; dates: Map<string, number> } | undefined {
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!validEncoded(e, path, commit)) return undefined;
  const lines: LineProvenance[] = [];
  const r = e.rows;
  for (let i = 0; i < r.length; i += 5) {
    const [c, orig, p, flags, a] = [r[i], r[i + 1], r[i + 2], r[i + 3], r[i + 4]];
    const cm = e.commits[c], ph = e.paths[p], at = e.attrs[a];
    if (cm === undefined || ph === undefined || at === undefined || !Number.isInteger(orig) || orig < 1 || !Number.isInteger(flags)) return undefined;
    lines.push({ line: i / 5 + 1, commit: cm, ...(at as Omit<LineProvenance, 'line' | 'commit' | 'recorded' | 'blank'>), recorded: (flags & RECORDED) !== 0, blank: (flags & BLANK) !== 0, source: { path: ph, line: orig } });
  }
  const dates = new Map(e.commits.flatMap((c, i): Array<[string, number]> => (e.times[i] > 0 ? [[c, e.times[i]]] : [])));
  return { history: { path, commit, notes: e.notes, lines }, dates };
}
