import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasNoContent, openTrailerBlock, withoutLoneTrailers } from '../../src/node/commit/message';
import { runHook } from '../../src/node/commit/hook';
import { HOOK_MARKER } from '../../src/node/commit/install';
import type { TempRepo} from './helpers/gitRepo';
import { assertUsageError, CLI_PATH, ev, run, writeTracked, useTempRepo } from './helpers/gitRepo';

function cli(cwd: string, ...args: string[]): ReturnType<typeof run> {
  return run(process.execPath, [CLI_PATH, ...args], cwd);
}

describe('commit: the CLI', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true });

  it('previews the trailer and per-file counts of the staged changes', async () => {
    await writeTracked(repo, 'a.ts', [
      ['x()', ev('typed')],
      ['y()', ev('ai-completion')],
    ]);
    await repo.write('b b.txt', 'no ledger\n');
    await repo.write('unstaged.txt', 'not staged\n');
    repo.ok(['add', 'a.ts', 'b b.txt']);
    const r = cli(repo.dir, 'trailer');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      'AI-Provenance: v=1 lines=3 ai=1 mixed=0 human=1 unknown=1 ai-completion=1\n' +
        '\n' +
        'v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-completion=1\ta.ts\n' +
        'v=1 lines=1 ai=0 mixed=0 human=0 unknown=1\tb b.txt\n',
    );
    const json = JSON.parse(cli(repo.dir, 'trailer', '--json').stdout) as { trailer: string; files: Array<{ path: string; value: string }> };
    assert.equal(json.trailer, 'v=1 lines=3 ai=1 mixed=0 human=1 unknown=1 ai-completion=1');
    assert.deepEqual(json.files.map((f) => f.path), ['a.ts', 'b b.txt']);
  });

  it('prints only the trailer when nothing is staged', () => {
    const r = cli(repo.dir, 'trailer');
    assert.equal(r.stdout, 'AI-Provenance: v=1 lines=0 ai=0 mixed=0 human=0 unknown=0\n');
  });

  it('installs and uninstalls hooks that run this very script', async () => {
    const r = cli(repo.dir, 'install-hook');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Installed .*prepare-commit-msg, .*commit-msg, .*post-commit, .*post-rewrite, .*post-merge\n$/);
    const text = await fs.readFile(path.join(repo.paths.hooksDir, 'prepare-commit-msg'), 'utf8');
    assert.ok(text.includes(HOOK_MARKER));
    assert.ok(text.includes(`ai_provenance_cli='${CLI_PATH}'`));
    assert.ok(text.includes(`ai_provenance_runtime='${process.execPath}'`));
    assert.match(cli(repo.dir, 'install-hook').stdout, /^Updated /);
    await repo.write('a.txt', 'x\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'via cli']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);
    const u = cli(repo.dir, 'uninstall-hook');
    assert.equal(u.status, 0);
    assert.match(u.stdout, /Removed .*prepare-commit-msg/);
    assert.equal(existsSync(path.join(repo.paths.hooksDir, 'prepare-commit-msg')), false);
  });

  it('runs the hook command directly and always exits 0', async () => {
    const msg = path.join(repo.dir, 'MSG');
    await fs.writeFile(msg, 'Subject\n');
    const r = cli(repo.dir, 'hook', msg, 'message');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(await fs.readFile(msg, 'utf8'), 'Subject\n\nAI-Provenance: v=1 lines=0 ai=0 mixed=0 human=0 unknown=0\n');
    const missing = cli(repo.dir, 'hook', path.join(repo.dir, 'no-such-file'));
    assert.equal(missing.status, 0);
    assert.match(missing.stderr, /^ai-provenance: .*commit message left unchanged\n$/);
    const outside = mkdtempSync(path.join(os.tmpdir(), 'aip-norepo-'));
    try {
      await fs.writeFile(path.join(outside, 'MSG'), 'x\n');
      const o = cli(outside, 'hook', path.join(outside, 'MSG'));
      assert.equal(o.status, 0);
      assert.match(o.stderr, /^ai-provenance: not inside a git work tree/);
      assert.equal(await fs.readFile(path.join(outside, 'MSG'), 'utf8'), 'x\n');
      const t = cli(outside, 'trailer');
      assert.equal(t.status, 2);
      assert.match(t.stderr, /not inside a git work tree/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('answers --help and --version, and exits 2 on bad input', () => {
    const h = cli(repo.dir, '--help');
    assert.equal(h.status, 0);
    assert.match(h.stdout, /Usage:/);
    const v = cli(repo.dir, '--version');
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    for (const args of [[], ['bogus'], ['hook'], ['trailer', '--nope'], ['install-hook', 'extra']]) {
      const r = cli(repo.dir, ...args);
      assert.equal(r.status, 2, `exit code for ${args.join(' ')}`);
      assert.match(r.stderr, /^ai-provenance: /);
      assert.equal(r.stdout, '');
    }
  });
});

describe('commit: CLI help and usage errors (the built dist/cli.js)', function () {
  // Each case starts the CLI afresh: a loaded machine needs more than mocha's default.
  this.timeout(120_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true });
  const COMMANDS = ['hook', 'commit-msg', 'install-hook', 'uninstall-hook', 'trailer', 'report', 'mark'];

  it('lists every command in the top-level help', () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = cli(repo.dir, flag);
      assert.equal(r.status, 0, flag);
      assert.equal(r.stderr, '');
      for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} +\\S`, 'm'), `${flag} lists ${c}`);
      assert.match(r.stdout, /--help shows a command's own help/);
    }
  });

  it('gives each command its own help, before anything else is checked, touching nothing', async () => {
    const hooks = path.join(repo.paths.hooksDir, 'prepare-commit-msg');
    for (const c of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        // Even with arguments that would be a usage error or do work otherwise.
        const r = cli(repo.dir, c, flag, '--bogus');
        assert.equal(r.status, 0, `${c} ${flag}: ${r.stderr}`);
        assert.equal(r.stderr, '');
        assert.match(r.stdout, new RegExp(`^Usage: ai-provenance ${c}\\b`), `${c} ${flag}`);
      }
    }
    assert.equal(existsSync(hooks), false, 'install-hook --help installed nothing');
  });

  it('exits 2 with exactly one line on stderr for every usage error', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /^ai-provenance: missing command \(see ai-provenance --help\)\n$/],
      [['bogus'], /^ai-provenance: unknown command: bogus /],
      [['__proto__'], /^ai-provenance: unknown command: __proto__ /],
      [['trailer', '--nope'], /^ai-provenance: unknown option: --nope\n$/],
      [['trailer', '-x'], /^ai-provenance: unknown option: -x\n$/],
      [['trailer', '--json=yes'], /^ai-provenance: --json takes no value\n$/],
      [['trailer', 'extra'], /^ai-provenance: trailer takes no arguments\n$/],
      [['install-hook', 'extra'], /^ai-provenance: install-hook takes no arguments\n$/],
      [['uninstall-hook', '--json'], /^ai-provenance: unknown option: --json\n$/],
      [['hook'], /^ai-provenance: hook: needs <msg-file>/],
      [['hook', 'a', 'b', 'c', 'd'], /^ai-provenance: hook: needs <msg-file>/],
      [['commit-msg'], /^ai-provenance: commit-msg: needs exactly <msg-file>\n$/],
      [['report'], /^ai-provenance: report: missing <rev-range>\n$/],
      [['report', 'HEAD', '--fail-above'], /^ai-provenance: --fail-above needs a value\n$/],
      [['report', 'HEAD', '--fail-above', '-5'], /^ai-provenance: --fail-above: write a value that starts with "-" as --fail-above=-5\n$/],
      [['report', 'HEAD', '--fail-above=-5'], /^ai-provenance: --fail-above needs a percentage from 0 to 100, not "-5"\n$/],
      [['report', 'HEAD', '--require-trailer', '--require-trailer'], /^ai-provenance: --require-trailer given twice\n$/],
      [['mark', 'a.txt'], /^ai-provenance: --origin is required \(origins: /],
      [['mark', '--origin', 'ai-chat', '--origin', 'ai-chat', 'a.txt'], /^ai-provenance: --origin given twice\n$/],
    ];
    for (const [args, message] of cases) {
      const r = cli(repo.dir, ...args);
      assertUsageError(r, JSON.stringify(args));
      assert.match(r.stderr, message, JSON.stringify(args));
    }
  });
});

describe('commit: runHook in process', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r));

  it('leaves the messages of merges `git merge` commits alone', async () => {
    const msg = path.join(repo.dir, 'MSG');
    await fs.writeFile(msg, "Merge branch 'x'\n");
    const lines: string[] = [];
    // git merge runs the hook with GIT_REFLOG_ACTION=`merge <branch>`.
    const saved = process.env.GIT_REFLOG_ACTION;
    process.env.GIT_REFLOG_ACTION = 'merge x';
    try {
      assert.deepEqual(await runHook({ msgFile: msg, source: 'merge', cwd: repo.dir, log: (l) => lines.push(l) }), { changed: false, skipped: 'merge' });
    } finally {
      if (saved === undefined) delete process.env.GIT_REFLOG_ACTION;
      else process.env.GIT_REFLOG_ACTION = saved;
    }
    assert.equal(await fs.readFile(msg, 'utf8'), "Merge branch 'x'\n");
    assert.deepEqual(lines, []);
  });

  it('gives up within its budget, leaving the message unchanged, with one line of explanation', async () => {
    await repo.write('a.txt', 'x\n');
    repo.ok(['add', '.']);
    const msg = path.join(repo.dir, 'MSG');
    await fs.writeFile(msg, 'Subject\n');
    const lines: string[] = [];
    const outcome = await runHook({ msgFile: msg, source: 'message', cwd: repo.dir, log: (l) => lines.push(l), budgetMs: 0 });
    assert.deepEqual(outcome, { changed: false, skipped: 'timeout' });
    assert.deepEqual(lines, ['ai-provenance: took too long; commit message left unchanged']);
    // The work that lost the race must not write afterwards either.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await fs.readFile(msg, 'utf8'), 'Subject\n');
  });

  it('reports an error in one line and never throws', async () => {
    const lines: string[] = [];
    const outcome = await runHook({ msgFile: path.join(repo.dir, 'missing'), cwd: repo.dir, log: (l) => lines.push(l) });
    assert.deepEqual(outcome, { changed: false, skipped: 'error' });
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^ai-provenance: .*ENOENT.*; commit message left unchanged$/);
  });
});

describe('commit: message rules', () => {
  it('sees the editor template as no content', () => {
    assert.equal(hasNoContent('\n# Please enter\n#\n', '#'), true);
    assert.equal(hasNoContent('', '#'), true);
    assert.equal(hasNoContent('Subject\n# Please enter\n', '#'), false);
    assert.equal(hasNoContent('# heading\n; comment\n', ';'), false);
    assert.equal(hasNoContent('\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n', '#'), true);
  });

  it('opens a trailer block below an empty subject line', () => {
    assert.equal(openTrailerBlock('\n# Please\n', ['AI-Provenance: v=1']), '\n\nAI-Provenance: v=1\n\n# Please\n');
    assert.equal(openTrailerBlock('', ['AI-Provenance: v=1', 'Assisted-by: T']), '\n\nAI-Provenance: v=1\nAssisted-by: T\n');
  });

  it('removes our trailers only when nothing else was written', () => {
    assert.equal(withoutLoneTrailers('\n\nAI-Provenance: v=1 lines=0\n\n# Please\n', '#'), '\n\n\n# Please\n');
    assert.equal(withoutLoneTrailers('\n\nSigned-off-by: A <a@b>\nAI-Provenance: v=1\nAssisted-by: Tool\n', '#'), '\n\nSigned-off-by: A <a@b>\n');
    assert.equal(withoutLoneTrailers('Subject\n\nAI-Provenance: v=1\n', '#'), undefined);
    assert.equal(withoutLoneTrailers('\n\nSigned-off-by: A <a@b>\n', '#'), undefined);
    assert.equal(withoutLoneTrailers('AI-Provenance: v=1\n# ------------------------ >8 ------------------------\nAI-Provenance: kept\n', '#'), '# ------------------------ >8 ------------------------\nAI-Provenance: kept\n');
  });
});
