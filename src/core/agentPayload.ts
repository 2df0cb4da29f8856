/**
 * Coding agents' hook payloads, read into one shape. Pure: the Node side
 * reads stdin and the files; this module only says which agent sent a
 * payload, whether it comes before or after a tool ran, and which files the
 * tool names. The agent is told by the payload's own shape, never by the
 * config file that ran the hook: VS Code, Copilot CLI and Cursor also run
 * Claude Code's hook files.
 */

export const AGENT_IDS = ['claude-code', 'codex', 'gemini-cli', 'cursor', 'copilot-cli', 'vscode-copilot', 'windsurf', 'cline', 'opencode'] as const;
export type AgentId = (typeof AGENT_IDS)[number];

export function isAgentId(value: unknown): value is AgentId {
  return typeof value === 'string' && (AGENT_IDS as readonly string[]).includes(value);
}

/** What one hook call is about. */
export interface AgentCall {
  readonly agent: AgentId;
  /** `pre`: the tool is about to run; `post`: it ran. */
  readonly phase: 'pre' | 'post';
  /** `edit`: a file tool naming its files; `shell`: a command that may write anything. */
  readonly kind: 'edit' | 'shell';
  /** The files an edit tool names, as given (absolute, or relative to {@link cwd}). */
  readonly files: readonly FileTarget[];
  /** The directory relative paths start from (the payload's cwd or first workspace root). */
  readonly cwd?: string;
  /** Pairs a `pre` with its `post`: the tool call id, else the session. */
  readonly callKey: string;
  /** The session or conversation, when the payload names one. */
  readonly session: string;
  /** The model, when the payload names it. */
  readonly model?: string;
  /** Claude Code's session transcript, where the model can be read. */
  readonly transcript?: string;
  /** For an after-edit event with no `pre` (Cursor's afterFileEdit, Windsurf): the replacements made. */
  readonly edits?: readonly TextReplacement[];
}

export interface FileTarget {
  readonly path: string;
  /** For a patch that moves a file: where its text was before. */
  readonly from?: string;
}

