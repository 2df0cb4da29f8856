import { strict as assert } from 'node:assert';
import { countGitStarts, gitSubcommands } from './helpers/gitCount';
import { cli, useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';

/**
 * `report <range> --lines` starts as many git processes whatever the number
 * of commits in the range (issue 12): counted by a `git` first on PATH that
 * logs each start and runs the real one. A count, not a timing.
 */
describe('report --lines: git processes do not grow with the number of commits', function () {
  this.timeout(300_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  /** Runs the CLI with the counting git; the git processes it started, in order. */
  function countedRun(args: readonly string[]): string[] {
    return countGitStarts(repo.dir, (env) => {
      const r = cli(repo.dir, args, env);
      assert.equal(r.status, 0, r.stderr);
    });
  }

  it('the same count for a range of 2 commits and one of 6, every commit with a trailer checked against its diff', async () => {
    await repo.write('a.txt', 'start\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    for (let i = 1; i <= 6; i++) {
      await repo.write('a.txt', `start\n${Array.from({ length: i }, (_, k) => `line ${k}`).join('\n')}\n`);
      await repo.write(`b${i % 2}.txt`, `b ${i}\n`);
      repo.ok(['add', '.']);
      repo.ok(['commit', '-q', '-m', `change ${i}`]);
    }
    // Every commit of the ranges carries a trailer, so each is checked.
    for (let i = 0; i < 6; i++) assert.equal(repo.trailers(`HEAD~${i}`).length, 1);
    const small = countedRun(['report', 'HEAD~2..HEAD', '--lines', '--json']);
    const large = countedRun(['report', 'HEAD~6..HEAD', '--lines', '--json']);
    // Sorted: the report starts some of them side by side, in whatever order.
    const sub = (starts: readonly string[]): string[] => gitSubcommands(starts).sort();
    assert.deepEqual(sub(large), sub(small), `2 commits:\n${small.join('\n')}\n6 commits:\n${large.join('\n')}`);
    assert.equal(large.length, small.length);
  });
});
