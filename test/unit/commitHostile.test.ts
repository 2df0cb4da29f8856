import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildFileLedger } from '../../src/core/ledger';
import type { LedgerEvidence } from '../../src/core/ledger';
import { ledgerFile, writeFileLedger } from '../../src/node/git/ledgerStore';
import { assertCliBuilt, cli, ev, subjectEditor, textWithRuns, useGitTestEnv, useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';

/**
 * The commit side under hostile and unusual conditions (issue 10), each
 * against a real temporary repository with the real hooks and the built CLI.
 */

const FORGED = 'v=1 lines=6 ai=0 mixed=0 human=6 unknown=0';

/** Commits what is staged through the editor (the path where the message starts empty), typing `subject`. */
async function commitInEditor(repo: TempRepo, subject: string, extra: readonly string[] = []): Promise<void> {
  const editor = await subjectEditor(repo, subject);
  try {
    repo.ok(['commit', '-q', ...extra], { GIT_EDITOR: editor });
  } finally {
    await fs.rm(editor, { force: true });
  }
}

describe('hostile: tool names and message bytes', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('refuses a tool name outside the grammar (U+010A would forge a second trailer)', async () => {
    await repo.write('a.txt', 'one\ntwo\n');
    for (const tool of [`bot\u010a\u010aAI-Provenance: ${FORGED}`, 'bot\u010aReviewed-by: Security Team <sec@example.com>', 'a\u2028b', 'a\u200bb', 'two  spaces', '.dot-first']) {
      const r = cli(repo.dir, ['mark', '--origin', 'ai-chat', '--tool', tool, 'a.txt']);
      assert.equal(r.status, 2, JSON.stringify(tool));
      assert.match(r.stderr, /^ai-provenance: --tool /);
    }
  });

  it('never writes a ledger tool name outside the grammar into a message, whatever path the message takes', async () => {
    const { text, runs } = textWithRuns([
      ['one()', ev('ai-chat')],
      ['two()', ev('ai-chat')],
    ]);
    await repo.write('a.txt', text);
    const ledger = buildFileLedger('a.txt', text, runs, Date.now());
    // Written by hand, as an older version or another program might have: the hook must not trust it.
    (ledger.ev as LedgerEvidence[])[0] = { ...ledger.ev[0], tool: `bot\u010a\u010aAI-Provenance: ${FORGED}\u010aReviewed-by: Security Team <sec@example.com>` };
    await writeFileLedger(repo.paths.ledgerDir, ledger);
    repo.ok(['add', '.']);
    await commitInEditor(repo, 'Editor path');
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-chat=2']);
    assert.deepEqual(repo.trailers('HEAD', 'Reviewed-by'), []);
    assert.deepEqual(repo.trailers('HEAD', 'Assisted-by'), []);
    const report = cli(repo.dir, ['report', 'HEAD', '--json']);
    assert.equal((JSON.parse(report.stdout) as { total: { ai: number } }).total.ai, 2);
  });

  it('writes a non-ASCII tool name as the UTF-8 it is, byte for byte, in the editor path and the -m path', async () => {
    await repo.write('a.txt', 'one\n');
    assert.equal(cli(repo.dir, ['mark', '--origin', 'ai-chat', '--tool', 'Kodé 助手', 'a.txt']).status, 0);
    repo.ok(['add', '.']);
    await commitInEditor(repo, 'Sujet écrit à la main');
    assert.equal(repo.message(), 'Sujet écrit à la main\n\nAI-Provenance: v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-chat=1\nAssisted-by: Kodé 助手\n\n');
    await repo.write('b.txt', 'two\n');
    assert.equal(cli(repo.dir, ['mark', '--origin', 'ai-chat', '--tool', 'Kodé 助手', 'b.txt']).status, 0);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'Zweite Änderung']);
    assert.equal(repo.message(), 'Zweite Änderung\n\nAI-Provenance: v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-chat=1\nAssisted-by: Kodé 助手\n\n');
  });
});

