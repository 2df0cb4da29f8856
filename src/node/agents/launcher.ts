import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { shQuote } from '../commit/install';
import { readIfExists, writeFileAtomic } from '../files';
import type { Runtime } from './install';
import { userStateDir } from './install';
import { spoolDir, SPOOL_MAX_ENTRIES, SPOOL_MAX_FILE_BYTES, SPOOL_MAX_PAYLOAD_BYTES } from './spool';

/**
 * The launcher the agents' hooks call when they were set up from the editor.
 * The extension's CLI lives in a folder named after its version, which goes
 * away on every update; the launcher lives in the user's state folder, and
 * the extension rewrites it each time it starts, so it always runs the copy
 * of the CLI that is installed now. The agents' config files never change on
 * an update. It is named `ai-provenance`: the hook commands read as
 * `…/ai-provenance hook <agent>`, like the CLI's own.
 */

/** The line that marks the launcher as ours; a file without it is never overwritten. */
export const LAUNCHER_MARKER = 'ai-provenance launcher';

/** Where the launcher lives: `<state>/bin/ai-provenance`. */
export function launcherPath(env: NodeJS.ProcessEnv): string {
  return path.join(userStateDir(env), 'bin', 'ai-provenance');
}

/** The file tools whose call the launcher answers itself when it names one file (Claude Code and Copilot CLI, Gemini CLI, Cursor, VS Code). */
const EDIT_TOOLS = 'Write|Edit|MultiEdit|NotebookEdit|write_file|replace|StrReplace|create_file|replace_string_in_file|insert_edit_into_file';
/** The payload keys that may name a file (agentPayload.ts reads the same ones). */
const PATH_KEYS = 'file_path|filePath|notebook_path|path|absolute_path|target_file|targetFile|filename|file';
/** Shapes the fast path leaves to Node: other agents' payloads, several files, patches, Codex. */
const NOT_COMMON = `"(agent_action_name|clineVersion|hookName|hookEventName|toolArgs|turn_id|files|filePaths|paths|replacements)"[[:space:]]*:|[*][*][*] (Add File|Update File|Delete File|Move to): |/[.]codex/`;
/** The payloads whose agent wants `{}` on stdout (Cursor, Gemini CLI, VS Code); the others here want nothing. */
const WANTS_BRACES = `"(cursor_version|generation_id|sessionId)"[[:space:]]*:|"hook_event_name"[[:space:]]*:[[:space:]]*"(BeforeTool|AfterTool|afterFileEdit)"|"tool_name"[[:space:]]*:[[:space:]]*"(create_file|replace_string_in_file|insert_edit_into_file)"|"transcript_path"[[:space:]]*:[[:space:]]*"[^"]*/[.]cursor/`;

/**
 * The fast path (spool.ts): a function that, for a common call, writes the
 * spool entry in the folder `$1` (its payload already there) and prints the
 * agent's reply; it fails for anything else. The path must be absolute, of
 * plain characters (no spaces, quotes, backslashes or escapes), and the only
 * one the payload names.
 */
