import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FileHistory, HISTORY_DIR } from '../../src/node/report/fileHistory';
import type { HistoryHow } from '../../src/node/report/fileHistory';
import { blameFile } from '../../src/node/report/lines';
import { writeRecords } from '../../src/node/record/notes';
import { spawnSync } from 'node:child_process';
import { formatRecord, recordOf, NOTES_REF } from '../../src/core/record';
import type { LineAttr } from '../../src/core/record';
import { useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';

/**
 * Toggle AI History's cache against the truth: after every kind of history
 * move (commits, amend, rebase, merge, rename, a note rewritten, a dirty
 * buffer) the cached answer equals a fresh `blameFile` — and the cheap route
 * (memory, disk, range blame) is the one taken where it can be.
 */

const AI: LineAttr = { cls: 'ai', origin: 'ai-completion', conf: 'certain' };
const CHAT: LineAttr = { cls: 'ai', origin: 'ai-chat', conf: 'certain', tool: 'claude-code' };
const HUMAN: LineAttr = { cls: 'human' };

/** What the record says of a line, by its text: `ai…`, `chat…`, else human. */
function attrOf(text: string): LineAttr {
  return text.startsWith('ai') ? AI : text.startsWith('chat') ? CHAT : HUMAN;
}

describe('file history cache (Toggle AI History): equal to a fresh blame after every history move', function () {
  this.timeout(120_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r));

  /** Writes `rel`, commits it, and writes that commit's record (every line, by its text). */
  async function commit(lines: readonly string[], msg: string, rel = 'app.ts', review?: LineAttr['review']): Promise<string> {
    await repo.write(rel, `${lines.join('\n')}\n`);
    repo.ok(['add', '-A']);
    repo.ok(['commit', '-q', '-m', msg]);
    const sha = repo.ok(['rev-parse', 'HEAD']).trim();
    await note(sha, rel, lines, review);
    return sha;
  }

  async function note(sha: string, rel: string, lines: readonly string[], review?: LineAttr['review']): Promise<void> {
    const attrs = new Map(lines.map((t, i): [number, LineAttr] => [i + 1, review && t.startsWith('ai') ? { ...attrOf(t), review } : attrOf(t)]));
    await writeRecords(new Map([[sha, formatRecord(recordOf([{ path: rel, lines: attrs }]))]]), { cwd: repo.dir });
  }

  /** The cache's answer equals a fresh blame (of the buffer, when given), and came the expected way. */
  async function same(h: FileHistory, how: HistoryHow, rel = 'app.ts', contents?: string): Promise<void> {
    const got = await h.lines(rel, contents);
    const fresh = await blameFile(repo.dir, rel, contents === undefined ? {} : { contents });
    assert.deepEqual(got.lines, fresh.lines);
    assert.equal(got.how, how);
    await h.flush();
  }

  const v1 = ['import x', 'ai1()', '}', 'human()', 'chat1()', '}', ''];
  const v2 = ['import x', 'ai1()', 'ai2()', '}', 'human()', 'chat1()', '}', 'ai3()', ''];
  const v3 = ['import y', 'ai1()', 'ai2()', '}', 'chat2()', '}', 'ai3()', '', 'ai4()'];
  const fresh = (): FileHistory => new FileHistory(repo.paths);

  it('one commit, then several: a range blame on top of the cached commit', async () => {
    await commit(v1, 'one');
    const h = fresh();
    await same(h, 'full');
    await same(h, 'memory');
    await commit(v2, 'two');
    await same(h, 'range');
    await commit(v3, 'three');
    await commit([...v3, 'ai5()'], 'four');
    await commit(['chat0()', ...v3.slice(2), 'ai5()'], 'five');
    await same(h, 'range');
    // The hover's dates (from the blames, or git log): each marked commit's author date.
    const { marks, dates } = await h.marks('app.ts');
    assert.ok(marks.commits.length >= 3);
    for (const c of marks.commits) assert.equal(dates.get(c), Number(repo.ok(['log', '-1', '--format=%at', c]).trim()) * 1000);
    const { dates: again } = await fresh().marks('app.ts');
    assert.deepEqual([...again].sort(), [...dates].sort());
  });

  it('from disk in a new process; a corrupt or foreign cache file is ignored and rebuilt', async () => {
    await commit(v1, 'one');
    await same(fresh(), 'full');
    await same(fresh(), 'disk');
    const dir = path.join(repo.paths.ledgerDir, HISTORY_DIR);
    const [name] = await fs.readdir(dir);
    await fs.writeFile(path.join(dir, name), '{"v":1,"path":"app.ts","rows":[1,2');
    await fs.writeFile(path.join(dir, 'README.txt'), 'not ours');
    await same(fresh(), 'full');
    await same(fresh(), 'disk');
    // Another file's history under this name (a copy): not taken for this file's.
    await commit(v2, 'two');
    await same(fresh(), 'range');
    const files = (await fs.readdir(dir)).filter((n) => n.endsWith('.json'));
    const head = repo.ok(['rev-parse', 'HEAD']).trim();
    const older = files.find((n) => !n.includes(head)) as string;
    await fs.copyFile(path.join(dir, older), path.join(dir, files.find((n) => n.includes(head)) as string));
    await same(fresh(), 'range');
    assert.ok((await fs.readdir(dir)).includes('README.txt'));
  });

  it('an amend (the cached commit no longer an ancestor: blamed in full) and a rebase (on top of a cached ancestor)', async () => {
    await commit(v1, 'one');
    const h = fresh();
    await same(h, 'full');
    await repo.write('app.ts', `${v2.join('\n')}\n`);
    repo.ok(['commit', '-q', '-a', '--amend', '-m', 'one, amended']);
    await note(repo.ok(['rev-parse', 'HEAD']).trim(), 'app.ts', v2);
    await same(h, 'full');
    await commit(v3, 'two');
    await same(h, 'range');
    repo.ok(['checkout', '-q', '-b', 'topic', 'HEAD~1']);
    await commit([...v2.slice(0, 3), 'chat0()', ...v2.slice(3)], 'topic');
    await same(h, 'range');
    repo.ok(['rebase', '-q', 'main']);
    await same(h, 'range');
    await same(fresh(), 'disk');
  });

  it('a merge bringing lines from a side branch; one keeping a line the cached side had dropped: blamed in full', async () => {
    const one = await commit(v1, 'one');
    repo.ok(['checkout', '-q', '-b', 'side']);
    await commit(['ai-side()', ...v1], 'side');
    repo.ok(['checkout', '-q', 'main']);
    await commit([...v1.slice(0, 3), ...v1.slice(4), 'ai-main()'], 'main drops human()');
    const h = fresh();
    await same(h, 'full');
    repo.ok(['merge', '-q', '--no-edit', 'side']);
    await same(h, 'range');
    // human() comes back through a side branch: git finds it in `one`, behind the cached commit, so no range answer holds.
    repo.ok(['checkout', '-q', '-b', 'side2', one]);
    await commit(['chat-side()', ...v1], 'side2');
    repo.ok(['checkout', '-q', 'main']);
    repo.ok(['merge', '-q', '--no-commit', '-s', 'ours', 'side2']);
    await repo.write('app.ts', `${['ai-side()', 'chat-side()', ...v1, 'ai-main()'].join('\n')}\n`);
    repo.ok(['commit', '-q', '-a', '-m', 'merged, human() kept']);
    await same(h, 'full');
  });

  it('a rename: follows what git blame does (or blames in full), never another answer', async () => {
    await commit(v1, 'one');
    const h = fresh();
    await same(h, 'full');
    repo.ok(['mv', 'app.ts', 'lib.ts']);
    repo.ok(['commit', '-q', '-m', 'rename']);
    await same(h, 'full', 'lib.ts');
    await commit(v2, 'two', 'lib.ts');
    await same(h, 'range', 'lib.ts');
    // A new app.ts where the old one was: its own history, not the renamed file's.
    await commit(['ai-new()'], 'new app', 'app.ts');
    await same(h, 'range', 'app.ts');
  });

  it('a note rewritten (a review) or fetched: the records joined again, without a new blame', async () => {
    const one = await commit(v1, 'one');
    await commit(v2, 'two');
    const h = fresh();
    await same(h, 'full');
    await note(one, 'app.ts', v1, { by: 'Rita Reviewer <rita@example.com>', at: 1_750_000_000_000 });
    await same(h, 'memory');
    assert.equal((await h.lines('app.ts')).lines[1].reviewed?.by, 'Rita Reviewer <rita@example.com>');
    await note(one, 'app.ts', v1, { by: 'Sam <sam@example.com>', at: 1_750_000_000_001 });
    await same(fresh(), 'disk');
    repo.ok(['update-ref', '-d', 'refs/notes/ai-provenance']);
    await same(h, 'memory');
  });

  it('a dirty buffer: git\'s own diff against HEAD on top of HEAD\'s history, as `blame --contents` gives', async () => {
    await commit(v1, 'one');
    await commit(v2, 'two');
    const h = fresh();
    const edits = [
      ['}', ...v2],
      [...v2.slice(0, 3), '}', '}', ...v2.slice(3)],
      ['import x', 'ai2()', '}', 'typed()', 'chat1()', '}', '}', 'ai3()', ''],
      v2.slice(2).join('\n'),
      '',
    ];
    await same(h, 'full', 'app.ts', `${v2.join('\n')}\n`);
    for (const e of edits) await same(h, 'memory', 'app.ts', typeof e === 'string' ? e : `${e.join('\n')}\n`);
    // A file not in HEAD: git's complaint, as before.
    await repo.write('new.ts', 'x\n');
    const why = await blameFile(repo.dir, 'new.ts', { contents: 'ai()\n' }).then(() => 'no complaint', (e: Error) => e.message);
    await assert.rejects(h.lines('new.ts', 'ai()\n'), (e: Error) => e.message === why);
  });

  it('stays within its bounds on disk', async () => {
    const h = new FileHistory(repo.paths, { diskFiles: 3 });
    for (let i = 0; i < 6; i++) {
      await commit([...v1, `ai${i}()`], `c${i}`);
      await same(h, i === 0 ? 'full' : 'range');
    }
    const dir = path.join(repo.paths.ledgerDir, HISTORY_DIR);
    assert.equal((await fs.readdir(dir)).length, 3);
    const small = new FileHistory(repo.paths, { diskFiles: 10, diskBytes: 1 });
    await commit([...v1, 'ai-last()'], 'last');
    await same(small, 'range');
    assert.equal((await fs.readdir(dir)).length, 1);
    assert.equal(repo.ok(['status', '--porcelain']), '');
  });

  it('blame.ignoreRevsFile set after caching (memory and disk) and its file then committed (a range step): the answer follows git blame', async () => {
    await commit(['a()', 'b()', ''], 'one');
    const fmt = await commit(['a( )', 'b( )', 'ai3()', ''], 'two (reformat)');
    const h = new FileHistory(repo.paths);
    await same(h, 'full');
    await repo.write('.ignore-revs', `${fmt}\n`);
    repo.ok(['config', 'blame.ignoreRevsFile', '.ignore-revs']);
    await same(h, 'full');
    await same(new FileHistory(repo.paths), 'full');
    repo.ok(['config', 'blame.markIgnoredLines', 'true']);
    await same(h, 'full', 'app.ts', 'a( )\nb( )\nai3()\nai4()\n');
    // The team commits the ignore file: HEAD moves, git blame now skips the reformat.
    repo.ok(['config', '--unset', 'blame.markIgnoredLines']);
    repo.ok(['config', 'blame.ignoreRevsFile', '.git-blame-ignore-revs']);
    await repo.write('.git-blame-ignore-revs', '');
    await commit(['a( )', 'b( )', 'ai3()', ''], 'empty ignore file');
    const h2 = new FileHistory(repo.paths);
    await same(h2, 'full');
    await repo.write('.git-blame-ignore-revs', `${fmt}\n`);
    repo.ok(['add', '-A']);
    repo.ok(['commit', '-q', '-m', 'ignore the reformat in blame']);
    await same(h2, 'full');
    // Without the config again, the cache is used again (a range on the commit cached before), and right.
    repo.ok(['config', '--unset', 'blame.ignoreRevsFile']);
    await same(h2, 'range');
    await same(h2, 'memory');
  });

  it('git replace of an ancestor: the answer follows git blame, the cache unused while a replace ref exists', async () => {
    const c1 = await commit(['human()', ''], 'one');
    await commit(['human()', 'ai1()', ''], 'two');
    const h = new FileHistory(repo.paths);
    await same(h, 'full');
    repo.ok(['checkout', '-q', '--detach', c1]);
    await repo.write('app.ts', 'human()\nai1()\n');
    repo.ok(['commit', '-q', '-am', 'alt']);
    const alt = repo.ok(['rev-parse', 'HEAD']).trim();
    repo.ok(['checkout', '-q', '-']);
    repo.ok(['replace', c1, alt]);
    await same(h, 'full');
    await same(new FileHistory(repo.paths), 'full');
    repo.ok(['pack-refs', '--all']);
    await same(h, 'full');
    repo.ok(['replace', '-d', c1]);
    await same(h, 'memory');
  });

  it('the notes ref deleted, written again and the old tip pruned: every commit joined again, no error', async () => {
    await commit(v1, 'one');
    const h = new FileHistory(repo.paths);
    await same(h, 'full');
    repo.ok(['update-ref', '-d', NOTES_REF]);
    await note(repo.ok(['rev-parse', 'HEAD']).trim(), 'app.ts', v1.map(() => 'human'));
    repo.ok(['reflog', 'expire', '--expire=now', '--all']);
    repo.ok(['gc', '-q', '--prune=now']);
    await same(new FileHistory(repo.paths), 'disk');
    await same(h, 'memory');
  });

  it('an immutable cache folder holding a file that does not decode: computed, never an error', async function () {
    await commit(v1, 'one');
    await same(new FileHistory(repo.paths), 'full');
    const dir = path.join(repo.paths.ledgerDir, HISTORY_DIR);
    const [f] = (await fs.readdir(dir)).filter((n) => n.endsWith('.json'));
    await fs.writeFile(path.join(dir, f), '{"v":1,"trunc');
    if (spawnSync('chattr', ['+i', dir]).status !== 0) this.skip(); // chattr missing or the file system has no immutable flag
    try {
      await same(new FileHistory(repo.paths), 'full');
    } finally {
      spawnSync('chattr', ['-i', dir]);
    }
  });

  it('a cache file with fewer (or more) rows than the file has lines is rebuilt', async () => {
    await commit(v1, 'one');
    await same(new FileHistory(repo.paths), 'full');
    const dir = path.join(repo.paths.ledgerDir, HISTORY_DIR);
    const [f] = await fs.readdir(dir);
    const e = JSON.parse(await fs.readFile(path.join(dir, f), 'utf8')) as { rows: number[] };
    const rows = e.rows;
    await fs.writeFile(path.join(dir, f), JSON.stringify({ ...e, rows: rows.slice(0, 5) }));
    await same(new FileHistory(repo.paths), 'full');
    await fs.writeFile(path.join(dir, f), JSON.stringify({ ...e, rows: [...rows, ...rows.slice(0, 5)] }));
    await same(new FileHistory(repo.paths), 'full');
    await same(new FileHistory(repo.paths), 'disk');
  });
});
