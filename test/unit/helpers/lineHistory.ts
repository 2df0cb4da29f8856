import { promises as fs } from 'node:fs';
import { buildFileLedger } from '../../../src/core/ledger';
import type { Evidence } from '../../../src/core/origin';
import type { Run } from '../../../src/core/spans';
import { writeFileLedger } from '../../../src/node/git/ledgerStore';
import { ev } from './gitRepo';
import type { TempRepo } from './gitRepo';

/**
 * A small history for the line-level reports (blame, report --lines): a base
 * commit of unknown lines on main, and on topic a commit with AI, human,
 * mixed, blank and reviewed AI lines (with a tool), committed through the
 * real hooks so each commit has its record.
 */

export const AI = ev('ai-completion');
export const TYPED = ev('typed');
export const ANN = { by: 'Ann Lee <ann@example.com>', at: 1_700_000_500_000 };
export const CHAT: Evidence = { ...ev('ai-chat', 'claude-code:claude-opus-4-5'), reviewed: ANN };
export const CHAT_TOOL = 'claude-code:claude-opus-4-5';

/** A line as pieces of text, each with its origin (null: there before tracking began). */
export type Line = ReadonlyArray<readonly [string, Evidence | null]>;
export const L = (text: string, e: Evidence | null): Line => [[text, e]];

/** Writes a file and its ledger as the extension would on save, pieces within a line allowed (mixed lines). */
export async function writePieces(repo: TempRepo, rel: string, lines: readonly Line[]): Promise<void> {
  const runs: Run[] = [];
  let text = '';
  for (const line of lines) {
    for (const [t, e] of line) if (t.length > 0) runs.push({ len: t.length, ev: e });
    runs.push({ len: 1, ev: null });
    text += `${line.map(([t]) => t).join('')}\n`;
  }
  await repo.write(rel, text);
  await writeFileLedger(repo.paths.ledgerDir, buildFileLedger(rel, text, runs, Date.now()));
}

/** Commits everything with the hooks, then forgets the ledger: what is left is what the records say. */
export async function commitAll(repo: TempRepo, msg: string): Promise<string> {
  repo.ok(['add', '-A']);
  repo.ok(['commit', '-q', '-m', msg]);
  await fs.rm(repo.paths.ledgerDir, { recursive: true, force: true });
  return repo.ok(['rev-parse', 'HEAD']).trim();
}

export const BASE: Line[] = [L('import x', null), L('', null), L('base()', null)];
/** The topic's app.ts: AI, human, mixed, blank, reviewed AI with a tool. */
export const TOPIC: Line[] = [...BASE, L('ai1()', AI), L('ai2()', AI), L('typed()', TYPED), [['mix', AI], ['ed()', TYPED]], L('', null), L('chat1()', CHAT), L('chat2()', CHAT)];

/** Base on main (no ledger: unknown lines), the topic's commit on `topic`. Ends on topic. */
export async function history(repo: TempRepo): Promise<{ base: string; topic: string }> {
  await writePieces(repo, 'app.ts', BASE);
  await fs.rm(repo.paths.ledgerDir, { recursive: true, force: true });
  const base = await commitAll(repo, 'base');
  repo.ok(['checkout', '-q', '-b', 'topic']);
  await writePieces(repo, 'app.ts', TOPIC);
  const topic = await commitAll(repo, 'topic');
  return { base, topic };
}

