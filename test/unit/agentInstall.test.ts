import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, promises as fs, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT_SPECS } from '../../src/core/agentConfig';
import { AGENT_IDS } from '../../src/core/agentPayload';
import type { AgentId } from '../../src/core/agentPayload';
import { cli, GIT_TEST_ENV, useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';

/** `agents install|uninstall|status` on real config files that already hold the person's own hooks. */

/** Each JSON agent's config as a person may have left it: their own hook, other settings, their own layout. */
const USER_CONFIGS: Partial<Record<AgentId, string>> = {
  'claude-code': '{\n    "model": "opus",\n    "hooks": {\n        "PreToolUse": [\n            {"matcher": "Bash", "hooks": [{"type": "command", "command": "./guard.sh"}]}\n        ]\n    }\n}',
  codex: '{"hooks":{"PostToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"echo done"}]}]}}\n',
  'gemini-cli': '{\n  "theme": "Dracula",\n  "hooks": {\n    "AfterTool": [\n      {\n        "matcher": "write_file",\n        "hooks": [{ "type": "command", "command": "npx prettier --write" }]\n      }\n    ]\n  }\n}\n',
  cursor: '{\n\t"version": 1,\n\t"hooks": {\n\t\t"afterFileEdit": [{ "command": "./format.sh" }],\n\t\t"beforeShellExecution": [{ "command": "./audit.sh" }]\n\t}\n}\n',
  windsurf: '{"hooks": {"post_write_code": [{"command": "python3 log.py", "show_output": true}]}}',
  'copilot-cli': '{"version":1,"hooks":{"preToolUse":[{"type":"command","bash":"./policy.sh","timeoutSec":5}]}}\n',
  'vscode-copilot': '{"hooks":{"SessionStart":[{"type":"command","command":"echo hi"}]}}\n',
};

let home = '';
before(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'aip-home-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

function env(): Record<string, string> {
  return { ...GIT_TEST_ENV, HOME: home, XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config'), PATH: process.env.PATH ?? '' };
}

function agents(repo: TempRepo, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return cli(repo.dir, ['agents', ...args], env());
}

function projectFile(repo: TempRepo, agent: AgentId): string {
  return path.join(repo.dir, ...AGENT_SPECS[agent].project.split('/'));
}

describe('agents install, uninstall and status', function () {
  this.timeout(60_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true });

  for (const [agent, original] of Object.entries(USER_CONFIGS) as Array<[AgentId, string]>) {
    it(`${agent}: merges beside the person’s own hooks, is idempotent, and uninstall restores the bytes`, async () => {
      const file = projectFile(repo, agent);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, original, { mode: 0o600 });
      let r = agents(repo, 'install', agent);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^${agent}: installed in `, 'm'));
      const installed = await fs.readFile(file, 'utf8');
      assert.equal(statSync(file).mode & 0o777, 0o600, 'the file keeps its permissions');
      const json = JSON.parse(installed) as { hooks: Record<string, unknown[]> };
      for (const ev of AGENT_SPECS[agent].events) assert.match(JSON.stringify(json.hooks[ev]), new RegExp(`hook ${agent}`));
      // Every hook of the person's is still there, unchanged.
      const theirs = JSON.parse(original) as { hooks: Record<string, unknown[]> };
      for (const [ev, list] of Object.entries(theirs.hooks)) for (const h of list) assert.ok(json.hooks[ev].some((x) => JSON.stringify(x) === JSON.stringify(h)), `${ev} lost ${JSON.stringify(h)}`);
      r = agents(repo, 'install', agent);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /already in/);
      assert.equal(await fs.readFile(file, 'utf8'), installed);
      assert.match(agents(repo, 'status').stdout, new RegExp(`^${agent}.*: installed ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
      r = agents(repo, 'uninstall', agent);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(await fs.readFile(file, 'utf8'), original);
      assert.equal(statSync(file).mode & 0o777, 0o600);
    });
  }

  it('creates what is missing, and uninstall removes the files and folders it created, for every agent', async () => {
    const r = agents(repo, 'install', ...AGENT_IDS);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /codex: needs you: Codex runs a new hook only after you review and trust it/);
    for (const a of AGENT_IDS) assert.ok(existsSync(projectFile(repo, a)), a);
    assert.equal(statSync(path.join(repo.dir, '.clinerules', 'hooks', 'PreToolUse')).mode & 0o111, 0o111);
    const u = agents(repo, 'uninstall', 'all');
    assert.equal(u.status, 0, u.stderr);
    assert.deepEqual((await fs.readdir(repo.dir)).filter((n) => n !== '.git'), []);
  });

  it('after the person edits the file, uninstall removes only our hooks and keeps their edit', async () => {
    const file = projectFile(repo, 'claude-code');
    assert.equal(agents(repo, 'install', 'claude-code').status, 0);
    const json = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    json.permissions = { allow: ['Bash(npm test)'] };
    await fs.writeFile(file, JSON.stringify(json, null, 2) + '\n');
    const r = agents(repo, 'uninstall', 'claude-code');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /removed our hooks from/);
    assert.deepEqual(JSON.parse(await fs.readFile(file, 'utf8')), { permissions: { allow: ['Bash(npm test)'] } });
  });

  it('reports a malformed config and never overwrites it', async () => {
    const bad = ['{"hooks": {"PreToolUse": [', '[1, 2]', '{"hooks": []}', '{"hooks": {"PreToolUse": {}}}'];
    for (const text of bad) {
      const file = projectFile(repo, 'claude-code');
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text);
      const r = agents(repo, 'install', 'claude-code');
      assert.equal(r.status, 1, text);
      assert.match(r.stderr, /claude-code: cannot read .*settings\.json \(.*; not changed\)/);
      assert.equal(await fs.readFile(file, 'utf8'), text);
      assert.match(agents(repo, 'status').stdout, /^claude-code.*: malformed /m);
    }
  });

  it('leaves a Cline hook script of the person’s own alone', async () => {
    const dir = path.join(repo.dir, '.clinerules', 'hooks');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'PreToolUse'), '#!/bin/sh\necho \'{"cancel":false}\'\n', { mode: 0o755 });
    const r = agents(repo, 'install', 'cline');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /cline: left alone .*PreToolUse \(a file of the same name that is not ours; left alone\)/);
    assert.match(r.stdout, /cline: installed in .*PostToolUse/);
    assert.equal(await fs.readFile(path.join(dir, 'PreToolUse'), 'utf8'), '#!/bin/sh\necho \'{"cancel":false}\'\n');
  });

  it('user scope writes under the home directory (and honours CLAUDE_CONFIG_DIR), and round-trips', async () => {
    const claudeDir = path.join(home, 'claude-elsewhere');
    const r = cli(repo.dir, ['agents', 'install', '--user', 'claude-code', 'gemini-cli'], { ...env(), CLAUDE_CONFIG_DIR: claudeDir });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(path.join(claudeDir, 'settings.json')));
    assert.ok(existsSync(path.join(home, '.gemini', 'settings.json')));
    const u = cli(repo.dir, ['agents', 'uninstall', '--user', 'claude-code', 'gemini-cli'], { ...env(), CLAUDE_CONFIG_DIR: claudeDir });
    assert.equal(u.status, 0, u.stderr);
    assert.ok(!existsSync(path.join(claudeDir, 'settings.json')));
    assert.ok(!existsSync(path.join(home, '.gemini')));
  });

  it('refuses an unknown agent and a bad option with exit 2', () => {
    assert.equal(agents(repo, 'install', 'aider').status, 2);
    assert.equal(agents(repo, 'install', '--project', '--user', 'codex').status, 2);
    assert.equal(agents(repo, 'frobnicate').status, 2);
  });
});
