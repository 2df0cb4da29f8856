// Workspace repositories for a run, and what the extension and the hook leave
// in them: the ledger under the git directory, the commit's trailers.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * A commit's record (its git note, as `git notes show` prints it), once it
 * has one: for a plain commit, post-commit stores it in the background, so it
 * can come a moment after `git commit` returns.
 */
export async function waitForRecord(repo: string, rev: string, timeout = 15_000): Promise<string> {
  return waitFor(`the record of ${rev}`, () => {
    try {
      return git(repo, 'notes', '--ref=ai-provenance', 'show', rev);
    } catch {
      return null;
    }
  }, { timeout });
}

export interface RepoOptions {
  /** relative path → text, committed as the first commit */
  files: Record<string, string>;
  user?: { name: string; email: string };
  message?: string;
}

/** A fresh git repository in `dir` with `files` committed on `main`. Returns `dir`. */
export function makeRepo(dir: string, { files, user = { name: 'E2E Test', email: 'e2e@example.invalid' }, message = 'initial' }: RepoOptions): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', user.name);
  git(dir, 'config', 'user.email', user.email);
  git(dir, 'config', 'commit.gpgsign', 'false');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return dir;
}

/** The ledger's folder of one file's record (v1/files/<sha1 of the path>.json) lives here. */
export function ledgerDir(repo: string): string {
  return path.join(repo, git(repo, 'rev-parse', '--git-path', 'ai-provenance'));
}

export function ledgerPath(repo: string, rel: string): string {
  return path.join(ledgerDir(repo), 'v1', 'files', `${createHash('sha1').update(rel).digest('hex')}.json`);
}

/** One file's ledger as the extension writes it on save (the fields the harness reads). */
export interface Ledger {
  savedAt: number;
  /** line hashes of the saved text */
  lines: string[];
  /** one class char per line: a ai, m mixed, h human, u unknown, . unchanged */
  classes: string;
  /** [line, start, end, evidence index] */
  segs: [number, number, number, number][];
  ev: ({ origin: string; confidence: string; detail: string } | null)[];
}

export function readLedger(repo: string, rel: string): Ledger | undefined {
  try { return JSON.parse(fs.readFileSync(ledgerPath(repo, rel), 'utf8')) as Ledger; } catch { return undefined; }
}

/** The values of trailer `key` in HEAD's message ('' if none). */
export function headTrailer(repo: string, key: string): string {
  return git(repo, 'log', '-1', `--format=%(trailers:key=${key},valueonly)`);
}
