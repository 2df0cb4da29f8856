import { findRepo, git } from '../git/git';
import { EMPTY_TREE } from '../commit/staged';
import { UsageError, describeError } from '../errors';
import { LOG_PREFIX } from '../log';
import { NOTES_REF, parseRecord, recordCounts } from '../../core/record';
import type { CommitRecord } from '../../core/record';
import { formatTrailerValue, readTrailerValue, TRAILER_KEY } from '../../core/trailer';
import { buildRecord } from './build';
import { runPostCommit, runPostMerge, runPostRewrite } from './commitRecord';
import { settleRecords } from './notes';

/** The record hooks git runs: bounded, and never failing what git is doing. */
export const RECORD_HOOKS = ['post-commit', 'post-rewrite', 'post-merge'] as const;
/** Their budget: they run after the commit exists, but still in the person's terminal. */
export const RECORD_HOOK_BUDGET_MS = 10_000;

/** A hook's standard input, whole (empty from a terminal). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Runs one of {@link RECORD_HOOKS}. Never throws: trouble is one line on
 * stderr, and the commit, rebase or merge stands as git made it.
 */
export async function runRecordHook(name: string, args: readonly string[], cwd: string, log: (line: string) => void, claimed?: string): Promise<void> {
  try {
    const repo = await findRepo(cwd);
    if (!repo) return;
    const t = RECORD_HOOK_BUDGET_MS;
    if (name === 'post-commit') await runPostCommit(repo, t, claimed);
    else if (name === 'post-rewrite') await runPostRewrite(repo, args[0] ?? '', await readStdin(), t);
    else if (name === 'post-merge') await runPostMerge(repo, args[0] === '1', t);
  } catch (e) {
    log(`${LOG_PREFIX} ${name}: ${describeError(e)}; no record written`);
  }
}

/** One commit's verdict. */
export interface Verdict {
  readonly sha: string;
  readonly problems: string[];
}

function lineSet(rec: CommitRecord): string[] {
  return rec.files.flatMap((f) => [...f.lines.keys()].sort((a, b) => a - b).map((n) => `${f.path}:${n}`));
}

/**
 * Checks each commit of a range: its trailer against its record (the trailer
 * must be the record's counts), and its record against its own diff (the
 * record must name exactly the non-blank lines the commit adds).
 */
export async function verifyRange(cwd: string, range: readonly string[]): Promise<Verdict[]> {
  const repo = await findRepo(cwd);
  if (!repo) throw new UsageError(`not inside a git work tree: ${cwd}`);
  await settleRecords(repo.root);
  const format = `%H%x00%P%x00%(trailers:key=${TRAILER_KEY},valueonly,separator=%x1f)%x00%N%x1e`;
  const out = await git(['log', `--notes=${NOTES_REF}`, `--format=${format}`, ...range, '--'], { cwd: repo.root });
  const verdicts: Verdict[] = [];
  for (const chunk of out.split('\x1e')) {
    const fields = chunk.replace(/^\n/, '').split('\0');
    if (fields.length < 4) continue;
    const [sha, parentList, trailers, note] = fields;
    const parents = parentList.split(' ').filter((p) => p !== '');
    const problems: string[] = [];
    const values = trailers.split('\x1f').map((v) => v.trim()).filter((v) => v !== '');
    const parsed = note.trim() === '' ? undefined : parseRecord(note);
    if (!parsed) problems.push('no record');
    else {
      problems.push(...parsed.problems.map((p) => `record: ${p}`));
      const fromRecord = formatTrailerValue(recordCounts(parsed.record));
      const last = values.length > 0 ? readTrailerValue(values[values.length - 1]) : undefined;
      if (values.length > 1) problems.push(`${values.length} ${TRAILER_KEY} trailers`);
      if (last && last.status !== 'ok') problems.push(`trailer: ${last.problem}`);
      if (last?.status === 'ok' && formatTrailerValue(last.counts) !== fromRecord) problems.push(`trailer says "${values[values.length - 1]}", record says "${fromRecord}"`);
      const built = await buildRecord(repo, { base: parents[0] ?? EMPTY_TREE, target: sha, otherParent: parents[1] });
      const want = lineSet(built.record).join(' ');
      if (lineSet(parsed.record).join(' ') !== want) problems.push(`record lines differ from the commit's own diff (${lineSet(built.record).length} added lines)`);
    }
    verdicts.push({ sha, problems });
  }
  return verdicts;
}
