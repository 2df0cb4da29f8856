import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findRepo, gitBuffer } from '../git/git';
import type { RepoPaths } from '../git/git';
import { readFileLedger, writeFileLedger } from '../git/ledgerStore';
import { alignLines, buildFileLedger, hashLine, restoreRuns } from '../../core/ledger';
import type { FileLedger } from '../../core/ledger';
import { isBlank, splitLines, textLines } from '../../core/lines';
import type { Evidence, Origin } from '../../core/origin';
import { runsFromPieces } from '../../core/spans';
import type { PlacedRun, Run } from '../../core/spans';
import { diffAdded } from '../../core/trailer';
import { UsageError } from '../errors';
import { decodeText, isBinary, MAX_BLOB_BYTES, parseCatFileBatch } from './staged';

/**
 * `ai-provenance mark`: lets a tool that writes files outside the editor (an
 * agent such as Claude Code or Aider) label its own writes. The lines of each
 * file that differ from what its ledger knew (or, with no ledger, from HEAD)
 * get one piece of evidence naming the origin and the tool; the commit hook
 * then counts them like any other ledger line.
 */

export interface MarkOptions {
  readonly origin: Origin;
  readonly tool?: string;
  readonly files: readonly string[];
}

/** The evidence `mark` records: certain, since the tool says so itself. */
export function markEvidence(origin: Origin, tool: string | undefined, at: number): Evidence {
  const detail = tool ? `marked by ${tool} via ai-provenance mark` : 'marked via ai-provenance mark';
  return tool ? { origin, confidence: 'certain', detail, tool, at } : { origin, confidence: 'certain', detail, at };
}

/**
 * The runs for `text` after marking: `changed` lines (their non-blank text)
 * get `ev`; every other line keeps what `kept` gives it (what
 * {@link restoreRuns} returns, or base text throughout).
 */
export function markRuns(text: string, changed: readonly number[], ev: Evidence, kept: readonly Run[]): { runs: Run[]; marked: number } {
  const lines = splitLines(text);
  const src = textLines(text);
  const pieces: PlacedRun[] = [];
  const changedSet = new Set(changed);
  let pos = 0;
  for (const r of kept) {
    // Restored segments never cross a line break; one on a line being marked gives way to the mark.
    if (r.ev !== null && !changedSet.has(src.lineOf(pos))) pieces.push({ start: pos, len: r.len, ev: r.ev });
    pos += r.len;
  }
  let marked = 0;
  for (const i of changed) {
    if (isBlank(lines[i])) continue;
    marked++;
    pieces.push({ start: src.lineStart(i), len: lines[i].length, ev });
  }
  return { runs: runsFromPieces(pieces, text.length), marked };
}

/**
 * Marks one file's text: the lines its ledger does not know, or with no
 * ledger the lines added relative to `headText` (`null`: the file is new and
 * counts whole). A diff against `headText` that gives up marks nothing: which
 * lines the tool wrote is then unknown, and they stay `unknown` rather than
 * every line of the file being claimed for an AI. Pure: the caller reads and
 * writes.
 */
export function markText(relPath: string, text: string, ledger: FileLedger | undefined, headText: string | null, ev: Evidence, now: number): { ledger: FileLedger; marked: number } {
  const changed = ledger ? linesUnknownToLedger(ledger, text) : (diffAdded(headText, text) ?? []);
  const { runs, marked } = markRuns(text, changed, ev, keptRuns(ledger, text));
  return { ledger: buildFileLedger(relPath, text, runs, now), marked };
}

/**
 * The lines of `text` its ledger did not know, and lines it knew only as
 * written by another program (the editor may have seen an agent's write as
 * `external` before the agent said it was its own).
 */
export function linesUnknownToLedger(ledger: FileLedger, text: string): number[] {
  const map = alignLines(ledger.lines, splitLines(text).map(hashLine));
  const externalOnly = new Map<number, boolean>();
  for (const [line, , , e] of ledger.segs) externalOnly.set(line, (externalOnly.get(line) ?? true) && ledger.ev[e].origin === 'external');
  const changed: number[] = [];
  map.forEach((old, i) => {
    if (old < 0 || (ledger.classes[old] === 'u' && externalOnly.get(old) === true)) changed.push(i);
  });
  return changed;
}

/** What the lines not being marked keep: what the ledger knew of them, or base text throughout. */
export function keptRuns(ledger: FileLedger | undefined, text: string): Run[] {
  if (ledger) return restoreRuns(ledger, text);
  return text.length > 0 ? [{ len: text.length, ev: null }] : [];
}

/** What happened to one file argument. */
export type MarkOutcome =
  | { readonly file: string; readonly ok: true; readonly path: string; readonly marked: number }
  | { readonly file: string; readonly ok: false; readonly error: string };

/** Where a file argument lives: the repository that holds it and its path there. */
export interface Located {
  readonly repo: RepoPaths;
  readonly rel: string;
  readonly abs: string;
}

