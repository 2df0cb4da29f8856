// Claude Code, played exactly as the real agent runs its hooks: each Edit tool
// call is the configured PreToolUse command with Claude Code's payload on
// stdin, the write to disk, and the PostToolUse command.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** One Claude Code session in a repository: its home, its transcript, and the hook commands its settings hold. */
export interface ClaudeSession {
  readonly repo: string;
  readonly home: string;
  readonly session: string;
  readonly transcript: string;
  readonly hooks: Record<string, string>;
}

/** Writes the session's transcript under `home`: where its hooks' model comes from (tool events carry none). Returns its path. */
export function writeTranscript(home: string, repo: string, session: string, model: string, prompt: string): string {
  const project = path.join(home, '.claude', 'projects', path.basename(repo));
  fs.mkdirSync(project, { recursive: true });
  const transcript = path.join(project, `${session}.jsonl`);
  fs.writeFileSync(transcript, [
    { type: 'user', sessionId: session, cwd: repo, message: { role: 'user', content: prompt } },
    { type: 'assistant', sessionId: session, cwd: repo, message: { model, role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'Edit', input: {} }] } },
  ].map((l) => JSON.stringify(l)).join('\n') + '\n');
  return transcript;
}

/** The ai-provenance commands `.claude/settings.json` runs on PreToolUse and PostToolUse of an Edit; throws when one is missing. */
export function claudeHookCommands(settings: string): Record<string, string> {
  const json = JSON.parse(settings) as { hooks: Record<string, { matcher?: string; hooks: { command: string }[] }[]> };
  const out: Record<string, string> = {};
  for (const event of ['PreToolUse', 'PostToolUse']) {
    const group = json.hooks[event]?.find((g) => g.hooks.some((h) => /\bhook claude-code\b/.test(h.command)));
    if (!group || !new RegExp(`^(${group.matcher})$`).test('Edit')) throw new Error(`no ${event} hook for Edit: ${settings}`);
    out[event] = group.hooks.find((h) => /\bhook claude-code\b/.test(h.command))!.command;
  }
  return out;
}

/** Runs one configured hook command the way Claude Code does: `sh -c`, the payload on stdin, in the project. Resolves to its time in ms. */
function runHook(s: ClaudeSession, event: string, payload: object): Promise<number> {
  const t0 = Date.now();
  const env = { ...process.env, HOME: s.home, XDG_STATE_HOME: path.join(s.home, '.local', 'state'), CLAUDE_PROJECT_DIR: s.repo };
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', s.hooks[event]], { cwd: s.repo, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0 || out !== '') reject(new Error(`${event}: exit ${code}, output ${JSON.stringify(out)}`));
      else resolve(Date.now() - t0);
    });
    child.stdin.end(JSON.stringify(payload));
  });
}

/** One Edit tool call of Claude Code: PreToolUse, the write (the whole file, as its tool writes it), PostToolUse. */
export async function claudeEdit(s: ClaudeSession, rel: string, edit: { old: string; new: string }, id: string): Promise<string> {
  const abs = path.join(s.repo, rel);
  const input = { file_path: abs, old_string: edit.old, new_string: edit.new, replace_all: false };
  const base = { session_id: s.session, transcript_path: s.transcript, cwd: s.repo, permission_mode: 'acceptEdits', tool_name: 'Edit', tool_input: input, tool_use_id: id };
  const pre = await runHook(s, 'PreToolUse', { ...base, hook_event_name: 'PreToolUse' });
  const before = await fs.promises.readFile(abs, 'utf8');
  if (!before.includes(edit.old)) throw new Error(`${rel}: old_string not found in ${JSON.stringify(before)}`);
  await fs.promises.writeFile(abs, before.replace(edit.old, edit.new));
  const response = { filePath: abs, oldString: edit.old, newString: edit.new, originalFile: before, structuredPatch: [], userModified: false, replaceAll: false };
  const post = await runHook(s, 'PostToolUse', { ...base, hook_event_name: 'PostToolUse', tool_response: response });
  return `${rel}: PreToolUse ${pre} ms, PostToolUse ${post} ms`;
}