const FAST_PATH = [
  'ai_provenance_common() {',
  '\tp=$1/payload',
  `\t[ $(($(wc -c <"$p"))) -le ${SPOOL_MAX_PAYLOAD_BYTES} ] && grep -q '"hook_event_name"' "$p" || return 1`,
  `\t! grep -Eq '${NOT_COMMON}' "$p" || return 1`,
  `\tgrep -Eq '"hook_event_name"[[:space:]]*:[[:space:]]*"afterFileEdit"|"tool_name"[[:space:]]*:[[:space:]]*"(${EDIT_TOOLS})"' "$p" || return 1`,
  `\tf=$(grep -Eo '"(${PATH_KEYS})"[[:space:]]*:[[:space:]]*"[^"]*"' "$p" | sed 's/^"[^"]*"[[:space:]]*:[[:space:]]*"//; s/"$//' | sort -u)`,
  '\tcase $f in /*) ;; *) return 1 ;; esac',
  '\tcase $f in *[!A-Za-z0-9._/@+,=-]* | */./* | */../* | */. | */..) return 1 ;; esac',
  '\tif [ -f "$f" ]; then',
  `\t\t[ $(($(wc -c <"$f"))) -le ${SPOOL_MAX_FILE_BYTES} ] && cp "$f" "$1/file" || return 1`,
  '\telif [ -e "$f" ] || [ -L "$f" ]; then',
  '\t\treturn 1',
  '\telse',
  '\t\t: >"$1/absent" || return 1',
  '\tfi',
  `\tif grep -Eq '${WANTS_BRACES}' "$p" || grep -Eiq '"transcript_path"[[:space:]]*:[[:space:]]*"[^"]*(copilot-chat|workspaceStorage|chatSessions)' "$p"; then r='{}'; else r=; fi`,
  `\tprintf '%s\\n%s\\n%s\\n%s' "$2" "$r" "$f" "$PWD" >"$1/meta" && printf '%s' "$r"`,
  '}',
  '',
  '# Fewer entries than the bound: room for one more.',
  `ai_provenance_room() { [ $# -lt ${SPOOL_MAX_ENTRIES} ]; }`,
  '',
  '# The drain, in the background, in a session of its own where there is setsid: an agent that ends the hook loses nothing.',
  'ai_provenance_drain() {',
  '\tai_provenance_detach=',
  '\tcommand -v setsid >/dev/null 2>&1 && ai_provenance_detach=setsid',
  '\t(ELECTRON_RUN_AS_NODE=1 $ai_provenance_detach "$ai_provenance_runtime" "$ai_provenance_cli" agents drain </dev/null >/dev/null 2>&1 &)',
  '}',
  '',
  'if [ "$1" = hook ] && [ $# -eq 2 ] && [ -z "$AI_PROVENANCE_AGENT_SYNC" ] && mkdir -p "$ai_provenance_spool" 2>/dev/null \\',
  '\t&& ai_provenance_room "$ai_provenance_spool"/e.* && ai_provenance_tmp=$(mktemp -d "$ai_provenance_spool/.tmp.XXXXXXXX" 2>/dev/null); then',
  '\tcat >"$ai_provenance_tmp/payload"',
  '\tai_provenance_entry="$ai_provenance_spool/e.${ai_provenance_tmp##*/.tmp.}"',
  '\tif ai_provenance_reply=$(ai_provenance_common "$ai_provenance_tmp" "$2" 2>/dev/null) && [ ! -e "$ai_provenance_entry" ] \\',
  '\t\t&& mv "$ai_provenance_tmp" "$ai_provenance_entry" 2>/dev/null; then',
  '\t\t[ -z "$ai_provenance_reply" ] || printf \'%s\\n\' "$ai_provenance_reply"',
  '\t\tai_provenance_drain',
  '\t\texit 0',
  '\tfi',
  '\t# Not the common case: the hook in the foreground, as without the fast path.',
  '\tELECTRON_RUN_AS_NODE=1 "$ai_provenance_runtime" "$ai_provenance_cli" "$@" <"$ai_provenance_tmp/payload"',
  '\trm -rf "$ai_provenance_tmp"',
  '\texit 0',
  'fi',
];

/**
 * The launcher's text. `ELECTRON_RUN_AS_NODE=1`: in desktop VS Code the
 * runtime is the editor's own executable, which runs as plain Node only with
 * it. When the extension is gone it fails, and every hook command ends in
 * `|| true` (or Cline's fallback), so an agent is never blocked. A hook call
 * that names one plain file is answered by the script itself (spool.ts).
 */
export function launcherText(rt: Pick<Runtime, 'runtimePath' | 'cliPath'>, spool: string): string {
  return [
    '#!/bin/sh',
    `# ${LAUNCHER_MARKER}: rewritten by the AI Provenance extension each time it starts, so that the`,
    '# agent hooks that call it run the copy of the extension installed now.',
    `ai_provenance_runtime=${shQuote(rt.runtimePath)}`,
    `ai_provenance_cli=${shQuote(rt.cliPath)}`,
    `ai_provenance_spool=${shQuote(spool)}`,
    '[ -f "$ai_provenance_cli" ] || exit 1',
    '',
    '# The common hook call is spooled and answered here; Node records it in the background (see spool.ts).',
    ...FAST_PATH,
    '',
    'ELECTRON_RUN_AS_NODE=1 exec "$ai_provenance_runtime" "$ai_provenance_cli" "$@"',
    '',
  ].join('\n');
}

export type LauncherOutcome = 'written' | 'unchanged' | 'foreign';

/**
 * Points the launcher at `rt`: writes it when missing or different, never
 * over a file that is not ours. With `onlyIfPresent`, a missing launcher
 * stays missing (nobody set up hooks from the editor on this machine).
 */
export async function writeLauncher(env: NodeJS.ProcessEnv, rt: Pick<Runtime, 'runtimePath' | 'cliPath'>, onlyIfPresent = false): Promise<LauncherOutcome> {
  const file = launcherPath(env);
  const text = launcherText(rt, spoolDir(env));
  const now = await readIfExists(file, 'utf8');
  if (now === undefined && onlyIfPresent) return 'unchanged';
  if (now !== undefined && !now.includes(LAUNCHER_MARKER)) return 'foreign';
  if (now === text) return 'unchanged';
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text, 0o755);
  return 'written';
}
