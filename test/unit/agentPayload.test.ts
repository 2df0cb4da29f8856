import { strict as assert } from 'node:assert';
import { addOurHooks, AGENT_SPECS, hasOurHooks, removeOurHooks } from '../../src/core/agentConfig';
import { cleanModel, hookReply, identifyAgent, modelFromTranscriptTail, patchTargets, readAgentCall, undoReplacements } from '../../src/core/agentPayload';

/** The pure half: telling agents apart by their payloads, and merging our hooks into their configs. */

describe('agent payloads', () => {
  it('tells each agent by the payload’s shape, whichever config file ran the hook', () => {
    const claudeLike = { session_id: 's', cwd: '/r', hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: { file_path: '/r/a' }, tool_use_id: 't' };
    assert.equal(identifyAgent({ ...claudeLike, transcript_path: '/home/u/.claude/projects/-r/s.jsonl' }), 'claude-code');
    // Claude Code with CLAUDE_CONFIG_DIR elsewhere: its tool names and a transcript still say so.
    assert.equal(identifyAgent({ ...claudeLike, transcript_path: '/cfg/projects/-r/s.jsonl' }), 'claude-code');
    // The same shape without a transcript is Copilot CLI's Claude-compatible event.
    assert.equal(identifyAgent(claudeLike), 'copilot-cli');
    // VS Code runs .claude/settings.json too: its transcript and tool names give it away.
    assert.equal(identifyAgent({ ...claudeLike, transcript_path: '/u/.config/Code/User/workspaceStorage/h/GitHub.copilot-chat/transcripts/x.jsonl' }), 'vscode-copilot');
    assert.equal(identifyAgent({ ...claudeLike, tool_name: 'replace_string_in_file', transcript_path: '/x/y.jsonl' }), 'vscode-copilot');
    assert.equal(identifyAgent({ hookEventName: 'PreToolUse', sessionId: 's', tool_name: 'create_file', tool_input: { filePath: '/r/a' } }), 'vscode-copilot');
    // Cursor, with Third-party skills on, runs Claude's hooks: cursor_version tells.
    assert.equal(identifyAgent({ ...claudeLike, transcript_path: '/x/.claude/projects/y.jsonl', cursor_version: '2.4.1' }), 'cursor');
    assert.equal(identifyAgent({ ...claudeLike, turn_id: 'u', model: 'gpt-5-codex', tool_name: 'apply_patch' }), 'codex');
    assert.equal(identifyAgent({ ...claudeLike, hook_event_name: 'BeforeTool', tool_name: 'replace' }), 'gemini-cli');
    assert.equal(identifyAgent({ sessionId: 's', timestamp: 1, cwd: '/r', toolName: 'edit', toolArgs: '{}' }), 'copilot-cli');
    assert.equal(identifyAgent({ agent_action_name: 'post_write_code', trajectory_id: 't', tool_info: { file_path: '/r/a' } }), 'windsurf');
    assert.equal(identifyAgent({ clineVersion: '3', hookName: 'PreToolUse', taskId: 't', preToolUse: { toolName: 'write_to_file', parameters: {} } }), 'cline');
    assert.equal(identifyAgent({ hook_event_name: 'Stop' }), undefined);
  });

  it('reads pre and post, edit and shell, and the files of each format', () => {
    const call = readAgentCall({ conversation_id: 'c', generation_id: 'g', hook_event_name: 'postToolUse', workspace_roots: ['/r'], model: 'gpt-5', tool_name: 'Shell', tool_input: { command: 'make' } });
    assert.deepEqual(call && [call.agent, call.phase, call.kind, call.cwd, call.model], ['cursor', 'post', 'shell', '/r', 'gpt-5']);
    const cline = readAgentCall({ clineVersion: '3', hookName: 'PostToolUse', taskId: 't', workspaceRoots: ['/r'], postToolUse: { tool: 'write_to_file', parameters: { path: 'src/a.ts' } } });
    assert.deepEqual(cline && [cline.phase, cline.files, cline.cwd, cline.callKey], ['post', [{ path: 'src/a.ts' }], '/r', 't']);
    const copilot = readAgentCall({ sessionId: 's', cwd: '/r', toolName: 'create', toolArgs: JSON.stringify({ path: 'b.txt', file_text: 'x' }) });
    assert.deepEqual(copilot && [copilot.phase, copilot.files], ['pre', [{ path: 'b.txt' }]]);
    const multi = readAgentCall({ hook_event_name: 'PostToolUse', session_id: 's', transcript_path: '/w/workspaceStorage/x', tool_name: 'multi_replace_string_in_file', tool_input: { replacements: [{ filePath: '/r/a' }, { filePath: '/r/b' }, { filePath: '/r/a' }] } });
    assert.deepEqual(multi?.files, [{ path: '/r/a' }, { path: '/r/b' }]);
    // A read tool, or a tool naming no file, is nothing to record.
    assert.equal(readAgentCall({ hook_event_name: 'BeforeTool', session_id: 's', tool_name: 'read_file', tool_input: { file_path: '/r/a' } }), undefined);
    assert.equal(readAgentCall({ hook_event_name: 'BeforeTool', session_id: 's', tool_name: 'web_fetch', tool_input: { prompt: 'x' } }), undefined);
  });

  it('finds the paths inside an apply_patch text, with moves', () => {
    const patch = ['*** Begin Patch', '*** Add File: new.txt', '+hi', '*** Update File: src/old.ts', '*** Move to: src/new.ts', '@@', '-a', '+b', '*** Delete File: gone.ts', '*** Update File: keep.ts', '@@', '*** End Patch'].join('\n');
    assert.deepEqual(patchTargets(patch), [{ path: 'new.txt' }, { path: 'src/new.ts', from: 'src/old.ts' }, { path: 'keep.ts' }]);
    assert.deepEqual(patchTargets('ls -la'), []);
  });

  it('puts replacements back to find the text before, and refuses when a new text is not unique', () => {
    const after = 'a\nB1\nc\nB2\n';
    assert.equal(undoReplacements(after, [{ oldText: 'b1', newText: 'B1' }, { oldText: 'b2', newText: 'B2' }]), 'a\nb1\nc\nb2\n');
    assert.equal(undoReplacements('x\nx\n', [{ oldText: 'y', newText: 'x' }]), undefined);
    assert.equal(undoReplacements('x\n', [{ oldText: 'y', newText: 'z' }]), undefined);
  });

  it('keeps only a model name that makes one clean token', () => {
    assert.equal(cleanModel('claude-opus-4-5'), 'claude-opus-4-5');
    assert.equal(cleanModel('us.anthropic.claude-3-7-sonnet-20250219-v1:0'), 'us.anthropic.claude-3-7-sonnet-20250219-v1:0');
    for (const bad of ['', 'Unknown', 'two words', 'line\nbreak', '<synthetic>', 42, 'x'.repeat(101)]) assert.equal(cleanModel(bad), undefined, String(bad));
  });

  it('reads the last assistant model from a transcript tail, even one cut mid-line', () => {
    const tail = '"cut off line\n' + JSON.stringify({ type: 'assistant', message: { model: 'claude-sonnet-4-5' } }) + '\n' + JSON.stringify({ type: 'user', message: { content: 'model' } }) + '\n' + JSON.stringify({ type: 'assistant', message: { model: 'claude-opus-4-5' } }) + '\n';
    assert.equal(modelFromTranscriptTail(tail), 'claude-opus-4-5');
    assert.equal(modelFromTranscriptTail(JSON.stringify({ type: 'assistant', message: { model: '<synthetic>' } })), undefined);
  });

  it('answers each agent as it requires', () => {
    assert.equal(hookReply('cline'), '{"cancel":false}');
    assert.equal(hookReply('gemini-cli'), '{}');
    assert.equal(hookReply('claude-code'), '');
  });
});

