import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Evidence } from '../../../src/core/origin';
import { ev } from './gitRepo';
import type { TempRepo } from './gitRepo';

/** Shared by the record suites: what a commit's record says, and commits to make one. */

export const AI = ev('ai-completion');
export const AI_LINE = 'ai origin=ai-completion conf=certain';

/** The record of a commit as stored, without its header. */
export function record(repo: TempRepo, rev = 'HEAD'): string[] {
  const r = repo.git(['notes', '--ref=ai-provenance', 'show', rev]);
  if (r.status !== 0) return ['(no record)'];
  const ls = r.stdout.split('\n').filter((l) => l !== '');
  assert.equal(ls[0], 'ai-provenance v1');
  return ls.slice(1);
}

/** `n` lines `<prefix>1…n`, each with the same origin. */
export function lines(prefix: string, n: number, e: Evidence | null): Array<[string, Evidence | null]> {
  return Array.from({ length: n }, (_, i) => [`${prefix}${i + 1}()`, e] as [string, Evidence | null]);
}

/**
 * Forgets everything the editor knew (its ledger files): what is left is only
 * what the records carry. A background post-commit's claim beside them stays.
 */
export async function forgetLedger(repo: TempRepo): Promise<void> {
  await fs.rm(path.join(repo.paths.ledgerDir, 'v1'), { recursive: true, force: true });
}

/** A trailer value of `ai` AI-completion lines and `unknown` unknown ones. */
export function counts(ai: number, unknown = 0, extra = ''): string {
  return `v=1 lines=${ai + unknown} ai=${ai} mixed=0 human=0 unknown=${unknown}${ai ? ` ai-completion=${ai}` : ''}${extra}`;
}

/** The first commit: base.txt. */
export async function base(repo: TempRepo): Promise<void> {
  await repo.write('base.txt', 'base\n');
  repo.ok(['add', '.']);
  repo.ok(['commit', '-q', '-m', 'base']);
}
