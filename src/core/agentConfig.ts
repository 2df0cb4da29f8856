import { AGENT_IDS } from './agentPayload';
import type { AgentId } from './agentPayload';

/**
 * Where each agent keeps its hooks and what we add there. Pure: paths are
 * relative (to the project root, or to the home directory), and the merge
 * works on text. The Node side reads, backs up and writes.
 */

/**
 * `grouped`: `hooks.<Event>: [{matcher, hooks: [{type, command}]}]` (Claude
 * Code, Codex, Gemini CLI). `flat`: `hooks.<Event>: [{command…}]` (Cursor,
 * Copilot CLI, VS Code, Windsurf). `script`: one executable per event
 * (Cline). `plugin`: a JS plugin file (OpenCode).
 */
export type ConfigFormat = 'grouped' | 'flat' | 'script' | 'plugin';

export interface AgentSpec {
  readonly id: AgentId;
  readonly name: string;
  readonly format: ConfigFormat;
  /** Project scope: the file (or, for `script`, the folder), relative to the repository root. */
  readonly project: string;
  /** User scope, relative to the home directory; `env` names a variable that replaces the first segment. */
  readonly user: { readonly path: string; readonly env?: string };
  /** Event names, before and after the tool. */
  readonly events: readonly string[];
  readonly matcher?: string;
  /** Extra keys of each hook entry (timeouts in the agent's own unit). */
  readonly entry: Readonly<Record<string, unknown>>;
  /** Top-level keys the file must have (`version: 1`). */
  readonly top?: Readonly<Record<string, unknown>>;
  /** Something only the person can do before the hooks run. */
  readonly approval?: string;
  /** Programs and folders whose presence means the agent is installed. */
  readonly detect: { readonly bins: readonly string[]; readonly dirs: readonly string[] };
}

const CLAUDE_MATCHER = 'Write|Edit|MultiEdit|NotebookEdit|Bash';

export const AGENT_SPECS: Readonly<Record<AgentId, AgentSpec>> = {
  'claude-code': {
    id: 'claude-code', name: 'Claude Code', format: 'grouped',
    project: '.claude/settings.json', user: { path: '.claude/settings.json', env: 'CLAUDE_CONFIG_DIR' },
    events: ['PreToolUse', 'PostToolUse'], matcher: CLAUDE_MATCHER, entry: { timeout: 10 },
    detect: { bins: ['claude'], dirs: ['.claude'] },
  },
  codex: {
    id: 'codex', name: 'Codex CLI', format: 'grouped',
    project: '.codex/hooks.json', user: { path: '.codex/hooks.json', env: 'CODEX_HOME' },
    events: ['PreToolUse', 'PostToolUse'], matcher: 'apply_patch|Edit|Write|Bash', entry: { timeout: 10 },
    approval: 'Codex runs a new hook only after you review and trust it: approve the ai-provenance hooks when Codex asks (or in /hooks).',
    detect: { bins: ['codex'], dirs: ['.codex'] },
  },
  'gemini-cli': {
    id: 'gemini-cli', name: 'Gemini CLI', format: 'grouped',
    project: '.gemini/settings.json', user: { path: '.gemini/settings.json', env: 'GEMINI_CLI_HOME' },
    events: ['BeforeTool', 'AfterTool'], matcher: 'write_file|replace|run_shell_command', entry: { timeout: 10000 },
    detect: { bins: ['gemini'], dirs: ['.gemini'] },
  },
  cursor: {
    id: 'cursor', name: 'Cursor', format: 'flat',
    project: '.cursor/hooks.json', user: { path: '.cursor/hooks.json' },
    events: ['preToolUse', 'postToolUse', 'afterFileEdit'], matcher: 'Write|Edit|StrReplace|ApplyPatch|Delete|Shell', entry: {}, top: { version: 1 },
    approval: 'Cursor reads hooks.json when it starts: restart Cursor.',
    detect: { bins: ['cursor', 'cursor-agent'], dirs: ['.cursor'] },
  },
  'copilot-cli': {
    id: 'copilot-cli', name: 'GitHub Copilot CLI', format: 'flat',
    project: '.github/hooks/ai-provenance.json', user: { path: '.copilot/hooks/ai-provenance.json', env: 'COPILOT_HOME' },
    events: ['preToolUse', 'postToolUse'], entry: { timeoutSec: 10 }, top: { version: 1 },
    detect: { bins: ['copilot'], dirs: ['.copilot'] },
  },
  'vscode-copilot': {
    id: 'vscode-copilot', name: 'VS Code agent mode (Copilot)', format: 'flat',
    project: '.github/hooks/ai-provenance-vscode.json', user: { path: '.copilot/hooks/ai-provenance-vscode.json' },
    events: ['PreToolUse', 'PostToolUse'], entry: { timeout: 10 },
    approval: 'VS Code agent hooks are a preview: your organisation may have turned them off.',
    detect: { bins: ['code', 'code-insiders'], dirs: ['.vscode'] },
  },
  windsurf: {
    id: 'windsurf', name: 'Windsurf (Cascade)', format: 'flat',
    project: '.windsurf/hooks.json', user: { path: '.codeium/windsurf/hooks.json' },
    events: ['pre_write_code', 'post_write_code', 'pre_run_command', 'post_run_command'], entry: { show_output: false },
    detect: { bins: ['windsurf'], dirs: ['.codeium/windsurf'] },
  },
  cline: {
    id: 'cline', name: 'Cline', format: 'script',
    project: '.clinerules/hooks', user: { path: 'Documents/Cline/Hooks' },
    events: ['PreToolUse', 'PostToolUse'], entry: {},
    approval: 'Cline runs hooks only when they are enabled in its settings: turn hooks on there.',
    detect: { bins: ['cline'], dirs: ['Documents/Cline'] },
  },
  opencode: {
    id: 'opencode', name: 'OpenCode', format: 'plugin',
    project: '.opencode/plugins/ai-provenance.js', user: { path: '.config/opencode/plugins/ai-provenance.js', env: 'XDG_CONFIG_HOME' },
    events: [], entry: {},
    detect: { bins: ['opencode'], dirs: ['.config/opencode'] },
  },
};