describe('hostile: mark claims AI origins only', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('refuses every origin that is not AI, so no program can label lines as a person wrote them', async () => {
    await repo.write('a.txt', 'written by a script\n');
    for (const origin of ['typed', 'ide', 'paste', 'external', 'unknown']) {
      const r = cli(repo.dir, ['mark', '--origin', origin, 'a.txt']);
      assert.equal(r.status, 2, origin);
      assert.match(r.stderr, new RegExp(`^ai-provenance: mark claims AI origins only, not ${origin}`));
    }
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'script output']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);
  });
});

/** Commits what is staged with a hand-written message, past every hook: what a person or a script can always do. */
async function forge(repo: TempRepo, message: string): Promise<void> {
  const file = path.join(repo.paths.gitDir, 'FORGED_MSG');
  await fs.writeFile(file, message);
  repo.ok(['-c', `core.hooksPath=${os.devNull}`, 'commit', '-q', '--allow-empty', '-F', file]);
}

describe('hostile: report checks every trailer against its own commit', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  interface Json {
    commits: Array<{ subject: string; status: string; problem?: string; lines: number | null; tools: string[] }>;
    total: { lines: number; share: number; inconsistent: number };
  }
  const report = (...args: string[]): { status: number | null; json: Json; stderr: string } => {
    const r = cli(repo.dir, ['report', ...args, '--json']);
    return { status: r.status, json: JSON.parse(r.stdout) as Json, stderr: r.stderr };
  };

  it('marks a hand-written trailer that claims lines the commit does not add as inconsistent, out of the share', async () => {
    await repo.write('a.txt', 'one\ntwo\n');
    assert.equal(cli(repo.dir, ['mark', '--origin', 'ai-chat', 'a.txt']).status, 0);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'AI work']);
    await forge(repo, 'Padding\n\nAI-Provenance: v=1 lines=1000 ai=0 mixed=0 human=1000 unknown=0\n');
    const r = report('HEAD', '--fail-above', '60', '--require-trailer');
    assert.equal(r.status, 1, 'the forged trailer must not pull the share under the gate');
    const padding = r.json.commits.find((c) => c.subject === 'Padding');
    assert.equal(padding?.status, 'inconsistent');
    assert.equal(padding?.problem, 'lines=1000, but the commit adds 0 non-blank lines');
    assert.equal(padding?.lines, null);
    assert.equal(r.json.total.lines, 2);
    assert.equal(r.json.total.share, 100);
    assert.equal(r.json.total.inconsistent, 1);
    assert.match(r.stderr, /AI share 100% \(2 of 2 lines\) is above 60%/);
    assert.match(r.stderr, /inconsistent trailer \(lines=1000, but the commit adds 0 non-blank lines\) {2}Padding/);
  });

  it('marks counts that do not add up as inconsistent: origins against ai + mixed, reviewed above them', async () => {
    await repo.write('b.txt', 'x\n');
    repo.ok(['add', '.']);
    await forge(repo, 'No origin\n\nAI-Provenance: v=1 lines=1 ai=1 mixed=0 human=0 unknown=0\n');
    await repo.write('c.txt', 'y\n');
    repo.ok(['add', '.']);
    await forge(repo, 'Too reviewed\n\nAI-Provenance: v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-chat=1 reviewed=5\n');
    const problems = report('HEAD').json.commits.map((c) => [c.subject, c.status, c.problem]);
    assert.deepEqual(problems, [
      ['Too reviewed', 'inconsistent', 'reviewed=5 is more than ai + mixed = 1'],
      ['No origin', 'inconsistent', 'the origins add up to 0, not ai + mixed = 1'],
    ]);
  });

  it('reads git log with NUL separators: no byte of a message can shift a field', async () => {
    await repo.write('d.txt', 'z\n');
    repo.ok(['add', '.']);
    await forge(repo, 'Separators\n\nAI-Provenance: v=1 lines=1 ai=0 mixed=0 human=1 unknown=0\x1eX\nAssisted-by: a\x1fb\n');
    const [c] = report('HEAD').json.commits;
    assert.equal(c.subject, 'Separators');
    assert.equal(c.status, 'malformed');
    assert.deepEqual(c.tools, ['a\x1fb']);
  });
});

