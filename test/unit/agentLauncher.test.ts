import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT_SPECS, isOurCommand } from '../../src/core/agentConfig';
import { installAgent, projectPlace, uninstallAgent } from '../../src/node/agents/install';
import type { Runtime } from '../../src/node/agents/install';
import { launcherPath, writeLauncher } from '../../src/node/agents/launcher';
import type { TempRepo } from './helpers/gitRepo';
import { CLI_PATH, ev, GIT_TEST_ENV, useTempRepo, writeTracked } from './helpers/gitRepo';

/**
 * Hooks set up from the editor call a launcher in the user's state folder,
 * which the extension points at its current copy of the CLI each time it
 * starts: an update changes the launcher, never the agents' config files.
 * Played with real copies of the built CLI in "extension folders" that come
 * and go, the installed command run as the agent runs it, and a real commit.
 */

const BASE = 'def f():\n    return 1\n';
const AFTER = 'def f():\n    return 1\n\ndef g():\n    return 2\n';

describe('agent hooks through the launcher (set up from the editor)', function () {
  this.timeout(60_000);
  let repo!: TempRepo;
  let home = '';
  let env: NodeJS.ProcessEnv = {};
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'aip-launcher-'));
    env = { ...GIT_TEST_ENV, HOME: home, XDG_STATE_HOME: path.join(home, 'state'), PATH: process.env.PATH };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  /** A copy of the built CLI where an extension version would keep it. */
  async function extensionFolder(version: string): Promise<Runtime> {
    const cliPath = path.join(home, 'extensions', `ai-provenance.ai-provenance-${version}`, 'dist', 'cli.js');
    await fs.mkdir(path.dirname(cliPath), { recursive: true });
    await fs.copyFile(CLI_PATH, cliPath);
    return { runtimePath: process.execPath, cliPath, launcher: launcherPath(env) };
  }

  function settingsFile(): string {
    return path.join(repo.dir, ...AGENT_SPECS['claude-code'].project.split('/'));
  }

  async function commandFor(event: string): Promise<string> {
    const json = JSON.parse(await fs.readFile(settingsFile(), 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
    const cmd = json.hooks[event].flatMap((g) => g.hooks).map((h) => h.command).find(isOurCommand);
    assert.ok(cmd, `no command of ours for ${event}`);
    return cmd;
  }

  function runAsAgent(command: string, payload: object): { status: number | null; stdout: string; stderr: string } {
    return spawnSync('sh', ['-c', command], { cwd: repo.dir, input: JSON.stringify(payload), env: env as Record<string, string>, encoding: 'utf8', timeout: 20_000 });
  }

  function claude(event: string, abs: string): object {
    return { session_id: 's-1', transcript_path: path.join(home, '.claude', 'projects', 'p', 's-1.jsonl'), cwd: repo.dir, hook_event_name: event, tool_name: 'Write', tool_input: { file_path: abs, content: AFTER }, tool_use_id: 'toolu_1' };
  }

  it('after an update only the launcher changes; the agent’s config is untouched and its lines are still recorded', async () => {
    await fs.appendFile(path.join(repo.paths.gitDir, 'info', 'exclude'), '.claude/\n');
    await repo.write('app.py', BASE);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    const v1 = await extensionFolder('0.1.0');
    assert.equal(await writeLauncher(env, v1), 'written');
    await installAgent('claude-code', projectPlace(repo.paths, env), v1);
    const pre = await commandFor('PreToolUse');
    assert.equal(pre, `'${launcherPath(env)}' hook claude-code || true`);
    const config = await fs.readFile(settingsFile());

    // The update: a new folder, the old one gone; the extension starts and points the launcher at the new one.
    const v2 = await extensionFolder('0.2.0');
    await fs.rm(path.dirname(path.dirname(v1.cliPath)), { recursive: true });
    assert.equal(await writeLauncher(env, v2, true), 'written');
    assert.equal(await writeLauncher(env, v2, true), 'unchanged');
    assert.ok((await fs.readFile(launcherPath(env), 'utf8')).includes(v2.cliPath));
    assert.deepEqual(await fs.readFile(settingsFile()), config);

    const abs = path.join(repo.dir, 'app.py');
    const r1 = runAsAgent(pre, claude('PreToolUse', abs));
    assert.deepEqual([r1.status, r1.stdout, r1.stderr], [0, '', '']);
    await repo.write('app.py', AFTER);
    const r2 = runAsAgent(await commandFor('PostToolUse'), claude('PostToolUse', abs));
    assert.deepEqual([r2.status, r2.stdout, r2.stderr], [0, '', '']);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'agent'], env as Record<string, string>);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-chat=2']);
    assert.deepEqual(repo.trailers('HEAD', 'Assisted-by'), ['claude-code']);
  });

  it('with the extension gone the hooks still never block: exit 0, nothing printed (Cline still gets its answer)', async () => {
    const v1 = await extensionFolder('0.1.0');
    await writeLauncher(env, v1);
    await installAgent('claude-code', projectPlace(repo.paths, env), v1);
    await installAgent('cline', projectPlace(repo.paths, env), v1);
    await fs.rm(path.dirname(path.dirname(v1.cliPath)), { recursive: true });
    const r = runAsAgent(await commandFor('PreToolUse'), claude('PreToolUse', path.join(repo.dir, 'app.py')));
    assert.deepEqual([r.status, r.stdout], [0, '']);
    const cline = spawnSync(path.join(repo.dir, '.clinerules', 'hooks', 'PreToolUse'), [], { cwd: repo.dir, input: '{}', env: env as Record<string, string>, encoding: 'utf8' });
    assert.deepEqual([cline.status, cline.stdout], [0, '{"cancel":false}\n']);
  });

  it('never overwrites a launcher that is not ours; at start-up it writes none where there was none', async () => {
    const v1 = await extensionFolder('0.1.0');
    assert.equal(await writeLauncher(env, v1, true), 'unchanged');
    await assert.rejects(fs.stat(launcherPath(env)));
    await fs.mkdir(path.dirname(launcherPath(env)), { recursive: true });
    await fs.writeFile(launcherPath(env), '#!/bin/sh\necho mine\n');
    assert.equal(await writeLauncher(env, v1), 'foreign');
    assert.equal(await writeLauncher(env, v1, true), 'foreign');
    assert.equal(await fs.readFile(launcherPath(env), 'utf8'), '#!/bin/sh\necho mine\n');
  });

  it('re-pointing an install the person edited since keeps their edit through uninstall, and drops our older entry', async () => {
    const place = projectPlace(repo.paths, env);
    const own = { hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'my-guard' }] }] } };
    await fs.mkdir(path.dirname(settingsFile()), { recursive: true });
    await fs.writeFile(settingsFile(), JSON.stringify(own, null, 2) + '\n');
    // Installed directly against an extension folder, as the editor did before the launcher.
    await installAgent('claude-code', place, { runtimePath: process.execPath, cliPath: '/gone/ai-provenance-0.0.9/dist/cli.js' });
    const edited = JSON.parse(await fs.readFile(settingsFile(), 'utf8')) as { model?: string };
    edited.model = 'opus';
    await fs.writeFile(settingsFile(), JSON.stringify(edited, null, 2) + '\n');
    await installAgent('claude-code', place, await extensionFolder('0.1.0'));
    const text = await fs.readFile(settingsFile(), 'utf8');
    assert.ok(!text.includes('/gone/') && text.includes(launcherPath(env)) && text.includes('"model": "opus"'));
    await uninstallAgent('claude-code', place);
    assert.deepEqual(JSON.parse(await fs.readFile(settingsFile(), 'utf8')), { ...own, model: 'opus' });
  });

  it('a person’s own lines in the file stay theirs when the agent writes it through the launcher', async () => {
    await fs.appendFile(path.join(repo.paths.gitDir, 'info', 'exclude'), '.claude/\n');
    await repo.write('app.py', BASE);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    await writeTracked(repo, 'app.py', [['def f():', null], ['    return 1', null], ['# mine', ev('typed')]]);
    const v1 = await extensionFolder('0.1.0');
    await writeLauncher(env, v1);
    await installAgent('claude-code', projectPlace(repo.paths, env), v1);
    const abs = path.join(repo.dir, 'app.py');
    assert.equal(runAsAgent(await commandFor('PreToolUse'), claude('PreToolUse', abs)).status, 0);
    await repo.write('app.py', `${BASE}# mine\nprint(f())\n`);
    assert.equal(runAsAgent(await commandFor('PostToolUse'), claude('PostToolUse', abs)).status, 0);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'both'], env as Record<string, string>);
    assert.deepEqual(repo.trailers(), ['v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-chat=1']);
  });
});
