import { strict as assert } from 'node:assert';
import { mkdtempSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installHook } from '../../src/node/commit/install';
import { CLI_PATH, cli, run, TempRepo, useGitTestEnv, assertCliBuilt } from './helpers/gitRepo';

const REF = 'refs/notes/ai-provenance';

/** A record with one entry line per given line number of `file`. */
function rec(file: string, ...ls: number[]): string {
  return ['ai-provenance v1', ...ls.map((l) => `${file} ${l} ai origin=ai-completion conf=certain`)].join('\n');
}

function note(repo: TempRepo, rev: string): string | undefined {
  const r = repo.git(['notes', '--ref=ai-provenance', 'show', rev]);
  return r.status === 0 ? r.stdout.trimEnd() : undefined;
}

function addNote(repo: TempRepo, rev: string, text: string): void {
  repo.ok(['notes', '--ref=ai-provenance', 'add', '-f', '-m', text, rev]);
}

async function commit(repo: TempRepo, file: string): Promise<string> {
  await repo.write(file, `${file}\n`);
  repo.ok(['add', '.']);
  repo.ok(['commit', '-q', '-m', file]);
  return repo.ok(['rev-parse', 'HEAD']).trim();
}

describe('record: sharing with a remote (notes push, fetch, sync, pre-push)', function () {
  this.timeout(120_000);
  useGitTestEnv();
  before(assertCliBuilt);
  /** The bare remote: a directory, read with `git -C`. */
  let remote!: { dir: string; ok(args: readonly string[]): string; dispose(): Promise<void> };
  let a!: TempRepo;
  let b!: TempRepo;
  let c1!: string;

  async function clone(name: string): Promise<TempRepo> {
    const dir = path.join(path.dirname(remote.dir), `${path.basename(remote.dir)}-${name}`);
    const r = run('git', ['clone', '-q', remote.dir, dir], path.dirname(remote.dir));
    if (r.status !== 0) throw new Error(r.stderr);
    return TempRepo.open(dir);
  }

  beforeEach(async () => {
    const dir = await fs.realpath(mkdtempSync(path.join(os.tmpdir(), 'aip-remote-')));
    assert.equal(run('git', ['init', '-q', '--bare', '-b', 'main'], dir).status, 0);
    remote = {
      dir,
      ok: (args) => run('git', args, dir).stdout,
      dispose: () => fs.rm(dir, { recursive: true, force: true }),
    };
    a = await clone('a');
    a.ok(['checkout', '-q', '-b', 'main']);
    c1 = await commit(a, 'one.txt');
    a.ok(['push', '-q', '-u', 'origin', 'main']);
    b = await clone('b');
  });
  afterEach(async () => {
    for (const r of [a, b, remote]) await r?.dispose();
  });

  it('push to a remote with no records, then fetch in another clone', async () => {
    addNote(a, c1, rec('one.txt', 1));
    const pushed = cli(a.dir, ['notes', 'push']);
    assert.equal(pushed.status, 0, pushed.stderr);
    assert.equal(pushed.stdout, 'Pushed the records to origin.\n');
    assert.equal(remote.ok(['rev-parse', REF]).trim(), a.ok(['rev-parse', REF]).trim());
    assert.equal(cli(a.dir, ['notes', 'push']).stdout, 'origin already has every record.\n');
    const fetched = cli(b.dir, ['notes', 'fetch', 'origin']);
    assert.equal(fetched.status, 0, fetched.stderr);
    assert.equal(fetched.stdout, 'Fetched the records of origin: 1 new here (1 commits with a record).\n');
    assert.equal(note(b, c1), rec('one.txt', 1));
    assert.equal(b.ok(['rev-parse', 'refs/notes/remotes/origin/ai-provenance']).trim(), remote.ok(['rev-parse', REF]).trim());
  });

  it('a remote with no records yet: fetch says so, sync pushes', async () => {
    assert.equal(cli(a.dir, ['notes', 'fetch']).stdout, 'origin has no records yet; nothing fetched.\n');
    assert.equal(cli(a.dir, ['notes', 'push']).stdout, 'No records here to push.\n');
    addNote(a, c1, rec('one.txt', 1));
    const r = cli(a.dir, ['notes', 'sync', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { action: string; remote: string; fetch: { remoteHasNotes: boolean }; push: { status: string }; retries: number };
    assert.deepEqual([j.action, j.remote, j.fetch.remoteHasNotes, j.push.status, j.retries], ['sync', 'origin', false, 'pushed', 0]);
  });

  it('diverged clones: push is rejected without force, sync merges both ways and never drops a local record', async () => {
    b.ok(['pull', '-q']);
    const c2 = await commit(b, 'two.txt');
    b.ok(['push', '-q', 'origin', 'main']);
    // a: records of c1 (lines 1,2); b: c1 (lines 2,3) and c2. Neither has pushed records yet.
    addNote(a, c1, rec('one.txt', 1, 2));
    addNote(b, c1, rec('one.txt', 2, 3));
    addNote(b, c2, rec('two.txt', 1));
    assert.equal(cli(b.dir, ['notes', 'push']).status, 0);
    const rejected = cli(a.dir, ['notes', 'push']);
    assert.equal(rejected.status, 1);
    assert.match(rejected.stderr, /^ai-provenance: origin has records this repository does not have yet: run ai-provenance notes sync origin\n$/);
    const synced = cli(a.dir, ['notes', 'sync']);
    assert.equal(synced.status, 0, synced.stderr);
    assert.equal(synced.stdout, 'Fetched the records of origin: 1 new here (2 commits with a record).\nPushed the records to origin.\n');
    // Two records of one commit: the union of their lines, sorted, deterministic.
    const union = ['ai-provenance v1', 'one.txt 1 ai origin=ai-completion conf=certain', 'one.txt 2 ai origin=ai-completion conf=certain', 'one.txt 3 ai origin=ai-completion conf=certain'].join('\n');
    assert.equal(note(a, c1), union);
    assert.equal(note(a, c2), rec('two.txt', 1));
    assert.equal(cli(b.dir, ['notes', 'sync']).status, 0);
    assert.equal(note(b, c1), union);
    assert.equal(b.ok(['rev-parse', REF]).trim(), a.ok(['rev-parse', REF]).trim());
    assert.equal(remote.ok(['rev-parse', REF]).trim(), a.ok(['rev-parse', REF]).trim());
  });

  it('bad input: one line, exit 2', async () => {
    for (const args of [['notes'], ['notes', 'pull'], ['notes', 'push', 'nowhere'], ['notes', 'push', 'origin', 'extra'], ['notes', 'sync', '--force']]) {
      const r = cli(a.dir, args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    }
    assert.match(cli(a.dir, ['notes', 'push', 'nowhere']).stderr, /no remote named "nowhere" \(remotes: origin\)/);
    a.ok(['remote', 'add', 'second', remote.dir]);
    a.ok(['branch', '--unset-upstream']);
    a.ok(['remote', 'rename', 'origin', 'first']);
    assert.match(cli(a.dir, ['notes', 'fetch']).stderr, /several remotes \(first, second\): name one/);
  });

  it('pre-push (install --push-notes) pushes the records with the branch, and never fails the push', async () => {
    const r = await installHook(a.paths, { cliPath: CLI_PATH, runtimePath: process.execPath, pushNotes: true });
    assert.equal(r.status, 'installed');
    const c2 = await commit(a, 'two.txt');
    addNote(a, c2, rec('two.txt', 1));
    const pushed = a.git(['push', '-q', 'origin', 'main']);
    assert.equal(pushed.status, 0, pushed.stderr);
    assert.match(pushed.stderr, /ai-provenance: Pushed the records to origin\./);
    assert.equal(remote.ok(['rev-parse', REF]).trim(), a.ok(['rev-parse', REF]).trim());
    // A push of the notes ref itself: no second push from the hook, no recursion.
    addNote(a, c1, rec('one.txt', 1));
    const own = a.git(['push', '-q', 'origin', REF]);
    assert.equal(own.status, 0, own.stderr);
    assert.equal(own.stderr, '');
    // The remote refuses notes: the branch push still goes through.
    await fs.writeFile(path.join(remote.dir, 'hooks', 'pre-receive'), '#!/bin/sh\nwhile read o n r; do case "$r" in refs/notes/*) echo "no notes here" >&2; exit 1;; esac; done\nexit 0\n', { mode: 0o755 });
    addNote(a, c2, rec('two.txt', 1, 2));
    await commit(a, 'three.txt');
    const refused = a.git(['push', '-q', 'origin', 'main']);
    assert.equal(refused.status, 0, refused.stderr);
    assert.equal(remote.ok(['rev-parse', 'main']).trim(), a.ok(['rev-parse', 'HEAD']).trim());
    assert.match(refused.stderr, /ai-provenance: /);
  });

  it('without --push-notes there is no pre-push hook; an installed one is kept up to date and removed by uninstall', async () => {
    await installHook(a.paths, { cliPath: CLI_PATH, runtimePath: process.execPath });
    await assert.rejects(fs.access(path.join(a.paths.hooksDir, 'pre-push')));
    await installHook(a.paths, { cliPath: CLI_PATH, runtimePath: process.execPath, pushNotes: true });
    const again = await installHook(a.paths, { cliPath: CLI_PATH, runtimePath: process.execPath });
    assert.ok(again.status === 'installed' && again.hooks.includes(path.join(a.paths.hooksDir, 'pre-push')));
    const un = cli(a.dir, ['uninstall-hook']);
    assert.equal(un.status, 0, un.stderr);
    assert.match(un.stdout, /Removed .*pre-push/);
  });
});