describe('hostile: uninstall keeps what the user edited', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true });

  it('keeps an edited hook and its chained hook, removes the unedited one, and says what to do', async () => {
    const hook = path.join(repo.paths.hooksDir, 'prepare-commit-msg');
    const guard = path.join(repo.paths.hooksDir, 'commit-msg');
    await fs.mkdir(repo.paths.hooksDir, { recursive: true });
    await fs.writeFile(hook, '#!/bin/sh\necho earlier\n', { mode: 0o755 });
    assert.equal(cli(repo.dir, ['install-hook']).status, 0);
    await fs.appendFile(hook, 'echo mine\n');
    const r = cli(repo.dir, ['uninstall-hook']);
    assert.equal(r.status, 1);
    // The guard and the record hooks were unedited: they go; the edited prepare-commit-msg stays.
    const removed = ['commit-msg', 'post-commit', 'post-rewrite', 'post-merge'].map((h) => `Removed ${path.join(repo.paths.hooksDir, h)}\n`).join('');
    assert.equal(r.stdout, removed);
    assert.match(r.stderr, /^ai-provenance: .*prepare-commit-msg was changed after AI Provenance installed it, so it was kept as it is\. .*\.ai-provenance-chained: move it back/);
    assert.match(await fs.readFile(hook, 'utf8'), /\necho mine\n$/);
    assert.equal(await fs.readFile(`${hook}.ai-provenance-chained`, 'utf8'), '#!/bin/sh\necho earlier\n');
    assert.equal(existsSync(guard), false);
  });
});

