import { strict as assert } from 'node:assert';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { markText } from '../../src/node/commit/mark';
import { buildFileLedger } from '../../src/core/ledger';
import { AI_ORIGINS, MAX_TOOL_LENGTH } from '../../src/core/origin';
import { readFileLedger } from '../../src/node/git/ledgerStore';
import type { TempRepo} from './helpers/gitRepo';
import { cli, ev, textWithRuns, writeTracked, useTempRepo } from './helpers/gitRepo';

const TYPED = ev('typed');
const AI = ev('ai-completion');

describe('commit: mark, for tools that write files themselves', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('marks a new file whole, and the real hook counts it as the tool’s, naming it', async () => {
    await repo.write('README.md', 'readme\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    // What an agent wrote: five non-blank lines, one blank.
    await repo.write('src/a.ts', 'export function a() {\n  return 1;\n}\n\nexport const b = 2;\nexport const c = 3;\n');
    const r = cli(repo.dir, ['mark', '--origin', 'ai-chat', '--tool', 'claude-code', 'src/a.ts']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'marked 5 lines of src/a.ts as ai-chat (claude-code)\n');
    const ledger = await readFileLedger(repo.paths.ledgerDir, 'src/a.ts');
    assert.ok(ledger);
    assert.equal(ledger.classes, 'aaa.aa.');
    assert.deepEqual(
      ledger.ev.map((e) => [e.origin, e.confidence, e.tool, e.detail]),
      [['ai-chat', 'certain', 'claude-code', 'marked by claude-code via ai-provenance mark']],
    );
    repo.ok(['add', '.']);
    const c = repo.git(['commit', '-q', '-m', 'Agent work']);
    assert.equal(c.status, 0, c.stderr);
    assert.deepEqual(repo.trailers(), ['v=1 lines=5 ai=5 mixed=0 human=0 unknown=0 ai-chat=5']);
    assert.deepEqual(repo.trailers('HEAD', 'Assisted-by'), ['claude-code']);
  });

  it('marks only the lines an edit changed in a file with a ledger, keeping earlier AI and typed lines', async () => {
    await writeTracked(repo, 'app.py', [
      ['def f():', TYPED],
      ['    return 1', AI],
      ['', null],
      ['def g():', TYPED],
      ['    return 2', TYPED],
    ]);
    // The agent rewrites one line and appends two, one of them blank.
    await repo.write('app.py', 'def f():\n    return 1\n\ndef g():\n    return 20\n\nprint(f(), g())\n');
    const r = cli(repo.dir, ['mark', '--origin=ai-chat', '--tool=Aider', 'app.py']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'marked 2 lines of app.py as ai-chat (Aider)\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'edit']);
    // def f (typed), return 1 (completion), def g (typed), return 20 and print (the agent).
    assert.deepEqual(repo.trailers(), ['v=1 lines=5 ai=3 mixed=0 human=2 unknown=0 ai-completion=1 ai-chat=2']);
    assert.deepEqual(repo.trailers('HEAD', 'Assisted-by'), ['Aider']);
  });

  it('without a ledger, marks only what differs from HEAD; without --tool, names no tool', async () => {
    await repo.write('notes.txt', 'one\ntwo\nthree\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    await repo.write('notes.txt', 'one\ntwo, amended\nthree\nfour\n');
    const r = cli(repo.dir, ['mark', '--origin', 'ai-paste', 'notes.txt']);
    assert.equal(r.stdout, 'marked 2 lines of notes.txt as ai-paste\n');
    const ledger = await readFileLedger(repo.paths.ledgerDir, 'notes.txt');
    assert.equal(ledger?.ev[0].detail, 'marked via ai-provenance mark');
    assert.equal(ledger?.ev[0].tool, undefined);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'more notes']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-paste=2']);
    assert.deepEqual(repo.trailers('HEAD', 'Assisted-by'), []);
  });

  it('takes paths relative to the current directory or absolute', async () => {
    await repo.write('pkg/sub/x.ts', 'x();\n');
    await repo.write('pkg/y.ts', 'y();\n');
    const r = cli(path.join(repo.dir, 'pkg'), ['mark', '--origin', 'ai-paste', 'sub/x.ts', path.join(repo.dir, 'pkg', 'y.ts')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'marked 1 line of pkg/sub/x.ts as ai-paste\nmarked 1 line of pkg/y.ts as ai-paste\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'pasted']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-paste=2']);
  });

  it('refuses a missing or unknown origin with exit 2, listing the origins, and writes nothing', async () => {
    await repo.write('a.txt', 'a\n');
    for (const args of [['mark', 'a.txt'], ['mark', '--origin', 'robot', 'a.txt'], ['mark', '--origin', 'AI-CHAT', 'a.txt']]) {
      const r = cli(repo.dir, args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^ai-provenance: (--origin is required|unknown origin)/);
      assert.ok(r.stderr.includes(`origins: ${AI_ORIGINS.join(', ')}`), r.stderr);
    }
    assert.equal(await readFileLedger(repo.paths.ledgerDir, 'a.txt'), undefined);
  });

  it('refuses a tool name that would not make one clean trailer line', async () => {
    await repo.write('a.txt', 'a\n');
    const cases: Array<[string, RegExp]> = [
      ['evil\nSigned-off-by: someone', /one line of text/],
      ['tab\there', /one line of text/],
      ['   ', /must not be empty/],
      ['x'.repeat(MAX_TOOL_LENGTH + 1), new RegExp(`at most ${MAX_TOOL_LENGTH} characters`)],
    ];
    for (const [tool, message] of cases) {
      const r = cli(repo.dir, ['mark', '--origin', 'ai-chat', '--tool', tool, 'a.txt']);
      assert.equal(r.status, 2, JSON.stringify(tool));
      assert.match(r.stderr, message);
    }
    // Trimmed, and exactly the maximum is fine.
    const ok = cli(repo.dir, ['mark', '--origin', 'ai-chat', '--tool', `  ${'x'.repeat(MAX_TOOL_LENGTH)}  `, 'a.txt']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal((await readFileLedger(repo.paths.ledgerDir, 'a.txt'))?.ev[0].tool, 'x'.repeat(MAX_TOOL_LENGTH));
    assert.match(cli(repo.dir, ['mark', '--origin', 'ai-chat']).stderr, /no file to mark/);
  });

  it('reports a file outside the work tree and a missing file, marks the others, and exits 2', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'aip-outside-'));
    try {
      await fs.writeFile(path.join(outside, 'o.txt'), 'outside\n');
      await repo.write('good.txt', 'good\n');
      const r = cli(repo.dir, ['mark', '--origin', 'ai-chat', path.join(outside, 'o.txt'), 'missing.txt', 'good.txt', '.git/config', 'nodir/none.txt']);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, 'marked 1 line of good.txt as ai-chat\n');
      assert.deepEqual(r.stderr.trimEnd().split('\n'), [
        `ai-provenance: ${path.join(outside, 'o.txt')}: not inside the work tree of ${repo.dir}; not marked`,
        'ai-provenance: missing.txt: no such file; not marked',
        'ai-provenance: .git/config: inside the git directory; not marked',
        'ai-provenance: nodir/none.txt: no such file; not marked',
      ]);
      assert.ok(await readFileLedger(repo.paths.ledgerDir, 'good.txt'));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    const notRepo = mkdtempSync(path.join(os.tmpdir(), 'aip-norepo-'));
    try {
      await fs.writeFile(path.join(notRepo, 'n.txt'), 'n\n');
      const r = cli(notRepo, ['mark', '--origin', 'ai-chat', 'n.txt']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^ai-provenance: not inside a git work tree/);
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
  });

  it('refuses a symbolic link, a directory and a binary file', async () => {
    await repo.write('real.txt', 'real\n');
    await fs.symlink('real.txt', path.join(repo.dir, 'link.txt'));
    await fs.mkdir(path.join(repo.dir, 'dir'));
    await repo.write('blob.bin', Buffer.from([1, 0, 2, 10]));
    const r = cli(repo.dir, ['mark', '--origin', 'ai-chat', 'link.txt', 'dir', 'blob.bin']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /link\.txt: a symbolic link/);
    assert.match(r.stderr, /dir: not a regular file/);
    assert.match(r.stderr, /blob\.bin: a binary file/);
  });
});

