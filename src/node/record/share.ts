import { git, GitError } from '../git/git';
import { UsageError } from '../errors';
import { NOTES_REF } from '../../core/record';
import { currentTip, settleRecords, withNotesLock } from './notes';

/**
 * Sharing records with a remote (docs/notes.md, "Sharing"). Fetch goes into a
 * remote-tracking notes ref, never onto ours: a forced fetch onto
 * `refs/notes/ai-provenance` would drop local records the remote lacks. The
 * merge is `cat_sort_uniq` (every entry line stands alone). Pushes are never
 * forced, and run with `--no-verify` so our own `pre-push` hook does not run
 * again for them.
 */

/** Set on the git processes we start, so a hook of ours they run knows it is inside a notes push. */
export const PUSHING_ENV = 'AI_PROVENANCE_PUSHING_NOTES';

/** Where a remote's records are fetched to. */
export function trackingRef(remote: string): string {
  return `refs/notes/remotes/${remote}/ai-provenance`;
}

export interface ShareOptions {
  readonly cwd: string;
  /** Per git process: a push or fetch over a slow network stops here. */
  readonly timeoutMs?: number;
}

export interface FetchResult {
  readonly remote: string;
  /** Whether the remote has records at all. */
  readonly remoteHasNotes: boolean;
  /** Commits with a record here before and after the merge. */
  readonly before: number;
  readonly after: number;
}

export type PushResult =
  | { readonly remote: string; readonly status: 'pushed' | 'up-to-date' | 'nothing' }
  | { readonly remote: string; readonly status: 'rejected'; readonly message: string };

export interface SyncResult {
  readonly fetch: FetchResult;
  readonly push: PushResult;
  /** How many times the push was rejected (someone pushed meanwhile) and the sync started again. */
  readonly retries: number;
}

/** A committer for the notes merge commit, so a repository without `user.name` can sync too. */
const IDENTITY: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: 'AI Provenance',
  GIT_AUTHOR_EMAIL: 'ai-provenance@localhost',
  GIT_COMMITTER_NAME: 'AI Provenance',
  GIT_COMMITTER_EMAIL: 'ai-provenance@localhost',
};

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // Never a prompt for credentials: a push from a hook or a button must not hang.
  return { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', [PUSHING_ENV]: '1', ...extra };
}

/**
 * The remote to use: the one named (it must be configured), else the current
 * branch's upstream remote, else `origin`, else the only remote.
 */
export async function resolveRemote(cwd: string, named: string | undefined): Promise<string> {
  const remotes = (await git(['remote'], { cwd, timeoutMs: 10_000 })).split('\n').filter((r) => r !== '');
  if (named !== undefined) {
    if (!remotes.includes(named)) throw new UsageError(`no remote named "${named}" (remotes: ${remotes.join(', ') || 'none'})`);
    return named;
  }
  let upstream = '';
  try {
    upstream = (await git(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'], { cwd, timeoutMs: 10_000 })).trim();
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
  }
  const fromUpstream = remotes.find((r) => upstream.startsWith(`${r}/`));
  const chosen = fromUpstream ?? (remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined);
  if (!chosen) throw new UsageError(remotes.length === 0 ? 'this repository has no remote' : `several remotes (${remotes.join(', ')}): name one`);
  return chosen;
}

async function countRecords(cwd: string, timeoutMs: number): Promise<number> {
  try {
    return (await git(['notes', `--ref=${NOTES_REF}`, 'list'], { cwd, timeoutMs })).split('\n').filter((l) => l !== '').length;
  } catch (e) {
    if (e instanceof GitError) return 0;
    throw e;
  }
}

/**
 * Fetches the remote's records into {@link trackingRef} and merges them into
 * ours: records of different commits never conflict, two records of one commit
 * become the union of their lines (`cat_sort_uniq`).
 */
export async function fetchNotes(remote: string, opts: ShareOptions): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const o = { cwd: opts.cwd, timeoutMs, env: env() };
  const before = await countRecords(opts.cwd, timeoutMs);
  const listed = (await git(['ls-remote', '--', remote, NOTES_REF], o)).trim();
  if (listed === '') return { remote, remoteHasNotes: false, before, after: before };
  const tracking = trackingRef(remote);
  await git(['fetch', '-q', '--no-write-fetch-head', '--', remote, `+${NOTES_REF}:${tracking}`], o);
  await withNotesLock(opts.cwd, undefined, async () => {
    const theirs = await currentTip(tracking, o);
    if (!theirs) return;
    await git(['notes', `--ref=${NOTES_REF}`, 'merge', '-q', '-s', 'cat_sort_uniq', tracking], { ...o, env: env(IDENTITY) });
  });
  return { remote, remoteHasNotes: true, before, after: await countRecords(opts.cwd, timeoutMs) };
}

const REJECTED = /\[rejected\]|\(fetch first\)|non-fast-forward|failed to push/i;

/** Pushes our records to the remote, never forced; a rejection (the remote has records we lack) is a result, not an error. */
export async function pushNotes(remote: string, opts: ShareOptions): Promise<PushResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const o = { cwd: opts.cwd, timeoutMs, env: env() };
  await settleRecords(opts.cwd);
  const local = await currentTip(NOTES_REF, o);
  if (!local) return { remote, status: 'nothing' };
  try {
    const out = await git(['push', '--porcelain', '--no-verify', '--', remote, `${NOTES_REF}:${NOTES_REF}`], o);
    return { remote, status: /^=\t/m.test(out) ? 'up-to-date' : 'pushed' };
  } catch (e) {
    if (e instanceof GitError && REJECTED.test(e.stderr + e.message)) {
      return { remote, status: 'rejected', message: `${remote} has records this repository does not have yet: run ai-provenance notes sync ${remote}` };
    }
    throw e;
  }
}

const SYNC_ATTEMPTS = 3;

/** Fetch, merge, push; when the push is rejected (someone pushed meanwhile), again, up to three times. */
export async function syncNotes(remote: string, opts: ShareOptions): Promise<SyncResult> {
  for (let attempt = 0; ; attempt++) {
    const fetched = await fetchNotes(remote, opts);
    const pushed = await pushNotes(remote, opts);
    if (pushed.status !== 'rejected' || attempt + 1 >= SYNC_ATTEMPTS) return { fetch: fetched, push: pushed, retries: attempt };
  }
}
