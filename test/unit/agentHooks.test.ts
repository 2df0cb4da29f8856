import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT_SPECS, isOurCommand } from '../../src/core/agentConfig';
import type { AgentId } from '../../src/core/agentPayload';
import { cli, ev, GIT_TEST_ENV, installTestHooks, TempRepo, useTempRepo, writeTracked } from './helpers/gitRepo';
import { record } from './helpers/records';
import { markText } from '../../src/node/commit/mark';
import { readFileLedger, writeFileLedger } from '../../src/node/git/ledgerStore';

/**
 * Each agent end to end: its hooks installed into a real repository by
 * `agents install`, payloads written from the agent's documented format run
 * through the installed config's own command, the agent's write in between,
 * then a real commit whose trailer must count exactly the agent's lines as AI.
 */

const TYPED = ev('typed');
const BASE = 'def f():\n    return 1\n\ndef g():\n    return 2\n';
/** The agent's edit: one line changed, two added (and a blank one). */
const AFTER_AGENT = 'def f():\n    return 1\n\ndef g():\n    return 20\n\ndef h():\n    return 3\nprint(f())\n';

type Json = Record<string, unknown>;

/** A home and state folder for the hook's log and user-scope files, away from the real ones. */
let home = '';
before(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'aip-home-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

function hookEnv(): Record<string, string> {
  return { ...GIT_TEST_ENV, HOME: home, XDG_STATE_HOME: path.join(home, 'state'), XDG_CONFIG_HOME: path.join(home, 'config') };
}

/** The command the installed config runs for `event`. */
async function installedCommand(repo: TempRepo, agent: AgentId, event: string): Promise<string> {
  const spec = AGENT_SPECS[agent];
  const file = path.join(repo.dir, ...spec.project.split('/'));
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as { hooks: Record<string, Json[]> };
  for (const entry of json.hooks[event] ?? []) {
    const inner = Array.isArray(entry.hooks) ? (entry.hooks as Json[]) : [entry];
    for (const h of inner) {
      const cmd = (h.command ?? h.bash) as string | undefined;
      if (isOurCommand(cmd)) return cmd as string;
    }
  }
  throw new Error(`no command of ours for ${event} in ${file}`);
}

/** Runs a hook as the agent would: through a shell, payload on stdin, in the project folder. */
function runHook(repo: TempRepo, command: string, payload: Json, env: Record<string, string> = {}): string {
  const r = spawnSync('sh', ['-c', command], { cwd: repo.dir, input: JSON.stringify(payload), env: { ...process.env, ...hookEnv(), ...env }, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout;
}

async function install(repo: TempRepo, agent: AgentId): Promise<void> {
  const r = cli(repo.dir, ['agents', 'install', '--project', agent], hookEnv());
  assert.equal(r.status, 0, r.stderr + r.stdout);
}

/** The base commit, and the person's own line typed in the editor (saved, so the ledger knows it). */
async function personFirst(repo: TempRepo): Promise<void> {
  // The agents' config files are not part of what the commits under test count.
  await fs.appendFile(path.join(repo.paths.gitDir, 'info', 'exclude'), '.claude/\n.codex/\n.gemini/\n.cursor/\n.github/\n.windsurf/\n.clinerules/\n.opencode/\n');
  await repo.write('app.py', BASE);
  repo.ok(['add', '.']);
  repo.ok(['commit', '-q', '-m', 'base']);
  const lines = BASE.split('\n').slice(0, -1).map((l) => [l, null] as const);
  await writeTracked(repo, 'app.py', [...lines, ['print(f())', TYPED]]);
}

function commitAndRead(repo: TempRepo): { trailer: string[]; assisted: string[] } {
  repo.ok(['add', '.']);
  // The person commits in the same environment the agent ran in: the commit hook finds the hooks' spool there.
  repo.ok(['commit', '-q', '-m', 'agent work'], hookEnv());
  return { trailer: repo.trailers(), assisted: repo.trailers('HEAD', 'Assisted-by') };
}

const EXACT = 'v=1 lines=4 ai=3 mixed=0 human=1 unknown=0 ai-chat=3';

interface Case {
  readonly name: string;
  readonly agent: AgentId;
  readonly pre?: { readonly event: string; readonly payload: (abs: string, repo: TempRepo) => Json };
  readonly post: { readonly event: string; readonly payload: (abs: string, repo: TempRepo) => Json };
  readonly reply: string;
  readonly assisted: string;
}

const claudeTranscript = async (repo: TempRepo): Promise<string> => {
  const file = path.join(home, '.claude', 'projects', path.basename(repo.dir), 'sess-1.jsonl');
  await fs.mkdir(path.dirname(file), { recursive: true });
  const lines = [
    { type: 'user', message: { role: 'user', content: 'add h' } },
    { type: 'assistant', message: { model: 'claude-opus-4-5', role: 'assistant', content: [{ type: 'tool_use', name: 'Edit' }] } },
  ];
  await fs.writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
};

const CASES: Case[] = [
  {
    name: 'Claude Code (Write, the whole file in its input)',
    agent: 'claude-code',
    pre: { event: 'PreToolUse', payload: (abs) => ({ ...claude('PreToolUse', abs), tool_name: 'Write', tool_input: { file_path: abs, content: AFTER_AGENT } }) },
    post: { event: 'PostToolUse', payload: (abs) => ({ ...claude('PostToolUse', abs), tool_name: 'Write', tool_input: { file_path: abs, content: AFTER_AGENT }, tool_response: { type: 'update', filePath: abs, content: AFTER_AGENT } }) },
    reply: '',
    assisted: 'claude-code:claude-opus-4-5',
  },
  {
    name: 'Claude Code (Edit, model from its transcript)',
    agent: 'claude-code',
    pre: { event: 'PreToolUse', payload: (abs) => claude('PreToolUse', abs) },
    post: { event: 'PostToolUse', payload: (abs) => ({ ...claude('PostToolUse', abs), tool_response: { filePath: abs, success: true } }) },
    reply: '',
    assisted: 'claude-code:claude-opus-4-5',
  },
  {
    name: 'Codex (apply_patch, the path inside the patch, model in the payload)',
    agent: 'codex',
    pre: { event: 'PreToolUse', payload: (_abs, repo) => codex('PreToolUse', repo.dir) },
    post: { event: 'PostToolUse', payload: (_abs, repo) => ({ ...codex('PostToolUse', repo.dir), tool_response: 'Success. Updated the following files:\nM app.py' }) },
    reply: '',
    assisted: 'codex:gpt-5-codex',
  },
  {
    name: 'Gemini CLI (replace)',
    agent: 'gemini-cli',
    pre: { event: 'BeforeTool', payload: (abs, repo) => gemini('BeforeTool', abs, repo.dir) },
    post: { event: 'AfterTool', payload: (abs, repo) => ({ ...gemini('AfterTool', abs, repo.dir), tool_response: { llmContent: 'ok' } }) },
    reply: '{}\n',
    assisted: 'gemini-cli',
  },
  {
    name: 'Cursor (preToolUse/postToolUse, model in the payload)',
    agent: 'cursor',
    pre: { event: 'preToolUse', payload: (abs, repo) => cursor('preToolUse', abs, repo.dir) },
    post: { event: 'postToolUse', payload: (abs, repo) => ({ ...cursor('postToolUse', abs, repo.dir), tool_output: '{}' }) },
    reply: '{}\n',
    assisted: 'cursor:gpt-5',
  },
  {
    name: 'Cursor (afterFileEdit alone: the lines found from its edits)',
    agent: 'cursor',
    post: {
      event: 'afterFileEdit',
      payload: (abs, repo) => ({
        conversation_id: 'conv-1',
        generation_id: 'gen-2',
        hook_event_name: 'afterFileEdit',
        workspace_roots: [repo.dir],
        model: 'gpt-5',
        cursor_version: '2.4.1',
        file_path: abs,
        edits: [
          { old_string: '    return 2\n', new_string: '    return 20\n' },
          { old_string: 'print(f())', new_string: 'def h():\n    return 3\nprint(f())' },
        ],
      }),
    },
    reply: '{}\n',
    assisted: 'cursor:gpt-5',
  },
  {
    name: 'Copilot CLI (camelCase events, toolArgs as JSON text)',
    agent: 'copilot-cli',
    pre: { event: 'preToolUse', payload: (abs, repo) => copilot(abs, repo.dir) },
    post: { event: 'postToolUse', payload: (abs, repo) => ({ ...copilot(abs, repo.dir), toolResult: { resultType: 'success', textResultForLlm: 'ok' } }) },
    reply: '',
    assisted: 'copilot-cli',
  },
  {
    name: 'Copilot CLI (Claude-compatible snake_case payload, no transcript)',
    agent: 'copilot-cli',
    pre: { event: 'preToolUse', payload: (abs, repo) => ({ session_id: 's-9', cwd: repo.dir, hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: { file_path: abs } }) },
    post: { event: 'postToolUse', payload: (abs, repo) => ({ session_id: 's-9', cwd: repo.dir, hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: abs }, tool_result: 'ok' }) },
    reply: '',
    assisted: 'copilot-cli',
  },
  {
    name: 'VS Code agent mode (snake_case fields, camelCase tool input)',
    agent: 'vscode-copilot',
    pre: { event: 'PreToolUse', payload: (abs, repo) => vscode('PreToolUse', abs, repo.dir, false) },
    post: { event: 'PostToolUse', payload: (abs, repo) => ({ ...vscode('PostToolUse', abs, repo.dir, false), tool_response: 'ok' }) },
    reply: '{}\n',
    assisted: 'vscode-copilot',
  },
  {
    name: 'VS Code agent mode (camelCase hookEventName and sessionId)',
    agent: 'vscode-copilot',
    pre: { event: 'PreToolUse', payload: (abs, repo) => vscode('PreToolUse', abs, repo.dir, true) },
    post: { event: 'PostToolUse', payload: (abs, repo) => vscode('PostToolUse', abs, repo.dir, true) },
    reply: '{}\n',
    assisted: 'vscode-copilot',
  },
  {
    name: 'Windsurf (pre_write_code/post_write_code)',
    agent: 'windsurf',
    pre: { event: 'pre_write_code', payload: (abs) => windsurf('pre_write_code', abs) },
    post: { event: 'post_write_code', payload: (abs) => windsurf('post_write_code', abs) },
    reply: '',
    assisted: 'windsurf',
  },
];

function claude(event: string, abs: string): Json {
  return {
    session_id: 'sess-1',
    transcript_path: path.join(home, '.claude', 'projects', path.basename(path.dirname(abs)), 'sess-1.jsonl'),
    cwd: path.dirname(abs),
    permission_mode: 'default',
    hook_event_name: event,
    tool_name: 'Edit',
    tool_input: { file_path: abs, old_string: '    return 2\n', new_string: '    return 20\n', replace_all: false },
    tool_use_id: 'toolu_01',
  };
}

function codex(event: string, cwd: string): Json {
  const patch = '*** Begin Patch\n*** Update File: app.py\n@@\n def g():\n-    return 2\n+    return 20\n+\n+def h():\n+    return 3\n*** End Patch\n';
  return {
    session_id: 'c-1',
    turn_id: 't-1',
    transcript_path: null,
    cwd,
    hook_event_name: event,
    model: 'gpt-5-codex',
    permission_mode: 'default',
    tool_name: 'apply_patch',
    tool_input: { command: patch },
    tool_use_id: 'call_1',
  };
}

function gemini(event: string, abs: string, cwd: string): Json {
  return {
    session_id: 'g-1',
    transcript_path: path.join(home, '.gemini', 'tmp', 'chats', 'g-1.json'),
    cwd,
    hook_event_name: event,
    timestamp: '2026-11-30T10:00:00Z',
    tool_name: 'replace',
    tool_input: { file_path: abs, old_string: '    return 2', new_string: '    return 20' },
  };
}

function cursor(event: string, abs: string, root: string): Json {
  return {
    conversation_id: 'conv-1',
    generation_id: 'gen-1',
    hook_event_name: event,
    workspace_roots: [root],
    model: 'gpt-5',
    cursor_version: '2.4.1',
    tool_name: 'Write',
    tool_input: { file_path: abs },
    tool_use_id: 'tu-1',
  };
}

function copilot(abs: string, cwd: string): Json {
  return { sessionId: 'cp-1', timestamp: 1764496800000, cwd, toolName: 'edit', toolArgs: JSON.stringify({ path: abs, old_str: 'return 2', new_str: 'return 20' }) };
}

function vscode(event: string, abs: string, cwd: string, camel: boolean): Json {
  const common = camel ? { hookEventName: event, sessionId: 'vs-1' } : { hook_event_name: event, session_id: 'vs-1' };
  return {
    ...common,
    timestamp: '2026-11-30T10:00:00.000Z',
    cwd,
    transcript_path: path.join(home, '.config', 'Code', 'User', 'workspaceStorage', 'abc', 'GitHub.copilot-chat', 'transcripts', 'vs-1.jsonl'),
    tool_name: 'replace_string_in_file',
    tool_input: { filePath: abs, oldString: 'return 2', newString: 'return 20' },
    tool_use_id: 'call_vs_1',
  };
}

function windsurf(action: string, abs: string): Json {
  return {
    agent_action_name: action,
    trajectory_id: 'traj-1',
    execution_id: 'exec-1',
    timestamp: '2026-11-30T10:00:00Z',
    tool_info: { file_path: abs, edits: [{ old_string: '    return 2\n', new_string: '    return 20\n\ndef h():\n    return 3\n' }] },
  };
}

describe('agents: each agent’s own hook records exactly its lines', function () {
  this.timeout(60_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  for (const c of CASES) {
    it(c.name, async () => {
      await personFirst(repo);
      await install(repo, c.agent);
      if (c.agent === 'claude-code') await claudeTranscript(repo);
      const abs = path.join(repo.dir, 'app.py');
      if (c.pre) assert.equal(runHook(repo, await installedCommand(repo, c.agent, c.pre.event), c.pre.payload(abs, repo)), c.reply);
      await repo.write('app.py', AFTER_AGENT);
      assert.equal(runHook(repo, await installedCommand(repo, c.agent, c.post.event), c.post.payload(abs, repo)), c.reply);
      const { trailer, assisted } = commitAndRead(repo);
      assert.deepEqual(trailer, [EXACT]);
      assert.deepEqual(assisted, [c.assisted]);
    });
  }

  it('Cline: the installed hook scripts, the tool key spelt either way, and {"cancel":false}', async () => {
    await personFirst(repo);
    await install(repo, 'cline');
    const dir = path.join(repo.dir, '.clinerules', 'hooks');
    const base = { clineVersion: '3.40.0', timestamp: '1764496800000', taskId: 'task-1', workspaceRoots: [repo.dir], userId: 'u' };
    const run = (file: string, payload: Json): string => {
      const r = spawnSync(path.join(dir, file), [], { cwd: repo.dir, input: JSON.stringify(payload), env: { ...process.env, ...hookEnv() }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    assert.equal(run('PreToolUse', { ...base, hookName: 'PreToolUse', preToolUse: { toolName: 'replace_in_file', parameters: { path: 'app.py', diff: '…' } } }), '{"cancel":false}\n');
    await repo.write('app.py', AFTER_AGENT);
    const post = { ...base, hookName: 'PostToolUse', postToolUse: { tool: 'replace_in_file', parameters: { path: 'app.py' }, result: 'ok', success: true, durationMs: 12 } };
    assert.equal(run('PostToolUse', post), '{"cancel":false}\n');
    const { trailer, assisted } = commitAndRead(repo);
    assert.deepEqual(trailer, [EXACT]);
    assert.deepEqual(assisted, ['cline']);
  });

  it('OpenCode: the installed plugin, loaded and called as OpenCode calls it', async () => {
    await personFirst(repo);
    await install(repo, 'opencode');
    const plugin = path.join(repo.dir, '.opencode', 'plugins', 'ai-provenance.js');
    // OpenCode loads plugins as ES modules; so does this driver, from a copy with the module extension.
    const mjs = path.join(repo.paths.gitDir, 'plugin-under-test.mjs');
    await fs.copyFile(plugin, mjs);
    const driver = `
      const { AiProvenance } = await import(${JSON.stringify(mjs)});
      const fs = await import('node:fs');
      const hooks = await AiProvenance({ directory: ${JSON.stringify(repo.dir)} });
      const input = { tool: 'edit', sessionID: 'ses_1', callID: 'call_1' };
      await hooks['tool.execute.before'](input, { args: { filePath: ${JSON.stringify(path.join(repo.dir, 'app.py'))} } });
      fs.writeFileSync(${JSON.stringify(path.join(repo.dir, 'app.py'))}, ${JSON.stringify(AFTER_AGENT)});
      await hooks['tool.execute.after'](input, { title: 'app.py', output: '', metadata: { files: [{ filePath: ${JSON.stringify(path.join(repo.dir, 'app.py'))} }] } });
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', driver], { cwd: repo.dir, env: { ...process.env, ...hookEnv() }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { trailer, assisted } = commitAndRead(repo);
    assert.deepEqual(trailer, [EXACT]);
    assert.deepEqual(assisted, ['opencode']);
  });

  it('Claude Code shell tool: the files a command writes are the agent’s, the person’s dirty file is not', async () => {
    await personFirst(repo);
    await install(repo, 'claude-code');
    const cmd = await installedCommand(repo, 'claude-code', 'PreToolUse');
    const bash = (event: string): Json => ({ session_id: 's', transcript_path: '/nowhere/.claude/projects/x/s.jsonl', cwd: repo.dir, hook_event_name: event, tool_name: 'Bash', tool_input: { command: 'sed -i s/2/20/ app.py && printf …' }, tool_use_id: 'toolu_b' });
    runHook(repo, cmd, bash('PreToolUse'));
    // What the command did: a new file of three lines, and one line of app.py changed.
    await repo.write('gen/out.txt', 'one\ntwo\nthree\n');
    await repo.write('app.py', BASE.replace('return 2', 'return 20') + 'print(f())\n');
    runHook(repo, cmd, bash('PostToolUse'));
    const { trailer, assisted } = commitAndRead(repo);
    assert.deepEqual(trailer, ['v=1 lines=5 ai=4 mixed=0 human=1 unknown=0 ai-chat=4']);
    assert.deepEqual(assisted, ['claude-code']);
  });

  it('lines a person changes between two agent edits keep their origin; two agents, two Assisted-by lines', async () => {
    await personFirst(repo);
    await install(repo, 'claude-code');
    await install(repo, 'codex');
    const abs = path.join(repo.dir, 'app.py');
    const claudeCmd = await installedCommand(repo, 'claude-code', 'PreToolUse');
    runHook(repo, claudeCmd, claude('PreToolUse', abs));
    await repo.write('app.py', BASE.replace('return 2', 'return 20') + 'print(f())\n');
    runHook(repo, claudeCmd, claude('PostToolUse', abs));
    // The editor records the calls the launcher spooled as soon as they land (agentSpool.ts); here, its drain.
    assert.equal(cli(repo.dir, ['agents', 'drain'], hookEnv()).status, 0);
    // The person types a line and saves: the editor's ledger learns it as typed (`mark` claims AI origins only).
    const typedText = BASE.replace('return 2', 'return 20') + 'print(f())\nprint(g())\n';
    await repo.write('app.py', typedText);
    const known = await readFileLedger(repo.paths.ledgerDir, 'app.py');
    await writeFileLedger(repo.paths.ledgerDir, markText('app.py', typedText, known, null, ev('typed'), Date.now()).ledger);
    const codexCmd = await installedCommand(repo, 'codex', 'PreToolUse');
    const patch = (event: string): Json => ({ ...codex(event, repo.dir), tool_input: { command: '*** Begin Patch\n*** Add File: lib/util.py\n+X = 1\n+Y = 2\n*** End Patch\n' } });
    runHook(repo, codexCmd, patch('PreToolUse'));
    await repo.write('lib/util.py', 'X = 1\nY = 2\n');
    runHook(repo, codexCmd, patch('PostToolUse'));
    const { trailer, assisted } = commitAndRead(repo);
    assert.deepEqual(trailer, ['v=1 lines=5 ai=3 mixed=0 human=2 unknown=0 ai-chat=3']);
    assert.deepEqual(assisted, ['claude-code', 'codex:gpt-5-codex']);
  });

  it('a payload it cannot read, or a read-only tool, records nothing and still answers as the agent needs', async () => {
    await personFirst(repo);
    await install(repo, 'gemini-cli');
    const cmd = await installedCommand(repo, 'gemini-cli', 'BeforeTool');
    const r = spawnSync('sh', ['-c', cmd], { cwd: repo.dir, input: 'not json{', env: { ...process.env, ...hookEnv() }, encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '{}\n');
    assert.equal(r.stderr, '');
    assert.equal(runHook(repo, cmd, { ...gemini('BeforeTool', path.join(repo.dir, 'app.py'), repo.dir), tool_name: 'read_file' }), '{}\n');
    const log = await fs.readFile(path.join(home, 'state', 'ai-provenance', 'agent-hook.log'), 'utf8');
    assert.match(log, /payload is not JSON/);
  });
});

describe('agents: the launcher’s fast path records what the hook in the foreground records', function () {
  this.timeout(120_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });
  const spool = (): string => path.join(home, 'state', 'ai-provenance', 'agent-spool');
  const spooled = async (): Promise<string[]> => (await fs.readdir(spool()).catch((): string[] => [])).filter((n) => n.endsWith('.meta'));

  /** Holds the spool's lock as a drain at work would: the launcher still spools, nothing drains it. */
  async function holdDrains(pid = process.pid): Promise<void> {
    await fs.mkdir(spool(), { recursive: true });
    await fs.writeFile(path.join(spool(), '.lock'), String(pid));
  }
  const letDrainsGo = (): Promise<void> => fs.rm(path.join(spool(), '.lock'), { force: true });

  /** One agent call end to end: the person's line, the agent's hooks around its write, a commit. */
  async function play(r: TempRepo, c: Case, env: Record<string, string>, between: () => Promise<void>): Promise<{ reply: string[]; trailer: string[]; assisted: string[]; record: string[] }> {
    await personFirst(r);
    await install(r, c.agent);
    if (c.agent === 'claude-code') await claudeTranscript(r);
    const abs = path.join(r.dir, 'app.py');
    const reply: string[] = [];
    if (c.pre) reply.push(runHook(r, await installedCommand(r, c.agent, c.pre.event), c.pre.payload(abs, r), env));
    await r.write('app.py', AFTER_AGENT);
    reply.push(runHook(r, await installedCommand(r, c.agent, c.post.event), c.post.payload(abs, r), env));
    await between();
    return { reply, ...commitAndRead(r), record: record(r) };
  }

  for (const name of ['Claude Code (Write', 'Claude Code (Edit', 'Gemini CLI', 'Cursor (afterFileEdit', 'Copilot CLI (Claude-compatible']) {
    const c = CASES.find((k) => k.name.startsWith(name));
    it(`${c?.name}: spooled, then committed before any drain ran: the same trailer and record`, async () => {
      assert.ok(c);
      const sync = await play(repo, c, { AI_PROVENANCE_AGENT_SYNC: '1' }, async () => assert.deepEqual(await spooled(), []));
      const other = await TempRepo.create();
      try {
        await installTestHooks(other.paths);
        await holdDrains();
        const fast = await play(other, c, {}, async () => {
          assert.equal((await spooled()).length, c.pre ? 2 : 1, 'each call waits in the spool');
          await letDrainsGo();
        });
        assert.deepEqual(fast, sync);
        assert.deepEqual(fast.trailer, [EXACT]);
        assert.deepEqual(fast.assisted, [c.assisted]);
        assert.deepEqual(fast.reply, c.pre ? [c.reply, c.reply] : [c.reply]);
        assert.deepEqual(await spooled(), []);
      } finally {
        await letDrainsGo();
        await other.dispose();
      }
    });
  }

  it('the drain the launcher starts in the background records the call by itself, into the launcher’s spool whatever the agent’s environment', async () => {
    const c = CASES.find((k) => k.name.startsWith('Claude Code (Edit'));
    assert.ok(c);
    const elsewhere = { XDG_STATE_HOME: path.join(home, 'agent-state') };
    const out = await play(repo, c, elsewhere, async () => {
      for (let i = 0; i < 300 && (await spooled()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(await spooled(), [], 'the background drain left the spool as it was');
      const ledger = await readFileLedger(repo.paths.ledgerDir, 'app.py');
      assert.ok(ledger?.ev.some((e) => e.origin === 'ai-chat' && e.tool === 'claude-code'), 'no record of the agent’s lines');
    });
    assert.deepEqual([out.trailer, out.assisted, out.reply], [[EXACT], [c.assisted], ['', '']]);
    await assert.rejects(fs.stat(path.join(home, 'agent-state', 'ai-provenance', 'agent-spool')));
  });

  it('paths with a space, a quote, a backslash or an accent take the hook in the foreground, and are still exact', async () => {
    await fs.appendFile(path.join(repo.paths.gitDir, 'info', 'exclude'), '.claude/\n');
    await install(repo, 'claude-code');
    const cmd = await installedCommand(repo, 'claude-code', 'PreToolUse');
    await holdDrains();
    try {
      for (const name of ['my notes.py', "it's.py", 'back\\slash.py', 'café.py']) {
        const abs = path.join(repo.dir, name);
        const call = (event: string): Json => ({ ...claude(event, abs), tool_name: 'Write', tool_input: { file_path: abs, content: 'x = 1\ny = 2\n' } });
        assert.equal(runHook(repo, cmd, call('PreToolUse')), '');
        await fs.writeFile(abs, 'x = 1\ny = 2\n');
        assert.equal(runHook(repo, cmd, call('PostToolUse')), '');
        assert.deepEqual(await spooled(), [], `${name} was spooled`);
      }
    } finally {
      await letDrainsGo();
    }
    assert.deepEqual(commitAndRead(repo).trailer, ['v=1 lines=8 ai=8 mixed=0 human=0 unknown=0 ai-chat=8']);
  });

  it('a drain killed while at work leaves its lock and the spool to the next one; a malformed entry is logged and skipped', async () => {
    const killed = spawnSync('sh', ['-c', 'sleep 30 & echo $!; kill -9 $!'], { encoding: 'utf8' });
    const dead = Number(killed.stdout.trim());
    assert.ok(dead > 0);
    await holdDrains();
    await fs.writeFile(path.join(spool(), 'broken.meta'), 'not-an-agent\nend\n');
    const c = CASES.find((k) => k.name.startsWith('Claude Code (Edit'));
    assert.ok(c);
    const out = await play(repo, c, {}, async () => {
      assert.equal((await spooled()).length, 3);
      await holdDrains(dead);
    });
    assert.deepEqual([out.trailer, out.assisted], [[EXACT], [c.assisted]]);
    assert.deepEqual(await spooled(), []);
    assert.match(await fs.readFile(path.join(home, 'state', 'ai-provenance', 'agent-hook.log'), 'utf8'), /malformed spool entry broken\.meta; skipped/);
  });
});