export { AGENT_IDS };

/** Any command we install: it runs our CLI's agent hook for one of our agent ids. */
const OUR_COMMAND = new RegExp(`(?:ai-provenance|cli\\.js)'?\\s+hook\\s+(?:${AGENT_IDS.join('|')})(?:\\s|$)`);
/** The line that marks a script or plugin file as ours. */
export const SCRIPT_MARKER = 'ai-provenance agent hook';

export function isOurCommand(command: unknown): boolean {
  return typeof command === 'string' && OUR_COMMAND.test(command);
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Our hook entry for one event, in the agent's own format. */
function ourEntry(spec: AgentSpec, command: string, event: string): Json {
  const matcher = spec.matcher && event !== 'afterFileEdit' ? { matcher: spec.matcher } : {};
  if (spec.format === 'grouped') return { ...matcher, hooks: [{ type: 'command', command, ...spec.entry }] };
  if (spec.id === 'copilot-cli') return { type: 'command', bash: command, ...spec.entry };
  if (spec.id === 'vscode-copilot') return { type: 'command', command, ...spec.entry };
  return { command, ...matcher, ...spec.entry };
}

/** Whether a hook entry (or, in the grouped format, a group) is ours. */
function entryIsOurs(e: unknown): boolean {
  return isObj(e) && (isOurCommand(e.command) || isOurCommand(e.bash));
}

/** Removes our entries from one event's list; `undefined` when nothing of ours was there. */
function withoutOurs(list: unknown[], grouped: boolean): unknown[] | undefined {
  let changed = false;
  const out: unknown[] = [];
  for (const e of list) {
    if (grouped && isObj(e) && Array.isArray(e.hooks) && e.hooks.some(entryIsOurs)) {
      changed = true;
      const rest = e.hooks.filter((h) => !entryIsOurs(h));
      if (rest.length > 0) out.push({ ...e, hooks: rest });
    } else if (!grouped && entryIsOurs(e)) {
      changed = true;
    } else {
      out.push(e);
    }
  }
  return changed ? out : undefined;
}

/** The indentation a JSON text uses (two spaces when it cannot tell). */
function indentOf(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? m[1] : 2;
}

export type ConfigEdit = { readonly ok: true; readonly text: string; readonly changed: boolean } | { readonly ok: false; readonly error: string };

/** Parses a config file's text; a message when it is not a JSON object we can merge into. */
export function parseConfig(text: string | undefined, spec: AgentSpec): Json | string {
  if (text === undefined || text.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return `not valid JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (!isObj(data)) return 'not a JSON object';
  if (data.hooks !== undefined && !isObj(data.hooks)) return '"hooks" is not an object';
  const hooks = (data.hooks ?? {}) as Json;
  for (const ev of spec.events) if (hooks[ev] !== undefined && !Array.isArray(hooks[ev])) return `"hooks.${ev}" is not a list`;
  return data;
}

function serialize(data: Json, original: string | undefined): string {
  const text = JSON.stringify(data, null, original ? indentOf(original) : 2);
  return original === undefined || original.endsWith('\n') || original.trim() === '' ? `${text}\n` : text;
}

/**
 * Adds our hooks to a JSON config (replacing an older entry of ours), keeping
 * everything else. Unchanged text when ours are already there as they should be.
 */
export function addOurHooks(original: string | undefined, spec: AgentSpec, command: string): ConfigEdit {
  const data = parseConfig(original, spec);
  if (typeof data === 'string') return { ok: false, error: data };
  const hooks: Json = { ...((data.hooks as Json | undefined) ?? {}) };
  for (const ev of spec.events) {
    const list = (hooks[ev] as unknown[] | undefined) ?? [];
    hooks[ev] = [...(withoutOurs(list, spec.format === 'grouped') ?? list), ourEntry(spec, command, ev)];
  }
  const next: Json = { ...(spec.top ?? {}), ...data, hooks };
  const text = serialize(next, original);
  if (original !== undefined && JSON.stringify(next) === JSON.stringify(parseConfig(original, spec))) return { ok: true, text: original, changed: false };
  return { ok: true, text, changed: text !== original };
}

/** Removes our hooks from a JSON config, keeping everything else; lists and objects we emptied go too. */
export function removeOurHooks(original: string, spec: AgentSpec): ConfigEdit {
  const data = parseConfig(original, spec);
  if (typeof data === 'string') return { ok: false, error: data };
  if (!isObj(data.hooks)) return { ok: true, text: original, changed: false };
  const hooks: Json = { ...data.hooks };
  let changed = false;
  for (const [ev, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) continue;
    const rest = withoutOurs(list, spec.format === 'grouped');
    if (!rest) continue;
    changed = true;
    if (rest.length > 0) hooks[ev] = rest;
    else delete hooks[ev];
  }
  if (!changed) return { ok: true, text: original, changed: false };
  const next: Json = { ...data, hooks };
  if (Object.keys(hooks).length === 0) delete next.hooks;
  return { ok: true, text: serialize(next, original), changed: true };
}

/** Whether a JSON config holds our hook for every event. */
export function hasOurHooks(text: string, spec: AgentSpec): boolean {
  const data = parseConfig(text, spec);
  if (typeof data === 'string' || !isObj(data.hooks)) return false;
  const hooks = data.hooks;
  return spec.events.every((ev) => Array.isArray(hooks[ev]) && withoutOurs(hooks[ev] as unknown[], spec.format === 'grouped') !== undefined);
}

/** Cline's hook: an executable named after the event; it must answer `{"cancel":false}` whatever happens (`command` without `|| true`). */
export function clineScript(command: string): string {
  return `#!/bin/sh\n# ${SCRIPT_MARKER} (cline)\n${command} || printf '{"cancel":false}\\n'\n`;
}

/**
 * OpenCode's plugin: it passes each tool call to our hook as JSON on stdin,
 * asynchronously and bounded, and never lets an error reach OpenCode.
 */
export function opencodePlugin(argv: readonly string[], source: string): string {
  return `// ${SCRIPT_MARKER} (opencode): written by \`ai-provenance agents install opencode\`; removed by \`agents uninstall\`.
import { spawn } from "node:child_process";

const COMMAND = ${JSON.stringify(argv)};

function send(payload) {
  return new Promise((resolve) => {
    try {
      const child = spawn(COMMAND[0], COMMAND.slice(1), { stdio: ["pipe", "ignore", "ignore"], env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" } });
      const timer = setTimeout(() => { child.kill(); resolve(); }, 3000);
      child.on("error", () => { clearTimeout(timer); resolve(); });
      child.on("close", () => { clearTimeout(timer); resolve(); });
      child.stdin.on("error", () => undefined);
      child.stdin.end(JSON.stringify(payload));
    } catch {
      resolve();
    }
  });
}

function files(output) {
  const list = output && output.metadata && Array.isArray(output.metadata.files) ? output.metadata.files : [];
  return list.map((f) => (f && (f.filePath || f.path)) || "").filter(Boolean);
}

export const AiProvenance = async ({ directory }) => ({
  "tool.execute.before": async (input, output) => {
    await send({ source: ${JSON.stringify(source)}, phase: "pre", tool: input.tool, sessionID: input.sessionID, callID: input.callID, cwd: directory, args: (output && output.args) || {} });
  },
  "tool.execute.after": async (input, output) => {
    await send({ source: ${JSON.stringify(source)}, phase: "post", tool: input.tool, sessionID: input.sessionID, callID: input.callID, cwd: directory, args: input.args || {}, files: files(output) });
  },
});
`;
}
