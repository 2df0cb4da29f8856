import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Evidence } from '../../src/core/origin';
import { cli, ev, useTempRepo, writeTracked } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';
import { AI, AI_LINE, base, counts, forgetLedger, lines, record } from './helpers/records';


/** A commit of `n` AI lines in `file` (appended to what it had). */
async function aiCommit(repo: TempRepo, file: string, before: Array<[string, Evidence | null]>, add: Array<[string, Evidence | null]>, msg: string): Promise<void> {
  await writeTracked(repo, file, [...before, ...add]);
  repo.ok(['add', '.']);
  repo.ok(['commit', '-q', '-m', msg]);
}

/**
 * `topic` adds 2 AI lines under `top` in a.ts; `main` then rewrites a.ts as
 * `mainText` (lines above `top`). Ends on main, the ledger forgotten.
 */
async function topicBehindMain(repo: TempRepo, mainText: string): Promise<void> {
  await base(repo);
  await repo.write('a.ts', 'top\n');
  repo.ok(['add', '.']);
  repo.ok(['commit', '-q', '-m', 'a']);
  repo.ok(['checkout', '-q', '-b', 'topic']);
  await aiCommit(repo, 'a.ts', [['top', null]], lines('ai', 2, AI), 'ai');
  repo.ok(['checkout', '-q', 'main']);
  await repo.write('a.ts', mainText);
  repo.ok(['add', '.']);
  repo.ok(['commit', '-q', '-m', 'main moves']);
  await forgetLedger(repo);
}

