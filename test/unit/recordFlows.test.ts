import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Evidence } from '../../src/core/origin';
import { cli, CLI_PATH, GIT_TEST_ENV, useTempRepo, writeTracked } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';
import { AI, AI_LINE, base, counts, forgetLedger, lines, record } from './helpers/records';

async function aiCommit(repo: TempRepo, file: string, add: Array<[string, Evidence | null]>, msg: string, before: Array<[string, Evidence | null]> = []): Promise<string> {
  await writeTracked(repo, file, [...before, ...add]);
  repo.ok(['add', '.']);
  repo.ok(['commit', '-q', '-m', msg]);
  return repo.ok(['rev-parse', 'HEAD']).trim();
}

/** Three commits on `topic` (a.ts 2 AI, b.ts 3 AI, c.ts 1 AI) from `base`; main gets a `main.txt` commit. Ends on main, ledger forgotten. */
async function threeOnTopic(repo: TempRepo): Promise<string[]> {
  await base(repo);
  repo.ok(['checkout', '-q', '-b', 'topic']);
  const a = await aiCommit(repo, 'a.ts', lines('a', 2, AI), 'a');
  const b = await aiCommit(repo, 'b.ts', lines('b', 3, AI), 'b');
  const c = await aiCommit(repo, 'c.ts', lines('c', 1, AI), 'c');
  repo.ok(['checkout', '-q', 'main']);
  await repo.write('main.txt', 'main\n');
  repo.ok(['add', '.']);
  repo.ok(['commit', '-q', '-m', 'main moves']);
  await forgetLedger(repo);
  return [a, b, c];
}

/** a.ts: 1 shared line, then topic adds 2 AI lines at the end while main changes line 1 → a conflict when both touch the end. */
async function conflictingTopic(repo: TempRepo): Promise<void> {
  await base(repo);
  await repo.write('a.ts', 'top\n');
  repo.ok(['add', '.']);
  repo.ok(['commit', '-q', '-m', 'a']);
  repo.ok(['checkout', '-q', '-b', 'topic']);
  await aiCommit(repo, 'a.ts', lines('ai', 2, AI), 'ai on a', [['top', null]]);
  await aiCommit(repo, 'b.ts', lines('b', 3, AI), 'b');
  repo.ok(['checkout', '-q', 'main']);
  await repo.write('a.ts', 'top\nmain()\n');
  repo.ok(['commit', '-q', '-am', 'main a']);
  await forgetLedger(repo);
}

/** Resolves a.ts as main's line, then topic's 2 AI lines (text unchanged, so carried). */
async function resolveA(repo: TempRepo): Promise<void> {
  await repo.write('a.ts', 'top\nmain()\nai1()\nai2()\n');
  repo.ok(['add', 'a.ts']);
}

