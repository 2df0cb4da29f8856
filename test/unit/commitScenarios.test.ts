import { strict as assert } from 'node:assert';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { installHook } from '../../src/node/commit/install';
import { cleanedForComparison, TEMPLATE_COPY_SUFFIX, untouchedTemplate } from '../../src/node/commit/message';
import { ledgerFile } from '../../src/node/git/ledgerStore';
import { CLI_PATH, ev, installTestHooks, TempRepo, writeTracked, useTempRepo } from './helpers/gitRepo';

const TYPED = ev('typed');
const AI = ev('ai-completion');

/** A GIT_EDITOR script that changes the first line of the message to `subject`, as a person editing a template would. */
async function replaceFirstLineEditor(repo: TempRepo, subject: string): Promise<string> {
  const file = path.join(repo.paths.gitDir, `editor-${Date.now()}.sh`);
  await fs.writeFile(file, `#!/bin/sh\n{ printf '%s\\n' '${subject}'; tail -n +2 "$1"; } > "$1.new" && mv "$1.new" "$1"\n`, { mode: 0o755 });
  return file;
}

describe('commit: the hook in the ways people commit', function () {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('adds the trailer to a message given with commit -F', async () => {
    await writeTracked(repo, 'a.ts', [
      ['ai()', AI],
      ['typed()', TYPED],
    ]);
    repo.ok(['add', '.']);
    const msg = path.join(repo.paths.gitDir, 'MY_MSG');
    await fs.writeFile(msg, 'Subject from a file\n\nA body paragraph.\n\nReviewed-by: R <r@example.com>\n');
    repo.ok(['commit', '-q', '-F', msg]);
    assert.equal(
      repo.message(),
      'Subject from a file\n\nA body paragraph.\n\nReviewed-by: R <r@example.com>\nAI-Provenance: v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-completion=1\n\n',
    );
    // The file itself is git's input, never touched.
    assert.equal(await fs.readFile(msg, 'utf8'), 'Subject from a file\n\nA body paragraph.\n\nReviewed-by: R <r@example.com>\n');
  });

  it('with commit -t: an untouched template still aborts the commit, an edited one gets the trailer once', async () => {
    const template = path.join(repo.paths.gitDir, 'TEMPLATE');
    await fs.writeFile(template, 'Short summary\n\n# Why is this change needed?\n');
    await writeTracked(repo, 'a.ts', [['ai()', AI]]);
    repo.ok(['add', '.']);
    const untouched = repo.git(['commit', '-q', '-t', template], { GIT_EDITOR: 'true' });
    assert.notEqual(untouched.status, 0);
    assert.match(untouched.stderr, /you did not edit the message/);
    assert.equal(repo.git(['rev-parse', '-q', '--verify', 'HEAD']).status, 1);
    assert.equal(existsSync(path.join(repo.paths.gitDir, `COMMIT_EDITMSG${TEMPLATE_COPY_SUFFIX}`)), false, 'the template copy is cleaned up');
    const editor = await replaceFirstLineEditor(repo, 'Edited summary');
    repo.ok(['commit', '-q', '-t', template], { GIT_EDITOR: editor });
    assert.equal(repo.message(), 'Edited summary\n\nAI-Provenance: v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-completion=1\n\n');
    assert.equal(existsSync(path.join(repo.paths.gitDir, `COMMIT_EDITMSG${TEMPLATE_COPY_SUFFIX}`)), false);
  });

  it('with commit.template: the same, and -m still ignores the template', async () => {
    const template = path.join(repo.paths.gitDir, 'TEMPLATE');
    await fs.writeFile(template, 'type(scope): summary\n\n# Explain why.\n');
    repo.ok(['config', 'commit.template', template]);
    await writeTracked(repo, 'a.ts', [['typed()', TYPED]]);
    repo.ok(['add', '.']);
    const untouched = repo.git(['commit', '-q'], { GIT_EDITOR: 'true' });
    assert.notEqual(untouched.status, 0);
    assert.match(untouched.stderr, /you did not edit the message/);
    const editor = await replaceFirstLineEditor(repo, 'feat(a): add a');
    repo.ok(['commit', '-q'], { GIT_EDITOR: editor });
    assert.equal(repo.message().match(/AI-Provenance:/g)?.length, 1);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=1 unknown=0']);
    assert.match(repo.message(), /^feat\(a\): add a\n/);
    // An amend that reuses the message, and a -m commit, are not template commits.
    await writeTracked(repo, 'b.ts', [['more()', AI]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'second']);
    assert.equal(repo.message(), 'second\n\nAI-Provenance: v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-completion=1\n\n');
  });

  it('commit --amend --no-edit replaces the trailer and counts the whole amended commit', async () => {
    await writeTracked(repo, 'base.txt', [['base', TYPED]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    await writeTracked(repo, 'a.ts', [
      ['one()', AI],
      ['two()', TYPED],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'work', '-m', 'Signed-off-by: A <a@example.com>']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-completion=1']);
    // A second file staged for the amend: the trailer must cover a.ts and b.ts, not b.ts alone.
    await writeTracked(repo, 'b.ts', [['three()', ev('ai-chat', 'Agent')]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '--amend', '--no-edit']);
    assert.equal(repo.ok(['rev-list', '--count', 'HEAD']).trim(), '2');
    assert.equal(
      repo.message(),
      'work\n\nSigned-off-by: A <a@example.com>\nAI-Provenance: v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-completion=1 ai-chat=1\nAssisted-by: Agent\n\n',
    );
  });

  it('cherry-pick keeps the picked commit’s trailer, even when the ledger no longer knows its lines', async () => {
    await repo.write('base.txt', 'base\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    repo.ok(['checkout', '-q', '-b', 'topic']);
    await writeTracked(repo, 'ai.ts', [
      ['ai()', AI],
      ['ai2()', AI],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'AI work']);
    const original = repo.trailers();
    assert.deepEqual(original, ['v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-completion=2']);
    repo.ok(['checkout', '-q', 'main']);
    await fs.rm(repo.paths.ledgerDir, { recursive: true, force: true });
    repo.ok(['cherry-pick', 'topic']);
    assert.deepEqual(repo.trailers(), original);
    assert.equal(repo.message().match(/AI-Provenance:/g)?.length, 1);
    // With -x the "cherry picked from" line joins the trailer block; ours is still there once.
    repo.ok(['reset', '-q', '--hard', 'HEAD~1']);
    repo.ok(['cherry-pick', '-x', 'topic']);
    assert.deepEqual(repo.trailers(), original);
    assert.match(repo.message(), /\(cherry picked from commit [0-9a-f]{40}\)/);
  });

  it('revert gets a trailer of its own: lines it removes count nothing, lines it brings back count as unknown', async () => {
    await writeTracked(repo, 'a.ts', [
      ['one()', TYPED],
      ['two()', TYPED],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    await writeTracked(repo, 'a.ts', [
      ['one()', TYPED],
      ['TWO()', AI],
      ['three()', AI],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'AI edit']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-completion=2']);
    repo.ok(['revert', '--no-edit', 'HEAD']);
    // git writes a new message ("Revert ..."), without the original's trailer; the hook counts what
    // the revert adds: `two()` restored from history, which no ledger attributes.
    assert.match(repo.message(), /^Revert "AI edit"\n\nThis reverts commit [0-9a-f]{40}\.\n\nAI-Provenance: /);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);
    // Reverting a commit that only added lines adds none.
    await writeTracked(repo, 'new.ts', [['added()', AI]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'add new']);
    repo.ok(['revert', '--no-edit', 'HEAD']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=0 ai=0 mixed=0 human=0 unknown=0']);
  });

  it('does not count a submodule’s files in the superproject; the submodule’s own commits get their own trailer', async () => {
    const sub = await TempRepo.create();
    try {
      await sub.write('lib.ts', 'lib()\n');
      sub.ok(['add', '.']);
      sub.ok(['commit', '-q', '-m', 'lib']);
      await repo.write('main.ts', 'main()\n');
      repo.ok(['add', '.']);
      repo.ok(['commit', '-q', '-m', 'base']);
      repo.ok(['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/lib']);
      repo.ok(['commit', '-q', '-m', 'add submodule']);
      // Only .gitmodules' three lines; nothing of lib.ts.
      assert.deepEqual(repo.trailers(), ['v=1 lines=3 ai=0 mixed=0 human=0 unknown=3']);

      // Hooks installed inside the submodule too: its commit is counted with its own ledger.
      const inner = await TempRepo.open(path.join(repo.dir, 'vendor/lib'));
      assert.notEqual(inner.paths.ledgerDir, repo.paths.ledgerDir);
      await installTestHooks(inner.paths);
      await writeTracked(inner, 'more.ts', [
        ['generated()', ev('ai-chat', 'Agent')],
        ['generated2()', ev('ai-chat', 'Agent')],
      ]);
      inner.ok(['add', '.']);
      inner.ok(['commit', '-q', '-m', 'more in the submodule']);
      assert.deepEqual(inner.trailers(), ['v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-chat=2']);
      assert.deepEqual(inner.trailers('HEAD', 'Assisted-by'), ['Agent']);

      // The superproject commit that moves the pointer adds no lines of its own.
      repo.ok(['add', 'vendor/lib']);
      assert.match(repo.ok(['diff', '--cached', '--raw']), /^:160000 160000 /);
      repo.ok(['commit', '-q', '-m', 'bump lib']);
      assert.deepEqual(repo.trailers(), ['v=1 lines=0 ai=0 mixed=0 human=0 unknown=0']);
      assert.deepEqual(repo.trailers('HEAD', 'Assisted-by'), []);
    } finally {
      await sub.dispose();
    }
  });

  it('counts a ledger written by another version (v:2) as unknown, and still commits', async () => {
    await writeTracked(repo, 'a.ts', [
      ['ai()', AI],
      ['typed()', TYPED],
    ]);
    const file = ledgerFile(repo.paths.ledgerDir, 'a.ts');
    const v1 = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(file, JSON.stringify({ ...v1, v: 2, newField: { anything: true } }));
    repo.ok(['add', '.']);
    const r = repo.git(['commit', '-q', '-m', 'future ledger']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=0 mixed=0 human=0 unknown=2']);
  });
});

describe('commit: hook managers other than husky', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true });

  const opts = { cliPath: CLI_PATH, runtimePath: process.execPath };

  for (const [manager, file, config] of [
    ['lefthook', 'lefthook.yml', 'pre-commit:\n  commands:\n    lint:\n      run: npm run lint\n'],
    ['pre-commit', '.pre-commit-config.yaml', 'repos:\n- repo: local\n  hooks: []\n'],
  ] as const) {
    it(`${manager}: writes nothing, and its instructions name every hook, with commands that work`, async () => {
      await repo.write(file, config);
      const hooksBefore = await fs.readdir(repo.paths.hooksDir);
      const r = await installHook(repo.paths, opts);
      assert.equal(r.status, 'manual');
      if (r.status !== 'manual') return;
      assert.equal(r.manager, manager);
      assert.equal(r.file, path.join(repo.dir, file));
      // Nothing written: not the hooks directory, not the manager's configuration.
      assert.deepEqual(await fs.readdir(repo.paths.hooksDir), hooksBefore);
      assert.equal(await fs.readFile(path.join(repo.dir, file), 'utf8'), config);
      assert.match(r.instructions, new RegExp(`^${manager} manages this repository's git hooks, so AI Provenance did not write any\\. Add to `));
      assert.match(r.instructions, /prepare-commit-msg/);
      assert.match(r.instructions, /commit-msg/);

      // What the manager would run, run the way it would: the hook's arguments appended
      // (pre-commit) or substituted ({0}, {1}: lefthook).
      // pre-commit passes only the message file, and the source and commit in its own variables.
      const commands =
        manager === 'lefthook'
          ? [...r.instructions.matchAll(/^ {6}run: (.*)$/gm)].map((m) => m[1].replace('{0}', '"$@"').replace('{1}', '"$1"'))
          : [...r.instructions.matchAll(/^ {6}entry: (.*)$/gm)].map((m) => `PRE_COMMIT_COMMIT_MSG_SOURCE="$2" PRE_COMMIT_COMMIT_OBJECT_NAME="$3" ${m[1]} "$1"`);
      // Every hook we use (post-commit, post-rewrite, post-merge, pre-push too); the first two make the trailer.
      assert.equal(commands.length, manager === 'lefthook' ? 6 : 5);
      const [prepare, guard] = commands;
      await fs.writeFile(path.join(repo.paths.hooksDir, 'prepare-commit-msg'), `#!/bin/sh\n${prepare}\n`, { mode: 0o755 });
      await fs.writeFile(path.join(repo.paths.hooksDir, 'commit-msg'), `#!/bin/sh\n${guard}\n`, { mode: 0o755 });
      await writeTracked(repo, 'a.ts', [['ai()', AI]]);
      repo.ok(['add', 'a.ts']);
      repo.ok(['commit', '-q', '-m', `via ${manager}`]);
      assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-completion=1']);
      // An amend still counts the whole commit: the hook learns it is one.
      await writeTracked(repo, 'c.ts', [['typed()', TYPED]]);
      repo.ok(['add', 'c.ts']);
      repo.ok(['commit', '-q', '--amend', '--no-edit']);
      assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-completion=1']);
      // And the guard keeps an empty message aborting.
      await writeTracked(repo, 'b.ts', [['ai()', AI]]);
      repo.ok(['add', 'b.ts']);
      const empty = repo.git(['commit', '-q'], { GIT_EDITOR: 'true' });
      assert.match(empty.stderr, /Aborting commit due to empty commit message/);
    });
  }
});

describe('commit: template rules', () => {
  it('compares messages the way git’s cleanup sees them', () => {
    assert.equal(cleanedForComparison('\n\nSubject  \n\n\n\nBody\n# comment\nSigned-off-by: A <a@b>\n\n', '#'), 'Subject\n\nBody');
    assert.equal(cleanedForComparison('Subject\n# ------------------------ >8 ------------------------\nbelow\n', '#'), 'Subject');
  });

  it('takes our trailers out only when the rest is still the template', () => {
    const original = 'Summary\n\n# Why?\n';
    assert.equal(untouchedTemplate('Summary\n\nAI-Provenance: v=1 lines=0\nAssisted-by: T\n\n# Why?\n', original, '#'), 'Summary\n\n\n# Why?\n');
    assert.equal(untouchedTemplate('Summary, edited\n\nAI-Provenance: v=1 lines=0\n\n# Why?\n', original, '#'), undefined);
    assert.equal(untouchedTemplate('Summary\n\nMore text.\nAI-Provenance: v=1 lines=0\n', original, '#'), undefined);
    // Nothing of ours to take out.
    assert.equal(untouchedTemplate(original, original, '#'), undefined);
  });
});
