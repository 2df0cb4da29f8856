import { isBlank } from './lines';
import { isToolName } from './origin';
import type { Origin } from './origin';
import { toolName } from './record';
import type { CommitRecord, LineAttr, LineClass } from './record';

/**
 * Line-level provenance for reviewers: which commit introduced each line of a
 * file (git blame), and what that commit's record says about the line. Pure:
 * the git side (src/node/report/lines.ts) runs `git blame --porcelain` and
 * reads the records; this parses and joins.
 */

/** One line of `git blame --porcelain`. */
export interface BlameLine {
  /** 1-based line number in the blamed version. */
  readonly line: number;
  /** The commit that introduced the line (all zeros: not committed yet). */
  readonly commit: string;
  /** 1-based line number in that commit's version of the file: what its record counts. */
  readonly origLine: number;
  /** The file's path in that commit (blame follows renames). */
  readonly path: string;
  /** The commit is outside the blamed range (`git blame A..B`; a root commit too, without `--root`): the range did not add the line. */
  readonly boundary: boolean;
  readonly text: string;
}

const C_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '"': 34, '\\': 92 };

/** A path as git prints it outside `-z` forms: C-quoted (`"a\tb\303\274"`) when it holds special bytes. */
export function unquoteGitPath(s: string): string {
  if (!(s.length >= 2 && s.startsWith('"') && s.endsWith('"'))) return s;
  const bytes: number[] = [];
  const inner = s.slice(1, -1);
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch !== '\\') {
      bytes.push(...new TextEncoder().encode(ch));
      continue;
    }
    const next = inner[i + 1] ?? '';
    const octal = /^[0-3][0-7]{2}/.exec(inner.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(C_ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (\d+) (\d+)(?: \d+)?$/;

/**
 * Parses `git blame --porcelain`. A commit's details (`filename`,
 * `boundary`) come once, with its first group; a commit seen under more than
 * one path repeats `filename` per group, so the last one seen holds.
 */
export function parseBlamePorcelain(out: string): BlameLine[] {
  const lines: BlameLine[] = [];
  const pathOf = new Map<string, string>();
  const boundary = new Set<string>();
  let cur: { commit: string; orig: number; final: number } | undefined;
  for (const raw of out.split('\n')) {
    if (cur && raw.startsWith('\t')) {
      lines.push({ line: cur.final, commit: cur.commit, origLine: cur.orig, path: pathOf.get(cur.commit) ?? '', boundary: boundary.has(cur.commit), text: raw.slice(1) });
      cur = undefined;
      continue;
    }
    const m = HEADER.exec(raw);
    if (m) cur = { commit: m[1], orig: Number(m[2]), final: Number(m[3]) };
    else if (cur && raw.startsWith('filename ')) pathOf.set(cur.commit, unquoteGitPath(raw.slice('filename '.length)));
    else if (cur && raw === 'boundary') boundary.add(cur.commit);
  }
  return lines;
}

/** Each commit's author date (epoch ms) in `git blame --porcelain` output: its `author-time`, given with the commit's first group. */
export function parseBlameDates(out: string): Map<string, number> {
  const dates = new Map<string, number>();
  let commit: string | undefined;
  for (const raw of out.split('\n')) {
    const m = HEADER.exec(raw);
    if (m) commit = m[1];
    else if (commit && raw.startsWith('author-time ')) dates.set(commit, Number(raw.slice('author-time '.length)) * 1000);
  }
  return dates;
}

/** Who marked a line's AI text as reviewed, and when (epoch ms; 0 when not known). */
export interface LineReview {
  readonly by: string;
  readonly at: number;
}

/** What the record of the commit that introduced a line says about it. */
export interface LineProvenance {
  /** 1-based line number in the blamed version. */
  readonly line: number;
  /** The commit that introduced it (all zeros: not committed yet). */
  readonly commit: string;
  readonly class: LineClass;
  /** For `ai` and `mixed`: the AI origin that dominates the line. */
  readonly origin?: Origin;
  /** The tool, when it was identified (`claude-code`). */
  readonly tool?: string;
  /** The model, when the tool named one. */
  readonly model?: string;
  /** Set when a person marked the line's AI text as reviewed. */
  readonly reviewed?: LineReview;
  /** The introducing commit has a record (else the line is `unknown` for want of one). */
  readonly recorded: boolean;
  /** Blank or white space only: records do not cover such lines, so they are `unknown`. */
  readonly blank: boolean;
  /** Where the line is in the introducing commit's version of the file (what its record counts): path and 1-based line. */
  readonly source?: { readonly path: string; readonly line: number };
}


/** Where a line came from, without its text: what a cached blame keeps. */
export type BlameRef = Pick<BlameLine, 'line' | 'commit' | 'origLine' | 'path'> & { readonly blank: boolean };

/** A record's attributes as a line's provenance; a tool or model outside the grammar names nothing. */
function fromAttr(b: BlameRef, a: LineAttr | undefined, recorded: boolean): LineProvenance {
  const base = { line: b.line, commit: b.commit, recorded, blank: b.blank, source: { path: b.path, line: b.origLine } };
  if (!a) return { ...base, class: 'unknown' };
  if (a.cls !== 'ai' && a.cls !== 'mixed') return { ...base, class: a.cls };
  const tool = a.tool && isToolName(a.tool) ? a.tool : undefined;
  const model = tool && a.model && isToolName(a.model) ? a.model : undefined;
  return {
    ...base,
    class: a.cls,
    ...(a.origin ? { origin: a.origin } : {}),
    ...(tool ? { tool } : {}),
    ...(model ? { model } : {}),
    ...(a.review ? { reviewed: { by: a.review.by, at: a.review.at } } : {}),
  };
}

/**
 * Joins blame with records: each line gets what the record of its
 * introducing commit says about that commit's line (its path and line number
 * there). No record, or a record silent about the line: `unknown`.
 */
export function provenanceOf(blame: readonly BlameLine[], records: ReadonlyMap<string, CommitRecord>): LineProvenance[] {
  return provenanceOfRefs(blame.map((b) => ({ line: b.line, commit: b.commit, origLine: b.origLine, path: b.path, blank: isBlank(b.text) })), records);
}

/** {@link provenanceOf} of lines whose text is gone (a cached blame: only whether each was blank is kept). */
export function provenanceOfRefs(blame: readonly BlameRef[], records: ReadonlyMap<string, CommitRecord>): LineProvenance[] {
  const files = new Map<string, ReadonlyMap<number, LineAttr> | undefined>();
  return blame.map((b) => {
    const rec = records.get(b.commit);
    const key = `${b.commit}\0${b.path}`;
    if (!files.has(key)) files.set(key, rec?.files.find((f) => f.path === b.path)?.lines);
    return fromAttr(b, files.get(key)?.get(b.origLine), rec !== undefined);
  });
}

/** The tool as reports name it: `tool:model` (the trailer's `Assisted-by` form), or undefined. */
export function toolLabel(p: Pick<LineProvenance, 'tool' | 'model'>): string | undefined {
  return p.tool ? toolName({ cls: 'ai', tool: p.tool, model: p.model }) : undefined;
}