describe('record: more rewrite flows, against real repositories', function () {
  this.timeout(120_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('rebase -i reword keeps the record and the trailer', async () => {
    await base(repo);
    await aiCommit(repo, 'a.ts', lines('ai', 4, AI), 'four');
    await aiCommit(repo, 'b.ts', lines('b', 1, AI), 'b');
    await forgetLedger(repo);
    repo.ok(['rebase', '-q', '-i', 'HEAD~2'], { GIT_SEQUENCE_EDITOR: "sed -i -e '1s/^pick/reword/'", GIT_EDITOR: "sed -i -e '1s/.*/four, reworded/'" });
    assert.equal(repo.ok(['log', '-1', '--format=%s', 'HEAD~1']).trim(), 'four, reworded');
    assert.deepEqual(repo.trailers('HEAD~1'), [counts(4)]);
    assert.deepEqual(record(repo, 'HEAD~1'), [`a.ts 1-4 ${AI_LINE}`]);
    assert.deepEqual(record(repo), [`b.ts 1 ${AI_LINE}`]);
  });

  it('rebase -i stopping on a conflict, then --continue, with a squash in the same rebase', async () => {
    await conflictingTopic(repo);
    repo.ok(['checkout', '-q', 'topic']);
    const r = repo.git(['rebase', '-q', '-i', 'main'], { GIT_SEQUENCE_EDITOR: "sed -i -e '2s/^pick/squash/'" });
    assert.notEqual(r.status, 0);
    await resolveA(repo);
    repo.ok(['rebase', '--continue']);
    assert.equal(repo.ok(['rev-list', '--count', 'main..HEAD']).trim(), '1');
    assert.equal(repo.message().match(/AI-Provenance:/g)?.length ?? 0, 1);
    assert.deepEqual(record(repo), [`a.ts 3-4 ${AI_LINE}`, `b.ts 1-3 ${AI_LINE}`]);
  });

  it('rebase --apply carries each record', async () => {
    const [, , c] = await threeOnTopic(repo);
    repo.ok(['checkout', '-q', 'topic']);
    repo.ok(['rebase', '-q', '--apply', 'main']);
    assert.notEqual(repo.ok(['rev-parse', 'HEAD']).trim(), c);
    assert.deepEqual(record(repo, 'HEAD~2'), [`a.ts 1-2 ${AI_LINE}`]);
    assert.deepEqual(record(repo, 'HEAD~1'), [`b.ts 1-3 ${AI_LINE}`]);
    assert.deepEqual(record(repo), [`c.ts 1 ${AI_LINE}`]);
    assert.deepEqual(repo.trailers(), [counts(1)]);
  });

  it('rebase --apply stopping on a conflict, then --continue', async () => {
    await conflictingTopic(repo);
    repo.ok(['checkout', '-q', 'topic']);
    assert.notEqual(repo.git(['rebase', '-q', '--apply', 'main']).status, 0);
    await resolveA(repo);
    repo.ok(['rebase', '--continue']);
    assert.deepEqual(record(repo, 'HEAD~1'), [`a.ts 3-4 ${AI_LINE}`]);
    assert.deepEqual(record(repo), [`b.ts 1-3 ${AI_LINE}`]);
  });

  it('cherry-pick A B C in one command, and a range A..C', async () => {
    const [a, b, c] = await threeOnTopic(repo);
    repo.ok(['cherry-pick', a, b, c]);
    assert.deepEqual(record(repo, 'HEAD~2'), [`a.ts 1-2 ${AI_LINE}`]);
    assert.deepEqual(record(repo, 'HEAD~1'), [`b.ts 1-3 ${AI_LINE}`]);
    assert.deepEqual(record(repo), [`c.ts 1 ${AI_LINE}`]);
    repo.ok(['reset', '-q', '--hard', 'HEAD~3']);
    repo.ok(['cherry-pick', `${a}..${c}`]);
    assert.equal(repo.ok(['log', '-1', '--format=%s', 'HEAD~1']).trim(), 'b');
    assert.deepEqual(record(repo, 'HEAD~1'), [`b.ts 1-3 ${AI_LINE}`]);
    assert.deepEqual(record(repo), [`c.ts 1 ${AI_LINE}`]);
  });

  for (const finish of [['cherry-pick', '--continue'], ['commit', '-q', '--no-edit']]) {
    it(`cherry-pick stopping on a conflict, then ${finish.join(' ')}`, async () => {
      await conflictingTopic(repo);
      assert.notEqual(repo.git(['cherry-pick', 'topic~1']).status, 0);
      await resolveA(repo);
      repo.ok(finish);
      assert.equal(repo.ok(['log', '-1', '--format=%s']).trim(), 'ai on a');
      assert.deepEqual(repo.trailers(), [counts(2)]);
      assert.deepEqual(record(repo), [`a.ts 3-4 ${AI_LINE}`]);
    });
  }

  it('cherry-pick -n then commit: git leaves no trace of the picked commit, so its lines are unknown, never guessed', async () => {
    const [, b] = await threeOnTopic(repo);
    repo.ok(['cherry-pick', '-n', b]);
    repo.ok(['commit', '-q', '-m', 'took b']);
    assert.deepEqual(repo.trailers(), [counts(0, 3)]);
    assert.deepEqual(record(repo), ['b.ts 1-3 unknown']);
  });

  it('revert: a revert that only removes lines has an empty record', async () => {
    await base(repo);
    await aiCommit(repo, 'a.ts', lines('ai', 2, AI), 'two');
    repo.ok(['revert', '--no-edit', 'HEAD']);
    assert.deepEqual(record(repo), []);
    assert.deepEqual(repo.trailers(), ['v=1 lines=0 ai=0 mixed=0 human=0 unknown=0']);
  });

  it('commit -c <rev> makes a new commit: only its own lines', async () => {
    await base(repo);
    const old = await aiCommit(repo, 'a.ts', lines('old', 2, AI), 'two');
    await writeTracked(repo, 'b.ts', lines('new', 3, AI));
    repo.ok(['add', 'b.ts']);
    repo.ok(['commit', '-q', '-c', old]);
    assert.equal(repo.ok(['rev-list', '--count', 'HEAD']).trim(), '3');
    assert.deepEqual(repo.trailers(), [counts(3)]);
    assert.deepEqual(record(repo), [`b.ts 1-3 ${AI_LINE}`]);
  });

  describe('post-commit in the background (the default outside tests)', () => {
    const BG = { AI_PROVENANCE_HOOK_FOREGROUND: '' };

    /** Waits until no background post-commit holds a claim (what readers of a record do too). */
    async function settled(): Promise<void> {
      const start = Date.now();
      while ((await fs.readdir(repo.paths.ledgerDir).catch((): string[] => [])).some((n) => n.startsWith('post-commit-'))) {
        if (Date.now() - start > 20_000) throw new Error('a background post-commit did not finish');
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it('commit, then at once commit --amend -m: the amend waits for the record and carries it; verify agrees', async () => {
      await base(repo);
      await writeTracked(repo, 'a.ts', lines('ai', 4, AI));
      repo.ok(['add', '.']);
      repo.ok(['commit', '-q', '-m', 'four'], BG);
      await forgetLedger(repo);
      repo.ok(['commit', '-q', '--amend', '-m', 'reworded'], BG);
      assert.deepEqual(repo.trailers(), [counts(4)]);
      assert.equal(cli(repo.dir, ['verify', 'HEAD~1..HEAD'], BG).status, 0);
      await settled();
      assert.deepEqual(record(repo), [`a.ts 1-4 ${AI_LINE}`]);
      assert.equal(await fs.readFile(path.join(repo.paths.ledgerDir, 'post-commit.log'), 'utf8').catch(() => ''), '');
    });

    it('ten commits in a row: every record written, none lost', async () => {
      await base(repo);
      const shas: string[] = [];
      for (let i = 0; i < 10; i++) {
        await writeTracked(repo, `f${i}.ts`, lines(`x${i}_`, 1, AI));
        repo.ok(['add', '.']);
        repo.ok(['commit', '-q', '-m', `c${i}`], BG);
        shas.push(repo.ok(['rev-parse', 'HEAD']).trim());
      }
      await settled();
      for (let i = 0; i < 10; i++) assert.deepEqual(record(repo, shas[i]), [`f${i}.ts 1 ${AI_LINE}`], `record of c${i}`);
    });
  });

  it('four writers at once (post-rewrite runs in parallel): no record is lost', async () => {
    await base(repo);
    const shas: string[] = [];
    for (let i = 0; i < 4; i++) shas.push(await aiCommit(repo, `f${i}.ts`, lines(`x${i}_`, 1, AI), `c${i}`));
    repo.ok(['notes', '--ref=ai-provenance', 'remove', ...shas]);
    const runHook = (sha: string): Promise<number | null> =>
      new Promise((resolve) => {
        const p = spawn(process.execPath, [CLI_PATH, 'post-rewrite', 'rebase'], { cwd: repo.dir, env: { ...process.env, ...GIT_TEST_ENV }, stdio: ['pipe', 'ignore', 'inherit'] });
        p.stdin.end(`${sha} ${sha}\n`);
        p.on('exit', resolve);
      });
    await Promise.all(shas.map(runHook));
    for (let i = 0; i < 4; i++) assert.deepEqual(record(repo, shas[i]), [`f${i}.ts 1 ${AI_LINE}`], `record of c${i}`);
  });
});