describe('hostile: FIFOs and other non-regular files never hang a commit', function () {
  // Before the fix these commits hung for ever; spawnSync gives up after 60 s.
  this.timeout(180_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('commits with a FIFO at the hook settings and at a ledger entry, reading neither', async () => {
    await repo.write('a.txt', 'a\n');
    await fs.mkdir(path.join(repo.paths.ledgerDir, 'v1', 'files'), { recursive: true });
    repo.ok(['add', '.']);
    execFileSync('mkfifo', [path.join(repo.paths.ledgerDir, 'settings.json'), ledgerFile(repo.paths.ledgerDir, 'a.txt')]);
    const started = Date.now();
    const r = repo.git(['commit', '-q', '-m', 'with fifos']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);
  });

  it('never opens a FIFO given as the message file for reading: the hook says so and ends', async () => {
    const fifo = path.join(repo.dir, 'MSG_FIFO');
    execFileSync('mkfifo', [fifo]);
    for (const sub of ['hook', 'commit-msg']) {
      const started = Date.now();
      const r = cli(repo.dir, [sub, fifo]);
      assert.equal(r.status, 0, sub);
      assert.match(r.stderr, /MSG_FIFO is not a regular file/, sub);
      assert.ok(Date.now() - started < 15_000, `${sub} took ${Date.now() - started} ms`);
    }
  });

  it('marks no FIFO and reads no FIFO ledger', async () => {
    await repo.write('b.txt', 'b\n');
    await fs.mkdir(path.join(repo.paths.ledgerDir, 'v1', 'files'), { recursive: true });
    execFileSync('mkfifo', [ledgerFile(repo.paths.ledgerDir, 'b.txt'), path.join(repo.dir, 'pipe')]);
    const r = cli(repo.dir, ['mark', '--origin', 'ai-chat', 'pipe', 'b.txt']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pipe: not a regular file; not marked/);
    assert.match(r.stdout, /^marked 1 line of b\.txt as ai-chat\n$/);
  });
});

describe('hostile: the time budget holds for huge diffs, and stderr tells the truth', function () {
  this.timeout(300_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('commits 10 files of 5,000 lines with every other line changed within the budget, trailer and stderr agreeing', async () => {
    const lines = (f: number, changed: boolean): string =>
      Array.from({ length: 5000 }, (_, i) => (changed && i % 2 === 1 ? `changed ${f} ${i}` : `line ${f} ${i}`)).join('\n') + '\n';
    for (let f = 0; f < 10; f++) await repo.write(`f${f}.txt`, lines(f, false));
    repo.ok(['add', '.']);
    repo.ok(['-c', `core.hooksPath=${os.devNull}`, 'commit', '-q', '-m', 'base']);
    for (let f = 0; f < 10; f++) {
      const old = lines(f, false);
      // A ledger from before the change: the hook has to align it too.
      await writeFileLedger(repo.paths.ledgerDir, buildFileLedger(`f${f}.txt`, old, [{ len: old.length, ev: ev('typed') }], Date.now()));
      await repo.write(`f${f}.txt`, lines(f, true));
    }
    repo.ok(['add', '.']);
    const started = Date.now();
    const r = repo.git(['commit', '-q', '-m', 'huge']);
    const ms = Date.now() - started;
    assert.equal(r.status, 0, r.stderr);
    const trailers = repo.trailers();
    const saidUnchanged = /commit message left unchanged/.test(r.stderr);
    assert.equal(saidUnchanged, trailers.length === 0, `stderr ${JSON.stringify(r.stderr)} but trailers ${JSON.stringify(trailers)}`);
    // Not a speed test (bench:hook prints the figures): a bound that only a hook
    // ignoring its budget can miss. prepare-commit-msg ends itself by 5 s and
    // post-commit (in the foreground here) by 10 s; the rest is git and Node
    // starting, which on a loaded 2-core machine took up to 21 s in all.
    assert.ok(ms < 60_000, `the commit took ${ms} ms`);
  });
});

describe('hostile: an empty message still aborts, whatever core.commentChar', function () {
  this.timeout(120_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  for (const cc of [';', '@', 'auto']) {
    it(`aborts a commit left empty in the editor with core.commentChar=${cc}`, async () => {
      repo.ok(['config', 'core.commentChar', cc]);
      await repo.write('a.txt', 'a\n');
      repo.ok(['add', '.']);
      // GIT_EDITOR=true: the person closes the editor without writing anything.
      const r = repo.git(['commit', '-q']);
      assert.notEqual(r.status, 0, 'git must abort');
      assert.match(r.stderr, /Aborting commit due to empty commit message/);
      assert.equal(repo.git(['rev-parse', '-q', '--verify', 'HEAD']).status, 1, 'no commit was made');
      // And a message that was written keeps its trailer.
      await commitInEditor(repo, 'Written');
      assert.equal(repo.message(), 'Written\n\nAI-Provenance: v=1 lines=1 ai=0 mixed=0 human=0 unknown=1\n\n');
    });
  }
});

describe('hostile: paths', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('marks a new file with spaces in its path', async () => {
    await repo.write('base.txt', 'base\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    await repo.write('notes/design doc.md', 'one\ntwo\n');
    const r = cli(repo.dir, ['mark', '--origin', 'ai-chat', 'notes/design doc.md']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'marked 2 lines of notes/design doc.md as ai-chat\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'notes']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-chat=2']);
  });
});

describe('hostile: hook manager detection', () => {
  useGitTestEnv();
  before(assertCliBuilt);

  it('installs into a repository that lives under a folder named .husky (husky is not there)', async () => {
    const outer = mkdtempSync(path.join(os.tmpdir(), 'aip-husky-'));
    try {
      const dir = path.join(outer, '.husky', 'project');
      mkdirSync(dir, { recursive: true });
      execFileSync('git', ['init', '-q', dir]);
      const r = cli(dir, ['install-hook']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^Installed .*prepare-commit-msg/);
      assert.ok(existsSync(path.join(dir, '.git', 'hooks', 'prepare-commit-msg')));
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });
});

describe('hostile: a message with no content of its own never becomes a trailer-only message', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it("commits git commit -m '' --no-verify --allow-empty-message with the empty message it was given", async () => {
    await repo.write('a.txt', 'a\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', '', '--no-verify', '--allow-empty-message']);
    assert.equal(repo.message(), '\n');
    assert.deepEqual(repo.trailers(), []);
  });
});

describe('hostile: a repository path with a line break', () => {
  useGitTestEnv();
  before(assertCliBuilt);

  it('refuses clearly and writes no hook anywhere', async () => {
    const outer = mkdtempSync(path.join(os.tmpdir(), 'aip-newline-'));
    try {
      const dir = path.join(outer, 'line\nbreak');
      mkdirSync(dir);
      execFileSync('git', ['init', '-q', dir]);
      const r = cli(dir, ['install-hook']);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /^ai-provenance: a repository whose path holds a line break is not supported/);
      assert.equal(existsSync(path.join(dir, '.git', 'hooks', 'prepare-commit-msg')), false);
      assert.equal(existsSync(path.join(outer, 'line', '.git')), false);
      assert.deepEqual(execFileSync('find', [outer, '-name', 'prepare-commit-msg']).toString(), '');
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });
});

describe('hostile: a global core.hooksPath', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true });

  it('installs nothing into a hooks folder every repository shares unless asked explicitly', async () => {
    const shared = await fs.realpath(mkdtempSync(path.join(os.tmpdir(), 'aip-shared-hooks-')));
    const globalConfig = path.join(shared, 'gitconfig');
    try {
      await fs.writeFile(globalConfig, `[core]\n\thooksPath = ${shared}\n`);
      const env = { GIT_CONFIG_GLOBAL: globalConfig };
      const r = cli(repo.dir, ['install-hook'], env);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^ai-provenance: core\.hooksPath is set in your global git configuration, .*every repository.*--shared-hooks-path/);
      assert.equal(existsSync(path.join(shared, 'prepare-commit-msg')), false);
      const forced = cli(repo.dir, ['install-hook', '--shared-hooks-path'], env);
      assert.equal(forced.status, 0, forced.stderr);
      assert.ok(existsSync(path.join(shared, 'prepare-commit-msg')));
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});

