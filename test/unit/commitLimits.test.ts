import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stagedAttribution } from '../../src/node/commit/staged';
import { cli, useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';

/**
 * The limits of the commit side (issue 10, second round), each against a real
 * temporary repository with the real hooks and the built CLI: what git counts
 * is what the trailer counts, whatever the size or shape of a file.
 */

/** Non-blank lines only, so git's numstat (which counts blank lines too) is the exact expectation. */
function numbered(prefix: string, n: number, width = 0): string {
  let out = '';
  for (let i = 0; i < n; i++) out += `${prefix} ${String(i).padStart(width, '0')}\n`;
  return out;
}

/** What git itself says the staged change adds, text files only (binary files are `-`). */
function gitAddedCount(repo: TempRepo): number {
  let sum = 0;
  for (const line of repo.ok(['diff', '--cached', '--numstat']).split('\n')) {
    const [added] = line.split('\t');
    if (/^\d+$/.test(added)) sum += Number(added);
  }
  return sum;
}

describe('limits: huge files and diffs that give up count what git counts', function () {
  this.timeout(300_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('counts a file over 8 MB, a very long line and a reversed file as git does, and no binary file', async () => {
    // 9.6 MB: over the size below which lines are diffed in process.
    const big = numbered('a line of a big generated file', 300_000, 6);
    await repo.write('big.txt', big);
    await repo.write('bin.dat', Buffer.from([0, 1, 2, 3, 10, 0, 255, 10]));
    await repo.write('long.txt', `${'x'.repeat(3_000_000)}\nshort\n`);
    await repo.write('rev.txt', numbered('row', 20_000, 5));
    repo.ok(['add', '.']);
    repo.ok(['-c', `core.hooksPath=${os.devNull}`, 'commit', '-q', '-m', 'base']);

    // Every 1,000th line of the big file changed, 50 appended; a binary change;
    // the long line changed; a reversal (far more edits than jsdiff is given).
    const bigLines = big.split('\n');
    for (let i = 0; i < bigLines.length - 1; i += 1_000) bigLines[i] = `changed ${i}`;
    await repo.write('big.txt', bigLines.join('\n') + numbered('appended', 50));
    await repo.write('bin.dat', Buffer.from([0, 9, 9, 9, 10, 0, 255, 10, 7]));
    await repo.write('long.txt', `${'y'.repeat(3_000_000)}\nshort\nand one more\n`);
    await repo.write('rev.txt', numbered('row', 20_000, 5).split('\n').slice(0, -1).reverse().join('\n') + '\n');
    // A new file over 8 MB: every line is added.
    await repo.write('new-big.txt', numbered('new big', 250_000, 6));
    repo.ok(['add', '.']);
    const expected = gitAddedCount(repo);
    assert.ok(expected > 250_000, `git counts ${expected}`);

    // The counting itself, given all the time it needs.
    const { total } = await stagedAttribution(repo.paths);
    assert.equal(total.lines, expected);
    assert.equal(total.unknown, expected);
    // The hook: the same count, or (on a loaded machine, past its budget) no trailer and stderr saying so; never another count.
    const r = repo.git(['commit', '-q', '-m', 'huge and odd']);
    assert.equal(r.status, 0, r.stderr);
    const trailers = repo.trailers();
    if (trailers.length === 0) assert.match(r.stderr, /commit message left unchanged/);
    else {
      assert.deepEqual(trailers, [`v=1 lines=${expected} ai=0 mixed=0 human=0 unknown=${expected}`], r.stderr);
      // report recounts the commit the same way: the trailer is consistent.
      const rep = cli(repo.dir, ['report', 'HEAD~1..HEAD', '--require-trailer', '--json']);
      assert.equal(rep.status, 0, rep.stderr);
      assert.equal((JSON.parse(rep.stdout) as { commits: Array<{ status: string }> }).commits[0].status, 'ok');
    }
  });

  it('counts a diff with more edits than the in-process diff takes as git does, however the user configured diff', async () => {
    // Every other line changed: 5,000 edits a file, jsdiff gives up; git decides.
    const lines = (f: number, changed: boolean): string =>
      Array.from({ length: 5000 }, (_, i) => (changed && i % 2 === 1 ? `changed ${f} ${i}` : `line ${f} ${i}`)).join('\n') + '\n';
    for (let f = 0; f < 3; f++) await repo.write(`f${f}.txt`, lines(f, false));
    repo.ok(['add', '.']);
    repo.ok(['-c', `core.hooksPath=${os.devNull}`, 'commit', '-q', '-m', 'base']);
    for (let f = 0; f < 3; f++) await repo.write(`f${f}.txt`, lines(f, true));
    repo.ok(['add', '.']);
    const expected = gitAddedCount(repo);
    assert.equal(expected, 7_500);
    // The user's diff settings do not change what is counted.
    repo.ok(['config', 'diff.algorithm', 'patience']);
    repo.ok(['config', 'diff.external', 'false']);
    const r = repo.git(['commit', '-q', '-m', 'every other line']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(repo.trailers(), [`v=1 lines=${expected} ai=0 mixed=0 human=0 unknown=${expected}`], r.stderr);
  });
});

describe('limits: the watchdog ends a hook whose main thread is stuck', function () {
  this.timeout(180_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('commits within the budget, the message untouched, when a synchronous read never returns', async () => {
    // A file system that hangs (a dead network mount, say): the hook's one
    // synchronous open, of its settings beside the ledger, blocks the main
    // thread for two minutes. No timer of the main thread could fire.
    const preload = path.join(repo.dir, '..', `${path.basename(repo.dir)}-hang.js`);
    await fs.writeFile(
      preload,
      `const fs = require('node:fs');
const open = fs.openSync;
fs.openSync = function (p, ...rest) {
  if (String(p).endsWith('settings.json')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000);
  return open.call(this, p, ...rest);
};
`,
    );
    try {
      await repo.write('a.txt', 'a\n');
      repo.ok(['add', '.']);
      const started = Date.now();
      const r = repo.git(['commit', '-q', '-m', 'stuck'], { NODE_OPTIONS: `--require ${preload}` });
      const ms = Date.now() - started;
      assert.equal(r.status, 0, r.stderr);
      assert.ok(repo.ok(['cat-file', 'commit', 'HEAD']).endsWith('\n\nstuck\n'), 'the message is exactly as given');
      assert.match(r.stderr, /ai-provenance: took too long; commit message left unchanged/);
      // The budget is 4.5 s and the watchdog fires at 5 s; git and Node start-up on a loaded machine come on top.
      assert.ok(ms < 30_000, `the commit took ${ms} ms`);
    } finally {
      await fs.rm(preload, { force: true });
    }
  });
});
