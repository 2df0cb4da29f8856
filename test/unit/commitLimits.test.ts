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

describe("limits: the user's own trailers and trailer.* configuration stay theirs, byte for byte", function () {
  this.timeout(300_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  const VALUE = 'v=1 lines=1 ai=0 mixed=0 human=0 unknown=1';

  /** A commit's message exactly as stored. */
  function body(rev = 'HEAD'): string {
    const raw = repo.ok(['cat-file', 'commit', rev]);
    return raw.slice(raw.indexOf('\n\n') + 2);
  }

  /** Commits `message` with `-F` twice: without our hooks (what git alone stores), then with them. */
  async function both(message: string, extra: readonly string[]): Promise<{ alone: string; hooked: string; stderr: string }> {
    const file = path.join(repo.paths.gitDir, 'TEST_MSG');
    await fs.writeFile(file, message, 'latin1');
    repo.ok(['-c', `core.hooksPath=${os.devNull}`, 'commit', '-q', '--allow-empty', ...extra, '-F', file]);
    const alone = body();
    await repo.write(`f${Date.now()}.txt`, 'one line\n');
    repo.ok(['add', '.']);
    const r = repo.git(['commit', '-q', ...extra, '-F', file]);
    assert.equal(r.status, 0, r.stderr);
    return { alone, hooked: body(), stderr: r.stderr };
  }

  const hostile: ReadonlyArray<readonly [string, string]> = [
    ['trailer.separators', '#'],
    ['trailer.where', 'start'],
    ['trailer.ifexists', 'replace'],
    ['trailer.ifmissing', 'doNothing'],
    ['trailer.bug.key', 'Bug'],
    ['trailer.bug.command', 'echo 999'],
    ['trailer.evil.command', 'echo injected'],
    ['trailer.evil.key', 'Evil'],
  ];

  const cases: ReadonlyArray<{ name: string; msg: string; extra?: string[]; block: boolean; eol?: string; cc?: string; before?: string }> = [
    { name: 'trailers without a space, with a space before the colon, a #-line', msg: 'Subject\n\nBody text.\n\nReviewed-by:Bob\nBug :  123\n', block: true },
    { name: 'a body line that a # separator would make a trailer', msg: 'Subject\n\nFixes #12 for good.\n', block: false },
    { name: 'a CRLF message kept verbatim', msg: 'Subject\r\n\r\nBody\r\n\r\nReviewed-by:Bob\r\n', extra: ['--cleanup=verbatim'], block: true, eol: '\r\n' },
    { name: 'a --- line in the body', msg: 'Subject\n\nBody\n---\nnot a patch\n\nReviewed-by:Bob\n', block: true },
    // Without an editor git keeps what is below the scissors line; its trailer reader (and ours) stops there.
    { name: 'a scissors line', msg: 'Subject\n\nReviewed-by:Bob\n# ------------------------ >8 ------------------------\nbelow\n', block: true, before: '# -' },
    { name: 'comments with core.commentChar ;', msg: 'Subject\n\n; a comment\nReviewed-by:Bob\n', extra: ['--cleanup=strip'], block: true, cc: ';' },
    { name: 'a paragraph with a quarter trailers and a sign-off', msg: 'Subject\n\nnot a trailer\nnor this\nSigned-off-by: A <a@example.com>\n', block: true },
  ];

  for (const c of cases) {
    it(`adds only its own line to a message with ${c.name}, under hostile trailer config`, async () => {
      for (const [k, v] of hostile) repo.ok(['config', k, v]);
      if (c.cc) repo.ok(['config', 'core.commentChar', c.cc]);
      const { alone, hooked, stderr } = await both(c.msg, c.extra ?? []);
      const eol = c.eol ?? '\n';
      const ours = `${c.block ? '' : eol}AI-Provenance: ${VALUE}${eol}`;
      assert.equal(hooked, c.before ? alone.replace(c.before, ours + c.before) : alone + ours, stderr);
      // git (with that configuration) and report read it back.
      const rep = cli(repo.dir, ['report', 'HEAD~1..HEAD', '--require-trailer', '--json']);
      assert.equal(rep.status, 0, rep.stderr + rep.stdout);
    });
  }

  it('replaces its own trailer on an amend and adds nothing twice, the user lines untouched', async () => {
    for (const [k, v] of hostile) repo.ok(['config', k, v]);
    const { alone } = await both('Subject\n\nReviewed-by:Bob\nAI-Provenance: v=1 lines=9 ai=9 mixed=0 human=0 unknown=0\nAcked-by:  Eve\n', []);
    const withoutOurs = alone.replace(/^AI-Provenance:.*\n/m, '');
    assert.equal(body(), withoutOurs.replace('Acked-by:  Eve\n', `AI-Provenance: ${VALUE}\nAcked-by:  Eve\n`));
  });
});

describe('limits: git commit --no-verify with the editor still aborts on a message left empty', function () {
  this.timeout(600_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  /** A GIT_EDITOR script beside the repository running `body` with the message file as $1. */
  async function editor(name: string, body: string): Promise<string> {
    const file = path.join(repo.dir, '..', `${path.basename(repo.dir)}-${name}.sh`);
    await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  }

  /** `git commit` with `args`: its exit status and the message it stored; the commit is undone again. */
  function attempt(args: readonly string[], env: Record<string, string>, hooks: boolean): { status: number | null; message?: string; stderr: string } {
    const r = repo.git([...(hooks ? [] : ['-c', `core.hooksPath=${os.devNull}`]), 'commit', ...args], env);
    if (r.status !== 0) return { status: r.status, stderr: r.stderr };
    const raw = repo.ok(['cat-file', 'commit', 'HEAD']);
    repo.ok(['reset', '-q', '--soft', 'HEAD~1']);
    return { status: 0, message: raw.slice(raw.indexOf('\n\n') + 2), stderr: r.stderr };
  }

  const settings: ReadonlyArray<{ name: string; args: string[]; config?: readonly [string, string] }> = [
    { name: 'the default cleanup', args: [] },
    { name: '--cleanup=strip', args: ['--cleanup=strip'] },
    { name: '--cleanup=scissors and -v', args: ['--cleanup=scissors', '-v'] },
    { name: '--cleanup=whitespace', args: ['--cleanup=whitespace'] },
    { name: '--cleanup=verbatim', args: ['--cleanup=verbatim'] },
    { name: 'commit.cleanup=whitespace', args: [], config: ['commit.cleanup', 'whitespace'] },
    { name: 'core.commentChar=;', args: [], config: ['core.commentChar', ';'] },
    { name: 'core.commentChar=auto', args: [], config: ['core.commentChar', 'auto'] },
  ];

  for (const s of settings) {
    it(`does exactly what git alone does with ${s.name}: left as it is, emptied, or written`, async () => {
      repo.ok(['commit', '-q', '--allow-empty', '-m', 'base']);
      if (s.config) repo.ok(['config', ...s.config]);
      await repo.write('a.txt', 'a\n');
      repo.ok(['add', '.']);
      const leave = await editor('leave', 'exit 0');
      const write = await editor('write', 'printf "Written\\n" | cat - "$1" > "$1.new" && mv "$1.new" "$1"');
      // The whole matrix once; then what matters (left as it is, written) for each setting.
      const full = s.args.length === 0 && !s.config;
      const editors = full ? [leave, await editor('empty', ': > "$1"'), write] : [leave, write];
      for (const ed of editors) {
        for (const flag of full ? ['--no-verify', '-n'] : ['--no-verify']) {
          const env = { GIT_EDITOR: ed };
          const alone = attempt([flag, ...s.args], env, false);
          const hooked = attempt([flag, ...s.args], env, true);
          assert.equal(hooked.status, alone.status, `${path.basename(ed)} ${flag}: ${hooked.stderr}`);
          assert.equal(hooked.message, alone.message, `${path.basename(ed)} ${flag}`);
          if (alone.status !== 0) assert.match(hooked.stderr, /Aborting commit/);
        }
      }
    });
  }

  it('keeps the trailer when the person takes the comment sign off its line', async () => {
    await repo.write('a.txt', 'a\n');
    repo.ok(['add', '.']);
    const ed = await editor('uncomment', `sed -i -e '1s/^/Kept/' -e 's/^# AI-Provenance:/AI-Provenance:/' "$1"`);
    repo.ok(['commit', '-q', '--no-verify'], { GIT_EDITOR: ed });
    assert.equal(repo.message(), 'Kept\n\nAI-Provenance: v=1 lines=1 ai=0 mixed=0 human=0 unknown=1\n\n');
  });

  it('still writes the trailer with --no-verify when the message is given whole', async () => {
    await repo.write('a.txt', 'a\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '--no-verify', '-m', 'Given']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);
  });
});

describe('limits: mark claims no line it cannot tell was changed', function () {
  this.timeout(180_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('marks nothing of a file whose diff against HEAD gives up, instead of every line', async () => {
    await repo.write('rev.txt', numbered('row', 20_000, 5));
    repo.ok(['add', '.']);
    repo.ok(['-c', `core.hooksPath=${os.devNull}`, 'commit', '-q', '-m', 'base']);
    await repo.write('rev.txt', numbered('row', 20_000, 5).split('\n').slice(0, -1).reverse().join('\n') + '\n');
    const r = cli(repo.dir, ['mark', '--origin', 'ai-chat', '--tool', 'bot', 'rev.txt']);
    assert.equal(r.status, 0, r.stderr);
    repo.ok(['add', '.']);
    const { total } = await stagedAttribution(repo.paths);
    assert.equal(total.ai, 0, r.stdout);
    assert.equal(total.unknown, total.lines);
  });
});