describe('commit: markText', () => {
  const mark = ev('ai-chat', 'tool');

  it('keeps every segment the ledger knew on unchanged lines, marking only new ones', () => {
    const { text, runs } = textWithRuns([
      ['keep typed', TYPED],
      ['keep ai', AI],
      ['base', null],
    ]);
    const ledger = buildFileLedger('f.txt', text, runs, 1);
    const { ledger: out, marked } = markText('f.txt', 'new first\nkeep typed\nkeep ai\nbase\n  \nnew last', ledger, null, mark, 2);
    assert.equal(marked, 2);
    assert.equal(out.classes, 'aha..a');
    assert.deepEqual(out.ev.map((e) => e.origin).sort(), ['ai-chat', 'ai-completion', 'typed']);
  });

  it('claims lines the ledger held as written by another program (the editor saw the write first), and no other unknown lines', () => {
    const ext = ev('external');
    const { text, runs } = textWithRuns([
      ['keep typed', TYPED],
      ['written by the agent', ext],
    ]);
    const ledger = buildFileLedger('f.txt', text, runs, 1);
    assert.equal(ledger.classes, 'hu.');
    const { ledger: out, marked } = markText('f.txt', text, ledger, null, mark, 2);
    assert.equal(marked, 1);
    assert.equal(out.classes, 'ha.');
    assert.equal(out.ev[out.lineEv['1']].origin, 'ai-chat');
    const unsure = textWithRuns([['typed here', TYPED], ['some snippet', ev('unknown')]]);
    const kept = markText('f.txt', unsure.text, buildFileLedger('f.txt', unsure.text, unsure.runs, 1), null, mark, 2);
    assert.equal(kept.marked, 0, 'an unknown line the agent did not write stays unknown');
    assert.equal(kept.ledger.classes, 'hu.');
  });

  it('marks nothing when the text is what the ledger knew', () => {
    const { text, runs } = textWithRuns([['same', TYPED]]);
    const { ledger, marked } = markText('f.txt', text, buildFileLedger('f.txt', text, runs, 1), null, mark, 2);
    assert.equal(marked, 0);
    assert.equal(ledger.classes, 'h.');
  });

  it('compares with HEAD’s text when there is no ledger, CRLF included', () => {
    const { ledger, marked } = markText('f.txt', 'a\r\nb\r\nc\r\n', undefined, 'a\r\nc\r\n', mark, 2);
    assert.equal(marked, 1);
    assert.equal(ledger.classes, '.a..');
  });
});
