import { git } from '../git/git';
import { describeError, UsageError } from '../errors';
import { LOG_PREFIX } from '../log';
import { readStdin } from '../record/hooks';
import { fetchNotes, pushNotes, PUSHING_ENV, resolveRemote, syncNotes } from '../record/share';
import type { FetchResult, PushResult } from '../record/share';
import { requireRepo } from './hooks';
import { REBUILD_OPTIONS, REBUILD_USAGE, runRebuild } from './notesRebuild';
import type { Command } from './args';

function fetchLine(f: FetchResult): string {
  if (!f.remoteHasNotes) return `${f.remote} has no records yet; nothing fetched.`;
  const added = f.after - f.before;
  return `Fetched the records of ${f.remote}: ${added} new here (${f.after} commits with a record).`;
}

function pushLine(p: PushResult): string {
  switch (p.status) {
    case 'pushed':
      return `Pushed the records to ${p.remote}.`;
    case 'up-to-date':
      return `${p.remote} already has every record.`;
    case 'nothing':
      return 'No records here to push.';
    case 'rejected':
      return p.message;
  }
}

/** `ai-provenance notes push|fetch|sync [remote]` and `notes rebuild`. */
export const command: Command = {
  usage: `Usage: ai-provenance notes <push|fetch|sync> [remote] [--json]
       ai-provenance notes rebuild <commit> --from <base>..<head> [--force] [--dry-run] [--json]

Shares the records (git notes on refs/notes/ai-provenance, see docs/notes.md)
with a remote. Without a remote: the current branch's upstream remote, else
origin, else the only remote.

  fetch  fetch the remote's records into refs/notes/remotes/<remote>/ai-provenance
         and merge them into yours (cat_sort_uniq: no record is ever dropped)
  push   push your records (never forced; rejected when the remote has records
         you lack: run sync)
  sync   fetch, merge and push, again when someone pushed meanwhile (3 tries)

  --json  print the result as JSON

Exit codes: 0 done, 1 git failed or the push was rejected, 2 bad input.

${REBUILD_USAGE}`,
  spec: { booleans: REBUILD_OPTIONS.filter((o) => o !== 'from'), strings: ['from'] },
  async run(args, io) {
    const [action, named, ...extra] = args.positional;
    if (action === 'rebuild') return runRebuild(args, args.positional.slice(1), io);
    if (action !== 'push' && action !== 'fetch' && action !== 'sync') throw new UsageError(action === undefined ? 'notes: needs push, fetch, sync or rebuild' : `notes: unknown action "${action}" (push, fetch, sync or rebuild)`);
    for (const o of [...args.flags, ...args.values.keys()]) if (o !== 'json') throw new UsageError(`notes ${action}: unknown option: --${o}`);
    if (extra.length > 0) throw new UsageError(`notes ${action}: takes at most one remote`);
    const repo = await requireRepo(io.cwd);
    const remote = await resolveRemote(repo.root, named);
    const opts = { cwd: repo.root };
    let result: { fetch?: FetchResult; push?: PushResult; retries?: number };
    if (action === 'fetch') result = { fetch: await fetchNotes(remote, opts) };
    else if (action === 'push') result = { push: await pushNotes(remote, opts) };
    else result = await syncNotes(remote, opts);
    if (args.flags.has('json')) io.out(`${JSON.stringify({ action, remote, ...result }, null, 2)}\n`);
    else {
      if (result.fetch) io.out(`${fetchLine(result.fetch)}\n`);
      if (result.push) (result.push.status === 'rejected' ? io.err : io.out)(`${result.push.status === 'rejected' ? `${LOG_PREFIX} ` : ''}${pushLine(result.push)}\n`);
    }
    return result.push?.status === 'rejected' ? 1 : 0;
  },
};

/** The pre-push hook's budget: the person's push waits for it. */
export const PRE_PUSH_BUDGET_MS = 8_000;

/** Whether the refs being pushed (pre-push's standard input) are all notes refs: then this push is already the notes'. */
function onlyNotes(stdin: string): boolean {
  const remoteRefs = stdin.split('\n').map((l) => l.trim().split(' ')[2]).filter((r): r is string => r !== undefined);
  return remoteRefs.length > 0 && remoteRefs.every((r) => r.startsWith('refs/notes/'));
}

/** Pushes the records alongside the person's push; a rejection gets one fetch-merge-push when the remote is a named one. */
async function pushAlongside(cwd: string, remote: string): Promise<string> {
  const opts = { cwd, timeoutMs: PRE_PUSH_BUDGET_MS };
  const first = await pushNotes(remote, opts);
  if (first.status !== 'rejected') return first.status === 'pushed' ? pushLine(first) : '';
  const named = (await git(['remote'], { cwd, timeoutMs: 5_000 })).split('\n').includes(remote);
  if (!named) return first.message;
  const synced = await syncNotes(remote, opts);
  return pushLine(synced.push);
}

/** `ai-provenance pre-push <remote> <url>`: the opt-in hook. Always exits 0, within its budget. */
export const prePushCommand: Command = {
  usage: `Usage: ai-provenance pre-push <remote> <url>

The opt-in pre-push hook (install-hook --push-notes): pushes the records along
with the branch. Never fails or holds up the push for long (${PRE_PUSH_BUDGET_MS / 1000} s at most);
does nothing for a push of notes refs, or inside its own notes push.`,
  spec: {},
  async run(args, io) {
    if (args.positional.length > 2) throw new UsageError('pre-push: takes <remote> <url>');
    const stdin = await readStdin();
    if (process.env[PUSHING_ENV] || onlyNotes(stdin) || !args.positional[0]) return 0;
    setTimeout(() => {
      io.err(`${LOG_PREFIX} the records were not pushed in time; run ai-provenance notes sync\n`);
      process.exit(0);
    }, PRE_PUSH_BUDGET_MS).unref();
    try {
      const line = await pushAlongside(io.cwd, args.positional[0]);
      if (line) io.err(`${LOG_PREFIX} ${line}\n`);
    } catch (e) {
      io.err(`${LOG_PREFIX} the records were not pushed (${describeError(e)}); run ai-provenance notes sync later\n`);
    }
    return 0;
  },
};
