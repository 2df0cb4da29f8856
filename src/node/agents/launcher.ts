import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { shQuote } from '../commit/install';
import { readIfExists, writeFileAtomic } from '../files';
import type { Runtime } from './install';
import { userStateDir } from './install';
import { DRAIN_ASKED, SPOOL_MAX_ENTRIES, SPOOL_MAX_FILE_BYTES, SPOOL_MAX_PAYLOAD_BYTES, SPOOL_ENV, SPOOL_META_END, spoolDir } from './spool';

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

/** How long a drain asked for and not yet started keeps the next calls from asking for another. */
const DRAIN_ASK_S = 5;

/** The file tools whose call the launcher answers itself when it names one file (Claude Code and Copilot CLI, Gemini CLI, Cursor, VS Code). */
const EDIT_TOOLS = 'Write|Edit|MultiEdit|NotebookEdit|write_file|replace|StrReplace|create_file|replace_string_in_file|insert_edit_into_file';
/** The payload keys that may name a file (agentPayload.ts reads the same ones). */
const PATH_KEYS = 'file_path|filePath|notebook_path|path|absolute_path|target_file|targetFile|filename|file';
const SP = '[ \\t\\r\\n]*';
/** Shapes the fast path leaves to Node: other agents' payloads, several files, patches, Codex. */
const NOT_COMMON = `"(agent_action_name|clineVersion|hookName|hookEventName|toolArgs|turn_id|files|filePaths|paths|replacements)"${SP}:|[*][*][*] (Add File|Update File|Delete File|Move to): |\\/[.]codex\\/`;
/** The payloads whose agent wants `{}` on stdout (Cursor, Gemini CLI, VS Code); the others here want nothing. */
const WANTS_BRACES = `"(cursor_version|generation_id|sessionId)"${SP}:|"hook_event_name"${SP}:${SP}"(BeforeTool|AfterTool|afterFileEdit)"|"tool_name"${SP}:${SP}"(create_file|replace_string_in_file|insert_edit_into_file)"|"transcript_path"${SP}:${SP}"[^"]*\\/[.]cursor\\/`;

/**
 * One awk program reads the payload (one process, where a grep per question
 * would cost one each): it prints the reply and the one file the call names,
 * `- /abs/path` for no reply, or fails when the call is not the common one.
 * The path must be absolute, of plain characters (no spaces, quotes,
 * backslashes or escapes), and the only one the payload names.
 */
const AWK = [
  '{ t = t $0 "\\n" }',
  'END {',
  `  if (length(t) > ${SPOOL_MAX_PAYLOAD_BYTES} || t !~ /"hook_event_name"/ || t ~ /${NOT_COMMON}/) exit 1`,
  `  if (t !~ /"hook_event_name"${SP}:${SP}"afterFileEdit"|"tool_name"${SP}:${SP}"(${EDIT_TOOLS})"/) exit 1`,
  '  s = t; f = ""',
  `  while (match(s, /"(${PATH_KEYS})"${SP}:${SP}"[^"]*"/)) {`,
  '    m = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)',
  `    sub(/^"[^"]*"${SP}:${SP}"/, "", m); sub(/"$/, "", m)`,
  '    if (f != "" && f != m) exit 1',
  '    f = m',
  '  }',
  '  if (f !~ /^\\/[A-Za-z0-9._\\/@+,=-]+$/ || f ~ /\\/[.][.]?(\\/|$)/) exit 1',
  `  print ((t ~ /${WANTS_BRACES}/ || tolower(t) ~ /"transcript_path"${SP}:${SP}"[^"]*(copilot-chat|workspacestorage|chatsessions)/) ? "{}" : "-") " " f`,
  '}',
];

/**
 * The fast path (spool.ts): for a common call, writes the spool entry `$1`
 * (its payload already in `$1.payload`): the copy of the file as it is now
 * (or that there is none), then the meta file, ended by a line of its own so
 * that a drain never takes one half written. Sets the reply in `r`; fails for
 * anything else. Apart from the shell, four programs run: cat, awk, wc, cp.
 */