export interface TextReplacement {
  readonly oldText: string;
  readonly newText: string;
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The first of `keys` that holds a non-empty string. */
function pick(o: Json | undefined, ...keys: string[]): string | undefined {
  if (!o) return undefined;
  for (const k of keys) {
    const s = str(o[k]);
    if (s !== undefined) return s;
  }
  return undefined;
}

/** The source field our OpenCode plugin puts in the payload it builds. */
export const OPENCODE_SOURCE = 'ai-provenance-opencode-plugin';

const CLAUDE_TOOLS = /^(Write|Edit|MultiEdit|NotebookEdit|Bash)$/;
const VSCODE_TOOLS = /^(create_file|replace_string_in_file|multi_replace_string_in_file|insert_edit_into_file|edit_notebook_file|run_in_terminal|editFiles)$/;

/** Which agent sent `p`, from its shape alone; `undefined` when nothing tells. */
export function identifyAgent(p: Json): AgentId | undefined {
  if (p.source === OPENCODE_SOURCE) return 'opencode';
  if (str(p.clineVersion) || (str(p.hookName) && (obj(p.preToolUse) || obj(p.postToolUse)))) return 'cline';
  if (str(p.agent_action_name) && obj(p.tool_info)) return 'windsurf';
  const event = pick(p, 'hook_event_name', 'hookEventName');
  const transcript = pick(p, 'transcript_path', 'transcriptPath') ?? '';
  if (p.cursor_version !== undefined || str(p.generation_id) || event === 'afterFileEdit' || /[\\/]\.cursor[\\/]/.test(transcript)) return 'cursor';
  if (str(p.turn_id) || /[\\/]\.codex[\\/]/.test(transcript)) return 'codex';
  if (event === 'BeforeTool' || event === 'AfterTool') return 'gemini-cli';
  if (str(p.toolName) && p.toolArgs !== undefined && p.tool_name === undefined) return 'copilot-cli';
  const tool = pick(p, 'tool_name', 'toolName') ?? '';
  if (/copilot-chat|workspaceStorage|chatSessions/i.test(transcript) || str(p.hookEventName) || str(p.sessionId) || VSCODE_TOOLS.test(tool)) return 'vscode-copilot';
  if (/[\\/]\.claude[\\/]projects[\\/]/.test(transcript)) return 'claude-code';
  if (event === 'PreToolUse' || event === 'PostToolUse' || event === 'PostToolUseFailure') {
    // Copilot CLI's Claude-compatible events carry Claude's tool names but no transcript.
    if (!transcript) return 'copilot-cli';
    if (CLAUDE_TOOLS.test(tool)) return 'claude-code';
  }
  return undefined;
}

const SHELL_TOOLS = /^(bash|shell|run_shell_command|run_in_terminal|execute_command|exec_command|local_shell|terminal|run_command|powershell)$/i;
const READ_TOOLS = /^(read|read_file|read_many_files|grep|glob|ls|list_dir|list_directory|list_files|file_search|grep_search|semantic_search|search_file_content|search_files|webfetch|websearch|web_fetch|google_web_search|view|fetch|todowrite|task)$/i;
const PATH_KEYS = ['file_path', 'filePath', 'notebook_path', 'path', 'absolute_path', 'target_file', 'targetFile', 'filename', 'file'];
const PATCH_KEYS = ['command', 'patch', 'input', 'patchText', 'content'];

/**
 * The files an `apply_patch` text names (`*** Add File:`, `*** Update File:`,
 * `*** Delete File:`, and `*** Move to:` after an update).
 */
export function patchTargets(patch: string): FileTarget[] {
  if (!patch.includes('*** ')) return [];
  const out: FileTarget[] = [];
  let updating: string | undefined;
  for (const raw of patch.split(/\r?\n/)) {
    const m = /^\*\*\* (Add|Update|Delete) File: (.+)$/.exec(raw) ?? /^\*\*\* (Move) to: (.+)$/.exec(raw);
    if (!m) continue;
    const file = m[2].trim();
    if (m[1] === 'Move' && updating !== undefined) {
      out.pop();
      out.push({ path: file, from: updating });
      updating = undefined;
      continue;
    }
    updating = m[1] === 'Update' ? file : undefined;
    if (m[1] !== 'Delete') out.push({ path: file });
  }
  return out;
}

/** Parses a value that is an object, or a JSON text of one (Copilot CLI's `toolArgs`). */
function objOrJson(v: unknown): Json | undefined {
  if (typeof v !== 'string') return obj(v);
  try {
    return obj(JSON.parse(v));
  } catch {
    return undefined;
  }
}

/** The files a tool's input names: path fields, arrays of them, and patch texts. */
export function inputTargets(input: Json | undefined): FileTarget[] {
  if (!input) return [];
  const out: FileTarget[] = [];
  for (const k of PATCH_KEYS) {
    const s = str(input[k]);
    if (s) out.push(...patchTargets(s));
  }
  for (const k of PATH_KEYS) {
    const s = str(input[k]);
    if (s && !s.includes('\n')) out.push({ path: s });
  }
  for (const k of ['files', 'filePaths', 'paths']) {
    const a = input[k];
    if (Array.isArray(a)) for (const f of a) if (str(f) && !(f as string).includes('\n')) out.push({ path: f as string });
  }
  for (const k of ['replacements', 'edits']) {
    const a = input[k];
    if (Array.isArray(a)) for (const e of a) out.push(...inputTargets(obj(e)).filter((t) => t.from === undefined));
  }
  const seen = new Set<string>();
  return out.filter((t) => !seen.has(t.path) && (seen.add(t.path), true));
}

function replacements(v: unknown): TextReplacement[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: TextReplacement[] = [];
  for (const e of v) {
    const o = obj(e);
    const oldText = o?.old_string ?? o?.oldString;
    const newText = o?.new_string ?? o?.newString;
    if (typeof oldText === 'string' && typeof newText === 'string') out.push({ oldText, newText });
  }
  return out;
}

/** Model names end up on an `Assisted-by:` line: one short token, or nothing. */
export function cleanModel(v: unknown): string | undefined {
  const s = typeof v === 'string' ? v.trim() : '';
  return /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,99}$/.test(s) && !/^(unknown|default|auto)$/i.test(s) ? s : undefined;
}