/** `realpath` of a folder; with `missingOk`, of its nearest existing ancestor, the missing rest appended. */
async function realDir(dir: string, missingOk: boolean): Promise<string> {
  try {
    return await fs.realpath(dir);
  } catch (e) {
    const parent = path.dirname(dir);
    if (!missingOk || (e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir) throw e;
    return path.join(await realDir(parent, true), path.basename(dir));
  }
}

/** Whether a folder from `dir` up to (not including) `root` holds a `.git` (a nested repository's). */
async function hasNestedGit(root: string, dir: string): Promise<boolean> {
  for (let d = dir; d !== root && d.startsWith(root + path.sep); d = path.dirname(d)) {
    if (await fs.lstat(path.join(d, '.git')).then(() => true, () => false)) return true;
  }
  return false;
}

/**
 * Finds the repository file `file` names (relative to `cwd`), inside `top`'s
 * work tree or a repository nested in it; a string says why it is not one.
 * `missingOk`: a file that does not exist (yet) is located all the same.
 */
export async function locate(cwd: string, top: RepoPaths, file: string, repos: Map<string, Promise<RepoPaths | undefined>>, missingOk = false): Promise<Located | string> {
  const given = path.resolve(cwd, file);
  let dir: string;
  try {
    // The directory is resolved, not the file: a symbolic link must not carry the path out of the repository unnoticed.
    dir = await realDir(path.dirname(given), missingOk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'no such file';
    throw e;
  }
  const abs = path.join(dir, path.basename(given));
  const relTop = path.relative(top.root, abs);
  if (relTop === '' || relTop.startsWith('..') || path.isAbsolute(relTop)) return `not inside the work tree of ${top.root}`;
  if (relTop.split(path.sep)[0] === '.git') return 'inside the git directory';
  let st;
  try {
    st = await fs.lstat(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (!missingOk) return 'no such file';
  }
  if (st?.isSymbolicLink()) return 'a symbolic link (git does not count its lines; mark the file it points to)';
  if (st && !st.isFile()) return 'not a regular file';
  // A nested repository (a submodule) keeps its own ledger. Git finds a repository by the `.git` nearest
  // above: with none between the file and the top's root, it is the top's (and no git process is needed).
  let found = repos.get(dir);
  if (!found) {
    found = (await hasNestedGit(top.root, dir)) ? findRepo(dir) : Promise.resolve(top);
    repos.set(dir, found);
  }
  const repo = (await found) ?? top;
  const rel = path.relative(repo.root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return `not inside the work tree of ${repo.root}`;
  return { repo, rel: rel.split(path.sep).join('/'), abs };
}

/** The text of `HEAD:<path>` (or of another `<rev>:`, `:` for the index), or `null` when there is no such file (or no HEAD yet, or not as text). */
export async function headText(repo: RepoPaths, rel: string, rev = 'HEAD'): Promise<string | null> {
  const [obj] = parseCatFileBatch(await gitBuffer(['cat-file', '--batch'], { cwd: repo.root, input: `${rev}:${rel}\n`, timeoutMs: 30_000 }));
  if (!obj || obj.type !== 'blob' || !obj.content || obj.content.length > MAX_BLOB_BYTES || isBinary(obj.content)) return null;
  return decodeText(obj.content);
}

/** A file's text as the commit hook would count it, or why it would not count it. */
export async function readCountedText(abs: string): Promise<string | { error: string }> {
  const content = await fs.readFile(abs);
  if (content.length > MAX_BLOB_BYTES) return { error: `larger than ${MAX_BLOB_BYTES} bytes; the commit hook does not count it` };
  if (isBinary(content)) return { error: 'a binary file; the commit hook does not count it' };
  return decodeText(content);
}

async function markOne(cwd: string, top: RepoPaths, file: string, opts: MarkOptions, at: number, repos: Map<string, Promise<RepoPaths | undefined>>): Promise<MarkOutcome> {
  const where = await locate(cwd, top, file, repos);
  if (typeof where === 'string') return { file, ok: false, error: where };
  const { repo, rel, abs } = where;
  if (rel.includes('\n')) return { file, ok: false, error: 'a name with a line break cannot be looked up in HEAD' };
  const text = await readCountedText(abs);
  if (typeof text !== 'string') return { file, ok: false, error: text.error };
  const ledger = await readFileLedger(repo.ledgerDir, rel);
  const head = ledger ? null : await headText(repo, rel);
  const result = markText(rel, text, ledger, head, markEvidence(opts.origin, opts.tool, at), at);
  await writeFileLedger(repo.ledgerDir, result.ledger);
  return { file, ok: true, path: rel, marked: result.marked };
}

/**
 * Marks every file; one file's trouble does not stop the others. Files are
 * done one after another, so two arguments naming the same file cannot race.
 */
export async function markFiles(cwd: string, opts: MarkOptions, at = Date.now()): Promise<MarkOutcome[]> {
  const top = await findRepo(cwd);
  if (!top) throw new UsageError(`not inside a git work tree: ${cwd}`);
  const repos = new Map<string, Promise<RepoPaths | undefined>>();
  const outcomes: MarkOutcome[] = [];
  for (const file of opts.files) {
    try {
      outcomes.push(await markOne(cwd, top, file, opts, at, repos));
    } catch (e) {
      outcomes.push({ file, ok: false, error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
    }
  }
  return outcomes;
}
