import { strict as assert } from 'node:assert';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { installHook } from '../../src/node/commit/install';
import { CHAINED_SUFFIX } from '../../src/node/commit/message';
import { buildFileLedger } from '../../src/core/ledger';
import { findRepo } from '../../src/node/git/git';
import { clearSaving, ledgerFile, markSaving, writeFileLedger, writeHookSettings } from '../../src/node/git/ledgerStore';
import { assertCliBuilt, CLI_PATH, ev, run, subjectEditor, TempRepo, textWithRuns, useGitTestEnv, writeTracked } from './helpers/gitRepo';

const TYPED = ev('typed');
const AI = ev('ai-completion');
const PASTE = ev('ai-paste');
const EMPTY_COUNTS = 'v=1 lines=0 ai=0 mixed=0 human=0 unknown=0';

describe('commit: the hook driven by git commit', function () {
  useGitTestEnv();
  let repo: TempRepo;
  const cleanup: string[] = [];
  before(assertCliBuilt);
  beforeEach(async () => {
    repo = await TempRepo.create();
    const r = await installHook(repo.paths, { cliPath: CLI_PATH, runtimePath: process.execPath });
    assert.equal(r.status, 'installed');
  });
  afterEach(async () => {
    await repo.dispose();
    for (const f of cleanup.splice(0)) await fs.rm(f, { force: true, recursive: true });
  });

  it('writes exact counts for typed, AI-completion and AI-paste lines', async () => {
    await writeTracked(repo, 'src/app.ts', [
      ['function add(a, b) {', TYPED],
      ['  return a + b;', AI],
      ['}', TYPED],
      ['', null],
      ['function sub(a, b) {', PASTE],
      ['  return a - b;', PASTE],
      ['}', PASTE],
      ['export { add, sub };', TYPED],
      ['const x = add(1, 2);', AI],
    ]);
    repo.ok(['add', '.']);
    const r = repo.git(['commit', '-q', '-m', 'Add math']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(repo.trailers(), ['v=1 lines=8 ai=5 mixed=0 human=3 unknown=0 ai-completion=2 ai-paste=3']);
    assert.equal(repo.message(), 'Add math\n\nAI-Provenance: v=1 lines=8 ai=5 mixed=0 human=3 unknown=0 ai-completion=2 ai-paste=3\n\n');
  });

  it('writes no trailer when provenance.trailer.enabled is off (settings beside the ledger)', async () => {
    await writeHookSettings(repo.paths.ledgerDir, { trailer: false, whenNoAi: true });
    await writeTracked(repo, 'a.ts', [['const a = 1;', AI]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'Quiet']);
    assert.deepEqual(repo.trailers(), []);
    assert.equal(repo.message(), 'Quiet\n\n', 'the message exactly as given');
  });

  it('writes no ai=0 statement when provenance.trailer.whenNoAi is off, but still counts AI commits', async () => {
    await writeHookSettings(repo.paths.ledgerDir, { trailer: true, whenNoAi: false });
    await writeTracked(repo, 'a.ts', [['const a = 1;', TYPED]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'Human only']);
    assert.deepEqual(repo.trailers(), []);
    await writeTracked(repo, 'b.ts', [['const b = 2;', AI]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'With AI']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-completion=1']);
  });

  it('counts reviewed AI lines in reviewed=', async () => {
    const reviewed = { ...AI, reviewed: { by: 'Ada <ada@example.org>', at: 5 } };
    await writeTracked(repo, 'a.ts', [
      ['const a = 1;', reviewed],
      ['const b = 2;', AI],
      ['const c = 3;', TYPED],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'Reviewed']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-completion=2 reviewed=1']);
  });

  it('counts a file without a ledger as unknown, and states ai=0 explicitly', async () => {
    await repo.write('notes.md', '# Notes\n\nfirst\nsecond\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'Notes']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=3 ai=0 mixed=0 human=0 unknown=3']);
  });

  it('writes lines=0 for a commit that adds no non-blank line', async () => {
    await repo.write('a.txt', 'x\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'one']);
    await fs.rm(path.join(repo.dir, 'a.txt'));
    repo.ok(['add', '-A']);
    repo.ok(['commit', '-q', '-m', 'remove']);
    assert.deepEqual(repo.trailers(), [EMPTY_COUNTS]);
    repo.ok(['commit', '-q', '--allow-empty', '-m', 'empty']);
    assert.deepEqual(repo.trailers(), [EMPTY_COUNTS]);
  });

  it('waits for the ledger of a file the editor is still saving (its mark), so a commit right after a save counts it', async () => {
    const lines: Array<readonly [string, typeof AI | null]> = [
      ['// @ai-next', TYPED],
      ['const b = 2;', AI],
      ['const c = 3;', AI],
    ];
    const { text, runs } = textWithRuns(lines);
    // The file is on disk, the editor's ledger write is still to come (VS Code's Commit saves, then commits at once).
    await repo.write('app.js', text);
    const at = Date.now();
    markSaving(repo.paths.ledgerDir, 'app.js', at);
    repo.ok(['add', '.']);
    // The editor's write comes a second after git has written the message and started the hook.
    const msg = path.join(repo.paths.gitDir, 'COMMIT_EDITMSG');
    await fs.rm(msg, { force: true });
    let committed = false;
    const late = (async (): Promise<void> => {
      while (!existsSync(msg)) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal(committed, false, 'the commit was still waiting when the ledger came');
      await writeFileLedger(repo.paths.ledgerDir, buildFileLedger('app.js', text, runs, Date.now()));
      clearSaving(repo.paths.ledgerDir, 'app.js');
    })();
    const r = await repo.gitAsync(['commit', '-q', '-m', 'Add b and c']);
    committed = true;
    await late;
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(repo.trailers(), ['v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-completion=2']);
  });

  it('gives up waiting on a mark no ledger follows, and commits with what it has', async function () {
    this.timeout(20_000);
    await writeTracked(repo, 'a.js', [['const a = 1;', AI]]);
    await repo.write('a.js', 'const a = 1;\nconst z = 26;\n');
    // A save whose ledger never comes (the editor was killed mid-save): the mark stays.
    markSaving(repo.paths.ledgerDir, 'a.js', Date.now());
    repo.ok(['add', '.']);
    const t0 = Date.now();
    const r = repo.git(['commit', '-q', '-m', 'two']);
    // The hook waited its 2 s for the ledger, and then wrote the trailer: within its budget, or it would have written none.
    assert.ok(Date.now() - t0 >= 1_900, `the hook waited (${Date.now() - t0} ms)`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=0 unknown=1 ai-completion=1']);
  });

  it('keeps its budget waiting on many marked files with big ledgers', async function () {
    this.timeout(30_000);
    // Ten files of 3,000 lines each, every one with a mark no ledger follows.
    for (let f = 0; f < 10; f++) {
      const lines = Array.from({ length: 3_000 }, (_, i): readonly [string, typeof AI] => [`const v${f}_${i} = ${i};`, i % 2 ? AI : TYPED]);
      await writeTracked(repo, `big${f}.js`, lines);
      await fs.appendFile(path.join(repo.dir, `big${f}.js`), 'const late = 1;\n');
      markSaving(repo.paths.ledgerDir, `big${f}.js`, Date.now());
    }
    repo.ok(['add', '.']);
    const r = repo.git(['commit', '-q', '-m', 'big']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'no "took too long": the trailer was written within the budget');
    assert.deepEqual(repo.trailers(), ['v=1 lines=30010 ai=15000 mixed=0 human=15000 unknown=10 ai-completion=15000']);
  });

  it('counts lines changed after the ledger was written as unknown, the rest still attributed', async () => {
    await writeTracked(repo, 'a.py', [
      ['def f():', TYPED],
      ['    return 1', AI],
      ['def g():', AI],
      ['    return 2', TYPED],
    ]);
    // Edited outside the editor after the save: one line changed, one added.
    await repo.write('a.py', 'def f():\n    return 100\ndef g():\n    return 2\nprint(f())\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'edit']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=5 ai=1 mixed=0 human=2 unknown=2 ai-completion=1']);
  });

  it('replaces the trailer on amend instead of duplicating it, counting the whole commit', async () => {
    await writeTracked(repo, 'base.txt', [['base', TYPED]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    await writeTracked(repo, 'a.txt', [['typed line', TYPED]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'work']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=1 unknown=0']);
    await writeTracked(repo, 'a.txt', [
      ['typed line', TYPED],
      ['ai line', AI],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '--amend', '--no-edit']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-completion=1']);
    // Amend again through an editor, and with nothing new staged.
    repo.ok(['commit', '-q', '--amend'], { GIT_EDITOR: 'true' });
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-completion=1']);
    assert.equal(repo.message().match(/AI-Provenance:/g)?.length, 1);
  });

  it('keeps an existing Signed-off-by with -m and -s, in order', async () => {
    await writeTracked(repo, 'a.txt', [['ai', AI]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-s', '-m', 'Subject', '-m', 'Body text.', '-m', 'Reviewed-by: R <r@example.com>']);
    assert.equal(
      repo.message(),
      'Subject\n\nBody text.\n\nReviewed-by: R <r@example.com>\nSigned-off-by: Test Author <author@example.com>\nAI-Provenance: v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-completion=1\n\n',
    );
    // A re-run over the same message (git commit --amend -m with the trailer in it) still has one trailer.
    const msg = repo.message().trimEnd();
    repo.ok(['commit', '-q', '--amend', '-m', msg]);
    assert.equal(repo.message().match(/AI-Provenance:/g)?.length, 1);
    assert.deepEqual(repo.trailers('HEAD', 'Signed-off-by'), ['Test Author <author@example.com>']);
  });

  it('puts the trailer below the subject a person types into the editor template', async () => {
    await writeTracked(repo, 'a.txt', [['typed', TYPED]]);
    repo.ok(['add', '.']);
    const editor = await subjectEditor(repo, 'Typed in the editor');
    cleanup.push(editor);
    repo.ok(['commit', '-q'], { GIT_EDITOR: editor });
    const seen = await fs.readFile(path.join(repo.paths.ledgerDir, '..', 'COMMIT_EDITMSG.seen'), 'utf8');
    // What the person sees: an empty subject line, a blank line, the trailer, then git's comments.
    assert.match(seen, /^\n\nAI-Provenance: v=1 lines=1 ai=0 mixed=0 human=1 unknown=0\n\n# Please enter the commit message/);
    assert.equal(repo.message(), 'Typed in the editor\n\nAI-Provenance: v=1 lines=1 ai=0 mixed=0 human=1 unknown=0\n\n');
  });

  it('keeps the trailer above the scissors line of commit -v', async () => {
    await writeTracked(repo, 'a.txt', [['Key: value that looks like a trailer', TYPED]]);
    repo.ok(['add', '.']);
    const editor = await subjectEditor(repo, 'Verbose commit');
    cleanup.push(editor);
    repo.ok(['commit', '-q', '-v'], { GIT_EDITOR: editor });
    assert.equal(repo.message(), 'Verbose commit\n\nAI-Provenance: v=1 lines=1 ai=0 mixed=0 human=1 unknown=0\n\n');
  });

  it('still aborts a commit whose message the person left empty', async () => {
    await writeTracked(repo, 'a.txt', [['typed', TYPED]]);
    repo.ok(['add', '.']);
    const r = repo.git(['commit', '-q'], { GIT_EDITOR: 'true' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Aborting commit due to empty commit message/);
    assert.equal(repo.git(['rev-parse', '-q', '--verify', 'HEAD']).status, 1);
    // With -s, git ignores its own Signed-off-by; ours must be ignored too.
    const s = repo.git(['commit', '-q', '-s'], { GIT_EDITOR: 'true' });
    assert.match(s.stderr, /Aborting commit due to empty commit message/);
    // --allow-empty-message: an empty message, as git would have made without us.
    repo.ok(['commit', '-q', '--allow-empty-message', '-m', '']);
    assert.equal(repo.message(), '\n');
  });

  it("builds no record for git commit -m '' (git aborts it), and still builds and stores one with --allow-empty-message", async () => {
    await writeTracked(repo, 'a.txt', [['ai()', AI]]);
    repo.ok(['add', '.']);
    const pending = path.join(repo.paths.ledgerDir, 'pending-record.json');
    const r = repo.git(['commit', '-q', '-m', '']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Aborting commit due to empty commit message/);
    // The record prepare-commit-msg leaves for post-commit: none, for a commit git aborts.
    assert.equal(existsSync(pending), false);
    // A chained commit-msg hook could still give the message text: then the record is built, as before.
    await fs.writeFile(path.join(repo.paths.hooksDir, `commit-msg${CHAINED_SUFFIX}`), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    assert.notEqual(repo.git(['commit', '-q', '-m', '']).status, 0);
    assert.equal(existsSync(pending), true);
    await fs.rm(path.join(repo.paths.hooksDir, `commit-msg${CHAINED_SUFFIX}`));
    repo.ok(['commit', '-q', '--allow-empty-message', '-m', '']);
    assert.equal(repo.message(), '\n');
    assert.deepEqual(repo.ok(['notes', '--ref=ai-provenance', 'show', 'HEAD']).trim().split('\n'), ['ai-provenance v1', 'a.txt 1 ai origin=ai-completion conf=certain']);
  });

  it('honours core.commentChar', async () => {
    repo.ok(['config', 'core.commentChar', ';']);
    await writeTracked(repo, 'a.txt', [['# a markdown heading, not a comment', AI]]);
    repo.ok(['add', '.']);
    const editor = await subjectEditor(repo, 'Custom comment char');
    cleanup.push(editor);
    repo.ok(['commit', '-q'], { GIT_EDITOR: editor });
    assert.equal(repo.message(), 'Custom comment char\n\nAI-Provenance: v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-completion=1\n\n');
  });

  it('treats a conventional-commit subject as a subject, not a trailer', async () => {
    await repo.write('a.txt', 'x\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'feat: add x']);
    assert.equal(repo.message(), 'feat: add x\n\nAI-Provenance: v=1 lines=1 ai=0 mixed=0 human=0 unknown=1\n\n');
  });

  it('still commits, with unknown lines, when the ledger is corrupt', async () => {
    await writeTracked(repo, 'a.txt', [
      ['one', AI],
      ['two', TYPED],
    ]);
    await fs.writeFile(ledgerFile(repo.paths.ledgerDir, 'a.txt'), '{"v":1, this is not json');
    repo.ok(['add', '.']);
    const r = repo.git(['commit', '-q', '-m', 'corrupt']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=0 mixed=0 human=0 unknown=2']);
  });

  it('still commits, with unknown lines, when the ledger cannot be read at all', async () => {
    await writeTracked(repo, 'a.txt', [['one', AI]]);
    // A directory where the ledger file should be: reading it fails (EISDIR), even as root.
    const file = ledgerFile(repo.paths.ledgerDir, 'a.txt');
    await fs.rm(file);
    await fs.mkdir(file);
    repo.ok(['add', '.']);
    const r = repo.git(['commit', '-q', '-m', 'unreadable']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);
  });

  it('attributes an initial commit (no HEAD), and an amend of it against the empty tree', async () => {
    assert.equal(repo.git(['rev-parse', '-q', '--verify', 'HEAD']).status, 1);
    await writeTracked(repo, 'first.txt', [['typed', TYPED]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'root']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=1 unknown=0']);
    await writeTracked(repo, 'first.txt', [
      ['typed', TYPED],
      ['more', PASTE],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '--amend', '--no-edit']);
    assert.equal(repo.ok(['rev-list', '--count', 'HEAD']).trim(), '1');
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-paste=1']);
  });

  it('names an identified tool with Assisted-by, once, however often the hook runs', async () => {
    await writeTracked(repo, 'a.ts', [
      ['chat()', ev('ai-chat', 'GitHub Copilot')],
      ['typed()', TYPED],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'with a tool']);
    assert.deepEqual(repo.trailers('HEAD', 'Assisted-by'), ['GitHub Copilot']);
    repo.ok(['commit', '-q', '--amend', '--no-edit']);
    repo.ok(['commit', '-q', '--amend', '--no-edit']);
    assert.deepEqual(repo.trailers('HEAD', 'Assisted-by'), ['GitHub Copilot']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-chat=1']);
    // Through the editor template as well.
    await writeTracked(repo, 'b.ts', [['more()', ev('ai-chat', 'GitHub Copilot')]]);
    repo.ok(['add', '.']);
    const editor = await subjectEditor(repo, 'Second');
    cleanup.push(editor);
    repo.ok(['commit', '-q'], { GIT_EDITOR: editor });
    assert.equal(repo.message(), 'Second\n\nAI-Provenance: v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-chat=1\nAssisted-by: GitHub Copilot\n\n');
  });

  it('works in a linked worktree (hooks shared, ledger per worktree)', async () => {
    await repo.write('a.txt', 'a\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    const wtDir = path.join(repo.dir, '..', `${path.basename(repo.dir)}-wt`);
    cleanup.push(wtDir);
    repo.ok(['worktree', 'add', '-q', '-b', 'wt', wtDir]);
    const wt = await findRepo(wtDir);
    assert.ok(wt);
    assert.equal(wt.hooksDir, repo.paths.hooksDir);
    assert.notEqual(wt.ledgerDir, repo.paths.ledgerDir);
    const { text, runs } = textWithRuns([['from ai', AI]]);
    await fs.writeFile(path.join(wtDir, 'w.txt'), text);
    await writeFileLedger(wt.ledgerDir, buildFileLedger('w.txt', text, runs, Date.now()));
    run('git', ['add', '.'], wtDir);
    const r = run('git', ['commit', '-q', '-m', 'in worktree'], wtDir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(repo.trailers('wt'), ['v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-completion=1']);
  });

  it('counts a squash merge as one change over its staged diff', async () => {
    await repo.write('a.txt', 'a\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    repo.ok(['checkout', '-q', '-b', 'topic']);
    await writeTracked(repo, 'b.txt', [['ai', AI]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'one']);
    await writeTracked(repo, 'b.txt', [
      ['ai', AI],
      ['typed', TYPED],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'two']);
    repo.ok(['checkout', '-q', 'main']);
    repo.ok(['merge', '-q', '--squash', 'topic']);
    repo.ok(['commit', '-q', '--no-edit']);
    // The squashed commits' own trailers sit indented in the body; only the new one is a trailer.
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-completion=1']);
  });

  it('leaves the message unchanged, and commits, when the CLI is gone', async () => {
    const moved = path.join(repo.dir, '..', `${path.basename(repo.dir)}-cli.js`);
    cleanup.push(moved);
    await fs.copyFile(CLI_PATH, moved);
    await installHook(repo.paths, { cliPath: moved, runtimePath: process.execPath });
    await fs.rm(moved);
    await repo.write('a.txt', 'x\n');
    repo.ok(['add', '.']);
    const r = repo.git(['commit', '-q', '-m', 'no cli']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.equal(repo.message(), 'no cli\n\n');
  });

  it('falls back to node on PATH when the runtime is gone, and does nothing without one', async () => {
    await installHook(repo.paths, { cliPath: CLI_PATH, runtimePath: path.join(repo.dir, 'no-such-runtime') });
    await repo.write('a.txt', 'x\n');
    repo.ok(['add', '.']);
    const nodeDir = path.dirname(process.execPath);
    repo.ok(['commit', '-q', '-m', 'with node'], { PATH: `${nodeDir}${path.delimiter}${process.env.PATH ?? ''}` });
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);
    await repo.write('b.txt', 'y\n');
    repo.ok(['add', '.']);
    // A PATH with the tools the hook's shell uses but no node: still a commit, just no trailer.
    const bin = path.join(repo.dir, '..', `${path.basename(repo.dir)}-bin`);
    cleanup.push(bin);
    await fs.mkdir(bin);
    for (const tool of ['git', 'sed', 'grep']) {
      const found = run('sh', ['-c', `command -v ${tool}`], repo.dir).stdout.trim();
      await fs.symlink(found, path.join(bin, tool));
    }
    const r = repo.git(['commit', '-q', '-m', 'without node'], { PATH: bin });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(repo.message(), 'without node\n\n');
  });

  it('handles a binary file and names with spaces and quotes', async () => {
    await repo.write('img.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x0a, 0x41, 0x0a]));
    await writeTracked(repo, `dir with space/it's "quoted".ts`, [
      ['ai()', AI],
      ['typed()', TYPED],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'odd names']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-completion=1']);
    assert.doesNotMatch(repo.message(), /quoted|img\.bin|ai\(\)/);
  });

  it('handles a CRLF file', async () => {
    await writeTracked(
      repo,
      'win.txt',
      [
        ['first', TYPED],
        ['second', AI],
        ['', null],
        ['third', PASTE],
      ],
      '\r\n',
    );
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'crlf']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-completion=1 ai-paste=1']);
  });

  it('handles deleted and renamed files', async () => {
    const body = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    await repo.write('old.txt', `${body.join('\n')}\n`);
    await repo.write('doomed.txt', 'bye\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    await fs.rm(path.join(repo.dir, 'old.txt'));
    await fs.rm(path.join(repo.dir, 'doomed.txt'));
    // Renamed, with one AI line added; the ledger is kept under the new name.
    await writeTracked(repo, 'new.txt', [...body.map((l) => [l, null] as const), ['added by ai', AI]]);
    repo.ok(['add', '-A']);
    const status = repo.ok(['diff', '--cached', '--name-status', '-M']);
    assert.match(status, /^R\d+\told\.txt\tnew\.txt$/m);
    assert.match(status, /^D\tdoomed\.txt$/m);
    repo.ok(['commit', '-q', '-m', 'rename']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-completion=1']);
  });

  it('leaves merge commits alone', async () => {
    await repo.write('a.txt', 'a\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    repo.ok(['checkout', '-q', '-b', 'side']);
    await repo.write('b.txt', 'b\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'side']);
    repo.ok(['checkout', '-q', 'main']);
    await repo.write('c.txt', 'c\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'main']);
    repo.ok(['merge', '-q', '--no-ff', '--no-edit', 'side']);
    assert.deepEqual(repo.trailers(), []);
    assert.equal(repo.message(), "Merge branch 'side'\n\n");
  });

  it('keeps a replayed commit’s trailer during a rebase', async () => {
    await repo.write('a.txt', 'a\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    repo.ok(['checkout', '-q', '-b', 'topic']);
    await writeTracked(repo, 'b.txt', [['from ai', AI]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'topic']);
    const before = repo.trailers();
    assert.deepEqual(before, ['v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-completion=1']);
    repo.ok(['checkout', '-q', 'main']);
    await repo.write('c.txt', 'c\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'main']);
    repo.ok(['checkout', '-q', 'topic']);
    // The ledger now disagrees with the replayed commit; the original trailer must survive.
    await fs.rm(repo.paths.ledgerDir, { recursive: true, force: true });
    repo.ok(['rebase', '-q', 'main']);
    assert.deepEqual(repo.trailers(), before);
  });
});