/** The parts every agent reads the same way once its fields are found. */
interface Fields {
  readonly phase: 'pre' | 'post' | undefined;
  readonly tool: string;
  readonly input: Json | undefined;
  readonly cwd?: string;
  readonly callId?: string;
  readonly session?: string;
  readonly model?: string;
  readonly transcript?: string;
  readonly edits?: TextReplacement[];
  /** The event is about a shell command whatever the tool is called. */
  readonly shell?: boolean;
}

function phaseOf(event: string | undefined): 'pre' | 'post' | undefined {
  if (!event) return undefined;
  if (/^(pre|before)/i.test(event)) return 'pre';
  if (/^(post|after)/i.test(event)) return 'post';
  return undefined;
}

function clineFields(p: Json): Fields {
  const event = pick(p, 'hookName');
  const data = obj(p.preToolUse) ?? obj(p.postToolUse);
  const roots = Array.isArray(p.workspaceRoots) ? p.workspaceRoots : [];
  const model = obj(p.model);
  return {
    phase: phaseOf(event),
    tool: pick(data, 'toolName', 'tool') ?? '',
    input: obj(data?.parameters),
    cwd: str(roots[0]),
    session: pick(p, 'taskId'),
    model: cleanModel(model ? model.slug ?? model.id : p.model),
  };
}

function windsurfFields(p: Json): Fields {
  const action = pick(p, 'agent_action_name') ?? '';
  const info = obj(p.tool_info);
  return {
    phase: phaseOf(action),
    tool: action.replace(/^(pre|post)_/, ''),
    input: info,
    cwd: pick(info, 'cwd'),
    callId: pick(p, 'execution_id'),
    session: pick(p, 'trajectory_id'),
    model: cleanModel(p.model_name),
    edits: action === 'post_write_code' ? replacements(info?.edits) : undefined,
    shell: /run_command$/.test(action),
  };
}

function cursorFields(p: Json): Fields {
  const event = pick(p, 'hook_event_name') ?? '';
  const roots = Array.isArray(p.workspace_roots) ? p.workspace_roots : [];
  const input = obj(p.tool_input) ?? (event === 'afterFileEdit' ? p : undefined);
  return {
    phase: phaseOf(event),
    tool: pick(p, 'tool_name') ?? (event === 'afterFileEdit' ? 'Write' : ''),
    input,
    cwd: pick(p, 'cwd') ?? str(roots[0]),
    callId: pick(p, 'tool_use_id'),
    session: pick(p, 'conversation_id'),
    model: cleanModel(p.model),
    edits: event === 'afterFileEdit' ? replacements(p.edits) : undefined,
    shell: /ShellExecution$/.test(event),
  };
}

/** Claude Code, Codex, Gemini CLI, VS Code and Copilot CLI: snake_case or camelCase of the same fields. */
function commonFields(agent: AgentId, p: Json): Fields {
  const event = pick(p, 'hook_event_name', 'hookEventName');
  const camel = agent === 'copilot-cli' && p.toolArgs !== undefined;
  return {
    // Copilot CLI's camelCase events do not name themselves; only the post event has a result.
    phase: camel ? (p.toolResult !== undefined ? 'post' : 'pre') : phaseOf(event),
    tool: pick(p, 'tool_name', 'toolName') ?? '',
    input: objOrJson(p.tool_input ?? p.toolInput ?? p.toolArgs),
    cwd: pick(p, 'cwd'),
    callId: pick(p, 'tool_use_id', 'toolUseId'),
    session: pick(p, 'session_id', 'sessionId'),
    model: cleanModel(p.model),
    transcript: agent === 'claude-code' ? pick(p, 'transcript_path') : undefined,
  };
}