describe('record: written at commit time, carried through rewrites', function () {
  this.timeout(120_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('a commit: the record names the lines, and the trailer is its counts', async () => {
    await base(repo);
    await writeTracked(repo, 'a.ts', [['typed()', ev('typed')], ['ai()', ev('ai-chat', 'claude-code:claude-opus-4-5')], ['', null], ['ai2()', AI]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'work']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-completion=1 ai-chat=1']);
    assert.deepEqual(record(repo), ['a.ts 1 human', 'a.ts 2 ai origin=ai-chat conf=certain tool=claude-code model=claude-opus-4-5', `a.ts 4 ${AI_LINE}`]);
    assert.equal(cli(repo.dir, ['verify', 'HEAD~1..HEAD']).status, 0);
  });

  for (const form of [['--amend', '-m', 'reworded'], ['--amend', '--no-edit'], ['--amend', '-C', 'HEAD'], ['--amend'], ['--amend', '-F', 'MSG']]) {
    it(`commit ${form.join(' ')} of a commit of 4 AI lines keeps lines=4 ai=4`, async () => {
      await base(repo);
      await aiCommit(repo, 'a.ts', [], lines('ai', 4, AI), 'four');
      await forgetLedger(repo);
      await repo.write('MSG', 'from a file\n');
      repo.ok(['commit', '-q', ...form.map((a) => (a === 'MSG' ? path.join(repo.dir, 'MSG') : a))]);
      assert.deepEqual(repo.trailers(), [counts(4)]);
      assert.deepEqual(record(repo), [`a.ts 1-4 ${AI_LINE}`]);
    });
  }

  it('an amend with new staged lines counts both', async () => {
    await base(repo);
    await aiCommit(repo, 'a.ts', [], lines('ai', 4, AI), 'four');
    await writeTracked(repo, 'a.ts', [...lines('ai', 4, AI), ...lines('typed', 2, ev('typed'))]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '--amend', '-m', 'six']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=6 ai=4 mixed=0 human=2 unknown=0 ai-completion=4']);
    assert.deepEqual(record(repo), [`a.ts 1-4 ${AI_LINE}`, 'a.ts 5-6 human']);
  });

  it('commit -C HEAD makes a new commit: only its own 3 AI lines', async () => {
    await base(repo);
    await aiCommit(repo, 'a.ts', [], lines('old', 2, AI), 'two');
    await writeTracked(repo, 'b.ts', lines('new', 3, AI));
    repo.ok(['add', 'b.ts']);
    repo.ok(['commit', '-q', '-C', 'HEAD']);
    assert.equal(repo.ok(['rev-list', '--count', 'HEAD']).trim(), '3');
    assert.deepEqual(repo.trailers(), [counts(3)]);
    assert.deepEqual(record(repo), [`b.ts 1-3 ${AI_LINE}`]);
  });

  it('rebase -i squash of 4 AI + 2 unknown lines: one trailer, lines=6 ai=4 unknown=2', async () => {
    await base(repo);
    await aiCommit(repo, 'a.ts', [], lines('ai', 4, AI), 'four');
    await repo.write('a.ts', `${lines('ai', 4, null).map(([l]) => l).join('\n')}\nu1()\nu2()\n`);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'two more']);
    await forgetLedger(repo);
    repo.ok(['rebase', '-q', '-i', 'HEAD~2'], { GIT_SEQUENCE_EDITOR: "sed -i -e '2s/^pick/squash/'" });
    assert.equal(repo.ok(['rev-list', '--count', 'HEAD']).trim(), '2');
    assert.deepEqual(repo.trailers(), [counts(4, 2)]);
    assert.equal(repo.message().match(/AI-Provenance:/g)?.length, 1);
    assert.deepEqual(record(repo), [`a.ts 1-4 ${AI_LINE}`, 'a.ts 5-6 unknown']);
  });

  it('--fixup + rebase --autosquash (4 + 3 AI lines): lines=7 ai=7', async () => {
    await base(repo);
    await aiCommit(repo, 'a.ts', [], lines('ai', 4, AI), 'four');
    const target = repo.ok(['rev-parse', 'HEAD']).trim();
    await aiCommit(repo, 'b.ts', [], lines('other', 1, ev('typed')), 'other');
    await writeTracked(repo, 'a.ts', [...lines('ai', 4, AI), ...lines('more', 3, AI)]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '--fixup', target]);
    await forgetLedger(repo);
    repo.ok(['rebase', '-q', '-i', '--autosquash', 'HEAD~3'], { GIT_SEQUENCE_EDITOR: 'true' });
    assert.deepEqual(repo.trailers('HEAD~1'), [counts(7)]);
    assert.deepEqual(record(repo, 'HEAD~1'), [`a.ts 1-7 ${AI_LINE}`]);
    assert.deepEqual(record(repo), ['b.ts 1 human']);
  });

  it('rebase -i edit stop, 10 AI lines amended in: lines=14', async () => {
    await base(repo);
    await aiCommit(repo, 'a.ts', [], lines('ai', 4, AI), 'four');
    await aiCommit(repo, 'b.ts', [], lines('b', 1, AI), 'b');
    repo.ok(['rebase', '-q', '-i', 'HEAD~2'], { GIT_SEQUENCE_EDITOR: "sed -i -e '1s/^pick/edit/'" });
    await forgetLedger(repo);
    await writeTracked(repo, 'a.ts', [...lines('ai', 4, null), ...lines('ten', 10, AI)]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '--amend', '--no-edit']);
    repo.ok(['rebase', '--continue']);
    assert.deepEqual(repo.trailers('HEAD~1'), [counts(14)]);
    assert.deepEqual(record(repo, 'HEAD~1'), [`a.ts 1-14 ${AI_LINE}`]);
    assert.deepEqual(record(repo), [`b.ts 1 ${AI_LINE}`]);
  });

  it('rebase onto a moved main (with --exec): ranges follow the lines', async () => {
    await topicBehindMain(repo, 'header1\nheader2\ntop\n');
    repo.ok(['checkout', '-q', 'topic']);
    repo.ok(['rebase', '-q', '--exec', 'true', 'main']);
    assert.equal(await fs.readFile(path.join(repo.dir, 'a.ts'), 'utf8'), 'header1\nheader2\ntop\nai1()\nai2()\n');
    assert.deepEqual(repo.trailers(), [counts(2)]);
    assert.deepEqual(record(repo), [`a.ts 4-5 ${AI_LINE}`]);
    assert.equal(cli(repo.dir, ['verify', 'main..HEAD']).status, 0);
  });

  it('cherry-pick (with -x) carries the record to the new place', async () => {
    await topicBehindMain(repo, 'header\ntop\n');
    repo.ok(['cherry-pick', '-x', 'topic']);
    assert.deepEqual(repo.trailers(), [counts(2)]);
    assert.deepEqual(record(repo), [`a.ts 3-4 ${AI_LINE}`]);
  });

  it('a merge finished with commit -m after a conflict: no count of the merged branch, the resolution counted', async () => {
    await base(repo);
    await repo.write('c.ts', 'start\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'c']);
    repo.ok(['checkout', '-q', '-b', 'side']);
    await aiCommit(repo, 'side.ts', [], lines('side', 20, AI), 'side 20');
    await repo.write('c.ts', 'side\n');
    repo.ok(['commit', '-q', '-am', 'side c']);
    repo.ok(['checkout', '-q', 'main']);
    await repo.write('c.ts', 'main\n');
    repo.ok(['commit', '-q', '-am', 'main c']);
    assert.notEqual(repo.git(['merge', '-q', 'side']).status, 0);
    await writeTracked(repo, 'c.ts', [['resolved()', AI]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'merge side']);
    assert.equal(repo.ok(['log', '-1', '--format=%P']).trim().split(' ').length, 2);
    assert.deepEqual(repo.trailers(), [counts(1)]);
    assert.deepEqual(record(repo), [`c.ts 1 ${AI_LINE}`]);
    // An amend of the merge: the same.
    repo.ok(['commit', '-q', '--amend', '-m', 'merge side, reworded']);
    assert.deepEqual(repo.trailers(), [counts(1)]);
    assert.deepEqual(record(repo), [`c.ts 1 ${AI_LINE}`]);
  });

  it('a clean merge keeps its message; post-merge records no lines of the merged branch', async () => {
    await base(repo);
    repo.ok(['checkout', '-q', '-b', 'side']);
    await aiCommit(repo, 'side.ts', [], lines('side', 3, AI), 'side');
    repo.ok(['checkout', '-q', 'main']);
    await aiCommit(repo, 'main.ts', [], lines('main', 1, AI), 'main');
    repo.ok(['merge', '-q', '--no-ff', '--no-edit', 'side']);
    assert.deepEqual(repo.trailers(), []);
    assert.deepEqual(record(repo), []);
  });

  it('merge --squash then commit: the union of the squashed commits’ records', async () => {
    await base(repo);
    repo.ok(['checkout', '-q', '-b', 'topic']);
    await aiCommit(repo, 'a.ts', [], lines('ai', 2, AI), 'one');
    await aiCommit(repo, 'b.ts', [], lines('chat', 3, ev('ai-chat')), 'two');
    repo.ok(['checkout', '-q', 'main']);
    await forgetLedger(repo);
    repo.ok(['merge', '-q', '--squash', 'topic']);
    repo.ok(['commit', '-q', '-m', 'squashed']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=5 ai=5 mixed=0 human=0 unknown=0 ai-completion=2 ai-chat=3']);
    assert.deepEqual(record(repo), [`a.ts 1-2 ${AI_LINE}`, 'b.ts 1-3 ai origin=ai-chat conf=certain']);
  });

  it('verify names a commit whose trailer disagrees with its record', async () => {
    await base(repo);
    await aiCommit(repo, 'a.ts', [], lines('ai', 2, AI), 'two');
    repo.ok(['notes', '--ref=ai-provenance', 'add', '-f', '-m', 'ai-provenance v1\na.ts 1 ai origin=ai-completion conf=certain', 'HEAD']);
    const r = cli(repo.dir, ['verify', 'HEAD~1..HEAD']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /trailer says "v=1 lines=2 .*", record says "v=1 lines=1 /);
    assert.match(r.stdout, /record lines differ from the commit's own diff \(2 added lines\)/);
  });
});