/** Gerrit's commit-msg hook in essence: a message with any text gets a Change-Id trailer. */
const GERRIT_COMMIT_MSG = `#!/bin/sh
if ! git stripspace --strip-comments < "$1" | grep -q .; then exit 0; fi
if git interpret-trailers --parse < "$1" | grep -q '^Change-Id: I'; then exit 0; fi
git interpret-trailers --in-place --trailer "Change-Id: I$(git hash-object "$1")" "$1"
`;

describe('hostile: a Gerrit commit-msg hook already in place', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true });

  it('still aborts a commit left empty, and keeps Change-Id on a written one', async () => {
    await fs.mkdir(repo.paths.hooksDir, { recursive: true });
    await fs.writeFile(path.join(repo.paths.hooksDir, 'commit-msg'), GERRIT_COMMIT_MSG, { mode: 0o755 });
    assert.equal(cli(repo.dir, ['install-hook']).status, 0);
    await repo.write('a.txt', 'a\n');
    repo.ok(['add', '.']);
    const r = repo.git(['commit', '-q']);
    assert.notEqual(r.status, 0, 'git must abort');
    assert.match(r.stderr, /Aborting commit due to empty commit message/);
    await commitInEditor(repo, 'Written');
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);
    assert.equal(repo.trailers('HEAD', 'Change-Id').length, 1);
  });
});