/** The payload our OpenCode plugin sends: `{source, phase, tool, sessionID, callID, args, files}`. */
function opencodeFields(p: Json): Fields {
  const args = obj(p.args) ?? {};
  const files = Array.isArray(p.files) ? p.files : [];
  return {
    phase: p.phase === 'pre' || p.phase === 'post' ? p.phase : undefined,
    tool: pick(p, 'tool') ?? '',
    input: { ...args, files: [...(Array.isArray(args.files) ? args.files : []), ...files] },
    cwd: pick(p, 'cwd'),
    callId: pick(p, 'callID'),
    session: pick(p, 'sessionID'),
    model: cleanModel(p.model),
  };
}

function fieldsOf(agent: AgentId, p: Json): Fields {
  switch (agent) {
    case 'cline':
      return clineFields(p);
    case 'windsurf':
      return windsurfFields(p);
    case 'cursor':
      return cursorFields(p);
    case 'opencode':
      return opencodeFields(p);
    default:
      return commonFields(agent, p);
  }
}

/**
 * Reads a payload: the agent that sent it and what its tool call touches.
 * `undefined` when the payload is not one we understand, or is about a tool
 * that neither edits files nor runs commands.
 */
export function readAgentCall(payload: unknown): AgentCall | undefined {
  const p = obj(payload);
  if (!p) return undefined;
  const agent = identifyAgent(p);
  if (!agent) return undefined;
  const f = fieldsOf(agent, p);
  if (!f.phase || READ_TOOLS.test(f.tool)) return undefined;
  const shell = f.shell === true || SHELL_TOOLS.test(f.tool);
  const files = shell ? [] : inputTargets(f.input);
  if (!shell && files.length === 0) return undefined;
  const session = f.session ?? '';
  return {
    agent,
    phase: f.phase,
    kind: shell ? 'shell' : 'edit',
    files,
    cwd: f.cwd,
    callKey: f.callId ?? session,
    session,
    ...(f.model ? { model: f.model } : {}),
    ...(f.transcript ? { transcript: f.transcript } : {}),
    ...(f.edits && f.edits.length > 0 ? { edits: f.edits } : {}),
  };
}

/** What each agent wants on stdout from a hook that lets everything proceed. */
export function hookReply(agent: AgentId): string {
  switch (agent) {
    case 'gemini-cli':
    case 'cursor':
    case 'vscode-copilot':
      return '{}';
    case 'cline':
      return '{"cancel":false}';
    default:
      return '';
  }
}

/**
 * The text before a set of replacements, from the text after them: each
 * new text put back to its old one, last first. `undefined` when a new text
 * is not found exactly once (then we cannot tell which lines it wrote).
 */
export function undoReplacements(after: string, edits: readonly TextReplacement[]): string | undefined {
  let text = after;
  for (let i = edits.length - 1; i >= 0; i--) {
    const { oldText, newText } = edits[i];
    if (newText === '') return undefined;
    const at = text.indexOf(newText);
    if (at < 0 || text.indexOf(newText, at + 1) >= 0) return undefined;
    text = text.slice(0, at) + oldText + text.slice(at + newText.length);
  }
  return text;
}

/** The last model named in the tail of a Claude Code transcript (JSONL, one message per line). */
export function modelFromTranscriptTail(tail: string): string | undefined {
  const lines = tail.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (!line.includes('"assistant"') || !line.includes('"model"')) continue;
    try {
      const rec = obj(JSON.parse(line));
      const model = cleanModel(obj(rec?.message)?.model);
      if (rec?.type === 'assistant' && model && !model.startsWith('<')) return model;
    } catch {
      // The first line of a tail is usually cut; the next one will do.
    }
  }
  return undefined;
}
