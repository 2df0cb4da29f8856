import { strict as assert } from 'node:assert';
import { existsSync, promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { HOOK_MARKER, installHook, shQuote, uninstallHook } from '../../src/node/commit/install';
import { CHAINED_SUFFIX } from '../../src/node/commit/message';
import type { TempRepo} from './helpers/gitRepo';
import { CLI_PATH, ev, run, writeTracked, useTempRepo } from './helpers/gitRepo';

const OPTS = { cliPath: CLI_PATH, runtimePath: process.execPath };

/** A previous hook that records its arguments and fails when asked to. */
const PREVIOUS_HOOK = `#!/bin/sh
# the team's own hook
printf '%s|' "$@" >> "$(dirname "$0")/../prev-args.log"
echo >> "$(dirname "$0")/../prev-args.log"
if grep -q 'WIP' "$1"; then echo 'no WIP commits' >&2; exit 3; fi
exit 0
`;

/**
 * post-commit and prepare-commit-msg exactly as version 3 of ours wrote them
 * (src/node/commit/install.ts at 92c62b8~1, before post-commit went to the
 * background), for the given paths.
 */
function v3Hook(name: 'post-commit' | 'prepare-commit-msg', cliPath: string, runtimePath: string): string {
  const sub = name === 'post-commit' ? 'post-commit' : 'hook';
  const about =
    name === 'post-commit'
      ? '# Installed by the AI Provenance extension. It stores and carries the line-level\n# record of each commit (a git note on refs/notes/ai-provenance).'
      : '# Installed by the AI Provenance extension. It adds an AI-Provenance trailer\n# with line counts only (no code, no file names) to commit messages.';
  return `#!/bin/sh
# ai-provenance-hook v3
${about}
# Remove it with the "AI Provenance: Uninstall Commit Hook" command or
# \`ai-provenance uninstall-hook\`; a hook that was here before is restored.
ai_provenance_cli=${shQuote(cliPath)}
ai_provenance_runtime=${shQuote(runtimePath)}

# A hook that was here before runs first, with the same arguments.
ai_provenance_chained="$0.ai-provenance-chained"
if [ -x "$ai_provenance_chained" ]; then
	"$ai_provenance_chained" "$@" || exit $?
fi

# The extension was moved or uninstalled: do nothing.
[ -f "$ai_provenance_cli" ] || exit 0

if [ -x "$ai_provenance_runtime" ]; then
	ELECTRON_RUN_AS_NODE=1 "$ai_provenance_runtime" "$ai_provenance_cli" ${sub} "$@" </dev/null || true
elif command -v node >/dev/null 2>&1; then
	node "$ai_provenance_cli" ${sub} "$@" </dev/null || true
fi
exit 0
`;
}

describe('commit: hook installation', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true });

  const hook = (name = 'prepare-commit-msg'): string => path.join(repo.paths.hooksDir, name);

  it('writes executable POSIX sh hooks with the marker line', async () => {
    const r = await installHook(repo.paths, OPTS);
    assert.equal(r.status, 'installed');
    if (r.status !== 'installed') return;
    assert.deepEqual(r.hooks, [hook('prepare-commit-msg'), hook('commit-msg'), hook('post-commit'), hook('post-rewrite'), hook('post-merge')]);
    assert.deepEqual(r.chained, []);
    assert.equal(r.updated, false);
    for (const h of r.hooks) {
      const text = await fs.readFile(h, 'utf8');
      assert.ok(text.startsWith(`#!/bin/sh\n${HOOK_MARKER}\n`));
      if (process.platform !== 'win32') assert.equal(statSync(h).mode & 0o111, 0o111);
      assert.equal(run('sh', ['-n', h], repo.dir).status, 0, 'valid sh syntax');
    }
  });

  it('quotes paths with spaces and single quotes safely', async () => {
    assert.equal(shQuote(`it's here`), `'it'\\''s here'`);
    const dir = path.join(repo.dir, '..', `${path.basename(repo.dir)} it's "odd" $HOME`);
    await fs.mkdir(dir);
    try {
      const cli = path.join(dir, 'cli.js');
      await fs.copyFile(CLI_PATH, cli);
      await installHook(repo.paths, { cliPath: cli, runtimePath: process.execPath });
      await repo.write('a.txt', 'x\n');
      repo.ok(['add', '.']);
      repo.ok(['commit', '-q', '-m', 'odd cli path']);
      assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('chains a pre-existing hook: same arguments, and its failure still aborts the commit', async () => {
    await fs.mkdir(repo.paths.hooksDir, { recursive: true });
    await fs.writeFile(hook(), PREVIOUS_HOOK, { mode: 0o755 });
    const r = await installHook(repo.paths, OPTS);
    assert.equal(r.status, 'installed');
    if (r.status !== 'installed') return;
    assert.deepEqual(r.chained, [hook() + CHAINED_SUFFIX]);
    assert.equal(await fs.readFile(hook() + CHAINED_SUFFIX, 'utf8'), PREVIOUS_HOOK);

    await repo.write('a.txt', 'x\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'first']);
    repo.ok(['commit', '-q', '--amend', '--no-edit']);
    const log = await fs.readFile(path.join(repo.paths.hooksDir, '..', 'prev-args.log'), 'utf8');
    assert.deepEqual(log.trim().split('\n'), ['.git/COMMIT_EDITMSG|message|', '.git/COMMIT_EDITMSG|commit|HEAD|']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=0 mixed=0 human=0 unknown=1']);

    await repo.write('b.txt', 'y\n');
    repo.ok(['add', '.']);
    const failed = repo.git(['commit', '-q', '-m', 'WIP stuff']);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /no WIP commits/);
    assert.equal(repo.message().startsWith('first'), true, 'no new commit');
  });

  it('re-installs in place without chaining itself', async () => {
    await fs.mkdir(repo.paths.hooksDir, { recursive: true });
    await fs.writeFile(hook(), PREVIOUS_HOOK, { mode: 0o755 });
    await installHook(repo.paths, OPTS);
    const again = await installHook(repo.paths, { ...OPTS, cliPath: `${CLI_PATH}` });
    assert.equal(again.status, 'installed');
    if (again.status !== 'installed') return;
    assert.equal(again.updated, true);
    assert.deepEqual(again.chained, []);
    assert.equal(await fs.readFile(hook() + CHAINED_SUFFIX, 'utf8'), PREVIOUS_HOOK);
    const files = (await fs.readdir(repo.paths.hooksDir)).filter((f) => f.startsWith('prepare-commit-msg') && !f.endsWith('.sample'));
    assert.deepEqual(files.sort(), ['prepare-commit-msg', `prepare-commit-msg${CHAINED_SUFFIX}`]);
    await repo.write('a.txt', 'x\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'once']);
    const log = await fs.readFile(path.join(repo.paths.hooksDir, '..', 'prev-args.log'), 'utf8');
    assert.equal(log.trim().split('\n').length, 1, 'the previous hook ran once');
    assert.equal(repo.message().match(/AI-Provenance:/g)?.length, 1);
  });

  it('uninstalls, restoring the original hook', async () => {
    await fs.mkdir(repo.paths.hooksDir, { recursive: true });
    await fs.writeFile(hook(), PREVIOUS_HOOK, { mode: 0o755 });
    await installHook(repo.paths, OPTS);
    const r = await uninstallHook(repo.paths);
    assert.deepEqual(r.removed, [hook('prepare-commit-msg'), hook('commit-msg'), hook('post-commit'), hook('post-rewrite'), hook('post-merge')]);
    assert.deepEqual(r.restored, [hook()]);
    assert.equal(await fs.readFile(hook(), 'utf8'), PREVIOUS_HOOK);
    assert.equal(existsSync(hook() + CHAINED_SUFFIX), false);
    assert.equal(existsSync(hook('commit-msg')), false);
    // Uninstalling again changes nothing, and a foreign hook is never removed.
    assert.deepEqual(await uninstallHook(repo.paths), { removed: [], restored: [], kept: [] });
    assert.equal(await fs.readFile(hook(), 'utf8'), PREVIOUS_HOOK);
    await repo.write('a.txt', 'x\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'plain']);
    assert.deepEqual(repo.trailers(), []);
  });

  it('uninstall removes the hooks an earlier version of ours wrote (marker v3, unedited), restoring the hook chained before', async () => {
    await fs.mkdir(repo.paths.hooksDir, { recursive: true });
    await fs.writeFile(hook() + CHAINED_SUFFIX, PREVIOUS_HOOK, { mode: 0o755 });
    await fs.writeFile(hook(), v3Hook('prepare-commit-msg', "/opt/it's old/cli.js", '/usr/bin/node'), { mode: 0o755 });
    await fs.writeFile(hook('post-commit'), v3Hook('post-commit', "/opt/it's old/cli.js", '/usr/bin/node'), { mode: 0o755 });
    const r = await uninstallHook(repo.paths);
    assert.deepEqual(r, { removed: [hook(), hook('post-commit')], restored: [hook()], kept: [] });
    assert.equal(await fs.readFile(hook(), 'utf8'), PREVIOUS_HOOK);
    assert.equal(existsSync(hook() + CHAINED_SUFFIX), false);
    assert.equal(existsSync(hook('post-commit')), false);
  });

  it('uninstall keeps a v3 hook the person edited, with its chained hook beside it, and removes the unedited one', async () => {
    await fs.mkdir(repo.paths.hooksDir, { recursive: true });
    await fs.writeFile(hook() + CHAINED_SUFFIX, PREVIOUS_HOOK, { mode: 0o755 });
    const edited = v3Hook('prepare-commit-msg', CLI_PATH, process.execPath).replace(/\nexit 0\n$/, '\necho "checked by the team" >&2\nexit 0\n');
    await fs.writeFile(hook(), edited, { mode: 0o755 });
    await fs.writeFile(hook('post-commit'), v3Hook('post-commit', CLI_PATH, process.execPath), { mode: 0o755 });
    const r = await uninstallHook(repo.paths);
    assert.deepEqual(r.removed, [hook('post-commit')]);
    assert.deepEqual(r.restored, []);
    assert.deepEqual(
      r.kept.map((k) => k.file),
      [hook()],
    );
    assert.match(r.kept[0].message, /was changed after AI Provenance installed it, so it was kept as it is/);
    assert.equal(await fs.readFile(hook(), 'utf8'), edited);
    assert.equal(await fs.readFile(hook() + CHAINED_SUFFIX, 'utf8'), PREVIOUS_HOOK);
  });

  it('install again over a hook of ours the person edited: nothing written, the edit kept, and it says what to do; an earlier unedited version is upgraded', async () => {
    await installHook(repo.paths, OPTS);
    const edited = (await fs.readFile(hook(), 'utf8')).replace(/\nexit 0\n$/, '\necho "checked by the team" >&2\nexit 0\n');
    assert.notEqual(edited, await fs.readFile(hook(), 'utf8'));
    await fs.writeFile(hook(), edited, { mode: 0o755 });
    const postCommit = await fs.readFile(hook('post-commit'), 'utf8');
    const r = await installHook(repo.paths, OPTS);
    assert.equal(r.status, 'conflict');
    assert.ok(r.status === 'conflict' && /was changed after AI Provenance installed it.*nothing was written/.test(r.message), JSON.stringify(r));
    assert.equal(await fs.readFile(hook(), 'utf8'), edited);
    assert.equal(await fs.readFile(hook('post-commit'), 'utf8'), postCommit);
    assert.equal(existsSync(hook() + CHAINED_SUFFIX), false);

    await fs.writeFile(hook(), v3Hook('prepare-commit-msg', CLI_PATH, process.execPath), { mode: 0o755 });
    const up = await installHook(repo.paths, OPTS);
    assert.equal(up.status, 'installed');
    assert.ok((await fs.readFile(hook(), 'utf8')).includes(HOOK_MARKER), 'the v3 hook is upgraded');
  });

  it('refuses, writing nothing, when a foreign hook replaced ours and a chained hook is already there', async () => {
    await installHook(repo.paths, OPTS);
    await fs.writeFile(hook() + CHAINED_SUFFIX, PREVIOUS_HOOK, { mode: 0o755 });
    await fs.writeFile(hook(), '#!/bin/sh\necho another tool\n', { mode: 0o755 });
    const r = await installHook(repo.paths, OPTS);
    assert.equal(r.status, 'conflict');
    assert.equal(await fs.readFile(hook(), 'utf8'), '#!/bin/sh\necho another tool\n');
  });

  it('installs into core.hooksPath', async () => {
    repo.ok(['config', 'core.hooksPath', 'custom-hooks']);
    const paths = await repo.refresh();
    assert.equal(paths.hooksDir, path.join(repo.dir, 'custom-hooks'));
    const r = await installHook(paths, OPTS);
    assert.equal(r.status, 'installed');
    assert.ok(existsSync(path.join(repo.dir, 'custom-hooks', 'prepare-commit-msg')));
    assert.equal(existsSync(path.join(repo.dir, '.git', 'hooks', 'prepare-commit-msg')), false);
    await writeTracked(repo, 'a.txt', [['x', ev('ai-chat')]]);
    repo.ok(['add', 'a.txt']);
    repo.ok(['commit', '-q', '-m', 'via hooksPath']);
    assert.deepEqual(repo.trailers(), ['v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-chat=1']);
  });

  it('writes nothing when husky owns the hooks, and says which line to add to which file', async () => {
    await fs.mkdir(path.join(repo.dir, '.husky', '_'), { recursive: true });
    repo.ok(['config', 'core.hooksPath', '.husky/_']);
    const paths = await repo.refresh();
    const r = await installHook(paths, OPTS);
    assert.equal(r.status, 'manual');
    if (r.status !== 'manual') return;
    assert.equal(r.manager, 'husky');
    assert.equal(r.file, path.join(repo.dir, '.husky', 'prepare-commit-msg'));
    assert.ok(r.instructions.includes(`ELECTRON_RUN_AS_NODE=1 ${shQuote(process.execPath)} ${shQuote(CLI_PATH)} hook "$@" || true`));
    assert.deepEqual(await fs.readdir(path.join(repo.dir, '.husky', '_')), []);
    assert.equal(existsSync(r.file), false);
  });

  it('follows the husky instructions, every hook, to a working trailer and record through an amend and a squash', async () => {
    await fs.mkdir(path.join(repo.dir, '.husky'), { recursive: true });
    repo.ok(['config', 'core.hooksPath', '.husky']);
    const paths = await repo.refresh();
    const r = await installHook(paths, OPTS);
    assert.equal(r.status, 'manual');
    if (r.status !== 'manual') return;
    // "<file>:" then "  <line>", for each hook, as the person reads them.
    const rows = r.instructions.split('\n');
    const files: string[] = [];
    for (let i = 0; i < rows.length - 1; i++) {
      const m = /^(\/.*\/\.husky\/[a-z-]+):$/.exec(rows[i]);
      if (!m) continue;
      files.push(path.basename(m[1]));
      await fs.writeFile(m[1], `#!/bin/sh\n${rows[i + 1].trim()}\n`, { mode: 0o755 });
    }
    assert.deepEqual(files, ['prepare-commit-msg', 'commit-msg', 'post-commit', 'post-rewrite', 'post-merge', 'pre-push']);
    await repo.write('base.txt', 'base\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    await writeTracked(repo, 'a.txt', [['ai1()', ev('ai-completion')], ['ai2()', ev('ai-completion')]]);
    repo.ok(['add', 'a.txt']);
    repo.ok(['commit', '-q', '-m', 'husky']);
    const ai2 = 'v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-completion=2';
    assert.deepEqual(repo.trailers(), [ai2]);
    await fs.rm(repo.paths.ledgerDir, { recursive: true, force: true });
    repo.ok(['commit', '-q', '--amend', '-m', 'husky, reworded']);
    assert.deepEqual(repo.trailers(), [ai2]);
    await repo.write('b.txt', 'b()\n');
    repo.ok(['add', 'b.txt']);
    repo.ok(['commit', '-q', '-m', 'b']);
    repo.ok(['rebase', '-q', '-i', 'HEAD~2'], { GIT_SEQUENCE_EDITOR: "sed -i -e '2s/^pick/squash/'" });
    assert.equal(repo.message().match(/AI-Provenance:/g)?.length, 1);
    assert.deepEqual(repo.trailers(), ['v=1 lines=3 ai=2 mixed=0 human=0 unknown=1 ai-completion=2']);
    assert.deepEqual(repo.ok(['notes', '--ref=ai-provenance', 'show', 'HEAD']).trim().split('\n'), ['ai-provenance v1', 'a.txt 1-2 ai origin=ai-completion conf=certain', 'b.txt 1 unknown']);
  });

  for (const [file, manager] of [
    ['lefthook.yml', 'lefthook'],
    ['.pre-commit-config.yaml', 'pre-commit'],
  ] as const) {
    it(`writes nothing when ${manager} is configured (${file})`, async () => {
      await repo.write(file, 'x: 1\n');
      const r = await installHook(repo.paths, OPTS);
      assert.equal(r.status, 'manual');
      if (r.status !== 'manual') return;
      assert.equal(r.manager, manager);
      assert.equal(r.file, path.join(repo.dir, file));
      for (const h of ['prepare-commit-msg', 'commit-msg', 'post-commit', 'post-rewrite', 'post-merge', 'pre-push']) assert.match(r.instructions, new RegExp(h));
      assert.equal(existsSync(hook()), false);
    });
  }
});
