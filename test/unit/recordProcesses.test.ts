import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CLI_PATH, GIT_TEST_ENV, useTempRepo, writeTracked } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';
import { countGitStarts, gitSubcommands } from './helpers/gitCount';
import { AI, AI_LINE, base, forgetLedger, lines, record } from './helpers/records';

/**
 * `post-rewrite` after a rebase starts as many git processes for 2 rewritten
 * commits as for 7 (issue 11): all diffs in one `diff-tree --stdin`, all
 * blobs, records and carried texts in a few `cat-file --batch`, all records
 * in one notes commit. Counted by a `git` first on PATH (helpers/gitCount).
 */
describe('post-rewrite: git processes do not grow with the number of rewritten commits', function () {
  this.timeout(300_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  /**
   * Rebases the last `n` commits, every second one squashed into the one
   * before, every commit rewritten (`--no-ff`); only a list-keeping
   * post-rewrite runs, so the list is what git gives our hook.
   */
  function rebaseSquashing(n: number): string {
    const keep = path.join(repo.paths.gitDir, `keep-list-${n}`);
    mkdirSync(keep);
    const list = path.join(keep, 'list');
    writeFileSync(path.join(keep, 'post-rewrite'), `#!/bin/sh\n[ "$1" = rebase ] && cat > '${list}'\nexit 0\n`, { mode: 0o755 });
    const editor = path.join(keep, 'squash-every-second.sh');
    writeFileSync(editor, `#!/bin/sh\nawk '/^pick / && (++n % 2) == 0 { sub(/^pick/, "squash") } { print }' "$1" > "$1.new" && mv "$1.new" "$1"\n`, { mode: 0o755 });
    repo.ok(['-c', `core.hooksPath=${keep}`, 'rebase', '-q', '-i', '--no-ff', `HEAD~${n}`], { GIT_SEQUENCE_EDITOR: editor });
    return readFileSync(list, 'utf8');
  }

  /** Runs the CLI's post-rewrite as git would, with this list on its standard input; the git starts. */
  function postRewrite(list: string): string[] {
    return countGitStarts(repo.dir, (env) => {
      const r = spawnSync(process.execPath, [CLI_PATH, 'post-rewrite', 'rebase'], { cwd: repo.dir, input: list, encoding: 'utf8', env: { ...process.env, ...GIT_TEST_ENV, ...env } });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
    });
  }

  it('the same git starts for 2 rewritten commits (one squash) as for 7 (three squashes), each squash recorded with both commits\' AI lines', async () => {
    await base(repo);
    for (let i = 1; i <= 9; i++) {
      await writeTracked(repo, `f${i}.ts`, lines(`f${i}_`, 2, AI));
      repo.ok(['add', '.']);
      repo.ok(['commit', '-q', '-m', `f${i}`]);
    }
    // Only the records know the lines now.
    await forgetLedger(repo);

    const small = rebaseSquashing(2);
    assert.equal(small.trim().split('\n').length, 2);
    const fewer = postRewrite(small);
    assert.deepEqual(record(repo), [`f8.ts 1-2 ${AI_LINE}`, `f9.ts 1-2 ${AI_LINE}`]);

    const large = rebaseSquashing(7);
    assert.equal(large.trim().split('\n').length, 7);
    const more = postRewrite(large);
    // f2 f3 | f4 f5 | f6 f7 | (f8 f9): seven commits rewritten into four.
    assert.deepEqual(record(repo), [`f8.ts 1-2 ${AI_LINE}`, `f9.ts 1-2 ${AI_LINE}`]);
    assert.deepEqual(record(repo, 'HEAD~1'), [`f6.ts 1-2 ${AI_LINE}`, `f7.ts 1-2 ${AI_LINE}`]);
    assert.deepEqual(record(repo, 'HEAD~2'), [`f4.ts 1-2 ${AI_LINE}`, `f5.ts 1-2 ${AI_LINE}`]);
    assert.deepEqual(record(repo, 'HEAD~3'), [`f2.ts 1-2 ${AI_LINE}`, `f3.ts 1-2 ${AI_LINE}`]);
    assert.deepEqual(record(repo, 'HEAD~4'), [`f1.ts 1-2 ${AI_LINE}`]);

    assert.deepEqual(gitSubcommands(more), gitSubcommands(fewer), `2 commits:\n${fewer.join('\n')}\n7 commits:\n${more.join('\n')}`);
    assert.ok(fewer.length <= 10, `${fewer.length} git processes:\n${fewer.join('\n')}`);
  });
});