const FAST_PATH = [
  'ai_provenance_common() {',
  `\tv=$(awk '${AWK.join('\n')}' "$1.payload") || return 1`,
  '\tr=${v%% *}',
  '\tf=${v#* }',
  '\t[ "$r" = - ] && r=',
  '\tif [ -f "$f" ]; then',
  `\t\t[ ! -e "$1.absent" ] && [ $(($(wc -c <"$f"))) -le ${SPOOL_MAX_FILE_BYTES} ] && cp "$f" "$1.file" || return 1`,
  '\telif [ -e "$f" ] || [ -L "$f" ] || [ -e "$1.file" ]; then',
  '\t\treturn 1',
  '\telse',
  '\t\ttrue >"$1.absent" || return 1',
  '\tfi',
  `\tprintf '%s\\n%s\\n%s\\n%s\\n${SPOOL_META_END}\\n' "$2" "$r" "$f" "$PWD" >"$1.meta"`,
  '}',
  '',
  '# Fewer entries than the bound: room for one more.',
  `ai_provenance_room() { [ $# -lt ${SPOOL_MAX_ENTRIES} ]; }`,
  '',
  '# The drain, in the background, in a session of its own where there is setsid: an agent that ends the hook loses nothing.',
  '# None when a drain is at work (its process holds the lock): it looks for new entries again before it ends. None when',
  `# one was asked for less than ${DRAIN_ASK_S} s ago and has not started (it removes ${DRAIN_ASKED} when it does): the`,
  '# post hook that follows a pre leaves its entry to the drain the pre started.',
  'ai_provenance_drain() {',
  '\tread ai_provenance_pid 2>/dev/null <"$ai_provenance_spool/.lock" && kill -0 "$ai_provenance_pid" 2>/dev/null && return',
  '\tai_provenance_now=$(date +%s)',
  `\tif read ai_provenance_asked 2>/dev/null <"$ai_provenance_spool/${DRAIN_ASKED}"; then`,
  '\t\t# Ten digits, or the arithmetic could end the script.',
  '\t\tcase $ai_provenance_asked in',
  `\t\t${'[0-9]'.repeat(10)}) [ $((ai_provenance_now - ai_provenance_asked)) -ge 0 ] && [ $((ai_provenance_now - ai_provenance_asked)) -lt ${DRAIN_ASK_S} ] && return ;;`,
  '\t\tesac',
  '\tfi',
  `\tprintf '%s\\n' "$ai_provenance_now" >"$ai_provenance_spool/${DRAIN_ASKED}" 2>/dev/null`,
  '\tai_provenance_detach=',
  '\tcommand -v setsid >/dev/null 2>&1 && ai_provenance_detach=setsid',
  '\t(ELECTRON_RUN_AS_NODE=1 $ai_provenance_detach "$ai_provenance_runtime" "$ai_provenance_cli" agents drain </dev/null >/dev/null 2>&1 &)',
  '}',
  '',
  'ai_provenance_entry=$ai_provenance_spool/$$',
  'if [ "$1" = hook ] && [ $# -eq 2 ] && [ -z "$AI_PROVENANCE_AGENT_SYNC" ] && { [ -d "$ai_provenance_spool" ] || mkdir -p -m 700 "$ai_provenance_spool" 2>/dev/null; } \\',
  '\t&& ai_provenance_room "$ai_provenance_spool"/*.meta && [ ! -e "$ai_provenance_entry.meta" ] && true 2>/dev/null >"$ai_provenance_entry.payload"; then',
  '\tif cat 2>/dev/null >"$ai_provenance_entry.payload" && ai_provenance_common "$ai_provenance_entry" "$2" 2>/dev/null; then',
  '\t\t[ -z "$r" ] || printf \'%s\\n\' "$r"',
  '\t\tai_provenance_drain',
  '\t\texit 0',
  '\tfi',
  '\t# Not the common case: the hook in the foreground, as without the fast path (with what stdin still holds).',
  '\t{ cat "$ai_provenance_entry.payload"; cat; } 2>/dev/null | ELECTRON_RUN_AS_NODE=1 "$ai_provenance_runtime" "$ai_provenance_cli" "$@"',
  '\trm -f "$ai_provenance_entry.payload" "$ai_provenance_entry.file" "$ai_provenance_entry.absent" "$ai_provenance_entry.meta"',
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
    '# What Node runs from here drains this spool, whatever the agent\'s environment says.',
    `${SPOOL_ENV}=$ai_provenance_spool`,
    `export ${SPOOL_ENV}`,
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
