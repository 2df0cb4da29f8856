import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, run, useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';

/**
 * `report <range> --lines` starts as many git processes whatever the number
 * of commits in the range (issue 12): counted by a `git` first on PATH that
 * logs each start and runs the real one. A count, not a timing.
 */
describe('report --lines: git processes do not grow with the number of commits', function () {
  this.timeout(300_000);
  let repo!: TempRepo;
  let shim!: string;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });
  beforeEach(() => (shim = mkdtempSync(path.join(os.tmpdir(), 'git-count-'))));
  afterEach(() => rmSync(shim, { recursive: true, force: true }));

  /** Runs the CLI with the counting git; the git subcommands it started, in order. */
  function countedRun(args: readonly string[]): string[] {
    const real = run('sh', ['-c', 'command -v git'], repo.dir).stdout.trim();
    const log = path.join(shim, 'starts.log');
    writeFileSync(path.join(shim, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    writeFileSync(log, '');
    const r = cli(repo.dir, args, { PATH: `${shim}${path.delimiter}${process.env.PATH ?? ''}` });
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
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
    const sub = (starts: readonly string[]): string[] => starts.map((s) => s.split(' ').find((w) => !w.startsWith('-') && !w.includes('=')) ?? s).sort();
    assert.deepEqual(sub(large), sub(small), `2 commits:\n${small.join('\n')}\n6 commits:\n${large.join('\n')}`);
    assert.equal(large.length, small.length);
  });
});