describe('agent configs (pure merge)', () => {
  const spec = AGENT_SPECS['claude-code'];
  const cmd = "'/usr/bin/node' '/opt/ai-provenance/dist/cli.js' hook claude-code || true";

  it('adds beside the person’s hooks, replaces an older entry of ours, and removes only ours', () => {
    const theirs = '{\n  "hooks": {\n    "PreToolUse": [\n      {\n        "matcher": "Bash",\n        "hooks": [\n          {\n            "type": "command",\n            "command": "./guard.sh"\n          }\n        ]\n      }\n    ]\n  }\n}\n';
    const added = addOurHooks(theirs, spec, cmd);
    assert.ok(added.ok && added.changed);
    assert.ok(hasOurHooks(added.text, spec));
    const moved = addOurHooks(added.text, spec, cmd.replace('/opt/', '/srv/'));
    assert.ok(moved.ok && moved.changed);
    assert.equal((moved.text.match(/hook claude-code/g) ?? []).length, 2, 'one per event, the old ones replaced');
    const again = addOurHooks(moved.text, spec, cmd.replace('/opt/', '/srv/'));
    assert.ok(again.ok && !again.changed && again.text === moved.text);
    const removed = removeOurHooks(moved.text, spec);
    assert.ok(removed.ok);
    assert.equal(removed.text, theirs);
  });

  it('refuses what it cannot merge into', () => {
    for (const bad of ['{', '[]', '{"hooks": 1}', '{"hooks": {"PostToolUse": "x"}}']) assert.equal(addOurHooks(bad, spec, cmd).ok, false, bad);
  });
});
